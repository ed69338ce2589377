import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, realpathSync, renameSync, rmSync, statSync } from "node:fs";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
// The modules that model, index and check a site (load-site, search/index, vanished-urls,
// related-cache) are imported where a build that found something changed uses them: a build that
// finds nothing changed (`unchangedBuild`) loads this module in 0.15 s rather than 0.33 s.
import type { SiteCache, SiteModel, SiteRequest } from "./archive/load-site.ts";
import { ArchiveError, hasErrors, type Problem } from "./problems.ts";
import type { BodiesIndexedAgain, IndexBodiesAgainOptions, SearchIndexing, SearchPlan, SearchThread, VolumeToPlace } from "./search/index.ts";
import { NEWEST_VOLUME, OLDER_VOLUMES } from "./archive/volumes.ts";
import { PACKAGE_ROOT } from "./package.ts";
import { BUILD_CACHE, BuildCache, identity, type BytesReading, type BytesWriting } from "./cache/build-cache.ts";
import { readTeasers, storeTeasers, TeaserHtml, teaserKey } from "./cache/teaser-html.ts";
import { ArticleCache, BUCKETS, bucketOf, editedEntry, holdsBytesOf, storedBodyHtml, storedEntry, type StoredArticles, type StoredFiles } from "./cache/article-cache.ts";
import type { BodyEdit } from "./cache/body-edits.ts";
import type { StoredPlaces, StoredRelated, StoredTerms } from "./cache/related-cache.ts";
import type { ListMarkup, RelatedAfterEdits } from "./cache/related-edits.ts";
import { ModelDigests, pageKeys } from "./cache/page-keys.ts";
import { BodyFiles } from "./cache/kept-html.ts";
import { FileReuse, outputFile } from "./cache/reuse-files.ts";
import { EARLIER_SITE, EarlierSite, keepEarlierSite, type StoredEarlierSite } from "./cache/earlier-site.ts";
import { WrittenKeys, type StoredWrittenKeys } from "./cache/written-keys.ts";
import type { FilePage, Page } from "./archive/pages.ts";
import { articleHtml } from "./archive/archive.ts";
import { ContentHashes, fileStatus } from "./archive/content-hashes.ts";
import { whereLeads, type RecordedLeads } from "./archive/media.ts";
import { isArticlePath, shownArticlePath, type ArticleSource } from "./articles/load.ts";
import { displayPath } from "./import/article-file.ts";
import { loadSettings, SETTINGS_FILE, type Settings } from "./settings.ts";
import { stampInputs, stampInputsOnThread, type InputStamp } from "./cache/input-stamp.ts";
import { isRunning, takeBuildLock } from "./cache/build-lock.ts";
import { placeCopiedFiles } from "./site/copied-files.ts";
import { VOCABULARY_FOLDER } from "../layouts/assets/typos.js";

export interface BuildOptions extends SiteRequest {
  outputDir: string;
  /** Pages per Eleventy run; the default suits any archive, tests set it small. */
  pagesPerRun?: number;
  /** Articles per Pagefind index before the indexes are merged into one, on average; tests set it small. */
  pagesPerSearchShard?: number;
  /** Called as each phase ends, for progress on a terminal. */
  onPhase?: (phase: BuildPhase) => void;
  /**
   * Where the build keeps what the next one can reuse (src/cache/); default
   * `.cache/broadsheet/build` in the working folder. `false` builds everything from nothing and
   * keeps nothing, as `--no-cache` does.
   */
  cache?: string | false;
  /**
   * Reads every article's body into the model while the build holds the cache, for a caller that
   * uses the model after the build (serve). Otherwise an unchanged article's body stays in the
   * cache until a page or a search record asks for it (src/cache/kept-html.ts), and a later build
   * from the same cache may rewrite it there.
   */
  bodiesInMemory?: boolean;
}

/** What a build reused from the one before, by its cache. */
export interface Reused {
  /** Articles whose body was not rendered again. */
  articles: number;
  /** Article files not read at all: unchanged since an earlier build read them, by their status. */
  articleFilesNotRead: number;
  /** Articles whose digest (for the search index's shards and the pages' keys) was the one kept with their entry, not hashed again. */
  articleDigests: number;
  /** Pages and files linked from the previous site instead of written, or left where the earlier site has them. */
  pages: number;
  /** Of them, those left in the earlier site that the build staged in, not even linked (src/cache/earlier-site.ts). */
  pagesKept: number;
  /** Whether every related list was reused. */
  related: boolean;
  /** Shards of the search index not indexed again, and volumes not merged again. */
  searchShards: number;
  searchVolumes: number;
  /** The listings' teasers taken as the earlier build made them (src/cache/teaser-html.ts). */
  teasers: number;
}

/** The related lists the cache keeps between builds; the articles are kept in buckets (src/cache/article-cache.ts). */
interface StoredRelatedPart {
  related?: StoredRelated;
}

/**
 * What the cache knows of the site in the output folder, a part of its own: whatever writes into
 * that folder other than a build (serve, after an edit) forgets it first (`forgetWrittenSite`).
 */
interface StoredSite {
  /** The key of every page the site was written with ("" for one without a key, written every build), and the folder's identity. */
  pages: { output: string; keys: StoredWrittenKeys };
  /** The key of each volume of that site's search index, by folder (src/search/index.ts). */
  search: Map<string, string>;
  /** The site that one replaced, kept for the next build to stage in (src/cache/earlier-site.ts). */
  earlier?: StoredEarlierSite;
}

/**
 * What the cache keeps of the last build's inputs and outcome, a part of its own, so that a build
 * of the same files into the same folder can tell without reading them (`unchangedBuild`).
 */
interface StoredInputs {
  /** Every file the build read, stamped before it read them (src/cache/input-stamp.ts). */
  stamp: string;
  /** The output folder's identity once the site was in place. */
  output: string;
  /** When the next scheduled article is due (ms since 1970): from then on the site is another. */
  nextScheduled: number | undefined;
  outcome: UnchangedBuild;
  /**
   * The statuses of the stamped files besides the article files the cache records (by status,
   * with their entries' keys: ARTICLE_FILES_PART), hashed (those no build read by their paths
   * alone, and those no reference looks for left out: `besidesArticles`), and how many article
   * files there are: with them a build tells files saved again unchanged from files changed
   * (`savedAgainOnly`).
   */
  besidesArticles: string;
  articleFiles: number;
  /** What the last build read besides the article files: which other files go into that hash with their statuses, and which are hashed again by their bytes. */
  readBeside: ReadBeside;
  /** How many of the stamp's files shape the site (`shapingOf`): one added or removed is told without reading the record. */
  statuses: number;
}

/**
 * What a build read besides the article files (and the settings file), by absolute path: every
 * other file in the articles folder shapes the site only by being where a reference looks (a
 * reference to it publishes it, or finds it missing), so its status need not be the same for a
 * build to find nothing changed, nor need it be there at all where no reference looks.
 */
interface ReadBeside {
  /** The logo, the theme's folder and the pages' folder, read whole: their files by their paths, their bytes compared apart (`files`). */
  roots: string[];
  /** The folders on the way to each path a reference looked up, found or not (one may be a link): by their statuses. */
  through: string[];
  /**
   * The paths references looked up and found no file at, with where each would really be (past
   * a link on the way): a file made at one is found, so these go in by their paths. Any other
   * file no build read shapes nothing: an editor's backup, a picture no article uses yet.
   */
  sought: string[];
  /**
   * The paths references looked up that led out of the articles folder through a link, with where
   * the lookups found each led: a file made or removed out there changes the lookup's answer (the
   * problem it reports), and no stamp of the folder sees it. Absolute, as the folder is named.
   */
  beyond: [path: string, leads: RecordedLeads][];
  /**
   * Each file a reference read (a picture, a PDF), by each path that leads to it (MediaFiles.pathsRead),
   * and each file of the roots, with its status when stamped and the hash of its bytes as read:
   * saved again unchanged, it is the same file.
   */
  files: Map<string, { status: string | undefined; hash: string }>;
}

/** What the last build reported, for a build that finds nothing changed since. */
export interface UnchangedBuild {
  problems: Problem[];
  pagesWritten: number;
  articles: number;
  topics: number;
  authors: number;
}

const INPUTS_PART = "inputs";
const ARTICLES_PART = "articles";
/** Each article file's status when last read, so that an unchanged one is not read again; in buckets, as the articles are. */
const ARTICLE_FILES_PART = "article-files";
const RELATED_PART = "related";
/** The terms counted in each article for the related lists, read only when the lists are chosen again. */
const RELATED_TERMS_PART = "related-terms";
/** Each article's file and names by its place, as the related lists were last chosen: for a build of body edits, which chooses them again without the model. */
const RELATED_PLACES_PART = "related-places";
const SITE_PART = "site";
const SEARCH_PLAN_PART = "search-plan";
/** The feeds that carry each article's body, by the article's address (`FilePage.bodies`). */
const FEED_BODIES_PART = "feed-bodies";
/** The pages and feeds that builds of body edits wrote since the last whole build, whose keys they stored empty. */
const BODIES_WRITTEN_PART = "bodies-written";

/** Where the search index's shards are kept in the cache, each in a folder named by its key. */
const SHARDS = "search-shards";
/** The kept shards (their keys) the last build found most likely merged next, for the next build's search thread to read ahead. */
const SHARDS_LIKELY_MERGED_PART = "search-shards-likely-merged";
/** Where the cache keeps what each search volume's merge wrote of its word index, by the volume's key (src/search/patch-words.ts). */
const WORD_RECORDS = "search-word-records";
/** The file in the cache where the newest search volume's metadata is kept compressed, in pieces. */
const META_PIECES = "search-meta-pieces";

export interface BuildPhase {
  name: "load" | "render" | "search" | "write";
  milliseconds: number;
  /** Articles loaded, pages written, or articles indexed, by phase. */
  count: number;
}

export interface BuildResult {
  site: SiteModel;
  /** Warnings only: any error stops the build with an ArchiveError. */
  problems: Problem[];
  pagesWritten: number;
  /**
   * Every article file as read and validated, whether published or not. A file taken from the
   * cache unread (unchanged since a build read it) has an empty `body`.
   */
  sources: ArticleSource[];
  /** Pages rendered (by Eleventy, or for a few by the template alone); the others were reused from the previous site. */
  pagesRendered: number;
  reused: Reused;
}

/**
 * Pages rendered per Eleventy run. Eleventy holds every page of a run in memory until the run
 * ends; in slices, a big archive costs a bounded amount of memory and far less garbage collection.
 */
const PAGES_PER_RUN = 4000;

/**
 * A build from the cache that renders no more pages than this writes them itself
 * (src/site/direct-write.ts), by the template Eleventy renders, rather than load and run Eleventy:
 * an edit's build renders the article's page and those whose related lists it changed.
 */
const WRITTEN_WITHOUT_ELEVENTY = 100;

/**
 * The share of the archive's articles the listings rendered must show, as teasers, for the build
 * to read the teasers the earlier build stored (src/cache/teaser-html.ts). Reading them costs
 * about a quarter of making them: at 10,000 articles, 62 ms for 10,011 teasers (as first stored,
 * 8.6 MB), which the pages of the latest articles took 100 to 250 ms less to render with.
 */
const TEASERS_READ_FROM = 0.5;

/** Pages to render from which their folders are made ahead of Eleventy, on a thread of their own: fewer are not worth a thread. */
const FOLDERS_MADE_AHEAD = 1000;

