import { rm } from "node:fs/promises";
import path from "node:path";
import { isArticlePath, loadArticle, type ArticleSource } from "./articles/load.ts";
import { loadSite, type SiteModel, type SiteRequest } from "./archive/load-site.ts";
import type { Page } from "./archive/pages.ts";
import { reviseArticle } from "./archive/update.ts";
import { ArchiveError, hasErrors, type Problem } from "./problems.ts";
import { startSearchIndex, type SearchIndexing } from "./search/index.ts";
import { loadSettings, SETTINGS_FILE, type Settings } from "./settings.ts";
import { createEleventy } from "./site/eleventy.ts";
import { buildSite, builtSiteInPlace, forgetWrittenSite, modelOfBuiltSite, stampBuildInputs, stampForBuild, unchangedBuild, type BuildResult } from "./build.ts";
import { filesChangedSince } from "./cache/input-stamp.ts";
import type { RenderPlan } from "./site/plugin.ts";
import { placeCopiedFiles } from "./site/copied-files.ts";
import { serveFromThread, type ServedSite } from "./site/dev-server.ts";

export interface ServeOptions extends SiteRequest {
  outputDir: string;
  /** The build cache the site is first built from; see BuildOptions. */
  cache?: string | false;
  port: number;
  /** Where the problems of each build go; the command line prints them. */
  report(problems: Problem[]): void;
}

/** How long serve waits after the last edit before it indexes the archive for search again. */
const REINDEX_DELAY = 1000;

/**
 * Builds the archive, serves it with live reload and watches the articles; runs until the process
 * ends. The development server serves under the base path too, so that links work as they will
 * when published.
 */
export async function serveSite(options: ServeOptions): Promise<never> {
  const { settings } = loadSettings(options.settingsFile ?? path.join(options.articlesDir, SETTINGS_FILE), options.overrides);
  // The inputs' stamp, taken as `build` takes it: for a big archive on a thread of its own, while
  // this one reads the cache.
  const stamp = options.cache === false ? undefined : await stampForBuild(options);
  // Nothing changed since the last build into the output folder: the site there is served at
  // once, and only the model that later edits revise is made meanwhile, from the cache (at
  // 100,000 articles, about 11 s); it is built after all if that changed meanwhile. Else the site
  // is built, as `build` builds it, from the build's cache, and the model is the build's: while
  // the site the last build left is served, if it is in place (articles edited, pulled or added
  // since, with serve closed), and the pages open are reloaded once the new one replaces it (at
  // 10,000 articles, a body edited: the first page at 1.2 to 1.3 s rather than 4.8 to 5.1 s);
  // else first. Either way Eleventy renders only what later edits change, and the model's bodies are
  // its own, not the cache's, which a build may rewrite meanwhile.
  const unchanged = stamp !== undefined && unchangedBuild(options, stamp) !== undefined;
  const servedAtOnce = unchanged || (stamp !== undefined && builtSiteInPlace(options));
  let served: ServedSite | undefined;
  const buildModelled = async () => {
    const built = await buildSite({ ...options, bodiesInMemory: true }, stamp);
    // The site served meanwhile, if any, is replaced: the pages open show the new one.
    served?.reloadPages();
    return built;
  };
  const modelled = unchanged ? async () => (await modelOfBuiltSite(options, stamp)) ?? (await buildModelled()) : buildModelled;
  const build = () =>
    modelled().then(
      (built) => {
        options.report(built.problems);
        return built;
      },
      (cause: unknown) => {
        // Problems with the articles: Eleventy's first run loads the archive again, reports them
        // and fails, and serve ends with them listed (served at once, after the site was).
        if (!(cause instanceof ArchiveError)) throw cause;
        return undefined;
      },
    );
  // Served at once, the build starts only once the server is up: it holds this thread for seconds
  // at a time, and the server answers from a thread of its own meanwhile. Any failure but the
  // articles' ends serve before anything is served; once serving, Eleventy's first run, which
  // waits for the build, reports it.
  let serverUp = () => {};
  const building = servedAtOnce ? new Promise<void>((resolve) => (serverUp = resolve)).then(build) : build();
  if (servedAtOnce) building.catch(() => {});
  else await building;
  const eleventy = createEleventy(options.outputDir, servePlan(options, settings, building), { pathPrefix: settings.basePath, runMode: "serve" });
  await eleventy.init();
  if (servedAtOnce) {
    served = await serveFromThread(eleventy, options.port);
    serverUp();
  }
  let watchRun: (file: string) => Promise<void>;
  try {
    watchRun = await eleventy.watch();
  } catch (cause) {
    // The first run failed: nothing is watched, so nothing is served either.
    await eleventy.stopWatch();
    throw cause;
  }
  if (!servedAtOnce) {
    try {
      await serveFromThread(eleventy, options.port);
    } catch (cause) {
      // No port to serve on: nothing is watched either, so that serve ends.
      await eleventy.stopWatch();
      throw cause;
    }
  }
  // Eleventy watches only once its first run is done, and the build before it read the files as
  // stamped: files saved meanwhile are queued now, as if saved once watched, for one run. On this
  // thread, before anything else runs: a stamp taken aside, while serving, saw the first edits
  // made once watched too, and queued them again (in test/serve.test.ts, an edit's run then
  // wrote every page).
  if (stamp) for (const file of filesChangedSince(stamp, stampBuildInputs(options))) void watchRun(file);
  return await new Promise<never>(() => {});
}

