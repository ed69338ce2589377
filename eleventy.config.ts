import { archivePlugin, type EleventyConfig } from "./src/site/plugin.ts";
import { currentPlan } from "./src/site/request.ts";

export default function (eleventyConfig: EleventyConfig) {
  eleventyConfig.addPlugin(archivePlugin, currentPlan());
}

export const config = {
  dir: { input: "layouts", output: "_site" },
};