/**
 * Builds the archive into `outputDir`. Everything is written to a fresh folder beside it, which
 * replaces the old output only once the whole build has succeeded; on any failure the previous
 * site is left as it was and nothing half-written remains.
 */
export async function buildSite(options: BuildOptions, stamp?: InputStamp, thread?: SearchThread): Promise<BuildResult> {
  try {
    return await buildWithLock(options, stamp, thread);
  } finally {
    // The cache's articles read ahead for `stamp` are this build's, read or not: one that stopped
    // before it read them (a lock another build holds) leaves none to a caller that keeps the
    // stamp (serve).
    if (stamp) readAhead.delete(stamp);
  }
}

async function buildWithLock(options: BuildOptions, stamp: InputStamp | undefined, thread: SearchThread | undefined): Promise<BuildResult> {
  const outputDir = path.resolve(options.outputDir);
  refuseDangerousOutput(outputDir, path.resolve(options.articlesDir));
  // What the cache's key is made of, as read now: the settings file may be saved again while the
  // build reads the archive, and what was read then must not be kept under this key (see below).
  const keyedInputs = options.cache === false ? undefined : cacheInputs(options);
  const cache = openCache(options, keyedInputs);
  // One build at a time into this output from this cache, taken before the cache is read: what
  // it says of the output folder must still hold when its pages are linked.
  const releaseLock = cache ? takeBuildLock(cache.folder, outputDir) : () => {};
  // Pagefind's thread starts now, while this one reads the cache and models the archive, and is
  // given its work once the articles are; ended here if it never was. Meanwhile it reads the
  // shards the last build found most likely merged next.
  let searchThread: SearchThread | undefined;
  try {
    const { SearchThread } = await import("./search/index.ts");
    // One started by the caller is taken while it has no work yet (`startSearchThread`).
    searchThread = thread !== undefined && !thread.given ? thread : new SearchThread(cache ? shardsLikelyMergedIn(cache) : []);
    return await buildUnderLock(options, stamp, outputDir, cache, keyedInputs, releaseLock, searchThread);
  } finally {
    releaseLock();
    await searchThread?.end();
  }
}

