import { fileURLToPath } from "node:url";
import { archivePlugin, type EleventyConfig } from "./src/site/plugin.ts";
import { currentPlan } from "./src/site/request.ts";

export default function (eleventyConfig: EleventyConfig) {
  eleventyConfig.addPlugin(archivePlugin, currentPlan());
}

export const config = {
  // Absolute, so that Broadsheet builds from any working folder (npx broadsheet build in an archive).
  dir: { input: fileURLToPath(new URL("layouts", import.meta.url)) },
};
