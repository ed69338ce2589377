import { directRunPlan } from "./src/site/direct-run.ts";
import { archivePlugin, type EleventyConfig } from "./src/site/plugin.ts";

// For Eleventy's own command line (`npx @11ty/eleventy` through tsx): builds `articles/`.
// Broadsheet's commands configure Eleventy with the same plugin, without this file.
export default function (eleventyConfig: EleventyConfig) {
  eleventyConfig.addPlugin(archivePlugin, directRunPlan({ articlesDir: "articles" }));
}

export const config = { dir: { input: "layouts" } };