/** `buildSite`, once it holds the lock of the cache it builds from (`releaseLock` lets it go, for an interrupted build). */
async function buildUnderLock(options: BuildOptions, stamp: InputStamp | undefined, outputDir: string, cache: BuildCache | undefined, keyedInputs: unknown, releaseLock: () => void, searchThread: SearchThread): Promise<BuildResult> {
  await removeAbandonedBuilds(outputDir);
  const stagingDir = `${outputDir}.building-${os.hostname()}-${process.pid}-${randomBytes(4).toString("hex")}`;
  let indexing: SearchIndexing | undefined;
  const reuse = new FileReuse(outputDir, stagingDir);
  /** The earlier site kept in the cache, when the staging folder is it (src/cache/earlier-site.ts). */
  let earlier: EarlierSite | undefined;
  /** What this build sets aside to be removed once it ends: the earlier site's search index, or a kept site not to be trusted. */
  const aside = removingName(outputDir);
  /** The finished site being put in place: once begun, the staging folder may already be the site. */
  let swap: Promise<unknown> | undefined;
  // Pagefind may still be writing into the staging folder, and folders may still be being made in
  // it: both are stopped before the folder goes. A swap under way ends first: removing the folder
  // while it is renamed into place would publish a site with files missing, or none at all. A
  // staging folder that was the earlier site is a whole site: it is removed in the background.
  // `waiting` is told, as each ends, what the removal still waits for.
  const removeStaging = (waiting = new Set<string>()) =>
    settledNamed({ "the search index to stop": indexing?.stop(), "the folders being made": reuse.foldersReady(), "the swap": swap }, waiting).finally(() =>
      earlierKeptAgain ? undefined : earlier ? removeLater(stagingDir, outputDir) : rm(stagingDir, { recursive: true, force: true }),
    );
  /** Whether the search index was started: until then nothing is written into the staging folder, nor set aside from it. */
  let searchStarted = false;
  /** Whether the staging folder, the earlier site, went back to the cache (`keepEarlierAgain`): after a build that wrote nothing, or stopped before writing into it. */
  let earlierKeptAgain = false;
  // A signal only starts the tidying: this function goes on until its next await, and must then
  // neither render on into a folder being removed nor swap it in as the site.
  let interruption: Promise<never> | undefined;
  const interrupted = () => {
    if (interruption) return;
    const waiting = new Set<string>();
    // The lock let go, the process ends with the signal's code, even should letting go fail.
    const end = (): never => {
      try {
        releaseLock();
      } finally {
        process.exit(130);
      }
    };
    interruption = removeStaging(waiting).then(end, end);
    // Each thing the tidying waits for ends within seconds. Should one never end, the signal still
    // ends the build, as Ctrl-C must: the staging folder is left for the next build to remove
    // (`removeAbandonedBuilds`), and the message says what was stuck. A swap under way ends first,
    // whatever it takes: between its two renames the output folder holds no site.
    setTimeout(() => {
      console.error(`The interrupted build did not finish tidying within ${INTERRUPTED_TIDYING_LIMIT / 1000} s (still waiting for ${[...waiting].join(", ") || "its staging folder to be removed"}); it ends without it. The next build removes ${stagingDir}.`);
      void Promise.allSettled([swap]).then(end);
    }, INTERRUPTED_TIDYING_LIMIT);
  };
  const stopIfInterrupted = () => {
    if (interruption) throw new Error("The build was interrupted; the previous site is left as it was.");
  };
  let site: SiteModel;
  let sources: ArticleSource[];
  let warnings: Problem[];
  let archiveProblems: Problem[];
  let pagesRendered = 0;
  const keyStillHolds = () => JSON.stringify(cacheInputs(options)) === JSON.stringify(keyedInputs);
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  // Taken before any file is read (by the caller, who asked `unchangedBuild` first, or now): a file
  // changed while this build reads it is new to the next.
  const inputStamp = cache && (stamp ?? stampBuildInputs(options));
  const startedAt = Date.now();
  const storedSite = cache?.read<StoredSite>(SITE_PART);
  const { articleCache, siteCache, termsBytes } = (cache && cachedArchive(cache, inputStamp, options)) ?? {};
  /** The listings' teasers, once the pages to render are known. */
  let teasers: TeaserHtml | undefined;
  /** What this build took from the last, once it has: `pages` linked from the previous site. */
  const reusedBy = (pages: number, search: SearchIndexing): Reused => ({
    pages,
    pagesKept: earlier?.pagesKept ?? 0,
    articles: articleCache?.reused ?? 0,
    articleFilesNotRead: articleCache?.filesNotRead ?? 0,
    articleDigests: articleCache?.digestsKept ?? 0,
    related: siteCache?.relatedFound?.reused ?? false,
    searchShards: search.reused.shards,
    searchVolumes: search.reused.volumes,
    teasers: teasers?.taken ?? 0,
  });
  // What is in the output folder is what the cache says only if it is the folder the last build
  // wrote; else nothing of it is reused.
  const writtenKeys = storedSite && storedSite.pages.output === identity(outputDir) ? WrittenKeys.read(storedSite.pages.keys) : undefined;
  const previous = writtenKeys && storedSite;
  const earlierDir = cache && path.join(cache.folder, EARLIER_SITE);
  // The search index's volumes that are as the previous site has them, linked once the pages are
  // unless the earlier site holds them already; with the word lists when every volume is linked.
  const volumesReused: string[] = [];
  let volumesAsWritten = 0;
  let vocabularyLinked = false;
  const placeVolumes = (volumes: VolumeToPlace[]) => {
    const sources = volumes.map(({ volume, key, shardsKept }) => {
      const written = previous?.search.get(volume.folder) === key;
      if (!shardsKept) return undefined;
      if (written) volumesAsWritten++;
      return earlier?.holdsVolume(volume.folder, key) ? "earlier" : written ? "output" : undefined;
    });
    const vocabulary = sources.every((source) => source === "earlier") ? "earlier" : sources.every((source) => source === "output") ? "output" : undefined;
    earlier?.placeSearch(volumes.map(({ volume, key }, number) => ({ folder: volume.folder, key, held: sources[number] === "earlier" })), vocabulary === "earlier");
    volumes.forEach(({ volume }, number) => sources[number] === "output" && volumesReused.push(volume.folder));
    vocabularyLinked = vocabulary === "output";
    return { placed: sources.map((source) => source !== undefined), vocabulary: vocabulary !== undefined };
  };
  const shardCache = cache?.subfolder(SHARDS);
  /** The related lists' terms, being written to the cache (BuildCache.writeBytesAside), and what goes with them. */
  let termsStored: { lists: StoredTerms; bytes: BytesWriting } | undefined;
  // Each article is hashed once, for the search index's shards and then for the pages' keys.
  const digests = cache && new ModelDigests();
  try {
    // The site the last build replaced, if the cache kept it, is the staging folder: its pages that
    // are the same stay, and nothing else is linked or made for them. Only beside the site the
    // cache knows in the output folder: a file changed there by hand may be one of the kept
    // site's too (a hard link), and after a build with --no-cache the kept site is not trusted.
    if (earlierDir) {
      earlier = writtenKeys && EarlierSite.take(earlierDir, storedSite?.earlier, stagingDir, aside, writtenKeys);
      // One the cache does not describe (another key's, or the record of it lost) is not trusted.
      if (!earlier && existsSync(earlierDir)) await rename(earlierDir, aside).catch(() => {});
    }
    // Else most of the previous site's folders are needed again: they are made while the site is modelled.
    if (writtenKeys && !earlier) reuse.prepareFolders(writtenKeys.urls().map(outputFile));
    // Pagefind indexes and writes on its own thread and process from the moment every body is
    // rendered, while this thread models the rest of the site and Eleventy renders it.
    const [{ loadSite }, { startSearchIndex }] = await modellingModules();
    const loaded = await loadSite(options, {
      bodiesRendered: (model) => {
        searchStarted = true;
        indexing = startSearchIndex(model, stagingDir, {
          pagesPerShard: options.pagesPerSearchShard,
          sendAtOnce: true,
          shardCache,
          shardCacheKey: cache?.codeKey,
          // An article whose entry, body and names are as the last build had them keeps its digest.
          articleDigest: digests && articleCache && ((article) => articleCache.digestOf(article, digests)),
          keptMetaPieces: cache?.fileFor(META_PIECES),
          // The site in the output folder, as the cache knows it, was written by this code:
          // its word index files that this index has the same are linked, not compressed again.
          earlierSite: previous && outputDir,
          // A volume merged again for a few of its shards patches that site's word index.
          wordRecords: cache && { folder: cache.fileFor(WORD_RECORDS), earlierKeys: previous?.search },
          // The newest volume's folder holds the others': they are reused, or not, on their own.
          placeVolumes,
          thread: searchThread,
        });
      },
    }, siteCache);
    options.onPhase?.({ name: "load", milliseconds: loaded.timings.load + loaded.timings.model, count: loaded.timings.articles });
    // Taken by now if the related lists were chosen again; else not needed.
    termsBytes?.drop();
    if (!loaded.site || !indexing) throw new ArchiveError(loaded.problems);
    // The terms counted for related lists chosen again are written while the pages render, and
    // stored once the site is in place.
    const terms = siteCache?.relatedFound?.terms;
    if (cache && terms) {
      const { storeTerms } = await import("./cache/related-cache.ts");
      const { lists, bytes } = storeTerms(terms);
      termsStored = { lists, bytes: cache.writeBytesAside(RELATED_TERMS_PART, bytes) };
    }
    site = loaded.site;
    sources = loaded.sources ?? [];
    if (options.bodiesInMemory) for (const article of site.archive.articles) article.html = articleHtml(article);
    // Read before the new site replaces the old one: its addresses are what this build must keep.
    // The archive's own problems are those a build with nothing changed reports again; addresses
    // lost against the site replaced are this build's news only.
    archiveProblems = loaded.problems;
    const urls = site.pages.map((page) => page.url);
    warnings = [...loaded.problems, ...(keepsEveryAddress(urls, writtenKeys, options) ? [] : (await import("./publish/vanished-urls.ts")).findVanishedUrls(site, { ...options, outputDir }))];
    if (hasErrors(warnings)) throw new ArchiveError(warnings);
    await mkdir(path.dirname(outputDir), { recursive: true });
    const started = performance.now();
    // Pages whose key is the one the site in the output folder was written with are linked from
    // it; only the others go through Eleventy.
    const { keys, contents } = cache ? pageKeys(site, cache.key, digests) : { keys: [], contents: new Map<Page, string | Uint8Array>() };
    // The key each page was written with in the output folder, by its place in this build's pages.
    const previousKeys = writtenKeys?.keysOf(urls);
    if (previousKeys && indexing.volumeKeys.size === volumesAsWritten && previous!.search.size === volumesAsWritten && sameAsWritten(keys, previousKeys, writtenKeys!.size)) {
      // Nothing changed: the site in the output folder is the one this build would write. The
      // earlier site, if it is the staging folder, is kept again for the next build, with only
      // the search volumes it was found to hold (it is older than the site in place: the others
      // were set aside, and any volume beyond the index's count removed by it). Its pages are as
      // they were, and nothing else was written into it but the word lists, when they were set
      // aside. Removed, it left the next build to link every file of the site anew: at 100,000
      // articles, a body edited after a file saved unchanged took 31.1 s so, and 21.6 s staged in
      // the earlier site. Only with a record of it, under a key that still holds.
      await indexing.finish();
      const keyHolds = keyStillHolds();
      earlierKeptAgain = keyHolds && earlier !== undefined && earlierDir !== undefined && keepEarlierAgain(stagingDir, earlierDir, cache!, previous!, earlier);
      if (!earlierKeptAgain) await removeStaging();
      if (keyHolds) {
        try {
          const stampKept = settledSince(inputStamp, articleCache!);
          keepArticleFiles(cache!, articleCache!);
          rememberInputs(cache!, stampKept, startedAt, outputDir, site, sources, options, archiveProblems, articleCache!);
        } catch {
          // The site in place is this build's: a cache that could not be written (a full disk)
          // costs the next build time, as after a build that wrote pages (below), never a page.
        }
      }
      options.onPhase?.({ name: "render", milliseconds: performance.now() - started, count: 0 });
      return { site, sources, problems: warnings, pagesWritten: site.pages.length, pagesRendered: 0, reused: reusedBy(site.pages.length, indexing) };
    }
    const toRender: Page[] = [];
    await reuse.foldersReady();
    // Interrupted meanwhile, the staging folder is being removed: nothing more goes into it.
    stopIfInterrupted();
    earlier?.settle(urls, keys);
    site.pages.forEach((page, index) => {
      if (earlier?.stays(index)) return;
      const key = keys[index];
      if (key !== undefined && previousKeys?.[index] === key && reuse.reuse(outputFile(page.url))) return;
      // A file rendered for its key is written as it was keyed.
      const content = contents.get(page);
      toRender.push(content === undefined ? page : { ...(page as FilePage), render: () => content });
    });
    // The word lists, in the newest volume's folder, are made from every volume: they are linked
    // only with all of them, and else kept in the earlier site or written again by the index.
    for (const folder of volumesReused) {
      const except = folder === NEWEST_VOLUME ? [`${NEWEST_VOLUME}${OLDER_VOLUMES}`, ...(vocabularyLinked ? [] : [`${NEWEST_VOLUME}${VOCABULARY_FOLDER}`])] : [];
      if (!reuse.reuseFolder(folder, except)) {
        throw new Error(`The search index in ${path.join(outputDir, folder)} is not the one the build cache says it is (a file is missing): was the output folder changed by hand? Build once with --no-cache.`);
      }
    }
    pagesRendered = toRender.length;
    // Eleventy makes each page's folder as it writes the page, one by one on this thread: the
    // folders of many are made ahead on another while it starts (after a new article at 100,000
    // articles, 10,488 folders set aside whole, which Eleventy made in 0.4 to 0.6 s).
    if (toRender.length >= FOLDERS_MADE_AHEAD) reuse.makeFoldersFor(toRender.map((page) => outputFile(page.url)));
    const perRun = options.pagesPerRun ?? PAGES_PER_RUN;
    // The teasers the listings show are made once in this build; the earlier build's are taken as
    // they were when enough listings are rendered again to be worth reading them (after a new
    // article, every page of the latest articles).
    const teasersShown = toRender.reduce((shown, page) => shown + (page.kind === "list" ? page.articles.length : 0), 0);
    const keptTeasers = cache && digests && teasersShown >= site.archive.articles.length * TEASERS_READ_FROM ? readTeasers(cache) : undefined;
    teasers = new TeaserHtml(digests && keptTeasers && ((article) => teaserKey(digests.digestOf(article))), keptTeasers);
    // Copies of files (pictures' encodings) go straight into the site; the template renders the rest.
    const rendered = await placeCopiedFiles(toRender, stagingDir);
    // A build that renders a site, or most of one, renders it with Eleventy; one from the cache
    // that renders a few pages (an edit's) writes them itself, by the same template.
    if (previousKeys !== undefined && rendered.length <= WRITTEN_WITHOUT_ELEVENTY) {
      // Rendering would be wasted once the index has failed.
      if (indexing.failure) throw indexing.failure;
      stopIfInterrupted();
      const { writePagesDirectly } = await import("./site/direct-write.ts");
      await writePagesDirectly(stagingDir, { ...site, pages: rendered, teasers });
    } else {
      // Loaded only now, while Pagefind indexes: half a second that a build which renders a few
      // pages or none never spends. A big archive's build may have loaded them while it waited for
      // its stamp (`stampBuildInputsReadingAhead`).
      const { createEleventy, quietEleventy } = await import("./site/eleventy.ts");
      // One run at least: it copies the stylesheet and scripts.
      for (let start = 0; start === 0 || start < rendered.length; start += perRun) {
        if (indexing.failure) throw indexing.failure;
        stopIfInterrupted();
        const slice = { ...site, pages: rendered.slice(start, start + perRun), teasers };
        const eleventy = createEleventy(stagingDir, { model: async () => slice });
        quietEleventy(eleventy);
        await eleventy.write();
      }
    }
    await reuse.finishFolders(() => site.pages.map((page) => outputFile(page.url)));
    const written = performance.now();
    options.onPhase?.({ name: "render", milliseconds: written - started, count: site.pages.length });
    const { articles } = await indexing.finish();
    // What is reported is the wait for the index once the pages are written.
    options.onPhase?.({ name: "search", milliseconds: performance.now() - written, count: articles });
    const swapping = performance.now();
    stopIfInterrupted();
    // The site replaced is kept for the next build when the cache knows what it holds.
    const keeping = replaceFolder(stagingDir, outputDir, { background: site.pages.length > REMOVE_IN_BACKGROUND, keepAt: previous && earlierDir });
    swap = keeping;
    const keptIdentity = await keeping;
    // Settings saved since the key was made may have been read with the articles (parsed in
    // another time zone, say): nothing of this build is kept under a key it may not match.
    if (cache && articleCache && siteCache && keyStillHolds()) {
      // A page without a key (one that holds code or leads back to itself) is listed too, so that a build can tell when one is gone.
      const pageKeysWritten = WrittenKeys.of(urls, keys.map((key) => key ?? ""), writtenKeys);
      try {
        for (const [bucket, articles] of articleCache.changedBuckets((name) => cache.read<StoredArticles>(bucketPart(ARTICLES_PART, name)))) cache.write(bucketPart(ARTICLES_PART, bucket), articleCache.storeBodies(bucket, articles));
        const stampKept = settledSince(inputStamp, articleCache);
        keepArticleFiles(cache, articleCache);
        const { relatedFound } = siteCache;
        if (relatedFound && !relatedFound.reused) {
          // Before the lists: a build of body edits takes the places only for lists of the same names.
          if (relatedFound.places) cache.write(RELATED_PLACES_PART, relatedFound.places);
          // The lists name the terms they were chosen from, which a later build may find every text counts still.
          cache.write(RELATED_PART, { related: { ...relatedFound.stored, terms: termsStored?.lists.token } } satisfies StoredRelatedPart);
          if (termsStored) {
            await termsStored.bytes.put();
            cache.write(RELATED_TERMS_PART, termsStored.lists);
          }
        } else if (relatedFound?.termsRekeyed) {
          // Kept, as the texts changed count what they did: under their new key, the terms' bytes as they are.
          cache.write(RELATED_PART, { related: relatedFound.stored } satisfies StoredRelatedPart);
          cache.write(RELATED_TERMS_PART, relatedFound.termsRekeyed);
        }
        // The site replaced has this one's pages after an edit, with the keys of a few others: its keys are then stored as they differ, else whole.
        const kept = keptIdentity === undefined ? undefined : { identity: keptIdentity, keys: writtenKeys!.storedAgainst(pageKeysWritten), search: previous!.search };
        // How the index is cut, for a build that indexes only an edited body's shard again: before the site's record, which says whose it is.
        cache.write(SEARCH_PLAN_PART, indexing.plan);
        cache.write(FEED_BODIES_PART, feedsCarrying(site.pages));
        cache.write(BODIES_WRITTEN_PART, []);
        cache.write(SITE_PART, { pages: { output: identity(outputDir) ?? "", keys: pageKeysWritten.stored }, search: indexing.volumeKeys, earlier: kept } satisfies StoredSite);
        cache.write(SHARDS_LIKELY_MERGED_PART, indexing.shardsLikelyMerged.map((dir) => path.basename(dir)));
        if (teasers) storeTeasers(cache, teasers.changedBuckets(site.archive.articles));
        rememberInputs(cache, stampKept, startedAt, outputDir, site, sources, options, archiveProblems, articleCache);
      } catch {
        // The site is published; a cache that could not be written (a full disk) costs the next
        // build time, never a wrong page: the record of the site left behind names the folder
        // this build replaced, which is no longer there.
      }
      await removeUnused(shardCache!, indexing.shardsUsed);
      await removeUnused(cache.fileFor(WORD_RECORDS), new Set([...indexing.volumeKeys.values()].map((key) => `${key}.json`)));
    }
    options.onPhase?.({ name: "write", milliseconds: performance.now() - swapping, count: site.pages.length });
  } catch (cause) {
    // An interrupted build ends when its tidying does, with the signal's exit code.
    if (interruption) await interruption;
    // Stopped before its search index started (an error in an article, say), the build wrote
    // nothing into the staging folder: the earlier site goes back to the cache as it was taken,
    // rather than be removed and leave the next build to link every file of the site anew (at
    // 100,000 articles, the build once the error was mended took 25.4 s so, against 19.1 s).
    if (earlier && earlierDir && !searchStarted) earlierKeptAgain = keepEarlierAgain(stagingDir, earlierDir, cache!, storedSite!, earlier);
    await removeStaging();
    throw cause;
  } finally {
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
    if (existsSync(aside)) removeInBackground(aside);
    // Not stored (the build failed, or its key no longer holds): not left in the cache either.
    await termsStored?.bytes.drop();
  }
  return { site, sources, problems: warnings, pagesWritten: site.pages.length, pagesRendered, reused: reusedBy(reuse.linked + (earlier?.pagesKept ?? 0), indexing!) };
}

