import type { SiteModel } from "../archive/load-site.ts";
import { TeaserHtml } from "../cache/teaser-html.ts";
import { ASSETS_DIR, ASSETS_FOLDER, isPublishedAsset } from "../package.ts";
import { pagesTemplate } from "../../layouts/pages.tsx";

/** Eleventy's configuration API, as far as this plugin uses it. */
export interface EleventyConfig {
  addTemplate(virtualPath: string, content: unknown): void;
  setTemplateFormats(formats: string): void;
  setUseGitIgnore(enabled: boolean): void;
  addGlobalData(name: string, data: () => unknown): void;
  addPassthroughCopy(paths: Record<string, string>, copyOptions?: { filter?: (file: string) => boolean }): void;
  addWatchTarget(path: string): void;
  addTransform(name: string, transform: (content: unknown) => unknown): void;
  on(event: string, callback: (...args: any[]) => unknown): void;
  addPlugin<T>(plugin: (config: EleventyConfig, options: T) => void, options: T): void;
}

/**
 * What one Eleventy run renders, handed to the plugin by whoever starts the run (the build, serve,
 * or Eleventy run directly); nothing of it lives in a module, so two runs never share it.
 */
export interface RenderPlan {
  /** The model this run renders the pages of; asked once per run. */
  model(run: { outputDir: string }): Promise<SiteModel>;
  /** The folders and files the site is made from, watched under serve. */
  watch?: string[];
  /** Under serve: the files that changed, before the run they start. */
  changed?(files: string[]): void;
  /** Once the run has written its pages. */
  written?(): Promise<void>;
}

/** Eleventy wrote fewer pages than the model holds: the site would be missing pages. */
export class MissingPagesError extends Error {
  override name = "MissingPagesError";
}

/** The model as the template reads it (src/site/direct-write.ts too): frozen, with its teasers made once in this run unless whoever started it gave them for more. */
export function templateData(site: SiteModel): SiteModel {
  return Object.freeze({ ...site, teasers: site.teasers ?? new TeaserHtml() });
}

/**
 * Renders the archive with Eleventy: one virtual template paginates over every page of the model
 * (the data lives in `src/`, not in Eleventy collections), and the stylesheet is copied as is.
 * Eleventy reads no template, config or ignore file of its own: installed, Broadsheet lives in
 * node_modules, which Eleventy leaves out, and a user's .gitignore is not Broadsheet's business.
 */
export function archivePlugin(eleventyConfig: EleventyConfig, plan: RenderPlan): void {
  eleventyConfig.setUseGitIgnore(false);
  eleventyConfig.setTemplateFormats("11ty.js");
  eleventyConfig.addTemplate("broadsheet-pages.11ty.js", pagesTemplate);
  eleventyConfig.addPassthroughCopy({ [ASSETS_DIR]: ASSETS_FOLDER }, { filter: isPublishedAsset });
  for (const watched of plan.watch ?? []) eleventyConfig.addWatchTarget(watched);
  // Pages are rendered as bytes (see layouts/pages.tsx), which Eleventy writes only as a Buffer.
  eleventyConfig.addTransform("bytes", (content) => (content instanceof Uint8Array && !Buffer.isBuffer(content) ? Buffer.from(content.buffer, content.byteOffset, content.byteLength) : content));

  let outputDir = "";
  let model: Promise<SiteModel> | undefined;
  let pages = 0;
  eleventyConfig.on("eleventy.before", ({ directories }: { directories: { output: string } }) => {
    outputDir = directories.output;
    model = undefined;
  });
  // Eleventy reads the model through a Proxy of its own for each page, which costs a trap on every
  // property read and an object for each one reached; a frozen object it hands over as it is.
  eleventyConfig.addGlobalData("broadsheet", async () => {
    model ??= plan.model({ outputDir });
    const site = await model;
    pages = site.pages.length;
    return templateData(site);
  });
  eleventyConfig.on("eleventy.beforeWatch", (queue: string[]) => plan.changed?.(queue));
  eleventyConfig.on("eleventy.after", async ({ results }: { results: unknown[] }) => {
    if (results.length < pages) {
      throw new MissingPagesError(`Eleventy wrote ${results.length} of the ${pages} pages of the archive; the site would be missing pages. Something kept Eleventy from rendering Broadsheet's template: please report it with the command you ran.`);
    }
    await plan.written?.();
  });
}