/**
 * What each of serve's Eleventy runs renders. This owns serve's state: the last model built, the
 * articles as read, and the search index, written again a moment after the writer stops saving.
 */
export function servePlan(options: ServeOptions, settings: Pick<Settings, "pages" | "theme" | "logo">, built?: Promise<Pick<BuildResult, "site" | "sources"> | undefined>): RenderPlan {
  let served: ServedModel | undefined;
  let shownPages: readonly Page[] = [];
  // Written already, search index included: the first run renders nothing.
  let writtenAlready = built;
  let changedFiles: string[] = [];
  let reindexLater: SiteModel | undefined;
  let reindexTimer: NodeJS.Timeout | undefined;
  let indexing: SearchIndexing | undefined;
  let indexingCalls = 0;
  let outputDir = "";

  // Pagefind indexes every article and writes in its own process while Eleventy renders; nothing
  // waits for it. An index still being written for an earlier edit is stopped first.
  const startIndexing = async (whole: SiteModel) => {
    clearTimeout(reindexTimer);
    const call = ++indexingCalls;
    await indexing?.stop();
    // A later call came while this one waited: only the latest starts, so one worker writes.
    if (call !== indexingCalls) return;
    const started = startSearchIndex(whole, outputDir);
    indexing = started;
    // What stops it is reported, unless a newer index stopped it.
    started.finish().catch((error: unknown) => started === indexing && console.error(`${error instanceof Error ? error.message : String(error)}\nThe next edit indexes the archive again.`));
  };

  return {
    watch: [options.articlesDir, settings.pages, settings.theme, settings.logo].filter((watched) => watched !== ""),
    changed(files) {
      changedFiles = files;
    },
    async model(run) {
      outputDir = run.outputDir;
      // Taken before it is awaited: a build that failed is waited for once, not by every run.
      const pending = writtenAlready;
      writtenAlready = undefined;
      const written = await pending;
      if (written) {
        const { site, sources } = written;
        shownPages = site.pages;
        served = servedModel(site, sources);
        return { ...site, pages: [] };
      }
      // From here on serve writes into the folder the build wrote: the build cache must not trust it.
      forgetWrittenSite(outputDir, options.cache);
      const revised = served ? await reviseServedSite(served, changedFiles, options) : undefined;
      if (revised) {
        reindexLater = served!.site;
        return await withCopiesPlaced(revised, outputDir);
      }
      // Until a whole build succeeds, every later edit builds the whole site too: an edit compared
      // with the last good model would leave out the changes the failed build was for.
      served = undefined;
      const result = await loadSite(options);
      options.report(result.problems);
      if (!result.site) throw new ArchiveError(result.problems);
      await removeGonePages(shownPages, result.site, outputDir);
      shownPages = result.site.pages;
      served = servedModel(result.site, result.sources!);
      await startIndexing(result.site);
      return await withCopiesPlaced(result.site, outputDir);
    },
    async written() {
      changedFiles = [];
      const whole = reindexLater;
      reindexLater = undefined;
      if (whole) {
        clearTimeout(reindexTimer);
        reindexTimer = setTimeout(() => void startIndexing(whole), REINDEX_DELAY);
      }
    },
  };
}