/** What a build reads of its cache to load the archive: the articles as last read, their files' statuses, and the related lists. */
function cachedArchive(cache: BuildCache, inputStamp: InputStamp | undefined, options: BuildOptions): { articleCache: ArticleCache; siteCache: SiteCache; termsBytes: BytesReading } {
  const articleFiles: StoredFiles = recordReadFor(inputStamp, cache) ?? readArticleFiles(cache, inputStamp);
  const articleCache = new ArticleCache(readArticles(cache, inputStamp), articleFiles, inputStamp?.files, new BodyFiles(cache));
  // Read while the site is modelled, for the related lists if they are chosen again.
  const termsBytes = cache.readBytesAside(RELATED_TERMS_PART);
  const siteCache: SiteCache = {
    articles: articleCache,
    articlesListed: inputStamp?.regularFiles.get(path.resolve(options.articlesDir)),
    related: {
      stored: cache.read<StoredRelatedPart>(RELATED_PART)?.related,
      terms: async () => (await import("./cache/related-cache.ts")).readStoredTerms(cache.read<StoredTerms>(RELATED_TERMS_PART), await termsBytes.take()),
      termsKeyOf: (article) => articleCache.termsKeyOf(article),
    },
  };
  return { articleCache, siteCache, termsBytes };
}

/**
 * The model of the site in `options.outputDir`, for serve, when `unchangedBuild(options, stamp)`
 * found nothing changed since the build that wrote it: loaded from that build's cache, every body
 * in memory (`bodiesInMemory`), with nothing written to the output folder, nor to the cache but
 * its lock. A build would model the same site, and then stage it, key its pages and index it only
 * to find it is the one in place: at 100,000 articles with no earlier site kept, 43 s against 11 s
 * this way. Undefined when the site in place is no longer the one of these inputs, asked again
 * once the model is made (settings saved, a scheduled article due meanwhile), or there is no
 * cache: the caller then builds. Files saved since `stamp` are not this model's: a later stamp
 * finds them. Unlike a build, this records nothing: files saved again unchanged are hashed again
 * next time.
 */
export async function modelOfBuiltSite(options: BuildOptions, stamp: InputStamp): Promise<Pick<BuildResult, "site" | "sources" | "problems"> | undefined> {
  try {
    const cache = openCache(options);
    if (cache === undefined) return undefined;
    // The cache is read as a build reads it: none rewrites it meanwhile.
    const releaseLock = takeBuildLock(cache.folder, path.resolve(options.outputDir));
    try {
      const { siteCache, termsBytes } = cachedArchive(cache, stamp, options);
      const { loadSite } = await import("./archive/load-site.ts");
      const loaded = await loadSite(options, {}, siteCache);
      termsBytes.drop();
      if (!loaded.site || unchangedBuild(options, stamp) === undefined) return undefined;
      for (const article of loaded.site.archive.articles) article.html = articleHtml(article);
      return { site: loaded.site, sources: loaded.sources ?? [], problems: loaded.problems };
    } finally {
      releaseLock();
    }
  } finally {
    readAhead.delete(stamp);
  }
}

/**
 * Moves the staging folder, the earlier site `earlier` as it holds now, back to `keptAt` in the
 * cache, and records it there beside `stored`, the record of the site in the output folder; false,
 * with the folder left as the staging folder, when it cannot be both moved and recorded. Kept
 * without its record, it would be taken by the record before, which may still know the folder (its
 * identity is its top folder's, and what changed is inside) and no longer say what it holds.
 */
function keepEarlierAgain(stagingDir: string, keptAt: string, cache: BuildCache, stored: StoredSite, earlier: EarlierSite): boolean {
  const identity = keepEarlierSite(stagingDir, keptAt);
  if (identity === undefined) return false;
  try {
    cache.write(SITE_PART, { ...stored, earlier: { ...earlier.holds, identity } } satisfies StoredSite);
    return true;
  } catch {
    // A full disk: the folder goes back, for the build to remove, or at once if it cannot.
    try {
      renameSync(keptAt, stagingDir);
    } catch {
      rmSync(keptAt, { recursive: true, force: true });
    }
    return false;
  }
}

/**
 * What the last build into `options.outputDir` reported, when this build would write exactly what
 * it wrote: the same code, settings and options (the cache's key), every file it read unchanged
 * (by their stamp, without reading one), the output folder the one it left, and no scheduled
 * article due since. Undefined when in doubt: the caller then builds, with the same `stamp`. A
 * build given a previous sitemap to compare with always builds, for the comparison.
 */
export function unchangedBuild(options: BuildOptions, stamp: InputStamp | undefined): UnchangedBuild | undefined {
  if (options.cache === false || options.previousSitemap !== undefined) return undefined;
  const cache = openCache(options);
  const stored = cache && inputsOfSiteInPlace(cache, options);
  if (!cache || !stored) return undefined;
  if (stored.nextScheduled !== undefined && Date.now() >= stored.nextScheduled) return undefined;
  if (!stamp?.settled) return undefined;
  if (leadsElsewhere(stored.readBeside.beyond, options)) return undefined;
  return stamp.digest === stored.stamp || savedAgainOnly(cache, stored, stamp, options) ? stored.outcome : undefined;
}

/** Whether a path a reference looked up, which led out of the articles folder, leads elsewhere now (`ReadBeside.beyond`). */
function leadsElsewhere(beyond: ReadBeside["beyond"], options: BuildOptions): boolean {
  if (beyond.length === 0) return false;
  let realRoot: string;
  try {
    realRoot = realpathSync(options.articlesDir);
  } catch {
    return true;
  }
  return beyond.some(([looked, leads]) => whereLeads(looked, realRoot) !== leads);
}

/**
 * Whether every input that differs from the last build's by its status is an article file with
 * the bytes that build read: saved again unchanged, by an editor or a checkout. Each such file is
 * read and keyed as the build reads it; the settings file is in the cache's key; a file in the
 * articles folder that no build read may have changed, or been added or removed where no
 * reference looked for one (`shapingOf`), and one a reference read (a picture) is read and hashed
 * as articles are; any other file changed, added or removed says no. At 100,000 articles, a file
 * saved unchanged took 23 s to build again (a slow hour), the whole site modelled and keyed to
 * find every page the same. The new statuses are not recorded: a build that writes nothing takes
 * no lock, and the next build that writes records them.
 */
function savedAgainOnly(cache: BuildCache, stored: StoredInputs, stamp: InputStamp, options: BuildOptions): boolean {
  const restated = restatedArticleFiles(cache, stored, stamp, options);
  return restated !== undefined && restated.every(({ absolute, file, relativePath, key }) => holdsBytesOf(absolute, file, relativePath, key));
}

/** An article file whose status is not the one the last build read it with: `key` is the entry it read. */
interface RestatedFile {
  absolute: string;
  /** As messages show it. */
  file: string;
  relativePath: string;
  key: string;
}

/**
 * The article files whose status differs from the one the last build read them with, when no
 * other input that shapes the site differs (see `savedAgainOnly`); undefined when one does.
 */
function restatedArticleFiles(cache: BuildCache, stored: StoredInputs, stamp: InputStamp, options: BuildOptions): RestatedFile[] | undefined {
  // Asked by `unchangedBuild`, then by `findBodyEdits`, of the same stamp and record: walking the
  // stamp again took a second at 100,000 articles.
  const known = restatedFor.get(stamp);
  if (known?.key === cache.key && known.stored === stored.stamp) return known.files;
  const files = restatedNow(cache, stored, stamp, options);
  restatedFor.set(stamp, { key: cache.key, stored: stored.stamp, files });
  return files;
}

const restatedFor = new WeakMap<InputStamp, { key: string; stored: string; files: RestatedFile[] | undefined }>();

function restatedNow(cache: BuildCache, stored: StoredInputs, stamp: InputStamp, options: BuildOptions): RestatedFile[] | undefined {
  if (filesShapingSite(stamp, options, stored.readBeside) !== stored.statuses) return undefined;
  // The record, 24 MB at 100,000 articles, costs a quarter of a second to read.
  const remembered = readArticleFiles(cache, stamp, true);
  recordsRead.set(stamp, { key: cache.key, files: remembered });
  const { besides, articleFiles } = besidesArticles(stamp, (file) => remembered.has(file), options, stored.readBeside);
  if (besides !== stored.besidesArticles || articleFiles !== stored.articleFiles) return undefined;
  for (const [file, { status, hash }] of stored.readBeside.files) {
    if (stamp.files.get(file) !== status && bytesHash(file) !== hash) return undefined;
  }
  const root = path.resolve(options.articlesDir);
  const shownRoot = displayPath(root);
  const restated: RestatedFile[] = [];
  for (const [file, status] of stamp.files) {
    const entry = remembered.get(file);
    if (entry === undefined || entry.status === status) continue;
    const relativePath = path.relative(root, file).split(path.sep).join("/");
    restated.push({ absolute: file, file: shownArticlePath(shownRoot, relativePath), relativePath, key: entry.key });
  }
  return restated;
}

/**
 * The article files edited in their bodies alone since the last build, each rendered again
 * (src/cache/body-edits.ts), with `stamp` taken before any was read; else why the whole site must
 * be built. None when the files changed were only saved again (`unchangedBuild`).
 */
export async function findBodyEdits(options: BuildOptions, stamp: InputStamp): Promise<BodyEdit[] | string> {
  if (options.cache === false || options.previousSitemap !== undefined) return "the build does not use its cache";
  const cache = openCache(options);
  const stored = cache && inputsOfSiteInPlace(cache, options);
  if (!cache || !stored) return "the cache does not know the site in the output folder";
  if (stored.nextScheduled !== undefined && Date.now() >= stored.nextScheduled) return "an article has fallen due since";
  if (!stamp.settled) return "a file changed too recently to be told from one being written";
  if (leadsElsewhere(stored.readBeside.beyond, options)) return "a path a reference looked up leads elsewhere now";
  const restated = restatedArticleFiles(cache, stored, stamp, options);
  if (restated === undefined) return "a file besides the articles changed, or an article file was added or removed";
  const { settings, problems } = loadSettings(settingsFileOf(options), options.overrides);
  if (hasErrors(problems)) return "the settings have an error";
  // Loaded only for a build that may be one: a build that finds nothing changed never renders a body.
  const { bodyEditOf } = await import("./cache/body-edits.ts");
  const bodies = new BodyFiles(cache);
  const edits: BodyEdit[] = [];
  for (const { absolute, file, relativePath, key } of restated) {
    const status = stamp.files.get(absolute)!;
    const previous = storedEntry(key, (bucket) => cache.read<StoredArticles>(bucketPart(ARTICLES_PART, bucket)));
    if (previous === undefined) return `the cache no longer holds ${file} as the last build read it`;
    const edit = bodyEditOf(absolute, file, relativePath, status, key, previous, () => storedBodyHtml(previous, key, bodies), settings);
    if (typeof edit === "string") {
      if (edit === "unchanged") continue;
      return edit;
    }
    edits.push(edit);
  }
  return edits;
}

