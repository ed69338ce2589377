import path from "node:path";
import { articleHtml, type Article } from "../archive/archive.ts";
import { formatLocaleDate } from "../articles/dates.ts";
import type { SiteModel } from "../archive/load-site.ts";
import type { Page, SitePage } from "../archive/pages.ts";
import { escapeAttribute, escapeText } from "../render/escape.ts";
import { ORDER_SORT, orderValue } from "./compact-bundle.ts";
import { mediaPath, sitePath } from "../urls.ts";
import { smallestEncoding } from "../archive/pictures.ts";
import { searchVolumes, type SearchVolume } from "../archive/volumes.ts";
import { existsSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { planShards } from "./shards.ts";
import { installedVersion } from "../cache/build-cache.ts";
import { ENTRY_FILE } from "./pagefind-format.ts";
import { SearchThread } from "./thread.ts";

export { SearchThread };
import type { Settings } from "../settings.ts";

/** Pagefind reported errors; the build stops rather than publish a broken search. */
export class SearchIndexError extends Error {
  constructor(readonly errors: string[], options?: { cause?: unknown }) {
    super(`The search index could not be built:\n${errors.map((message) => `  ${message}`).join("\n")}`, options);
    this.name = "SearchIndexError";
  }
}

const utf8 = new TextEncoder();

// Part of each kept shard's key: another Pagefind writes other files.
const PAGEFIND_VERSION = installedVersion("pagefind");

// Records sent to the worker in one message.
const RECORDS_PER_MESSAGE = 250;

/**
 * Articles per Pagefind index before the shards are merged (see pagefind-worker.js), on average:
 * shards are cut where the articles' addresses say (shards.ts). At 100,000
 * articles Pagefind is what a build from nothing waits for: with shards of 1,000 it took 340 s,
 * with 500 302 s, with 100 280 s (the last two one run each, back to back; Pagefind alone, at
 * 10,000 articles: 20.5 s and 18.1 s for 1,000 and 500). A build from the cache indexes again
 * each shard an edit reaches, and at 10,000 articles waits for that shard and the volume's merge:
 * one body took 4.85 to 5.30 s with shards of 100, 5.64 to 6.01 s with 500, in two alternated
 * rounds. The shards kept in the cache take about twice the room, as each repeats the words it
 * shares with the others: 116 MB against 63 MB at 10,000 articles, 1.2 GB against 0.62 GB at
 * 100,000.
 */
const PAGES_PER_SHARD = 100;

/** What the search index is made from: the articles, their bodies rendered, the settings, and the site's own pages. */
export type ArticlesModel = Pick<SiteModel, "settings" | "archive"> & { pages?: readonly Page[] };

export interface SearchIndexOptions {
  /** Articles per Pagefind index before the indexes are merged, on average (shards.ts); tests set it small. */
  pagesPerShard?: number;
  /**
   * Makes and sends every record before returning, for a caller that keeps this thread busy
   * for long next (the build, which models the rest of the site, then renders it), so that
   * Pagefind has every article from the start.
   */
  sendAtOnce?: boolean;
  /**
   * Where each shard Pagefind writes is kept, by a hash of its records, for the next build to use
   * instead of indexing the same articles again; by default shards are written inside the
   * bundle and removed once merged.
   */
  shardCache?: string;
  /**
   * What made the kept shards besides their records (Broadsheet's own code, which counts each
   * shard's words and drives Pagefind), part of each shard's key: a shard another version kept
   * is indexed again, not taken for this one's.
   */
  shardCacheKey?: string;
  /**
   * A digest of everything an article is, as the page keys make it (src/cache/page-keys.ts), or
   * undefined for one they cannot make: a shard's key is then made from its articles' digests,
   * not from their records, which it would otherwise make and hash in full (at 100,000 articles,
   * 1.7 s of every build). A record is made from the article, its place in the shard and the
   * settings' language (its variant too: the dates are written in it) and base path, all of them
   * in the key.
   */
  articleDigest?: (article: Article) => string | undefined;
  /**
   * Asked once, before anything is written, with every volume, a key of everything it is made
   * from, and whether its shards are all kept: which volumes the caller puts in place, as an
   * earlier build with the same key wrote them, so that they are not merged again (only volumes
   * whose shards are kept, whose words the word lists need), and whether it puts the word lists in
   * place too (only with every volume). The folder of every other volume must then hold none of
   * its own files, nor the word lists' folder unless they are in place: the merge writes them.
   */
  placeVolumes?: (volumes: VolumeToPlace[]) => { placed: boolean[]; vocabulary: boolean };
  /**
   * A file where the newest volume's metadata is kept as compressed, in pieces, for the next build
   * to compress only the pieces that changed (compact-bundle.ts), under `shardCacheKey`.
   */
  keptMetaPieces?: string;
  /**
   * The folder of a site that a build by the same code wrote (the build cache knows it): each
   * volume's merge links from that site's same volume the word index files it would write the
   * same, rather than compress them again (compact-bundle.ts).
   */
  earlierSite?: string;
  /**
   * Where the cache keeps, by volume key, what each volume's merge wrote of its word index
   * (patch-words.ts), and the key of each volume of `earlierSite`, by folder: a volume merged
   * again because only some of its shards changed patches that site's word index rather than
   * merge every shard's words again. With `shardCache` only.
   */
  wordRecords?: { folder: string; earlierKeys?: ReadonlyMap<string, string> | undefined };
  /** The thread to index on, started earlier (`SearchThread`); by default one is started once the index is planned. */
  thread?: SearchThread;
}

/** A volume of the search index, as `placeVolumes` is asked about it. */
export interface VolumeToPlace {
  volume: SearchVolume;
  key: string;
  shardsKept: boolean;
}

/** How an index was cut into volumes and shards, for a build that indexes one shard again without the site's model (src/cache/body-edits.ts). */
export interface SearchPlan {
  language: string;
  /** Each entry's site address, in the index's order: the articles, newest first, then the site's own pages. */
  urls: string[];
  volumes: { folder: string; articles: number; newestNumber: number; key: string | undefined }[];
  shards: { volume: number; first: number; articles: number; key: string | undefined }[];
}

/** A search index being built while the pages render. */
export interface SearchIndexing {
  /** How the index is cut. */
  readonly plan: SearchPlan;
  /** Waits until the bundle is in `<outputDir>/pagefind/`; throws what Pagefind reported. */
  finish(): Promise<{ articles: number }>;
  /** What stopped the indexing already, if anything: the build need not render on. */
  readonly failure: SearchIndexError | undefined;
  /** Stops the indexing and waits until it has, so that nothing more is written. */
  stop(): Promise<void>;
  /** Each volume's key (see `placeVolumes`), by folder; the shards kept in the cache, by folder name. */
  readonly volumeKeys: Map<string, string>;
  readonly shardsUsed: Set<string>;
  /** Shards not indexed again, and volumes not merged again. */
  readonly reused: { shards: number; volumes: number };
  /**
   * The folders of the kept shards the next build most likely merges, for its thread to read ahead
   * (`SearchThread`): those of the volumes merged, as an editor edits the same articles again,
   * then the newest volume's, which any new article changes.
   */
  readonly shardsLikelyMerged: string[];
}

/**
 * Starts indexing every published article for Pagefind and writes the bundle to
 * `<outputDir>/pagefind/`, in volumes (archive/volumes.ts), as soon as the last article is in. Records
 * are made from the archive model, not read back from the written pages, and handed to a worker
 * thread that drives Pagefind's process, so indexing goes on at full speed while Eleventy keeps
 * this thread busy.
 * Only article bodies are indexed, with title, date, authors and topics as metadata and filters.
 */
export function startSearchIndex(site: ArticlesModel, outputDir: string, { pagesPerShard = PAGES_PER_SHARD, sendAtOnce = false, shardCache, shardCacheKey = "", articleDigest, placeVolumes, keptMetaPieces, earlierSite, wordRecords, thread: startedThread }: SearchIndexOptions = {}): SearchIndexing {
  if (!Number.isInteger(pagesPerShard) || pagesPerShard < 1) throw new RangeError(`pagesPerShard must be a whole number of at least 1, not ${pagesPerShard}.`);
  const { articles } = site.archive;
  // The site's own pages come after every article: they have no date, so newest first ends with them.
  const sitePages = (site.pages ?? []).filter((page): page is SitePage => page.kind === "page");
  const entries = articles.length + sitePages.length;
  const language = site.settings.language.split("-")[0]!;
  // The sort value numbers a record within its shard, which is all the merge needs of it
  // (compact-bundle.ts): a shard's records, and so its key, stay the same when the shard moves.
  const recordPartsAt = (position: number, inShard: number) => {
    const article = articles[position];
    if (article) return { url: sitePath(site.settings, article.url), parts: searchRecordParts(article, site, inShard) };
    const page = sitePages[position - articles.length]!;
    return { url: sitePath(site.settings, page.url), parts: [pageSearchRecord(page, site, inShard)] };
  };
  const recordAt = (position: number, inShard: number) => {
    const { url, parts } = recordPartsAt(position, inShard);
    return { url, content: utf8.encode(parts.join("")) };
  };
  const volumes = searchVolumes(entries, site.settings.searchVolume);
  // Pages are numbered from the oldest, 0, so that a new article leaves every other's number as it was.
  const newestNumber = (volume: SearchVolume) => entries - 1 - volume.first;
  // Shards are cut by the articles' addresses, which a move in the archive's order leaves as they are.
  const addressAt = (position: number) => (articles[position] ?? sitePages[position - articles.length]!).url;
  const shards = planShards(volumes, pagesPerShard, addressAt).map((shard) => {
    if (shardCache === undefined) return { ...shard, key: undefined, dir: undefined, cached: false };
    // Made twice for a shard that is indexed, which costs less than keeping every record meanwhile.
    // The language as the settings give it: a record's dates are written in it (en-GB, en-US).
    const digest = createHash("sha256").update(`${PAGEFIND_VERSION}\0${shardCacheKey}\0${site.settings.language}\0${site.settings.basePath}\0`);
    for (let offset = 0; offset < shard.articles; offset++) {
      const article = articles[shard.first + offset];
      const described = article && articleDigest?.(article);
      if (described !== undefined) {
        digest.update(`a${offset}\0${described}\0`);
        continue;
      }
      // Hashed as text, which the hash takes as the same UTF-8 the record is sent as, and in its
      // parts, the body as it is: at 100,000 articles, encoding every record only to hash it
      // allocated half a gigabyte, and joining the parts first as much again.
      const { url, parts } = recordPartsAt(shard.first + offset, offset);
      digest.update(`${url}\0`);
      for (const part of parts) digest.update(part);
      digest.update("\0");
    }
    const key = digest.digest("hex").slice(0, 32);
    const dir = path.join(shardCache, key);
    return { ...shard, key, dir, cached: existsSync(path.join(dir, ENTRY_FILE)) };
  });
  const volumeKeys = new Map<string, string>();
  const toPlace: VolumeToPlace[] = [];
  volumes.forEach((volume, number) => {
    const own = shards.filter((shard) => shard.volume === number);
    if (own.some((shard) => shard.key === undefined)) return;
    // Nothing that a new article changes in an older volume: not its place counted from the newest.
    const key = volumeKey(language, volume.folder, volume.articles, newestNumber(volume), own.map((shard) => shard.key!));
    volumeKeys.set(volume.folder, key);
    toPlace.push({ volume, key, shardsKept: own.every((shard) => shard.cached) });
  });
  const placing = placeVolumes && toPlace.length === volumes.length ? placeVolumes(toPlace) : undefined;
  const reusedVolumes = volumes.map((_, number) => placing !== undefined && toPlace[number]!.shardsKept && placing.placed[number] === true);
  const reused = { shards: shards.filter((shard) => shard.cached).length, volumes: reusedVolumes.filter(Boolean).length };
  // The word lists depend on every record: they can be in place only with every volume.
  const vocabularyReused = (placing?.vocabulary ?? false) && reused.volumes === volumes.length;
  const recordFile = (key: string) => path.join(wordRecords!.folder, `${key}.json`);
  const wordRecordsOf = (folder: string) => {
    const key = volumeKeys.get(folder);
    if (wordRecords === undefined || shardCache === undefined || key === undefined) return undefined;
    const earlier = earlierSite === undefined ? undefined : wordRecords.earlierKeys?.get(folder);
    return { earlier: earlier === undefined ? undefined : recordFile(earlier), keep: recordFile(key) };
  };
  // Started only now when none was given: one started before the checks and plans above, which
  // may throw, would be left waiting for work.
  const thread = startedThread ?? new SearchThread();
  // The records Pagefind must index: those of every shard not kept from an earlier build.
  const toSend = shards.filter((shard) => !shard.cached);
  const run = indexOnThread(
    thread,
    {
      language,
      volumes: volumes.map((volume, number) => ({
        outputPath: path.join(outputDir, volume.folder),
        newestNumber: newestNumber(volume),
        articles: volume.articles,
        reused: reusedVolumes[number],
        earlierPath: earlierSite === undefined ? undefined : path.join(earlierSite, volume.folder),
        wordRecords: wordRecordsOf(volume.folder),
      })),
      vocabularyReused,
      shards: shards.map(({ volume, articles, dir, cached }) => ({ volume, articles, dir, cached })),
      keepShards: shardCache !== undefined,
      keptMetaPieces: keptMetaPieces === undefined ? undefined : { file: keptMetaPieces, key: `${PAGEFIND_VERSION}\0${shardCacheKey}` },
    },
    function* () {
      for (const shard of toSend) {
        for (let offset = 0; offset < shard.articles; offset++) yield recordAt(shard.first + offset, offset);
      }
    },
    sendAtOnce,
  );
  const plan: SearchPlan = {
    language,
    urls: Array.from({ length: entries }, (_, position) => addressAt(position)),
    volumes: volumes.map((volume) => ({ folder: volume.folder, articles: volume.articles, newestNumber: newestNumber(volume), key: volumeKeys.get(volume.folder) })),
    shards: shards.map(({ volume, first, articles, key }) => ({ volume, first, articles, key })),
  };
  return {
    plan,
    async finish() {
      await run.written;
      return { articles: entries };
    },
    get failure() {
      return run.failure;
    },
    volumeKeys,
    shardsUsed: new Set(shards.flatMap((shard) => (shard.key ? [shard.key] : []))),
    reused,
    // The volumes merged, then the newest: a shard of both is listed once.
    shardsLikelyMerged: [...new Set([...shards.filter((shard) => !reusedVolumes[shard.volume]), ...shards.filter((shard) => shard.volume === 0)])].flatMap((shard) => (shard.dir === undefined ? [] : [shard.dir])),
    stop: run.stop,
  };
}

/** A volume's key: what it is made from, its shards by their keys. Nothing that a new article changes in an older volume: not its place counted from the newest. */
function volumeKey(language: string, folder: string, articles: number, newestNumber: number, shardKeys: readonly string[]): string {
  return createHash("sha256").update(JSON.stringify([language, folder, articles, newestNumber, shardKeys])).digest("hex");
}

/** An article edited in its body alone, as the search index has it: its site address, and its body as indexed and as it is now. */
export interface BodyIndexedAgain {
  url: string;
  previousHtml: string;
  html: string;
}

/** How an article's record ends (`searchRecordParts`): its body comes just before. */
const RECORD_END = "</article></body></html>";

/** A kept shard's records, as Pagefind was given them (pagefind-worker.js): [address as a browser asks for it, HTML]. */
const RECORDS_FILE = path.join("broadsheet", "records.json");

export interface IndexBodiesAgainOptions extends Pick<SearchIndexOptions, "shardCacheKey" | "keptMetaPieces" | "earlierSite" | "wordRecords" | "thread"> {
  /** Where the shards are kept, each in a folder named by its key. */
  shardCache: string;
  /** Told of every volume, its key and whether it is merged again, before anything is written: the caller puts the others in place. */
  placeVolumes?: (volumes: { folder: string; key: string; merged: boolean }[]) => void;
}

/** The index of bodies edited being made (`indexBodiesAgain`), and the plan of the index with the new keys. */
export interface BodiesIndexedAgain {
  indexing: Pick<SearchIndexing, "finish" | "failure" | "volumeKeys" | "shardsUsed" | "stop">;
  plan: SearchPlan;
}

/**
 * Indexes again each shard of `plan` (kept in `shardCache`) that holds an article edited in its
 * body alone, from the records kept with the shard, and merges its volume into `outputDir`, with
 * the word lists: the rest of the site's model is not needed. Each other volume is as the plan's
 * keys say, for the caller to put in place. Returns the index and the plan with the new keys; or
 * undefined when a shard's records are not as the plan and the edits say (kept by another
 * version, or the body found otherwise), for the caller to build the whole site.
 */
export function indexBodiesAgain(plan: SearchPlan, edits: readonly BodyIndexedAgain[], outputDir: string, settings: Pick<Settings, "basePath" | "language">, { shardCache, shardCacheKey = "", keptMetaPieces, earlierSite, wordRecords, thread, placeVolumes }: IndexBodiesAgainOptions): BodiesIndexedAgain | undefined {
  const place = new Map(plan.urls.map((url, position) => [url, position]));
  const shards = plan.shards.map((shard) => ({ ...shard, records: undefined as [string, string][] | undefined }));
  for (const edit of edits) {
    const position = place.get(edit.url);
    const shard = position === undefined ? undefined : shards.find(({ first, articles }) => position >= first && position < first + articles);
    if (shard?.key === undefined) return undefined;
    try {
      shard.records ??= JSON.parse(readFileSync(path.join(shardCache, shard.key, RECORDS_FILE), "utf8")) as [string, string][];
    } catch {
      return undefined;
    }
    const record = shard.records[position! - shard.first];
    const was = edit.previousHtml + RECORD_END;
    if (shard.records.length !== shard.articles || record?.[0] !== sitePath(settings, edit.url) || !record[1].endsWith(was)) return undefined;
    record[1] = record[1].slice(0, record[1].length - was.length) + edit.html + RECORD_END;
  }
  // A shard indexed again is keyed by its records, as one whose articles have no digests is (`startSearchIndex`).
  const keyed = shards.map((shard) => {
    if (shard.records === undefined) return { ...shard, key: shard.key! };
    const digest = createHash("sha256").update(`${PAGEFIND_VERSION}\0${shardCacheKey}\0${settings.language}\0${settings.basePath}\0`);
    for (const [url, html] of shard.records) digest.update(`${url}\0`).update(html).update("\0");
    return { ...shard, key: digest.digest("hex").slice(0, 32) };
  });
  const changed = new Set(keyed.filter((shard) => shard.records !== undefined).map((shard) => shard.volume));
  const volumeKeys = new Map<string, string>();
  const volumes = plan.volumes.map((volume, number) => {
    const key = volumeKey(plan.language, volume.folder, volume.articles, volume.newestNumber, keyed.filter((shard) => shard.volume === number).map((shard) => shard.key));
    volumeKeys.set(volume.folder, key);
    return { ...volume, key };
  });
  placeVolumes?.(volumes.map(({ folder, key }, number) => ({ folder, key, merged: changed.has(number) })));
  const recordFile = (key: string) => path.join(wordRecords!.folder, `${key}.json`);
  const run = indexOnThread(
    thread ?? new SearchThread(),
    {
      language: plan.language,
      volumes: volumes.map((volume, number) => {
        const earlier = earlierSite === undefined ? undefined : wordRecords?.earlierKeys?.get(volume.folder);
        return {
          outputPath: path.join(outputDir, volume.folder),
          newestNumber: volume.newestNumber,
          articles: volume.articles,
          reused: !changed.has(number),
          earlierPath: earlierSite === undefined ? undefined : path.join(earlierSite, volume.folder),
          wordRecords: wordRecords && { earlier: earlier === undefined ? undefined : recordFile(earlier), keep: recordFile(volume.key) },
        };
      }),
      vocabularyReused: false,
      shards: keyed.map((shard) => ({ volume: shard.volume, articles: shard.articles, dir: path.join(shardCache, shard.key), cached: shard.records === undefined })),
      keepShards: true,
      keptMetaPieces: keptMetaPieces === undefined ? undefined : { file: keptMetaPieces, key: `${PAGEFIND_VERSION}\0${shardCacheKey}` },
    },
    function* () {
      for (const shard of keyed) for (const [url, html] of shard.records ?? []) yield { url, content: utf8.encode(html) };
    },
    true,
  );
  return {
    indexing: {
      async finish() {
        await run.written;
        return { articles: plan.urls.length };
      },
      get failure() {
        return run.failure;
      },
      volumeKeys,
      shardsUsed: new Set(keyed.map((shard) => shard.key)),
      stop: run.stop,
    },
    plan: { ...plan, volumes: volumes.map(({ folder, articles, newestNumber, key }) => ({ folder, articles, newestNumber, key })), shards: keyed.map(({ volume, first, articles, key }) => ({ volume, first, articles, key })) },
  };
}

/** What the search thread is told to do (pagefind-worker.js says what each field means). */
interface WorkerPlan {
  language: string;
  volumes: { outputPath: string; newestNumber: number; articles: number; reused: boolean | undefined; earlierPath: string | undefined; wordRecords: { earlier: string | undefined; keep: string } | undefined }[];
  vocabularyReused: boolean;
  shards: { volume: number; articles: number; dir: string | undefined; cached: boolean }[];
  keepShards: boolean;
  keptMetaPieces: { file: string; key: string } | undefined;
}

/** The thread given `plan`, and the records of the shards it indexes, from `records`, in order; with `sendAtOnce`, every one before this returns. */
function indexOnThread(thread: SearchThread, plan: WorkerPlan, recordsOf: () => Iterable<{ url: string; content: Uint8Array<ArrayBuffer> }>, sendAtOnce: boolean): { written: Promise<void>; readonly failure: SearchIndexError | undefined; stop(): Promise<void> } {
  const worker = thread.give(plan);
  // Records go to the worker a few hundred at a time, made as they are sent, each batch when this
  // thread is free: copying them all to the thread at once held it up for 1.5 s at 10,000
  // articles, and under serve an edit made meanwhile waited that long to show.
  let sending = true;
  // A record that cannot be made (a body the build cache kept, found changed) fails the index.
  let failSending: (cause: unknown) => void = () => {};
  void (async () => {
    let records: { url: string; content: Uint8Array<ArrayBuffer> }[] = [];
    const send = () => {
      // As UTF-8 bytes, moved rather than copied: the worker keeps them outside its heap until
      // Pagefind takes them (as strings, its collector copied each record it kept waiting).
      worker.postMessage({ records }, records.map((record) => record.content.buffer));
      records = [];
    };
    for (const record of recordsOf()) {
      if (!sending) return;
      records.push(record);
      if (records.length < RECORDS_PER_MESSAGE) continue;
      send();
      // With `sendAtOnce`, nothing is awaited: every record is sent before this function returns.
      // Awaited, even a promise already settled let the caller go on first (the build chooses the
      // related lists next), and Pagefind had the first batch alone until it was done: 1.3 s at
      // 10,000 articles, about 20 s in a first build at 100,000, on the path such a build waits for last.
      if (!sendAtOnce) await new Promise((resolve) => setImmediate(resolve));
    }
    if (sending && records.length > 0) send();
  })().catch((cause: unknown) => failSending(cause));
  let failure: SearchIndexError | undefined;
  const { ended } = thread;
  const written = new Promise<void>((resolve, reject) => {
    failSending = (cause) => reject(new SearchIndexError([cause instanceof Error ? cause.message : String(cause)], { cause }));
    worker.once("message", ({ errors }: { errors: string[] }) => (errors.length > 0 ? reject(new SearchIndexError(errors)) : resolve()));
    // An error is heard before the exit it causes: the first to reject is the one reported.
    void thread.failed.then((cause) => reject(new SearchIndexError([cause instanceof Error ? cause.message : String(cause)], { cause })));
    void ended.then(() => reject(new SearchIndexError(["Pagefind stopped before the index was written; its own message is above."])));
  });
  written.catch((error: SearchIndexError) => (failure = error));
  return {
    written,
    get failure() {
      return failure;
    },
    async stop() {
      sending = false;
      if (thread.exited) return;
      worker.postMessage("stop");
      // A thread stuck waiting on Pagefind's reply is stopped from outside.
      const timer = setTimeout(() => void worker.terminate(), 2000);
      await ended;
      clearTimeout(timer);
    },
  };
}

/**
 * The HTML Pagefind reads for the article at `position` in the archive: its headline weighs most,
 * its metadata is tagged. A summary taken from the first paragraph is left out: it would index
 * those words twice. The position is a sort key that numbers the pages in the archive's order
 * (see compact-bundle.ts).
 */
export function searchRecord(article: Article, site: ArticlesModel, position: number): string {
  return searchRecordParts(article, site, position).join("");
}

/** `searchRecord` in three parts: the markup before the body, the body as it is, the markup after. */
function searchRecordParts(article: Article, site: ArticlesModel, position: number): [string, string, string] {
  const { settings } = site;
  const date = article.date.value;
  const meta = [
    ["title", article.title],
    ["date", formatLocaleDate(date, settings.language, article.date.hasTime ? { dateStyle: "long", timeStyle: "short" } : { dateStyle: "long" })],
    ["datetime", article.date.hasTime ? (date.toISO({ suppressMilliseconds: true }) ?? "") : (date.toISODate() ?? "")],
    ["authors", article.authors.map((author) => author.name).join(", ")],
    ["topics", article.topics.map((topic) => topic.name).join(", ")],
    // The lead picture, as a browser requests it, for a thumbnail beside the result.
    ...(article.image ? [["image", mediaPath(settings, article.image.file?.picture ? smallestEncoding(article.image.file.picture).url : article.image.url)]] : []),
  ];
  const hidden = [
    ...meta.map(([key, value]) => `<span data-pagefind-meta="${key}:${escapeAttribute(value!)}"></span>`),
    ...article.authors.map((author) => `<span data-pagefind-filter="author:${escapeAttribute(author.name)}"></span>`),
    ...article.topics.map((topic) => `<span data-pagefind-filter="topic:${escapeAttribute(topic.name)}"></span>`),
    `<span data-pagefind-filter="year:${date.year}"></span>`,
    `<span data-pagefind-sort="${ORDER_SORT}:${orderValue(position)}"></span>`,
  ].join("");
  return [
    `<!doctype html><html lang="${escapeAttribute(settings.language)}"><head><title>${escapeText(article.title)}</title></head><body><article data-pagefind-body><h1>${escapeText(article.title)}</h1>${hidden}${article.writtenSummary ? `<p>${escapeText(article.writtenSummary)}</p>` : ""}`,
    articleHtml(article),
    "</article></body></html>",
  ];
}

/** The HTML Pagefind reads for one of the site's own pages: its title and body, no date or names. */
export function pageSearchRecord(page: SitePage, site: ArticlesModel, position: number): string {
  const hidden = `<span data-pagefind-meta="title:${escapeAttribute(page.title)}"></span><span data-pagefind-sort="${ORDER_SORT}:${orderValue(position)}"></span>`;
  return `<!doctype html><html lang="${escapeAttribute(site.settings.language)}"><head><title>${escapeText(page.title)}</title></head><body><article data-pagefind-body><h1>${escapeText(page.title)}</h1>${hidden}${page.source.summary ? `<p>${escapeText(page.source.summary)}</p>` : ""}${page.html}</article></body></html>`;
}
