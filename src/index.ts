/**
 * Broadsheet's programmatic API: `import { build, check } from "broadsheet"`. Options are named as
 * the command line names them; problems with the articles come back as data, never printed, and
 * nothing here ends the process. What throws is a fault of the machine or of Broadsheet itself.
 */
import type { SingleUseTopic } from "./archive/duplicates.ts";
import type { SiteRequest } from "./archive/load-site.ts";
import { buildBodyEdits, buildSite, stampForBuild, stampsAside, startSearchThread, unchangedBuild, type BuildPhase } from "./build.ts";
import { ArchiveError, type Problem } from "./problems.ts";
import type { Settings } from "./settings.ts";

export type { BuildPhase } from "./build.ts";
export type { Problem } from "./problems.ts";
export type { SingleUseTopic } from "./archive/duplicates.ts";
export { initArchive as init, type InitRequest, type InitResult } from "./init/init.ts";

export interface ArchiveOptions {
  /** The folder of Markdown articles. Default: `"articles"`. */
  articles?: string;
  /** The settings file. Default: `broadsheet.yml` in the articles folder. */
  settings?: string;
  /** Include articles marked `draft: true`, and scheduled ones. Default: `false`. */
  drafts?: boolean;
  /** Serve the site under a sub-path, such as `"/archive/"`. Default: the `basePath` setting. */
  basePath?: string;
  /** The address the site is published at, such as `"https://news.example.org"`. Default: the `baseUrl` setting. */
  baseUrl?: string;
}

export interface BuildOptions extends ArchiveOptions {
  /** Where the site is written; the folder is replaced whole once the build succeeds. Default: `"_site"`. */
  output?: string;
  /** Called as each phase ends (load, render, search, write), for progress. */
  onPhase?: (phase: BuildPhase) => void;
  /**
   * The `sitemap.xml` of the site this build replaces, to report the addresses it would lose
   * (a `urls.json` beside it is read too). Default: the output folder's own.
   * @example "previous/sitemap.xml"
   */
  previousSitemap?: string;
  /** Make each published address that would disappear without a redirect an error, which stops the build. Default: `false`. */
  strictUrls?: boolean;
  /**
   * Where the build keeps what the next one reuses (parsed and rendered articles, page keys,
   * search shards), or `false` to build from nothing, as `--no-cache` does. The output is the same
   * either way, byte for byte. Default: `".cache/broadsheet/build"` in the working folder.
   * @example false
   */
  cache?: string | false;
}

export interface BuildReport {
  /** Every problem found. When any is an error nothing was written, and the previous site is as it was. */
  problems: Problem[];
  /** Whether the site was written, or is in place already (see `unchanged`). */
  written: boolean;
  /**
   * Whether nothing the build reads had changed since the last build into `output`, which is
   * left as it was: no file was read or written, and the problems are those that build reported.
   */
  unchanged: boolean;
  /** Published articles, topics, authors and pages written; 0 when nothing was written. */
  articles: number;
  topics: number;
  authors: number;
  pages: number;
}

/**
 * Builds the archive into `output`: every page, feeds, sitemap and the search index.
 * @example const { problems, written } = await build({ articles: "articles", output: "_site" });
 */
export async function build(options: BuildOptions = {}): Promise<BuildReport> {
  const request = { ...siteRequest(options), outputDir: options.output ?? "_site", onPhase: options.onPhase, previousSitemap: options.previousSitemap, strictUrls: options.strictUrls, cache: options.cache };
  // A build that finds something changed indexes at least one shard, and the search thread takes
  // half a second to start and read the shards it will merge: it starts while this thread stamps
  // the inputs (at 10,000 articles a body edited alone took 2.0 s so, against 2.2 to 2.4 s). A big
  // archive's stamp takes the other core, and a build that finds nothing changed there took 4.6 s
  // with the search thread beside it, against 3.5 to 4.0 s: it starts once something has.
  let thread = stampsAside(request) ? undefined : await startSearchThread(request);
  try {
    const stamp = await stampForBuild(request);
    const unchanged = unchangedBuild(request, stamp);
    if (unchanged) return { problems: unchanged.problems, written: true, unchanged: true, articles: unchanged.articles, topics: unchanged.topics, authors: unchanged.authors, pages: unchanged.pagesWritten };
    thread ??= await startSearchThread(request);
    // Articles edited in their bodies alone are built from the site in place, without the rest of the site's model.
    const edited = await buildBodyEdits(request, stamp, thread);
    if (edited) return { problems: edited.problems, written: true, unchanged: false, articles: edited.articles, topics: edited.topics, authors: edited.authors, pages: edited.pagesWritten };
    const result = await buildSite(request, stamp, thread);
    const { archive } = result.site;
    return { problems: result.problems, written: true, unchanged: false, articles: archive.articles.length, topics: archive.topics.length, authors: archive.authors.length, pages: result.pagesWritten };
  } catch (cause) {
    if (cause instanceof ArchiveError) return { problems: cause.problems, written: false, unchanged: false, articles: 0, topics: 0, authors: 0, pages: 0 };
    throw cause;
  } finally {
    await thread?.end();
  }
}

export interface CheckReport {
  /** Every problem found, errors and warnings; near-duplicate articles are warnings. */
  problems: Problem[];
  /** Article files read. */
  articles: number;
  /** Whether the archive is valid, so that a build would succeed. */
  valid: boolean;
  /** Topics used by one article only, once some topic is used by two: a misspelt topic shows up here. */
  singleUseTopics: SingleUseTopic[];
  /** Topics and authors written in more than one way, and how often each spelling is used. */
  merged: { kind: "topic" | "author"; name: string; spellings: { spelling: string; count: number }[] }[];
}

/**
 * Reads and validates every article and the settings; writes nothing.
 * @example const { problems, valid } = await check({ articles: "articles" });
 */
export async function check(options: ArchiveOptions = {}): Promise<CheckReport> {
  // Encoding pictures writes to the cache, and check writes nothing: a bad picture stops the build.
  // Imported here, as build.ts imports them: a build that finds nothing changed never loads them.
  const [{ loadSite }, { findNearDuplicates, findSingleUseTopics }] = await Promise.all([import("./archive/load-site.ts"), import("./archive/duplicates.ts")]);
  const result = await loadSite({ ...siteRequest(options), pictureCache: false });
  const site = result.site;
  if (!site) return { problems: result.problems, articles: result.timings.articles, valid: false, singleUseTopics: [], merged: [] };
  const { archive } = site;
  // In a young archive every topic is used once, and the list would say nothing.
  const singleUseTopics = archive.topics.some((group) => group.articles.length > 1) ? findSingleUseTopics(archive) : [];
  const merged = [
    ...archive.topics.filter((group) => group.spellings.length > 1).map((group) => ({ kind: "topic" as const, name: group.name, spellings: group.spellings })),
    ...archive.authors.filter((group) => group.spellings.length > 1).map((group) => ({ kind: "author" as const, name: group.name, spellings: group.spellings })),
  ];
  return { problems: [...result.problems, ...findNearDuplicates(archive)], articles: archive.articles.length, valid: true, singleUseTopics, merged };
}

function siteRequest(options: ArchiveOptions): SiteRequest {
  const overrides: Partial<Settings> = {};
  if (options.basePath !== undefined) overrides.basePath = options.basePath;
  if (options.baseUrl !== undefined) overrides.baseUrl = options.baseUrl;
  return { articlesDir: options.articles ?? "articles", settingsFile: options.settings, overrides, drafts: options.drafts };
}