/**
 * The search thread for a build of `options` from its cache, started before the build knows what
 * it will index, reading the kept shards the last build found most likely merged next: given to
 * `buildBodyEdits`, then to `buildSite` if it has no work yet. Undefined without a cache. Whoever
 * starts it ends it (`SearchThread.end`).
 */
export async function startSearchThread(options: BuildOptions): Promise<SearchThread | undefined> {
  const cache = options.cache === false ? undefined : openCache(options);
  if (!cache) return undefined;
  // Its own module: a build that finds nothing changed loads none of those that index a site.
  const { SearchThread } = await import("./search/thread.ts");
  return new SearchThread(shardsLikelyMergedIn(cache));
}

/**
 * A build of article files edited in their bodies alone since the last build (`findBodyEdits`),
 * made from the site in the output folder without the rest of the site's model: each article's
 * page and the feeds that carry its body made from the files that site has (body-edits.ts), the
 * related lists chosen again when an edit changes the text they count, with each page whose list
 * changed given the new one (`relatedListsAfter`), the search shards that hold the articles
 * indexed again and their volumes merged (`indexBodiesAgain`), every other file kept or linked as
 * a build from the cache keeps a page whose key is the same, and the site put in place as any
 * build's is. The keys of the files it writes are stored empty, so
 * that the next whole build renders them again. What the build reports, as the last build
 * reported it (an edit with warnings is built whole); undefined when the whole site must be built,
 * with nothing written: the caller then builds it with the same `stamp`.
 */
export async function buildBodyEdits(options: BuildOptions, stamp: InputStamp | undefined, thread?: SearchThread): Promise<UnchangedBuild | undefined> {
  // Serve keeps the site's model, which this build does not make.
  if (!stamp || options.cache === false || options.bodiesInMemory || options.previousSitemap !== undefined) return undefined;
  const outputDir = path.resolve(options.outputDir);
  const keyedInputs = cacheInputs(options);
  const cache = openCache(options, keyedInputs);
  if (!cache) return undefined;
  const releaseLock = takeBuildLock(cache.folder, outputDir);
  try {
    return await bodyEditsUnderLock(options, stamp, outputDir, cache, keyedInputs, thread);
  } finally {
    releaseLock();
  }
}

async function bodyEditsUnderLock(options: BuildOptions, stamp: InputStamp, outputDir: string, cache: BuildCache, keyedInputs: unknown, thread: SearchThread | undefined): Promise<UnchangedBuild | undefined> {
  const edits = await findBodyEdits(options, stamp);
  if (typeof edits === "string" || edits.length === 0) return undefined;
  const stored = inputsOfSiteInPlace(cache, options);
  const storedSite = cache.read<StoredSite>(SITE_PART);
  const writtenKeys = storedSite && storedSite.pages.output === identity(outputDir) ? WrittenKeys.read(storedSite.pages.keys) : undefined;
  const feedBodies = cache.read<Map<string, string[]>>(FEED_BODIES_PART);
  const bodiesWritten = new Set(cache.read<string[]>(BODIES_WRITTEN_PART) ?? []);
  if (!stored || !storedSite || !writtenKeys || !feedBodies) return undefined;
  const urls = writtenKeys.urls();
  // A page without a key is rendered by every build, which this one does not do; but one that a
  // build of body edits wrote (and keyed so for the next whole build) is as it should be in the
  // site in place: it is linked from there, not kept from the earlier site.
  const keys: (string | undefined)[] = urls.map((_, place) => writtenKeys.keyAt(place));
  if (keys.some((key, place) => (key === "" || key === undefined) && !bodiesWritten.has(urls[place]!))) return undefined;
  keys.forEach((key, place) => key === "" && (keys[place] = undefined));
  const { settings } = loadSettings(settingsFileOf(options), options.overrides);
  const { replacedOnce, splicedArticlePage, splicedFeed } = await import("./cache/body-edits.ts");
  // Each file the edits change, made from the one in the output folder, by address.
  const changed = new Map<string, string>();
  const written = (url: string) => changed.get(url) ?? readFileSync(path.join(outputDir, outputFile(url)), "utf8");
  for (const edit of edits) {
    const page = splicedArticlePage(written(edit.url), edit.previous, edit, settings);
    if (page === undefined) return undefined;
    changed.set(edit.url, page);
    for (const feedUrl of feedBodies.get(edit.url) ?? []) {
      const feed = splicedFeed(written(feedUrl), feedUrl, edit, settings);
      if (feed === undefined) return undefined;
      changed.set(feedUrl, feed);
    }
  }
  // An edit to the text the related lists count chooses them again; each page whose list changed gets the new one.
  const related = edits.some((edit) => edit.termsKey !== edit.previousTermsKey) ? await relatedListsAfter(cache, stamp, options, settings, edits) : undefined;
  if (typeof related === "string") return undefined;
  for (const [url, { before, now }] of related?.pages ?? []) {
    // The list as the last build's lists make it, once in the page: another list, or the same markup in the body, builds the whole site.
    const page = replacedOnce(written(url), before, now);
    if (page === undefined) return undefined;
    changed.set(url, page);
  }
  const places = new Map(urls.map((url, place) => [url, place]));
  for (const url of changed.keys()) {
    const place = places.get(url);
    if (place === undefined) return undefined;
    keys[place] = undefined;
  }

  // A signal is heard at the next step: the staging folder is removed before the swap, and a swap
  // begun is finished, so that the output folder always holds a whole site.
  let interrupted = false;
  const interrupt = () => (interrupted = true);
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", interrupt);
  // The terms counted again are written while the site is staged, and stored with the lists once it is in place.
  const termsWriting = related?.after.terms.bytes && cache.writeBytesAside(RELATED_TERMS_PART, related.after.terms.bytes);
  try {
    return await stageBodyEdits(options, stamp, outputDir, cache, keyedInputs, { edits, related: related?.after, termsWriting, stored, storedSite, settings, writtenKeys, urls, keys, changed, bodiesWritten, thread }, () => interrupted);
  } finally {
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
    // Not stored (the build failed, or its key no longer holds): not left in the cache either.
    await termsWriting?.drop();
    if (interrupted) process.exit(130);
  }
}

/** The rest of `bodyEditsUnderLock`, once the files the edits change are made: staged, swapped in, and the cache written. */
async function stageBodyEdits(
  options: BuildOptions,
  stamp: InputStamp,
  outputDir: string,
  cache: BuildCache,
  keyedInputs: unknown,
  { edits, related, termsWriting, stored, storedSite, settings, writtenKeys, urls, keys, changed, bodiesWritten, thread }: { edits: BodyEdit[]; related: RelatedAfterEdits | undefined; termsWriting: BytesWriting | undefined; stored: StoredInputs; storedSite: StoredSite; settings: Settings; writtenKeys: WrittenKeys; urls: readonly string[]; keys: (string | undefined)[]; changed: Map<string, string>; bodiesWritten: Set<string>; thread: SearchThread | undefined },
  interrupted: () => boolean,
): Promise<UnchangedBuild | undefined> {
  await removeAbandonedBuilds(outputDir);
  const stagingDir = `${outputDir}.building-${os.hostname()}-${process.pid}-${randomBytes(4).toString("hex")}`;
  const aside = removingName(outputDir);
  const earlierDir = path.join(cache.folder, EARLIER_SITE);
  const reuse = new FileReuse(outputDir, stagingDir);
  const earlier = EarlierSite.take(earlierDir, storedSite.earlier, stagingDir, aside, writtenKeys);
  if (!earlier && existsSync(earlierDir)) await rename(earlierDir, aside).catch(() => {});
  if (!earlier) reuse.prepareFolders(urls.map(outputFile));
  let search: BodiesIndexedAgain | undefined;
  try {
    const volumesReused: string[] = [];
    search = await indexEditsAgain(cache, storedSite, settings, edits, stagingDir, {
      earlierSite: outputDir,
      thread,
      // The volumes not merged again are as the site in place has them: kept in the earlier site, or linked from the output folder.
      placeVolumes: (volumes) => {
        const held = volumes.map(({ folder, key, merged }) => !merged && earlier?.holdsVolume(folder, key) === true);
        earlier?.placeSearch(volumes.map(({ folder, key }, number) => ({ folder, key, held: held[number]! })), false);
        volumes.forEach(({ folder, merged }, number) => !merged && !held[number] && volumesReused.push(folder));
      },
    });
    if (search === undefined) throw new BodyEditsNotBuilt();
    await reuse.foldersReady();
    earlier?.settle(urls, keys);
    urls.forEach((url, place) => {
      if (earlier?.stays(place) || changed.has(url)) return;
      if (!reuse.reuse(outputFile(url))) throw new BodyEditsNotBuilt();
    });
    for (const folder of volumesReused) {
      const except = folder === NEWEST_VOLUME ? [`${NEWEST_VOLUME}${OLDER_VOLUMES}`, `${NEWEST_VOLUME}${VOCABULARY_FOLDER}`] : [];
      if (!reuse.reuseFolder(folder, except)) throw new BodyEditsNotBuilt();
    }
    for (const [url, content] of changed) {
      const file = path.join(stagingDir, outputFile(url));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
    }
    const { copyAssets } = await import("./site/direct-write.ts");
    await copyAssets(stagingDir);
    await reuse.finishFolders(() => urls.map(outputFile));
    await search.indexing.finish();
    if (interrupted()) throw new Error("The build was interrupted; the previous site is left as it was.");
  } catch (error) {
    await search?.indexing.stop();
    await reuse.foldersReady().catch(() => {});
    await rm(stagingDir, { recursive: true, force: true });
    if (existsSync(aside)) removeInBackground(aside);
    if (error instanceof BodyEditsNotBuilt) return undefined;
    throw error;
  }
  const keptIdentity = await replaceFolder(stagingDir, outputDir, { background: urls.length > REMOVE_IN_BACKGROUND, keepAt: earlierDir });
  if (existsSync(aside)) removeInBackground(aside);
  if (JSON.stringify(cacheInputs(options)) !== JSON.stringify(keyedInputs)) return stored.outcome;
  try {
    const pageKeysWritten = WrittenKeys.of(urls, keys.map((key) => key ?? ""), writtenKeys);
    cache.write(BODIES_WRITTEN_PART, [...new Set([...bodiesWritten, ...changed.keys()])]);
    storeBodyEdits(cache, edits, stamp);
    if (related) {
      // As a whole build stores lists chosen again: the lists first, naming the terms' token, then the terms.
      cache.write(RELATED_PART, { related: related.stored } satisfies StoredRelatedPart);
      await termsWriting?.put();
      cache.write(RELATED_TERMS_PART, related.terms.lists);
    }
    cache.write(SEARCH_PLAN_PART, search.plan);
    const kept = keptIdentity === undefined ? undefined : { identity: keptIdentity, keys: writtenKeys.storedAgainst(pageKeysWritten), search: storedSite.search };
    cache.write(SITE_PART, { pages: { output: identity(outputDir) ?? "", keys: pageKeysWritten.stored }, search: search.indexing.volumeKeys, earlier: kept } satisfies StoredSite);
    cache.write(INPUTS_PART, { ...stored, stamp: stamp.digest, output: identity(outputDir) ?? "" } satisfies StoredInputs);
  } catch {
    // The site is published; a cache that could not be written costs the next build time (see `buildUnderLock`).
  }
  await removeUnused(cache.subfolder(SHARDS), search.indexing.shardsUsed);
  await removeUnused(cache.fileFor(WORD_RECORDS), new Set([...search.indexing.volumeKeys.values()].map((key) => `${key}.json`)));
  return stored.outcome;
}

