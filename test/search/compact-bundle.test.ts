import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { decode, encode } from "cborg";
import * as pagefind from "pagefind";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PACKAGE_ROOT } from "../../src/package.ts";
import { compactBundle, listedFiles, ShardsReadAhead } from "../../src/search/compact-bundle.ts";
import { BUNDLE_FILES, BUNDLE_FOLDERS, bundleFile, ENTRY_FILE, readBundleFile, readEntry, readFilterFile, readMeta, wasmFile } from "../../src/search/pagefind-format.ts";
import { bundleContents, writePagefindBundle } from "../helpers/pagefind-bundle.ts";

const STORIES = [
  "Ferry timetable changes for the winter crossing",
  "Herons return to the wetland reserve in record numbers",
  "The council reports on the ferry terminal's repairs",
  "Reporters visit the lighthouse keeper's cottage",
  "A citizen's guide to the harbour festival",
];

/**
 * Everything a search can reach from the entry, and every bundle file on disk, read with the
 * format module's readers (test/search/pagefind-format.test.ts checks them against Pagefind). The
 * index files are decoded whole, with cborg, rather than with the byte-range reader the merge
 * uses, so that the merge is checked against a second reading of the words.
 */
async function readBundle(bundle: string) {
  const entry = await readEntry(bundle);
  const { pages, chunks, filters, sorts, fields } = await readMeta(bundle, entry.languages.en!.hash);
  const indexFiles = await Promise.all(chunks.map(async ([, , hash]) => (decode(await readBundleFile(path.join(bundle, bundleFile("index", hash))), { useMaps: false }) as unknown[])[0] as IndexedWord[]));
  const files = indexFiles.map((words) => words.map(([word]) => word));
  const filterFiles = await Promise.all(filters.map(async ([name, hash]) => [name, await readFilterFile(path.join(bundle, bundleFile("filter", hash)), name)] as const));
  const fragments = await Promise.all(pages.map(async ([name]) => (await readBundleFile(path.join(bundle, bundleFile("fragment", name)))).toString()));
  const urls = fragments.map((fragment) => (JSON.parse(fragment) as { url: string }).url);
  const urlsOf = (numbers: number[]) => numbers.map((page) => urls[page]).sort();
  const list = async (folder: string) => (await readdir(path.join(bundle, folder))).sort();
  return {
    entry,
    pages,
    sorts,
    fields,
    chunks,
    filters,
    files,
    /** The page of each number. */
    urls,
    indexed: indexFiles.flat(),
    /** Each word of the index and each of its spellings with diacritics, with the pages it is on, by number. */
    words: new Map(indexFiles.flat().flatMap(([word, pages, variants]) => [[word, pageNumbers(pages)] as const, ...variants.map(([spelling, variantPages]) => [spelling, pageNumbers(variantPages)] as const)])),
    /** Each filter's values, with the pages that have them. */
    filterValues: Object.fromEntries(filterFiles.map(([name, values]) => [name, Object.fromEntries(values.map(([value, numbers]) => [value, urlsOf(numbers)]))])),
    fragments,
    wasm: await readBundleFile(path.join(bundle, wasmFile(entry.languages.en!.wasm))),
    onDisk: { index: await list("index"), fragment: await list("fragment"), filter: await list("filter"), meta: (await list("")).filter((file) => file.endsWith(BUNDLE_FILES.meta.extension)) },
  };
}
type Bundle = Awaited<ReturnType<typeof readBundle>>;

/** A word of an index file: [word, pages, variants]; each page is [number counted from the one before, locations, meta locations]. */
type IndexedWord = [word: string, pages: [number, unknown, unknown][], variants: [spelling: string, pages: [number, unknown, unknown][]][]];

function pageNumbers(pages: [number, unknown, unknown][]): number[] {
  let page = 0;
  return pages.map(([delta]) => (page += delta));
}

/**
 * Every word and spelling of the index with, for each page it is on (by address), its locations
 * and meta locations as Pagefind wrote them.
 */
function pageFacts(bundle: Bundle): Record<string, Record<string, string>> {
  const facts: Record<string, Record<string, string>> = {};
  const add = (word: string, pages: [number, unknown, unknown][]) => {
    const numbers = pageNumbers(pages);
    facts[word] = Object.fromEntries(pages.map(([, locations, metaLocations], index) => [bundle.urls[numbers[index]!]!, JSON.stringify([locations, metaLocations])]));
  };
  for (const [word, pages, variants] of bundle.indexed) {
    add(word, pages);
    for (const [spelling, variantPages] of variants) add(`${word} as ${spelling}`, variantPages);
  }
  return facts;
}

