import path from "node:path";
import "./skip-esm-resolver.ts";
import Eleventy from "@11ty/eleventy";
import { CODE_ROOT } from "../package.ts";
import { archivePlugin, type RenderPlan } from "./plugin.ts";

export interface EleventyRun {
  /** Serve under this path, as the site will be published. */
  pathPrefix?: string;
  runMode?: "build" | "serve";
}

/**
 * An Eleventy that renders `plan` into `outputDir`, configured by the archive plugin alone: no
 * config file is looked for, so a project's own eleventy.config.js never changes Broadsheet's site.
 */
export function createEleventy(outputDir: string, plan: RenderPlan, { pathPrefix, runMode = "build" }: EleventyRun = {}): Eleventy {
  // Eleventy's input folder holds no template (the one template is virtual); it is Broadsheet's own
  // layouts folder so that nothing of the project Broadsheet runs in is ever read as one.
  const eleventy = new Eleventy(path.join(CODE_ROOT, "layouts"), path.resolve(outputDir), {
    configPath: false,
    config: (eleventyConfig) => eleventyConfig.addPlugin(archivePlugin, plan),
    pathPrefix,
    // Eleventy's line per written file drowns the problems; the server's address still shows.
    quietMode: true,
    runMode,
    source: "script",
  });
  return eleventy;
}

/** Eleventy's own lines ("Wrote 100 files") would interleave with ours; its warnings and errors still show. */
export function quietEleventy(eleventy: Eleventy): void {
  const logger = (eleventy as unknown as { logger: { overrideLogger(logger: unknown): void } }).logger;
  logger.overrideLogger({ log() {}, info() {}, warn: console.error, error: console.error });
}