/**
 * The related lists once `edits` are made, chosen again from what the last build kept
 * (src/cache/related-edits.ts), with the markup of each list that changed, before and now, by the
 * address of its page; else why the whole site must be built. The articles a changed list shows
 * are read from their entries, found by the record of article files the stamp was checked
 * against (`restatedArticleFiles`).
 */
async function relatedListsAfter(cache: BuildCache, stamp: InputStamp, options: BuildOptions, settings: Settings, edits: readonly BodyEdit[]): Promise<{ after: RelatedAfterEdits; pages: Map<string, ListMarkup> } | string> {
  const { readStoredTerms } = await import("./cache/related-cache.ts");
  const { changedListsMarkup, relatedAfterEdits } = await import("./cache/related-edits.ts");
  const places = cache.read<StoredPlaces>(RELATED_PLACES_PART);
  const kept = readStoredTerms(cache.read<StoredTerms>(RELATED_TERMS_PART), cache.readBytes(RELATED_TERMS_PART));
  const after = relatedAfterEdits(cache.read<StoredRelatedPart>(RELATED_PART)?.related, kept, places, edits);
  if (typeof after === "string") return after;
  if (after.changed.size === 0) return { after, pages: new Map() };
  const record = recordsRead.get(stamp);
  if (record?.key !== cache.key) return "the record of article files the stamp was checked against is not at hand";
  const root = path.resolve(options.articlesDir);
  const buckets = new Map<string, StoredArticles | undefined>();
  const readBucket = (bucket: string) => {
    if (!buckets.has(bucket)) buckets.set(bucket, cache.read<StoredArticles>(bucketPart(ARTICLES_PART, bucket)));
    return buckets.get(bucket);
  };
  const entryOf = (relativePath: string) => {
    const key = record.files.get(path.join(root, ...relativePath.split("/")))?.key;
    return key === undefined ? undefined : storedEntry(key, readBucket);
  };
  const pages = changedListsMarkup(after, entryOf, settings);
  return typeof pages === "string" ? pages : { after, pages };
}

/** The feeds that carry each article's body, by the article's address. */
function feedsCarrying(pages: readonly Page[]): Map<string, string[]> {
  const feeds = new Map<string, string[]>();
  for (const page of pages) {
    if (page.kind !== "file" || page.bodies === undefined) continue;
    for (const article of page.bodies) {
      const carrying = feeds.get(article.url);
      if (carrying === undefined) feeds.set(article.url, [page.url]);
      else carrying.push(page.url);
    }
  }
  return feeds;
}

/** The body edits cannot be built alone after all (a file of the site in place is not as the cache says): the whole site is built. */
class BodyEditsNotBuilt extends Error {}

/**
 * The entries of the edited articles, and their files' statuses, stored for the next build: each
 * file's entry under the key of its bytes now, with its body as rendered and no digest (the next
 * whole build makes it), the entry the last build read gone.
 */
function storeBodyEdits(cache: BuildCache, edits: readonly BodyEdit[], stamp: InputStamp): void {
  const articles = new ArticleCache(new Map(), new Map(), new Map(), new BodyFiles(cache));
  const entryBuckets = new Map<string, StoredArticles>();
  const fileBuckets = new Map<string, StoredFiles>();
  const bucketFor = <T>(buckets: Map<string, T>, part: string, key: string) => {
    const bucket = bucketOf(key);
    if (!buckets.has(bucket)) buckets.set(bucket, cache.read<T>(bucketPart(part, bucket)) ?? (new Map() as T));
    return buckets.get(bucket)!;
  };
  for (const edit of edits) {
    bucketFor(entryBuckets, ARTICLES_PART, edit.previousKey).delete(edit.previousKey);
    bucketFor(entryBuckets, ARTICLES_PART, edit.key).set(edit.key, editedEntry(edit));
    bucketFor(fileBuckets, ARTICLE_FILES_PART, edit.previousKey).delete(edit.absolute);
    bucketFor(fileBuckets, ARTICLE_FILES_PART, edit.key).set(edit.absolute, { status: stamp.files.get(edit.absolute)!, key: edit.key });
  }
  for (const [bucket, entries] of entryBuckets) cache.write(bucketPart(ARTICLES_PART, bucket), articles.storeBodies(bucket, entries));
  for (const [bucket, files] of fileBuckets) cache.write(bucketPart(ARTICLE_FILES_PART, bucket), files);
}

/**
 * The search index of the site in the output folder with `edits` made (`findBodyEdits`): the
 * shards that hold them indexed again and their volumes merged into `outputDir`, with the word
 * lists (src/search/index.ts, `indexBodiesAgain`); undefined when the cache does not hold the plan
 * of that site's index, or its shards' records.
 */
export async function indexBodyEditsAgain(options: BuildOptions, edits: readonly BodyEdit[], outputDir: string, extra: Pick<IndexBodiesAgainOptions, "earlierSite" | "placeVolumes" | "thread"> = {}): Promise<BodiesIndexedAgain | undefined> {
  const cache = openCache(options);
  const site = cache?.read<StoredSite>(SITE_PART);
  if (!cache || !site) return undefined;
  return indexEditsAgain(cache, site, loadSettings(settingsFileOf(options), options.overrides).settings, edits, outputDir, extra);
}

/** `indexBodyEditsAgain`, given the cache, its record of the site in place and the settings, as a build of body edits has read them. */
async function indexEditsAgain(cache: BuildCache, site: StoredSite, settings: Settings, edits: readonly BodyEdit[], outputDir: string, { earlierSite, placeVolumes, thread }: Pick<IndexBodiesAgainOptions, "earlierSite" | "placeVolumes" | "thread">): Promise<BodiesIndexedAgain | undefined> {
  const plan = cache.read<SearchPlan>(SEARCH_PLAN_PART);
  if (!plan || plan.volumes.some((volume) => volume.key === undefined || site.search.get(volume.folder) !== volume.key)) return undefined;
  const { indexBodiesAgain } = await import("./search/index.ts");
  return indexBodiesAgain(plan, edits.map((edit) => ({ url: edit.url, previousHtml: edit.previous.html, html: edit.rendered.html })), outputDir, settings, {
    shardCache: cache.subfolder(SHARDS),
    shardCacheKey: cache.codeKey,
    keptMetaPieces: cache.fileFor(META_PIECES),
    earlierSite,
    wordRecords: { folder: cache.fileFor(WORD_RECORDS), earlierKeys: site.search },
    placeVolumes,
    thread: thread !== undefined && !thread.given ? thread : undefined,
  });
}

/**
 * The hash of `file`'s bytes as a reference's file is hashed (ContentHashes), when its status is
 * still `status`, the one stamped before the build read it: then these are the bytes it read. Else
 * (written since, or gone) an empty hash, which no file's bytes have.
 */
function hashAsStamped(file: string, status: string): string {
  const hash = bytesHash(file);
  try {
    return hash !== undefined && fileStatus(statSync(file, { bigint: true })) === status ? hash : "";
  } catch {
    return "";
  }
}

/** The hash of `file`'s bytes, as a reference's file is hashed (ContentHashes); undefined when it cannot be read. */
function bytesHash(file: string): string | undefined {
  try {
    return new ContentHashes().hash(file).hash;
  } catch {
    return undefined;
  }
}

/** Whether `file` is one of `roots` (absolute files and folders) or inside one. */
function isInRoots(file: string, roots: readonly string[]): boolean {
  return roots.some((root) => isAtOrInside(file, root));
}

/** Whether the absolute path `child` is `parent` or below it. */
function isAtOrInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent + path.sep);
}

/**
 * The statuses of the stamp's files that are not `articleFile`s, hashed in the stamp's order, how
 * many article files there are, and how many files shape the site (`filesShapingSite`). The
 * settings file's status is left out: its text is in the cache's key (`cacheInputs`), so saved
 * again as it was it leaves the key as it was, and changed it makes another. A file in the
 * articles folder that the build did not read (`read`) goes in as `shapingOf` says: a fact sheet
 * or a draft's notes kept beside the articles, edited, added or removed, leave the site as it
 * was, unless a reference looked for a file at its path.
 */
function besidesArticles(stamp: InputStamp, articleFile: (file: string) => boolean, options: BuildOptions, read: ReadBeside): { besides: string; articleFiles: number; shapingSite: number } {
  const digest = createHash("sha256");
  const settingsFile = settingsFileOf(options);
  const shaping = shapingOf(options, read);
  let articleFiles = 0;
  let shapingSite = 0;
  for (const [file, status] of stamp.files) {
    // An article file is a Markdown file where an article could be: it shapes the site.
    if (articleFile(file)) {
      articleFiles++;
      shapingSite++;
      continue;
    }
    const how = shaping(file);
    if (how === "none") continue;
    shapingSite++;
    if (file !== settingsFile) digest.update(how === "status" ? `${file}\0${status}\n` : `${file}\0\n`);
  }
  return { besides: digest.digest("hex"), articleFiles, shapingSite };
}

/**
 * How a stamped file shapes the site a build of `options` writes, given what the last build
 * `read`: by its status (the settings file, a Markdown file where an article could be, and any
 * link on the way to a path a reference looked up); by its path alone (a file a reference read and
 * whatever the logo, theme and pages are, whose bytes are compared apart in `savedAgainOnly`, and
 * a file where a reference found none: made, it would be found); or not at all (`none`): a file
 * no build read and no reference looked for, whose being there, changed or not, changes no page.
 */
function shapingOf(options: BuildOptions, read: ReadBeside): (file: string) => "status" | "path" | "none" {
  const root = path.resolve(options.articlesDir) + path.sep;
  const through = new Set(read.through);
  const sought = new Set(read.sought);
  return (file) => {
    if (isInRoots(file, read.roots)) return "path";
    if (!file.startsWith(root) || through.has(file)) return "status";
    if (isArticlePath(file.slice(root.length).split(path.sep).join("/"))) return "status";
    return read.files.has(file) || sought.has(file) ? "path" : "none";
  };
}

/** How many of the stamp's files shape the site (`shapingOf`): one added or removed, and the build must look closer. */
function filesShapingSite(stamp: InputStamp, options: BuildOptions, read: ReadBeside): number {
  const shaping = shapingOf(options, read);
  let count = 0;
  for (const file of stamp.files.keys()) if (shaping(file) !== "none") count++;
  return count;
}

/**
 * Every file a build of `options` reads, stamped: the articles' folder, the settings, and the
 * logo, theme and pages they name. Taken once before a build reads any, for `unchangedBuild` and
 * `buildSite` both: at 100,000 articles a stamp is a walk of the folder and 100,000 `stat`s.
 */
export function stampBuildInputs(options: BuildOptions): InputStamp | undefined {
  const roots = stampRoots(options);
  return roots && stampInputs(roots);
}

/**
 * Article files, as the last build counted them, from which a build's stamp is taken on a thread
 * of its own (`stampForBuild`). The thread costs 0.15 to 0.2 s to start and to hand its stamp back,
 * about what stamping 20,000 files costs (the stamp takes 0.8 to 1 s at 100,000 articles): at
 * 10,000 articles a body edited took 3.14 s with it against 3.01 s without, and nothing changed
 * 0.75 to 0.80 s against 0.58 to 0.64 s (alternated, six and four pairs).
 */
