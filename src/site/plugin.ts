import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadSite, type SiteModel } from "../archive/load-site.ts";
import { ArchiveError, formatProblem } from "../problems.ts";
import { startSearchIndex, type SearchIndexing } from "../search/index.ts";
import type { BuildPlan } from "./request.ts";

/** Eleventy's configuration API, as far as this plugin uses it. */
export interface EleventyConfig {
  addExtension(extensions: string[], options: { key: string }): void;
  addTemplateFormats(formats: string): void;
  addGlobalData(name: string, data: () => unknown): void;
  addPassthroughCopy(paths: Record<string, string>): void;
  addWatchTarget(path: string): void;
  on(event: string, callback: (...args: any[]) => unknown): void;
  addPlugin<T>(plugin: (config: EleventyConfig, options: T) => void, options: T): void;
}

/** The folder Broadsheet is installed in, which holds `layouts/`. */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Renders the archive with Eleventy: one TSX template paginates over every page of the model
 * (the data lives in `src/`, not in Eleventy collections), and the stylesheet is copied as is.
 */
export function archivePlugin(eleventyConfig: EleventyConfig, initialPlan: BuildPlan): void {
  let plan = initialPlan;
  eleventyConfig.addExtension(["11ty.tsx"], { key: "11ty.js" });
  eleventyConfig.addTemplateFormats("11ty.tsx");
  eleventyConfig.addPassthroughCopy({ [path.join(PACKAGE_ROOT, "layouts/assets")]: "assets" });
  eleventyConfig.addWatchTarget(plan.request.articlesDir);

  let site: SiteModel | undefined;
  let indexing: SearchIndexing | undefined;
  let outputDir = "";
  eleventyConfig.on("eleventy.before", ({ directories }: { directories: { output: string } }) => {
    outputDir = directories.output;
  });
  const useSite = (loaded: SiteModel) => {
    if (plan.slice) {
      site = { ...loaded, pages: plan.slice };
      return site;
    }
    site = loaded;
    // Pagefind indexes and writes in its own process while Eleventy renders.
    indexing = startSearchIndex(loaded, outputDir);
    return loaded;
  };
  eleventyConfig.addGlobalData("broadsheet", async () => {
    if (site) return site;
    if (plan.site) return useSite(plan.site);
    const result = await loadSite(plan.request);
    if (plan.report) plan.report(result.site, result.problems);
    else for (const problem of result.problems) console.warn(formatProblem(problem));
    if (!result.site) throw new ArchiveError(result.problems);
    return useSite(result.site);
  });
  eleventyConfig.on("eleventy.after", async () => {
    const finishing = indexing;
    // The next build (under --serve, after an edit) reads the articles afresh.
    site = undefined;
    indexing = undefined;
    plan = { ...plan, site: undefined };
    await finishing?.finish();
  });
}