/**
 * Puts the pages that are copies of files (pictures' encodings) in place as a build does, and
 * leaves the rest to Eleventy: Eleventy would write each over the file there, which a build
 * hard-linked from the picture cache, and a serve stopped in the middle would leave the cache's
 * encoding cut short for every later build.
 */
async function withCopiesPlaced(site: SiteModel, outputDir: string): Promise<SiteModel> {
  return { ...site, pages: await placeCopiedFiles(site.pages, outputDir) };
}

/**
 * The files of pages an edit did away with (a topic's last article moved, a listing now one page
 * shorter), which Eleventy, writing only what is, would leave in place.
 */
async function removeGonePages(before: readonly Page[], after: SiteModel, outputDir: string): Promise<void> {
  const kept = new Set(after.pages.map((page) => page.url));
  const gone = before.filter((page) => !kept.has(page.url));
  await Promise.all(gone.map((page) => rm(path.join(outputDir, page.url.endsWith("/") ? `${page.url}index.html` : page.url), { force: true })));
}

/** The model serve last built whole, as edits revise it. */
export interface ServedModel {
  site: SiteModel;
  /** Every article file as read, published or not, by its path in the articles folder. */
  sources: Map<string, ArticleSource>;
  /** When the first article the model holds back as scheduled comes due, in milliseconds; undefined when none will. */
  due: number | undefined;
}

/** A model built whole, with the article files it was built from, as serve keeps it for edits to revise. */
export function servedModel(site: SiteModel, sources: readonly ArticleSource[]): ServedModel {
  const published = new Set(site.archive.articles.map((article) => article.relativePath));
  let due: number | undefined;
  // With a fixed `now` in the settings nothing is ever due; with drafts shown, nothing is held back.
  if (site.settings.now === "") {
    for (const source of sources) {
      if (source.draft || published.has(source.relativePath)) continue;
      const time = source.date.value.toMillis();
      if (due === undefined || time < due) due = time;
    }
  }
  return { site, sources: new Map(sources.map((source) => [source.relativePath, source])), due };
}

/**
 * The served model revised for the changed files, when every one is an article whose text alone
 * changed: only the pages that show those articles are rendered again. Undefined when anything
 * else changed (an article moved, was added or removed, the settings changed, an article
 * scheduled came due): the whole site is then built afresh.
 */
export async function reviseServedSite(served: ServedModel, changedFiles: readonly string[], options: Pick<ServeOptions, "articlesDir" | "report">): Promise<SiteModel | undefined> {
  if (changedFiles.length === 0) return undefined;
  // A whole build now would publish it, on every listing and feed it belongs to.
  if (served.due !== undefined && Date.now() >= served.due) return undefined;
  const { articlesDir } = options;
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
  // A picture shown for the first time is encoded by a whole build, which takes those already
  // encoded from the cache; revised, the page would show it as it came from the camera.
  if (served.site.media.hasUnencodedPictures()) return undefined;
  options.report(problems);
  return { ...served.site, pages: [...pages] };
}