const THREADED_STAMP = 25_000;

/**
 * The stamp a build of `options` is given (`buildSite`, after `unchangedBuild`): for an archive
 * whose last build had `THREADED_STAMP` article files or more, taken on a thread while this one
 * reads the cache's articles (`stampBuildInputsReadingAhead`); else as `stampBuildInputs` takes it.
 */
export async function stampForBuild(options: BuildOptions): Promise<InputStamp | undefined> {
  if (options.cache === false) return undefined;
  return stampsAside(options) ? stampBuildInputsReadingAhead(options) : stampBuildInputs(options);
}

/** Whether a build of `options` stamps its inputs on a thread of its own (`stampForBuild`): its last build had `THREADED_STAMP` article files or more. */
export function stampsAside(options: BuildOptions): boolean {
  const cache = options.cache === false ? undefined : openCache(options);
  return (cache?.read<StoredInputs>(INPUTS_PART)?.articleFiles ?? 0) >= THREADED_STAMP;
}

/**
 * `stampBuildInputs`, taken on a thread of its own while this one reads the cache's articles, then
 * the record of their files' statuses, which a build that finds anything changed reads first: at
 * 100,000 articles the stamp came 2.3 to 2.4 s into a build, and the articles were read by then,
 * in 1.1 to 1.5 s. The reading stops once the stamp is taken; `buildSite`, given that stamp, goes
 * on from there (`readAhead`), and a build that finds nothing changed drops what was read. Both
 * read and the stamp still to come, the modules that model and index the site are loaded
 * meanwhile, and Eleventy's, which a build that renders more than a few pages loads (0.4 to 0.5 s).
 */
export async function stampBuildInputsReadingAhead(options: BuildOptions, stampAside: (roots: string[]) => Promise<InputStamp> = stampInputsOnThread): Promise<InputStamp | undefined> {
  const roots = stampRoots(options);
  if (roots === undefined) return undefined;
  let stamp: InputStamp | undefined;
  const stamping = stampAside(roots).then((taken) => (stamp = taken));
  // A stamp that fails is heard at the `await` below, not as a rejection nobody handled meanwhile.
  stamping.catch(() => {});
  const cache = openCache(options);
  if (cache === undefined) return stamping;
  const read = cache.reader();
  const articles: BucketsRead<StoredArticles> = { entries: new Map(), buckets: 0 };
  const files: BucketsRead<StoredFiles> = { entries: new Map(), buckets: 0 };
  const stamped = () => stamp !== undefined;
  await readBucketsAhead(read, ARTICLES_PART, articles, stamped);
  // Another build may store the record and then its inputs meanwhile (`savedAgainOnly`).
  const inputsPart = cache.partIdentity(INPUTS_PART);
  await readBucketsAhead(read, ARTICLE_FILES_PART, files, stamped);
  // Loaded by the module cache once for the process: the build's own imports then find them. The
  // modules that model and index the site first, which a build that found something changed
  // loads before anything else (0.18 s), then Eleventy's.
  if (!stamped()) void Promise.all([modellingModules(), import("./site/eleventy.ts")]).catch(() => {});
  const taken = await stamping;
  readAhead.set(taken, { key: cache.key, articles, files, inputsPart });
  return taken;
}

/** The modules that model and index a site, which a build that found something changed loads first (see the imports at the top). */
function modellingModules() {
  return Promise.all([import("./archive/load-site.ts"), import("./search/index.ts")]);
}

/** Entries of a part the cache keeps in buckets, read from the first `buckets` of BUCKETS. */
interface BucketsRead<T extends Map<unknown, unknown>> {
  entries: T;
  buckets: number;
}