/** The metadata, index, fragment and filter files on disk, relative to the bundle. */
async function bundleFiles(bundle: string): Promise<string[]> {
  const folders = await Promise.all(["", ...BUNDLE_FOLDERS].map(async (folder) => (await readdir(path.join(bundle, folder))).map((name) => path.join(folder, name))));
  return folders.flat().filter((file) => file.includes(path.sep) || file.endsWith(BUNDLE_FILES.meta.extension)).sort();
}

/** The bundle holds exactly the files its metadata lists. */
function expectNothingLeftOver(after: Bundle) {
  expect(after.onDisk).toEqual({
    index: after.chunks.map(([, , hash]) => path.basename(bundleFile("index", hash))).sort(),
    fragment: after.pages.map(([name]) => path.basename(bundleFile("fragment", name))).sort(),
    filter: after.filters.map(([, hash]) => path.basename(bundleFile("filter", hash))).sort(),
    meta: [bundleFile("meta", after.entry.languages.en!.hash)],
  });
}

describe("compacting a bundle Pagefind wrote", () => {
  let scratch: string;
  let bundle: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-compact-bundle-"));
    bundle = path.join(scratch, "pagefind");
    await writePagefindBundle(bundle, STORIES);
  });

  afterAll(async () => {
    await pagefind.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  test("the same words in smaller files, each inside its file's range, the same fragments under counted names, and no file left over", async () => {
    const before = await readBundle(bundle);
    await compactBundle(bundle, { locationsPerFile: 5 });
    const after = await readBundle(bundle);
    expect(after.files.length).toBeGreaterThan(before.files.length + 3);
    expectWellCut(before, after);
    // Numbered from the oldest, 0: the first page, the newest, has the highest number.
    expect(after.pages.map(([name]) => name)).toEqual(STORIES.map((_, page) => expect.stringMatching(new RegExp(`^en_[0-9a-f]{8}_${STORIES.length - 1 - page}$`))));
    expect(new Set(after.pages.map(([name]) => name.slice(0, 12))).size).toBe(1);
    expectSamePages(before, after);
    expectNothingLeftOver(after);
    // The search code every search fetches is compressed harder than zlib can. (So is the
    // metadata, in pieces of its real size, but not in a bundle this small: pieced-gzip.test.ts.)
    const code = wasmFile(after.entry.languages.en!.wasm);
    const packed = await readFile(path.join(bundle, code));
    expect(packed.length, code).toBeLessThan(gzipSync(gunzipSync(packed), { level: 9 }).length);
  });

  test("a compacted bundle can be compacted again", async () => {
    const before = await readBundle(bundle);
    expect(before.files.length).toBeGreaterThan(3);
    await compactBundle(bundle, { locationsPerFile: 12 });
    const after = await readBundle(bundle);
    expect(after.files.length).toBeLessThan(before.files.length);
    expectWellCut(before, after);
    expectSamePages(before, after);
    expectNothingLeftOver(after);
  });

  function expectWellCut(before: Bundle, after: Bundle) {
    expect(after.files.flat()).toEqual(before.files.flat());
    expect(after.files.length).not.toBe(before.files.length);
    // The filters have the same values, the fields are as Pagefind wrote them, and there is no sort.
    expect(after.filterValues).toEqual(before.filterValues);
    expect(after.sorts).toEqual([]);
    expect(after.fields).toEqual(before.fields);
    after.files.forEach((words, file) => {
      for (const word of words) expect(after.chunks.find(([from, to]) => word >= from && word <= to)?.[2], word).toBe(after.chunks[file]![2]);
    });
  }

  /** Each page has its word count and its fragment, under a new name, and is numbered in the archive's order. */
  function expectSamePages(before: Bundle, after: Bundle) {
    const byUrl = (bundle: Bundle) => Object.fromEntries(bundle.urls.map((url, page) => [url, { words: bundle.pages[page]![1], fragment: bundle.fragments[page] }]));
    expect(byUrl(after)).toEqual(byUrl(before));
    expect(after.urls).toEqual(STORIES.map((_, number) => `/story-${number}/`));
    expect(after.pages.map(([name]) => name).filter((name) => before.pages.some(([old]) => old === name))).toEqual([]);
    expect(after.wasm).toEqual(before.wasm);
  }

  test("a bundle of another Pagefind version is left alone, with what to do", async () => {
    const entryFile = path.join(bundle, ENTRY_FILE);
    const entry = await readFile(entryFile, "utf8");
    // The version Broadsheet knows is the one its package.json pins; the next minor one is another.
    const pinned = (JSON.parse(await readFile(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { dependencies: { pagefind: string } }).dependencies.pagefind;
    const [major, minor] = pinned.split(".").map(Number);
    const other = `${major}.${minor! + 1}.0`;
    expect(JSON.parse(entry).version).toBe(pinned);
    await writeFile(entryFile, entry.replace(`"version":"${pinned}"`, `"version":"${other}"`));
    await expect(compactBundle(bundle, { locationsPerFile: 5 })).rejects.toThrow(
      `${entryFile}: it was written by Pagefind ${other}. Broadsheet rewrites parts of Pagefind's search bundle and knows the files of Pagefind ${pinned} only; install that version beside Broadsheet: npm install pagefind@${pinned}.`,
    );
    await writeFile(entryFile, entry);
  });

  test("a file that is not Pagefind's is reported by name, with what to do", async () => {
    const { chunks } = await readBundle(bundle);
    const file = path.join(bundle, bundleFile("index", chunks[0]![2]));
    await writeFile(file, gzipSync(Buffer.concat([Buffer.from("not_pagefind"), encode([[]])])));
    await expect(compactBundle(bundle, { locationsPerFile: 5 })).rejects.toThrow(`${file}: it does not start with Pagefind's signature. Broadsheet rewrites`);
  });
});

describe("merging shards", () => {
  // Words that are on pages of every shard, a word on one page only, and spellings with diacritics.
  const NEWS = [
    "Ferry timetable changes for the winter crossing",
    "The café on the ferry quay reopens",
    "Herons return to the wetland reserve",
    "A cafe owner's guide to the harbour festival",
    "The ferry terminal's repairs are finished",
    "Müller wins the regatta; Muller comes second",
    "Reporters visit the lighthouse keeper",
    "The zeppelin over the harbour was a balloon",
  ];
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-merge-shards-"));
  });

  afterAll(async () => {
    await pagefind.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  /** Pagefind writes the stories in shards of `perShard`, which are merged into one bundle. */
  async function merged(folder: string, stories: string[], perShard: number, positions = stories.map((_, number) => number)): Promise<string> {
    const bundle = path.join(scratch, folder);
    const shards: string[] = [];
    for (let first = 0; first < stories.length; first += perShard) {
      const shard = path.join(scratch, `${folder}-shards`, String(shards.length));
      await writePagefindBundle(shard, stories.slice(first, first + perShard), { first, positions: positions.slice(first, first + perShard) });
      shards.push(shard);
    }
    await compactBundle(bundle, { shards, locationsPerFile: 8 });
    return bundle;
  }

  test("shards merge into the same bundle, byte for byte, as one index of all the pages", async () => {
    const whole = await bundleContents(await merged("whole", NEWS, NEWS.length));
    for (const perShard of [1, 3]) {
      const sharded = await bundleContents(await merged(`in-${perShard}`, NEWS, perShard));
      expect(Object.keys(sharded).sort(), `shards of ${perShard}`).toEqual(Object.keys(whole).sort());
      for (const [file, bytes] of Object.entries(whole)) expect(sharded[file]!.equals(bytes), `${file}, shards of ${perShard}`).toBe(true);
    }
    const bundle = await readBundle(path.join(scratch, "in-3"));
    expect(bundle.urls).toEqual(NEWS.map((_, number) => `/story-${number}/`));
    // A word's pages across shards, by its stem; spellings with diacritics are under the plain one.
    expect(bundle.words.get("ferri")).toEqual([0, 1, 4]);
    expect(bundle.words.get("zeppelin")).toEqual([7]);
    expect(bundle.words.get("cafe")).toEqual([3]);
    expect(bundle.words.get("café")).toEqual([1]);
    expect([bundle.words.get("muller"), bundle.words.get("müller")]).toEqual([[5], [5]]);
    expect(bundle.filterValues).toEqual({ year: { "2020": ["/story-0/", "/story-3/", "/story-6/"], "2021": ["/story-1/", "/story-4/", "/story-7/"], "2022": ["/story-2/", "/story-5/"] } });
    expect(await readdir(path.join(scratch, "in-3"))).toEqual(expect.arrayContaining(["pagefind.js", "pagefind-worker.js", wasmFile("en")]));
  });

  test("the merged bundle holds, page by page, what one index Pagefind wrote of all the pages holds", async () => {
    // Spellings with diacritics in several shards, and Pagefind given each shard in reverse.
    const stories = [...NEWS, "Cafés and the café owners' ferry", "Naïve müller, naive muller", "Another café, another ferry"];
    const wholeDir = path.join(scratch, "pagefind-whole");
    await writePagefindBundle(wholeDir, stories);
    const perShard = 4;
    const positions = stories.map((_, number) => {
      const first = number - (number % perShard);
      return first + Math.min(perShard, stories.length - first) - 1 - (number - first);
    });
    const merged_ = await readBundle(await merged("page-by-page", stories, perShard, positions));
    const whole = await readBundle(wholeDir);
    expect(pageFacts(merged_)).toEqual(pageFacts(whole));
    expect(merged_.filterValues).toEqual(whole.filterValues);
    expect(merged_.urls).toEqual(positions.map((_, place) => `/story-${positions.indexOf(place)}/`));
  });

  test("a shard of no pages is left out, and with nothing but such shards the bundle has no index", async () => {
    const empty = path.join(scratch, "empty-shards", "empty");
    await writePagefindBundle(empty, []);
    const story = path.join(scratch, "empty-shards", "story");
    await writePagefindBundle(story, NEWS.slice(0, 2));
    const bundle = path.join(scratch, "with-empty");
    await compactBundle(bundle, { shards: [empty, story, empty] });
    expect((await readBundle(bundle)).urls).toEqual(["/story-0/", "/story-1/"]);
    const nothing = path.join(scratch, "only-empty");
    await compactBundle(nothing, { shards: [empty] });
    expect(JSON.parse(await readFile(path.join(nothing, ENTRY_FILE), "utf8")).languages).toEqual({});
  });

  test("a merge that fails under serve leaves the live bundle as it was, without the new index's files", async () => {
    const live = await merged("failing", NEWS, 3);
    const before = { entry: await readFile(path.join(live, ENTRY_FILE), "utf8"), files: await bundleFiles(live) };
    const shard = path.join(scratch, "failing-next", "0");
    await writePagefindBundle(shard, [...NEWS, "Harbour lights are switched on for winter"]);
    const { chunks } = await readMeta(shard, (await readEntry(shard)).languages.en!.hash);
    await writeFile(path.join(shard, bundleFile("index", chunks[0]![2])), gzipSync(Buffer.from("not an index")));
    await expect(compactBundle(live, { shards: [shard], keep: await listedFiles(live) })).rejects.toThrow(/does not start with Pagefind's signature/);
    expect(await readFile(path.join(live, ENTRY_FILE), "utf8")).toBe(before.entry);
    expect(await bundleFiles(live)).toEqual(before.files);
  });

  test("a merge links the word index files an earlier merge wrote with the same data, and writes the others", async () => {
    const shards = [path.join(scratch, "earlier-shards", "0"), path.join(scratch, "earlier-shards", "1")];
    await writePagefindBundle(shards[0]!, NEWS.slice(0, 4));
    await writePagefindBundle(shards[1]!, NEWS.slice(4), { first: 4 });
    const mergeInto = async (folder: string, earlierBundle?: string) => {
      const bundle = path.join(scratch, folder);
      await compactBundle(bundle, { shards, locationsPerFile: 8, keepShards: true, earlierBundle });
      return bundle;
    };
    const earlier = await mergeInto("earlier-first");
    const indexFiles = (await readdir(path.join(earlier, "index"))).sort();
    expect(indexFiles.length).toBeGreaterThan(2);
    const inode = async (bundle: string, file: string) => (await stat(path.join(bundle, "index", file))).ino;

    const again = await mergeInto("earlier-again", earlier);
    const expected = await bundleContents(earlier);
    expect(await bundleContents(again)).toEqual(expected);
    for (const file of indexFiles) expect(await inode(again, file), file).toBe(await inode(earlier, file));

    // A file under the same name that holds other data is not taken: it is compressed again.
    const [changed, ...same] = indexFiles;
    // A file of its own: the one there is a link to the earlier bundle's.
    await rm(path.join(again, "index", changed!));
    await writeFile(path.join(again, "index", changed!), gzipSync(Buffer.from("other data under the same name")));
    const third = await mergeInto("earlier-third", again);
    expect(await bundleContents(third)).toEqual(expected);
    expect(await inode(third, changed!)).not.toBe(await inode(again, changed!));
    for (const file of same) expect(await inode(third, file), file).toBe(await inode(again, file));
  });

  test("shards read ahead merge into the same bundle as shards the merge reads, each read once; one that cannot be read is reported by its merge", async () => {
    const shards = [0, 1, 2].map((number) => path.join(scratch, "ahead-shards", String(number)));
    for (const [number, shard] of shards.entries()) await writePagefindBundle(shard, NEWS.slice(number * 3, number * 3 + 3), { first: number * 3 });
    const readAhead = new ShardsReadAhead(shards);
    // The entries and filters read ahead are the ones merged: without them on disk, the merge still has them.
    const entries = await Promise.all(shards.map((shard) => readFile(path.join(shard, ENTRY_FILE))));
    const filterFiles = (await Promise.all(shards.map(async (shard) => (await readdir(path.join(shard, "filter"))).map((name) => path.join(shard, "filter", name))))).flat();
    expect(filterFiles.length).toBeGreaterThanOrEqual(shards.length);
    const filterBytes = await Promise.all(filterFiles.map((file) => readFile(file)));
    await readAhead.settled();
    for (const shard of shards) await rm(path.join(shard, ENTRY_FILE));
    for (const file of filterFiles) await rm(file);
    const ahead = path.join(scratch, "ahead");
    await compactBundle(ahead, { shards, locationsPerFile: 8, keepShards: true, readAhead });
    for (const [number, file] of filterFiles.entries()) await writeFile(file, filterBytes[number]!);
    // Each shard was handed out once: a second merge reads the shards, and finds no entry.
    await expect(compactBundle(path.join(scratch, "ahead-twice"), { shards, locationsPerFile: 8, keepShards: true, readAhead })).rejects.toThrow(ENTRY_FILE);
    for (const [number, shard] of shards.entries()) await writeFile(path.join(shard, ENTRY_FILE), entries[number]!);
    const read = path.join(scratch, "ahead-read");
    await compactBundle(read, { shards, locationsPerFile: 8, keepShards: true });
    expect(await bundleContents(ahead)).toEqual(await bundleContents(read));

    // Read a few at a time, in the order given: all of them in the end, each handed out once.
    const several = new ShardsReadAhead([...shards, ...shards], 1);
    await several.settled();
    for (const shard of shards) await rm(path.join(shard, ENTRY_FILE));
    const entriesRead = await Promise.all(shards.map((shard) => several.take(shard)));
    expect(entriesRead.map((shard) => shard.entry)).toEqual(entries.map((entry) => JSON.parse(entry.toString())));
    await expect(several.take(shards[0]!)).rejects.toThrow(ENTRY_FILE);
    for (const [number, shard] of shards.entries()) await writeFile(path.join(shard, ENTRY_FILE), entries[number]!);

    // Begun with a guess (a thread waiting for its plan), then told which shards it merges: a
    // shard of both is read once, before, and handed out; one of the guess alone is dropped, and
    // read anew if a merge asks for it; one of the plan alone is read now; and one whose reading
    // failed (not there yet when guessed) is read again.
    const late = path.join(scratch, "ahead-shards", "late");
    const guessed = new ShardsReadAhead([shards[0]!, shards[1]!, late]);
    await guessed.settled();
    await writePagefindBundle(late, NEWS.slice(0, 2), { first: 0 });
    const lateEntry = JSON.parse((await readFile(path.join(late, ENTRY_FILE))).toString());
    for (const shard of shards.slice(0, 2)) await rm(path.join(shard, ENTRY_FILE));
    guessed.readInstead([shards[1]!, late, shards[2]!]);
    await guessed.settled();
    await rm(path.join(shards[2]!, ENTRY_FILE));
    expect((await guessed.take(shards[1]!)).entry).toEqual(JSON.parse(entries[1]!.toString()));
    expect((await guessed.take(late)).entry).toEqual(lateEntry);
    expect((await guessed.take(shards[2]!)).entry).toEqual(JSON.parse(entries[2]!.toString()));
    await expect(guessed.take(shards[0]!)).rejects.toThrow(ENTRY_FILE);
    for (const [number, shard] of shards.entries()) await writeFile(path.join(shard, ENTRY_FILE), entries[number]!);
    // One that fails again is reported by its merge, not as a rejection nobody handled meanwhile
    // (which ends a worker thread): waited for by a timer, which handles nothing.
    const never = path.join(scratch, "ahead-shards", "never");
    const unread = new ShardsReadAhead([never]);
    await unread.settled();
    unread.readInstead([never]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(unread.take(never)).rejects.toThrow(ENTRY_FILE);

    // A shard that is not there: no unhandled rejection while no merge takes it, then its merge fails.
    const missing = path.join(scratch, "ahead-shards", "missing");
    const notThere = new ShardsReadAhead([missing]);
    await notThere.settled();
    await expect(compactBundle(path.join(scratch, "ahead-missing"), { shards: [missing], keepShards: true, readAhead: notThere })).rejects.toThrow(missing);
  });

  test("pages are numbered in the archive's order, whatever order Pagefind numbered them in", async () => {
    // Each shard is a slice of the archive, given to Pagefind in reverse: stories 2, 1, 0 are the
    // archive's first three, 5, 4, 3 the next, then 7, 6.
    const positions = NEWS.map((_, number) => {
      const first = number - (number % 3);
      return first + Math.min(3, NEWS.length - first) - 1 - (number - first);
    });
    const bundle = await readBundle(await merged("reversed", NEWS, 3, positions));
    expect(bundle.urls).toEqual([2, 1, 0, 5, 4, 3, 7, 6].map((number) => `/story-${number}/`));
    expect(bundle.words.get("zeppelin")).toEqual([6]);
    expect(bundle.words.get("ferri")).toEqual([1, 2, 4]);
    expect(bundle.filterValues.year).toEqual((await readBundle(path.join(scratch, "whole"))).filterValues.year);
  });
});

describe("names across builds", () => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-fragment-names-"));
  });

  afterAll(async () => {
    await pagefind.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  test("the same pages get the same names; a changed page renames every fragment", async () => {
    const compacted = async (folder: string, stories: string[]) => {
      await writePagefindBundle(path.join(scratch, folder), stories);
      await compactBundle(path.join(scratch, folder));
      return readBundle(path.join(scratch, folder));
    };
    const first = await compacted("first", STORIES);
    const again = await compacted("again", STORIES);
    const changed = await compacted("changed", STORIES.map((story, page) => (page === 2 ? `${story} again` : story)));
    expect(again.onDisk).toEqual(first.onDisk);
    expect(again.entry).toEqual(first.entry);
    const names = (bundle: Bundle) => bundle.pages.map(([name]) => name);
    expect(names(changed).filter((name) => names(first).includes(name))).toEqual([]);
  });

  test("under serve, a new index written over the old one keeps the old one's files for open pages, and no older ones", async () => {
    const bundle = path.join(scratch, "served");
    const reindex = async (stories: string[]) => {
      const live = await listedFiles(bundle);
      await writePagefindBundle(bundle, stories);
      await compactBundle(bundle, { keep: live });
      return { live, bundle: await readBundle(bundle) };
    };
    const first = await reindex(STORIES);
    expect(first.live.size).toBe(0);
    expectNothingLeftOver(first.bundle);
    const second = await reindex([...STORIES, "Harbour lights are switched on for winter"]);
    expect(second.bundle.pages.length).toBe(first.bundle.pages.length + 1);
    // The first index's files are all still there, for a search page that loaded it.
    expect(await bundleFiles(bundle)).toEqual(expect.arrayContaining([...second.live]));
    const third = await reindex([...STORIES, "The harbour lights stay on until spring"]);
    // Now only the third's and the second's are.
    expect(await bundleFiles(bundle)).toEqual([...new Set([...third.live, ...(await listedFiles(bundle))])].sort());
  });

  test("a fragment cut short by a stop is written again by the next index of the same pages", async () => {
    const bundle = path.join(scratch, "cut-short");
    await writePagefindBundle(bundle, STORIES);
    await compactBundle(bundle);
    const whole = await readBundle(bundle);
    const fragment = path.join(bundle, bundleFile("fragment", whole.pages[0]![0]));
    await truncate(fragment, 10);
    await writePagefindBundle(bundle, STORIES);
    await compactBundle(bundle, { keep: await listedFiles(bundle) });
    const again = await readBundle(bundle);
    expect(again.pages).toEqual(whole.pages);
    expect(again.fragments).toEqual(whole.fragments);
    expect((await stat(fragment)).size).toBeGreaterThan(10);
  });
});
