// Runs Pagefind for one build on a thread of its own, so that indexing is never kept waiting by
// the main thread, which is busy rendering pages. Plain JavaScript, because run from the
// repository's TypeScript a worker thread starts without the loader the main thread was given.
//
// Messages: first { plan: { language, volumes: { outputPath, newestNumber, articles, reused, earlierPath, wordRecords }[], vocabularyReused,
// shards: { volume, articles, dir, cached }[], keepShards, keptMetaPieces } }; then { records: { url, content: Uint8Array
// (UTF-8) }[] } in the archive's order, for the shards not cached, until every one has come, and
// "stop" at any time. A shard with a `dir` is written there (the build's cache) and kept, with its
// words counted (WORDS_FILE); one `cached` is there already and is not indexed again; a volume
// `reused` is in place already, and so are the word lists with `vocabularyReused`.
// Posts { errors: string[] } once the bundle is written (or could not be), then ends. Started with
// `workerData.readAhead`, the kept shards it may well merge, read until the plan says which it does.
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import * as pagefind from "pagefind";

// Installed, the modules beside this file are compiled JavaScript. Run from the repository's
// TypeScript (tests, benches), tsx, a development dependency, compiles them for this thread.
const compiled = existsSync(new URL("./compact-bundle.js", import.meta.url));
if (!compiled) {
  const { register } = await import("tsx/esm/api");
  register({ tsconfig: fileURLToPath(new URL("../../tsconfig.json", import.meta.url)) });
}
const { compactBundle, listedFiles, ShardsReadAhead } = await import(compiled ? "./compact-bundle.js" : "./compact-bundle.ts");
const { WordCounter, writeVocabulary } = await import(compiled ? "./vocabulary.js" : "./vocabulary.ts");

// Records in flight at once: enough to keep Pagefind's process busy.
const BATCH = 200;
// A kept shard's words and the articles each is in, so that a build that reuses the shard can
// write the archive's word lists without its records. In a folder of its own, which the merge
// leaves alone (it takes Pagefind's scripts from a shard's top folder).
const WORDS_FILE = path.join("broadsheet", "words.json");
// A kept shard's records as Pagefind was given them ([url, html] in order), so that a build that
// changes one article's body can index the shard again without the rest of the site's model
// (src/cache/body-edits.ts).
const RECORDS_FILE = path.join("broadsheet", "records.json");

const utf8 = new TextDecoder();
const STOPPED = Symbol("stopped");
// A stop waits for the records in flight: Pagefind's process, cut off in the middle of its
// replies, panics on the broken pipe. While Pagefind writes the bundle, which cannot be cut
// short, the caller ends the thread from outside if it must.
let stopping = false;
/**
 * The volumes merged so far, one after another. A volume is merged as soon as its last shard is
 * written, while Pagefind indexes the next: at 100,000 articles, merging all ten at the end took
 * about 40 s after the last shard.
 */
let merging = Promise.resolve();
/** The archive's words as written, for the search page to correct misspelt ones (vocabulary.ts). */
const words = new WordCounter();
/** Records come in messages while the main thread makes them; they wait here for Pagefind. */
const waiting = [];
let wake = () => {};
// The kept shards of the volumes to be merged are read from the start, in the merges' order, while
// the others are indexed: at most 200, two volumes' worth at 10,000 articles a volume and 100 a
// shard, where an edit or a new article merges one. Each holds a shard's entry, metadata and
// filters, a few kilobytes a page, until its volume is merged.
const READ_AHEAD = 200;
// Until the plan comes, those the last build found most likely merged next (`workerData.readAhead`:
// the shards of the volumes it merged, then the newest volume's), most often the plan's. At 10,000
// articles (one volume) a one-body build read them once the plan came, where Pagefind waited 0.3 s
// behind them to index the one changed shard, and this thread was idle for 0.9 s before.
const readAhead = new ShardsReadAhead((workerData?.readAhead ?? []).slice(0, READ_AHEAD));
// The plan is the first message: the thread is started before the build knows it (src/search/index.ts, `SearchThread`).
let receivePlan = () => {};
const planned = new Promise((resolve) => (receivePlan = resolve));
parentPort.on("message", (message) => {
  if (message === "stop") stopping = true;
  else if (message.plan) receivePlan(message.plan);
  else waiting.push(...message.records);
  wake();
});
const { language, volumes, vocabularyReused, shards, keepShards, keptMetaPieces } = await planned;
// The newest volume's bundle, which the others are in.
const outputPath = volumes[0].outputPath;
// Where Pagefind writes each shard's bundle, until they are merged into `outputPath`.
const shardsDir = path.join(outputPath, "shards.partial");
readAhead.readInstead(
  shards
    .filter((shard) => shard.cached && !volumes[shard.volume].reused)
    .slice(0, READ_AHEAD)
    .map((shard) => shard.dir),
);
try {
  const errors = await buildIndex();
  // Stopped: the thread ends without a word.
  if (errors === STOPPED) process.exit(0);
  parentPort.postMessage({ errors });
} finally {
  // Listening for "stop" must not keep the thread alive once the index is written.
  parentPort.unref();
  await pagefind.close();
}