/** Reads the buckets of `part` on from `readSoFar`, one a turn of the event loop (the stamp's message is taken between them), until all are read or `done`. */
async function readBucketsAhead<T extends Map<unknown, unknown>>(read: ReturnType<BuildCache["reader"]>, part: string, readSoFar: BucketsRead<T>, done: () => boolean): Promise<void> {
  while (!done() && readSoFar.buckets < BUCKETS.length) {
    for (const [key, entry] of read<T>(bucketPart(part, BUCKETS[readSoFar.buckets++]!)) ?? []) readSoFar.entries.set(key, entry);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The roots a build's stamp stamps: the articles folder, the settings file, the logo, the theme and the pages; undefined when the settings have errors. */
function stampRoots(options: BuildOptions): string[] | undefined {
  const settingsFile = settingsFileOf(options);
  const { settings, problems } = loadSettings(settingsFile, options.overrides);
  if (hasErrors(problems)) return undefined;
  return [options.articlesDir, settingsFile, settings.logo, settings.theme, settings.pages].filter((root) => root !== "");
}

/**
 * The cache's articles and their files' statuses that `stampBuildInputsReadingAhead` read, under
 * the cache's key, by the stamp taken meanwhile; each taken once. Read before the build took the
 * cache's lock, they may miss entries another build stored meanwhile; each entry is the one of
 * its key (a file's bytes and path), which is all the article cache asks of it, and a body it
 * places in the cache's files is checked there when read (src/cache/kept-html.ts); each status
 * was the file's when its entry was made (`recordsRead`).
 */
const readAhead = new WeakMap<InputStamp, { key: string; inputsPart: string | undefined } & PartsReadAhead>();

interface PartsReadAhead {
  articles?: BucketsRead<StoredArticles>;
  files?: BucketsRead<StoredFiles>;
}

/** What was read ahead of the part `which` for `stamp`, when under this cache's key; taken once. */
function takeReadAhead<K extends keyof PartsReadAhead>(cache: BuildCache, stamp: InputStamp | undefined, which: K): PartsReadAhead[K] {
  const ahead = stamp && readAhead.get(stamp);
  if (!ahead) return undefined;
  const read = ahead[which];
  ahead[which] = undefined;
  return ahead.key === cache.key ? read : undefined;
}

/** The cache's articles, from where the reading ahead for `stamp` left off. */
function readArticles(cache: BuildCache, stamp: InputStamp | undefined): StoredArticles {
  return readBuckets(cache, ARTICLES_PART, takeReadAhead(cache, stamp, "articles"));
}

/**
 * The record of article files' statuses, from where the reading ahead for `stamp` left off. For a
 * comparison with the inputs part as read (`savedAgainOnly`), only when that part's file is the
 * one it was before the reading ahead began: a build that ended meanwhile stored its record, then
 * its inputs, and an older record against newer inputs could find a file reverted since saved
 * again unchanged, where the site in place shows the bytes between.
 */
function readArticleFiles(cache: BuildCache, stamp: InputStamp | undefined, againstInputs = false): StoredFiles {
  const inputsPart = stamp && readAhead.get(stamp)?.inputsPart;
  const ahead = takeReadAhead(cache, stamp, "files");
  const current = !againstInputs || (inputsPart !== undefined && inputsPart === cache.partIdentity(INPUTS_PART));
  return readBuckets(cache, ARTICLE_FILES_PART, current ? ahead : undefined);
}

/** Records this build's inputs and outcome for `unchangedBuild`, when the stamp can be trusted. */
function rememberInputs(cache: BuildCache, stamp: InputStamp | undefined, startedAt: number, outputDir: string, site: SiteModel, sources: readonly ArticleSource[], options: BuildOptions, problems: Problem[], articles: ArticleCache): void {
  const output = identity(outputDir);
  if (!stamp?.settled || output === undefined) return;
  const { archive, settings } = site;
  // Against the clock only: with a fixed `now` in the settings, or drafts shown, nothing is ever
  // due. Any article dated after the build started may have been scheduled by it.
  let nextScheduled: number | undefined;
  if (settings.now === "" && !options.drafts) {
    for (const source of sources) {
      const time = source.date.value.toMillis();
      if (!source.draft && time > startedAt && (nextScheduled === undefined || time < nextScheduled)) nextScheduled = time;
    }
  }
  const outcome = { problems, pagesWritten: site.pages.length, articles: archive.articles.length, topics: archive.topics.length, authors: archive.authors.length };
  const { folders, files, sought, beyond } = site.media.pathsRead();
  const roots = [settings.logo, settings.theme, settings.pages].filter((root) => root !== "").map((root) => path.resolve(root));
  const readBeside: ReadBeside = {
    roots,
    through: folders,
    sought,
    beyond,
    files: new Map([...files].map(([file, hash]) => [file, { status: stamp.files.get(file), hash }])),
  };
  // A walk of every stamped file (100,000 at 100,000 articles) only when there are roots to find.
  if (roots.length > 0) for (const [file, status] of stamp.files) if (isInRoots(file, roots)) readBeside.files.set(file, { status, hash: hashAsStamped(file, status) });
  const { besides, articleFiles, shapingSite } = besidesArticles(stamp, (file) => articles.remembers(file), options, readBeside);
  cache.write(INPUTS_PART, { stamp: stamp.digest, output, nextScheduled, outcome, besidesArticles: besides, articleFiles, statuses: shapingSite, readBeside } satisfies StoredInputs);
}

/**
 * The build's stamp, as the next build may trust it: one that found files too new to trust
 * (`InputStamp.settled`), settled when every such file is an article file that has settled since
 * as this build read it (`ArticleCache.settle`). Else it is not kept (`rememberInputs`), and the
 * next build, finding the stamp it has is not the last one kept, models the whole site to find
 * nothing changed: at 10,000 articles, an edit built at once and then built again took 3.0 to
 * 3.7 s so, and 0.6 to 0.8 s with the stamp kept.
 */
function settledSince(stamp: InputStamp | undefined, articles: ArticleCache): InputStamp | undefined {
  if (stamp === undefined || stamp.settled || !articles.settle(stamp.unsettled)) return stamp;
  const files = new Map(stamp.files);
  for (const [file, status] of stamp.unsettled) files.set(file, status);
  return { ...stamp, settled: true, files, unsettled: new Map() };
}

/**
 * The build cache of `options`, keyed by `inputs` (what shapes the output, as read now unless the
 * caller read it already), or none: with `--no-cache`, or when its folder cannot be made (a
 * read-only working folder), and the build goes on without.
 */
function openCache(options: BuildOptions, inputs?: unknown): BuildCache | undefined {
  if (options.cache === false) return undefined;
  try {
    return BuildCache.open(options.cache ?? BUILD_CACHE, path.resolve(options.outputDir), inputs ?? cacheInputs(options));
  } catch {
    return undefined;
  }
}

/**
 * What shapes a build's output besides the articles and the files they name, for the cache's
 * key: the folders, the settings file as written, the command line's overrides.
 */
function cacheInputs(options: BuildOptions): unknown {
  const settingsFile = settingsFileOf(options);
  let settingsText = "";
  try {
    settingsText = readFileSync(settingsFile, "utf8");
  } catch {
    // No settings file: the defaults.
  }
  return {
    articlesDir: path.resolve(options.articlesDir),
    settingsFile,
    settingsText,
    overrides: options.overrides ?? {},
    drafts: options.drafts ?? false,
    pictureCache: options.pictureCache === false ? false : path.resolve(options.pictureCache ?? ""),
  };
}

/** The settings file a build of `options` reads, whether it is there or not. */
function settingsFileOf(options: BuildOptions): string {
  return path.resolve(options.settingsFile ?? path.join(options.articlesDir, SETTINGS_FILE));
}

/** Keeps the status of each article file read, in the buckets where it differs from what the cache holds (a file touched, added or edited). */
function keepArticleFiles(cache: BuildCache, articles: ArticleCache): void {
  const buckets = articles.changedFileBuckets();
  for (const [bucket, files] of buckets) cache.write(bucketPart(ARTICLE_FILES_PART, bucket), files);
  // Kept whole by versions before the buckets (22 MB at 100,000 articles), and read by none now.
  if (buckets.size > 0) cache.remove(ARTICLE_FILES_PART);
}

/** The cache's part that holds one bucket (article-cache.ts) of the articles or of their files' statuses. */
function bucketPart(part: string, bucket: string): string {
  return `${part}-${bucket}`;
}

/**
 * The record of article files `savedAgainOnly` read, by the stamp it compared with it: the build
 * that follows with the same stamp and key takes it rather than read it again (0.2 to 0.3 s at
 * 100,000 articles). Read before that build took the cache's lock, it may miss statuses another
 * build recorded meanwhile; each status it holds was the file's when its entry was made, which is
 * all the article cache asks of it (src/cache/article-cache.ts).
 */
const recordsRead = new WeakMap<InputStamp, { key: string; files: StoredFiles }>();

/** The record of article files read for `stamp` under the cache's key, once: undefined when there is none to take. */
function recordReadFor(stamp: InputStamp | undefined, cache: BuildCache): StoredFiles | undefined {
  const read = stamp && recordsRead.get(stamp);
  if (!read) return undefined;
  recordsRead.delete(stamp);
  return read.key === cache.key ? read.files : undefined;
}

/** Every entry of a part the cache keeps in buckets (the articles, their files' statuses), from all of them, going on from `readSoFar`; a bucket missing or stale is empty. */
function readBuckets<T extends Map<unknown, unknown>>(cache: BuildCache, part: string, readSoFar: BucketsRead<T> = { entries: new Map() as T, buckets: 0 }): T {
  const { entries } = readSoFar;
  cache.readEach<T>(
    BUCKETS.slice(readSoFar.buckets).map((bucket) => bucketPart(part, bucket)),
    (stored) => {
      for (const [key, entry] of stored ?? []) entries.set(key, entry);
    },
  );
  return entries;
}

/**
 * The folders of the kept shards the last build into `options.outputDir` found likely to be merged
 * next (`SearchIndexing.shardsLikelyMerged`), which a build's search thread reads while the archive
 * loads; none without a cache.
 */
export function shardsLikelyMerged(options: BuildOptions): string[] {
  const cache = openCache(options);
  return cache ? shardsLikelyMergedIn(cache) : [];
}

function shardsLikelyMergedIn(cache: BuildCache): string[] {
  return (cache.read<string[]>(SHARDS_LIKELY_MERGED_PART) ?? []).map((key) => path.join(cache.folder, SHARDS, key));
}

/**
 * Whether the output folder holds the site the last build into it wrote, under the cache's key
 * (the same settings and code), whatever changed in the articles since: serve shows it while it
 * builds the one that replaces it. False once something else wrote into it (`forgetWrittenSite`).
 */
export function builtSiteInPlace(options: BuildOptions): boolean {
  const cache = openCache(options);
  return cache !== undefined && inputsOfSiteInPlace(cache, options) !== undefined;
}

/** What the cache keeps of the last build's inputs, when the output folder still holds the site that build left. */
function inputsOfSiteInPlace(cache: BuildCache, options: BuildOptions): StoredInputs | undefined {
  const stored = cache.read<StoredInputs>(INPUTS_PART);
  return stored?.output === identity(path.resolve(options.outputDir)) ? stored : undefined;
}

/**
 * Makes the build cache forget the site in `outputDir`, before something other than a build
 * writes into it (serve): the next build then writes every page again rather than reuse a file
 * that no longer is what the cache says. The articles it keeps stay.
 */
export function forgetWrittenSite(outputDir: string, cacheRoot: string | false = BUILD_CACHE): void {
  if (cacheRoot === false) return;
  BuildCache.forget(cacheRoot, outputDir, INPUTS_PART);
  BuildCache.forget(cacheRoot, outputDir, SITE_PART);
}

/**
 * Whether the output folder holds exactly the pages this build would write: each page's key is the
 * one it was written with (`previousKeys`, by the page's place), and the site written had no other
 * (it had `written` pages).
 */
function sameAsWritten(keys: readonly (string | undefined)[], previousKeys: readonly (string | undefined)[], written: number): boolean {
  return keys.length === written && keys.every((key, index) => key !== undefined && previousKeys[index] === key);
}

/**
 * Whether this build has a page at every address of the site in the output folder, as the cache
 * recorded it: that site's sitemap and URL map then name no address this build loses, and
 * reading them (seconds at 100,000 articles) can be skipped. Not for a sitemap given by name. A
 * sitemap edited by hand in the output folder goes unread then, as any file changed by hand
 * there goes unnoticed by the cache (see README, "The build cache").
 */
function keepsEveryAddress(urls: readonly string[], written: WrittenKeys | undefined, options: BuildOptions): boolean {
  return written !== undefined && options.previousSitemap === undefined && written.allIn(urls);
}

/** Removes what this build did not use of a folder of the cache (the search index's shards, its word records): the cache keeps one index's worth. */
async function removeUnused(folder: string, used: Set<string>): Promise<void> {
  const names = await readdir(folder).catch(() => []);
  // A shard being written (`<key>.partial-<pid>-…`) is its build's to finish, unless that build is gone.
  const unused = names.filter((name) => {
    const writer = /\.partial-(\d+)-[0-9a-f]+$/.exec(name)?.[1];
    return writer === undefined ? !used.has(name) : !isRunning(Number(writer));
  });
  await Promise.all(unused.map((name) => rm(path.join(folder, name), { recursive: true, force: true })));
}

/**
 * A previous site of more pages than this is removed by a process of its own once the new one is
 * in place: at 100,000 articles removing it took 1.5 minutes, which the build need not wait for.
 */
const REMOVE_IN_BACKGROUND = 5000;

/** How long an interrupted build may take to tidy before it ends anyway: Pagefind is stopped from outside after 2 s, and a swap is renames (and the removal of a site under 5,000 pages). */
const INTERRUPTED_TIDYING_LIMIT = 15_000;

/**
 * Swaps a finished build into place, so that readers never see a half-written site. The previous
 * site is renamed aside first, and once the new one is in place it is kept at `keepAt` (its
 * identity there is returned), or removed, by a process of its own when it is big; one left
 * behind (the process was killed) is removed by the next build.
 */
async function replaceFolder(finished: string, target: string, { background, keepAt }: { background: boolean; keepAt?: string | undefined }): Promise<string | undefined> {
  if (!existsSync(target)) {
    await rename(finished, target);
    return undefined;
  }
  const previous = `${target}.previous-${process.pid}-${randomBytes(4).toString("hex")}`;
  await rename(target, previous);
  try {
    await rename(finished, target);
  } catch (error) {
    // The previous site goes back, rather than leave no site at all.
    await rename(previous, target).catch(() => {});
    throw error;
  }
  const kept = keepAt === undefined ? undefined : keepEarlierSite(previous, keepAt);
  if (kept !== undefined) return kept;
  // Named for what it is now: no longer a site anyone needs.
  const removing = removingName(target);
  await rename(previous, removing);
  if (background) removeInBackground(removing);
  else await rm(removing, { recursive: true, force: true });
  return undefined;
}

/** Removes `folder`, a whole site, in the background, under a name beside `outputDir` that a later build recognises. */
async function removeLater(folder: string, outputDir: string): Promise<void> {
  const removing = removingName(outputDir);
  try {
    await rename(folder, removing);
  } catch {
    // Gone already: swapped into place, or never made.
    return;
  }
  removeInBackground(removing);
}

/** Waits until every one of `named` has settled; `waiting` holds the names of those that have not, as they settle. */
async function settledNamed(named: Record<string, Promise<unknown> | undefined>, waiting: Set<string>): Promise<void> {
  for (const name of Object.keys(named)) waiting.add(name);
  await Promise.allSettled(Object.entries(named).map(([name, promise]) => Promise.resolve(promise).finally(() => waiting.delete(name))));
}

/** A new name beside `outputDir` for a folder to be removed: `.removing-<host>-<pid>-…`, which a later build recognises (`removeAbandonedBuilds`). */
function removingName(outputDir: string): string {
  return `${outputDir}.removing-${os.hostname()}-${process.pid}-${randomBytes(4).toString("hex")}`;
}

/**
 * Removes a `.removing-<host>-<pid>-…` folder in a process of its own that outlives this one. The
 * process first renames the folder for its own pid, so that the next build sees the removal
 * under way and leaves it alone; if the folder is gone already, another process took it.
 */
function removeInBackground(folder: string): void {
  const remove = `const fs = require("node:fs");
const from = process.argv[1];
const to = from.replace(/-\\d+-([0-9a-f]+)$/, "-" + process.pid + "-$1");
let taken = true;
try { fs.renameSync(from, to); } catch { taken = false; }
if (taken) fs.rmSync(to, { recursive: true, force: true });`;
  const child = spawn(process.execPath, ["-e", remove, folder], { detached: true, stdio: "ignore" });
  child.unref();
}

/**
 * Removes the staging folders a killed build left beside the output
 * (`_site.building-<host>-<pid>-…`), once the process on this machine that made them has ended.
 * A build still running keeps its folder, and so does any other machine's. Folders named
 * `.previous-` are left alone: if a build died between its two renames, one holds the old site.
 * A previous site whose removal was cut short (`.removing-<host>-<pid>-…`) is removed in the
 * background, as it was meant to be.
 */
async function removeAbandonedBuilds(outputDir: string): Promise<void> {
  const building = `${path.basename(outputDir)}.building-${os.hostname()}-`;
  const removing = `${path.basename(outputDir)}.removing-${os.hostname()}-`;
  const beside = await readdir(path.dirname(outputDir)).catch(() => []);
  for (const name of beside) {
    const prefix = name.startsWith(building) ? building : name.startsWith(removing) ? removing : undefined;
    if (prefix === undefined) continue;
    const pid = Number(/^(\d+)-[0-9a-f]+$/.exec(name.slice(prefix.length))?.[1]);
    if (!pid || isRunning(pid)) continue;
    if (prefix === building) await rm(path.join(path.dirname(outputDir), name), { recursive: true, force: true });
    else removeInBackground(path.join(path.dirname(outputDir), name));
  }
}

/** The output folder is replaced whole: it must not hold the articles, the project or anything above it. */
function refuseDangerousOutput(outputDir: string, articlesDir: string): void {
  const problem = (message: string) => new ArchiveError([{ severity: "error", file: outputDir, field: "--output", message }]);
  if (isAtOrInside(articlesDir, outputDir)) throw problem("holds the articles folder, and the build replaces its output folder whole. Choose another output folder, such as _site.");
  if (isAtOrInside(outputDir, articlesDir)) throw problem("is inside the articles folder; the build never writes there. Choose a folder outside it, such as _site.");
  if (isAtOrInside(process.cwd(), outputDir) || isAtOrInside(PACKAGE_ROOT.replace(/\/$/, ""), outputDir)) {
    throw problem("holds the current folder or Broadsheet itself, and the build replaces its output folder whole. Choose a folder of its own, such as _site.");
  }
}
