import { rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isArticlePath, loadArticle, type ArticleSource } from "../articles/load.ts";
import { loadSite, type SiteModel } from "../archive/load-site.ts";
import type { Page } from "../archive/pages.ts";
import { reviseArticle } from "../archive/update.ts";
import { ArchiveError, formatProblem, hasErrors, type Problem } from "../problems.ts";
import { startSearchIndex, type SearchIndexing } from "../search/index.ts";
import type { BuildPlan } from "./request.ts";

/** Eleventy's configuration API, as far as this plugin uses it. */
export interface EleventyConfig {
  addExtension(extensions: string[], options: { key: string }): void;
  addTemplateFormats(formats: string): void;
  addGlobalData(name: string, data: () => unknown): void;
  addPassthroughCopy(paths: Record<string, string>): void;
  addWatchTarget(path: string): void;
  addTransform(name: string, transform: (content: unknown) => unknown): void;
  on(event: string, callback: (...args: any[]) => unknown): void;
  addPlugin<T>(plugin: (config: EleventyConfig, options: T) => void, options: T): void;
}

/** How long serve waits after the last edit before it indexes the archive for search again. */
const REINDEX_DELAY = 1000;

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
  // Pages are rendered as bytes (see layouts/pages.11ty.tsx), which Eleventy writes only as a Buffer.
  eleventyConfig.addTransform("bytes", (content) => (content instanceof Uint8Array && !Buffer.isBuffer(content) ? Buffer.from(content.buffer, content.byteOffset, content.byteLength) : content));

  let site: SiteModel | undefined;
  let indexing: SearchIndexing | undefined;
  let outputDir = "";
  eleventyConfig.on("eleventy.before", ({ directories }: { directories: { output: string } }) => {
    outputDir = directories.output;
  });
  // Under serve: the last model built, its articles as read, and the files changed since.
  let served: { site: SiteModel; sources: Map<string, ArticleSource> } | undefined;
  let shownPages: readonly Page[] = [];
  let changedFiles: string[] = [];
  // After an edit under serve, the search index is made again once the pages are shown, and
  // once the writer has stopped saving for a moment, not on every save.
  let reindexLater: SiteModel | undefined;
  let reindexTimer: NodeJS.Timeout | undefined;
  eleventyConfig.on("eleventy.beforeWatch", (queue: string[]) => {
    changedFiles = queue;
  });

  // Pagefind indexes every article and writes in its own process while Eleventy renders. Under
  // serve, an index still being written for an earlier edit is stopped first.
  let indexingCalls = 0;
  const startIndexing = async (whole: SiteModel) => {
    clearTimeout(reindexTimer);
    const call = ++indexingCalls;
    await indexing?.stop();
    // A later call came while this one waited: only the latest starts, so one worker writes.
    if (call !== indexingCalls) return;
    const started = startSearchIndex(whole, outputDir);
    indexing = started;
    // Under serve nothing waits for the index; what stops it is reported, unless a newer one did.
    if (plan.serve) started.finish().catch((error: unknown) => started === indexing && console.error(`${error instanceof Error ? error.message : String(error)}\nThe next edit indexes the archive again.`));
  };
  const useSite = async (loaded: SiteModel) => {
    if (plan.slice) {
      site = { ...loaded, pages: plan.slice };
      return site;
    }
    site = loaded;
    await startIndexing(loaded);
    return loaded;
  };
  const modelForRun = async (): Promise<SiteModel> => {
    if (site) return site;
    if (plan.site) return useSite(plan.site);
    const revised = plan.serve && served ? await reviseServedSite(served, changedFiles, plan) : undefined;
    if (revised) {
      site = revised;
      reindexLater = served!.site;
      return revised;
    }
    // Until a whole build succeeds, every later edit builds the whole site too: an edit compared
    // with the last good model would leave out the changes the failed build was for.
    served = undefined;
    const result = await loadSite(plan.request);
    if (plan.report) plan.report(result.site, result.problems);
    else for (const problem of result.problems) console.warn(formatProblem(problem));
    if (!result.site) throw new ArchiveError(result.problems);
    if (plan.serve) {
      await removeGonePages(shownPages, result.site, outputDir);
      shownPages = result.site.pages;
      served = { site: result.site, sources: new Map(result.sources!.map((source) => [source.relativePath, source])) };
    }
    return useSite(result.site);
  };
  // Eleventy reads the model through a Proxy of its own for each page, which costs a trap on every
  // property read and an object for each one reached; a frozen object it hands over as it is.
  eleventyConfig.addGlobalData("broadsheet", async () => Object.freeze({ ...(await modelForRun()) }));
  eleventyConfig.on("eleventy.after", async () => {
    // The next build (under --serve, after an edit) starts from the files that changed.
    site = undefined;
    plan = { ...plan, site: undefined };
    changedFiles = [];
    if (!plan.serve) {
      const finishing = indexing;
      indexing = undefined;
      await finishing?.finish();
      return;
    }
    const whole = reindexLater;
    reindexLater = undefined;
    if (whole) {
      clearTimeout(reindexTimer);
      reindexTimer = setTimeout(() => void startIndexing(whole), REINDEX_DELAY);
    }
  });
}

/**
 * Under serve, the files of pages an edit did away with (a topic's last article moved, a listing
 * now one page shorter), which Eleventy, writing only what is, would leave in place.
 */
async function removeGonePages(before: readonly Page[], after: SiteModel, outputDir: string): Promise<void> {
  const kept = new Set(after.pages.map((page) => page.url));
  const gone = before.filter((page) => !kept.has(page.url));
  await Promise.all(gone.map((page) => rm(path.join(outputDir, page.url.endsWith("/") ? `${page.url}index.html` : page.url), { force: true })));
}

/**
 * The served model revised for the changed files, when every one is an article whose text alone
 * changed: only the pages that show those articles are rendered again. Undefined when anything
 * else changed (an article moved, was added or removed, the settings changed): the whole site is
 * then built afresh.
 */
async function reviseServedSite(served: { site: SiteModel; sources: Map<string, ArticleSource> }, changedFiles: readonly string[], plan: BuildPlan): Promise<SiteModel | undefined> {
  if (changedFiles.length === 0) return undefined;
  const { articlesDir } = plan.request;
  const pages = new Set<Page>();
  const problems: Problem[] = [];
  const revisions: { previous: ArticleSource; revised: ArticleSource }[] = [];
  for (const changed of changedFiles) {
    const relativePath = path.relative(articlesDir, changed).split(path.sep).join("/");
    const previous = served.sources.get(relativePath);
    if (!isArticlePath(relativePath) || !previous) return undefined;
    const loaded = await loadArticle(articlesDir, relativePath, served.site.settings).catch(() => undefined);
    if (!loaded?.source || hasErrors(loaded.problems)) return undefined;
    problems.push(...loaded.problems);
    revisions.push({ previous, revised: loaded.source });
  }
  for (const { previous, revised } of revisions) {
    const revision = reviseArticle(served.site, previous, revised);
    // An edit that moves an article is found before any change is made, unless another edit
    // came first; the model is built afresh then, which undoes nothing it needs.
    if (!revision) return undefined;
    served.sources.set(revised.relativePath, revised);
    problems.push(...revision.problems);
    for (const page of revision.pages) pages.add(page);
  }
  if (plan.report) plan.report(served.site, problems);
  return { ...served.site, pages: [...pages] };
}