/**
 * Pagefind is given the records a shard at a time: one index of about `pagesPerShard` pages (shards.ts), written and
 * dropped before the next. Its memory and its time to write an index grow faster than the index:
 * at 10,000 articles, one index took 1.5 GB and 38 s, ten of 1,000 took 0.2 GB and 20 s. No shard
 * spans two volumes of the index (archive/volumes.ts); each volume's shards are then merged into one
 * bundle (compact-bundle.ts).
 * @returns {Promise<string[] | typeof STOPPED>} what Pagefind reported; empty when the bundle is written.
 */
async function buildIndex() {
  await rm(shardsDir, { recursive: true, force: true });
  try {
    return await indexInShards();
  } finally {
    await merging.catch(() => {});
    await rm(shardsDir, { recursive: true, force: true });
  }
}

/** Merges volume `number` from its shards, after the volumes already merging. */
function mergeVolume(shardDirs, number) {
  const { outputPath: bundleDir, newestNumber, reused, earlierPath, wordRecords } = volumes[number];
  if (reused) return;
  // Under serve each bundle is written over the live one; its files stay for pages that loaded it.
  // Only the bundle with the search code (the newest) has its metadata compressed in pieces, kept in one file.
  merging = merging.then(async () => compactBundle(bundleDir, { shards: shardDirs, newestNumber, searchCode: number === 0, keep: await listedFiles(bundleDir), keepShards, keptMetaPieces, earlierBundle: earlierPath, wordRecords, readAhead }));
  // A failure is reported once the thread waits for the merges; meanwhile it is not unhandled.
  merging.catch(() => {});
}

/** @returns {Promise<string[] | typeof STOPPED>} */
async function indexInShards() {
  const shardDirs = volumes.map(() => []);
  for (const [number, shard] of shards.entries()) {
    if (stopping) break;
    const dir = shard.dir ?? path.join(shardsDir, String(number));
    if (!shard.cached) {
      const errors = await indexShard(shard.articles, dir);
      if (errors === STOPPED) break;
      if (errors.length > 0) return errors;
    } else if (!vocabularyReused) {
      words.addCounts(JSON.parse(await readFile(path.join(dir, WORDS_FILE), "utf8")));
    }
    shardDirs[shard.volume].push(dir);
    const lastOfVolume = shards[number + 1]?.volume !== shard.volume;
    if (lastOfVolume && shard.volume < volumes.length - 1) mergeVolume(shardDirs[shard.volume], shard.volume);
  }
  // Pagefind's process goes before the last volume is merged: the merge keeps this thread from
  // hearing "stop" for seconds, and a thread stopped from outside could no longer close the process.
  await pagefind.close();
  if (stopping) return STOPPED;
  mergeVolume(shardDirs.at(-1), volumes.length - 1);
  await merging;
  // One list of the whole archive's words, in the newest volume's bundle: a word found only in
  // older volumes is corrected too, and the search then widens to every volume as it does for any
  // word the newest volume has too few results for.
  if (!vocabularyReused) await writeVocabulary(outputPath, words.articles);
  await removeVolumesAfter(volumes.length);
  return [];
}

/**
 * Indexes the next `articles` records as one Pagefind index and writes it to `dir`, under another
 * name first when `dir` is kept in the cache, so that a shard there is always whole.
 * @returns {Promise<string[] | typeof STOPPED>}
 */
async function indexShard(articles, dir) {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: language });
  if (!index) return errors;
  const shardWords = new WordCounter();
  /** @type {[string, string][]} */
  const records = [];
  try {
    let added = 0;
    while (added < articles && !stopping) {
      if (waiting.length === 0) {
        await new Promise((resolve) => (wake = resolve));
        continue;
      }
      // The thread's copy of each record goes as soon as Pagefind has it.
      const batch = waiting.splice(0, Math.min(BATCH, articles - added));
      const responses = await Promise.all(
        batch.map(({ url, content }) => {
          const html = utf8.decode(content);
          shardWords.add(html);
          if (keepShards) records.push([url, html]);
          return index.addHTMLFile({ url, content: html });
        }),
      );
      const failed = responses.flatMap((response) => response.errors);
      if (failed.length > 0) return failed;
      added += batch.length;
    }
    if (stopping) return STOPPED;
    const written = keepShards ? `${dir}.partial-${process.pid}-${randomBytes(4).toString("hex")}` : dir;
    const { errors } = await index.writeFiles({ outputPath: written });
    if (errors.length > 0) return errors;
    words.addCounts(shardWords.articles);
    if (keepShards) {
      await mkdir(path.join(written, path.dirname(WORDS_FILE)));
      await writeFile(path.join(written, WORDS_FILE), JSON.stringify([...shardWords.articles]));
      await writeFile(path.join(written, RECORDS_FILE), JSON.stringify(records));
    }
    if (written !== dir) {
      // Another build may have written the same shard meanwhile: the same records, the same files.
      await rename(written, dir).catch(() => rm(written, { recursive: true, force: true }));
    }
    return [];
  } finally {
    await index.deleteIndex();
  }
}

/**
 * After articles are deleted (under serve, or in the earlier site a build stages in), removes the
 * volumes the index no longer has, and their folder once it holds none, as a build from nothing has none.
 */
async function removeVolumesAfter(count) {
  const volumesDir = path.join(outputPath, "volumes");
  const names = await readdir(volumesDir).catch(() => []);
  await Promise.all(names.filter((name) => !(Number(name) < count)).map((name) => rm(path.join(volumesDir, name), { recursive: true, force: true })));
  await rmdir(volumesDir).catch(() => {
    // Not empty: older volumes are in it; or there is none.
  });
}
