import { createHash } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import * as pagefind from "pagefind";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compactBundle } from "../../src/search/compact-bundle.ts";
import { bundleFile, readEntry, readMeta } from "../../src/search/pagefind-format.ts";
import { bundleContents, writePagefindBundle } from "../helpers/pagefind-bundle.ts";

// Words on pages of every shard, words on one page only, and spellings with diacritics.
const NEWS = [
  "Ferry timetable changes for the winter crossing",
  "The café on the ferry quay reopens",
  "Herons return to the wetland reserve",
  "A cafe owner's guide to the harbour festival",
  "The ferry terminal's repairs are finished",
  "Müller wins the regatta; Muller comes second",
  "Reporters visit the lighthouse keeper",
  "The zeppelin over the harbour was a balloon",
  "Cafés and the café owners' ferry",
  "Naïve müller, naive muller",
  "The harbour master retires after forty winters",
  "Lighthouse lamps are cleaned before the storm",
  "A storm closes the quay for a day",
  "The regatta returns to the harbour in spring",
  "Herons nest by the lighthouse again",
  "The last ferry of the winter leaves at dusk",
];
const PER_SHARD = 2;
// Small files, so that the index has many and a patch keeps most.
const LOCATIONS_PER_FILE = 6;

describe("patching an earlier merge's word index", () => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-patch-words-"));
  });

  afterAll(async () => {
    await pagefind.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  /**
   * Writes each shard of `stories` into `cache` as a build keeps them, in a folder named by what it
   * holds (a shard the same as before is the same folder), and returns the folders in order.
   */
  async function shardsOf(cache: string, stories: string[]): Promise<string[]> {
    const shards: string[] = [];
    for (let first = 0; first < stories.length; first += PER_SHARD) {
      const slice = stories.slice(first, first + PER_SHARD);
      const shard = path.join(cache, createHash("sha256").update(JSON.stringify([first, slice])).digest("hex").slice(0, 16));
      await stat(shard).catch(() => writePagefindBundle(shard, slice, { first }));
      shards.push(shard);
    }
    return shards;
  }

  /** Merges `shards` into `folder`, recording its word index as `record`; patching `earlier`'s, if given. */
  async function merge(folder: string, shards: string[], record: string, earlier?: { bundle: string; record: string }): Promise<string> {
    const bundle = path.join(scratch, folder);
    await compactBundle(bundle, { shards, locationsPerFile: LOCATIONS_PER_FILE, keepShards: true, earlierBundle: earlier?.bundle, wordRecords: { earlier: earlier?.record, keep: record } });
    return bundle;
  }

  /** The index files of the shards in `cache` that are not among `keep`, removed: a merge that still reads them fails. */
  async function removeWordsOfShards(cache: string, keep: string[]): Promise<void> {
    for (const name of await readdir(cache)) {
      if (keep.includes(path.join(cache, name))) continue;
      await rm(path.join(cache, name, "index"), { recursive: true });
    }
  }

  const changes: [string, (stories: string[]) => string[]][] = [
    ["a word added at the end of a story", (stories) => stories.map((story, number) => (number === 7 ? `${story} zeppelins` : story))],
    ["the first shard's story rewritten, a word new to the archive in it", (stories) => stories.map((story, number) => (number === 0 ? "Quayside xylophones greet the winter ferry" : story))],
    ["the last shard's story losing the only page of a word, and a spelling with diacritics", (stories) => stories.map((story, number) => (number === 15 ? "The last café of the winter closes" : number === 8 ? "The owners' ferry" : story))],
    ["a spelling with diacritics gained where the plain one was", (stories) => stories.map((story, number) => (number === 3 ? "A café owner's guide to the harbour festival" : story))],
    // Pagefind keeps U+FEFF inside a word: "\uFEFFferri" is another word than "ferri".
    ["a word that begins with U+FEFF, beside the same word without it", (stories) => stories.map((story, number) => (number === 6 ? "Reporters visit the \uFEFFferry keeper" : story))],
  ];

  test.each(changes)("%s: the patched index is byte for byte what merging every shard writes", async (name, change) => {
    const folder = name.replace(/\W+/g, "-");
    const cache = path.join(scratch, `${folder}-shards`);
    const records = path.join(scratch, `${folder}-records`);
    const before = await shardsOf(cache, NEWS);
    const earlier = await merge(`${folder}-earlier`, before, path.join(records, "earlier.json"));
    const after = await shardsOf(cache, change(NEWS));
    const changed = after.filter((shard) => !before.includes(shard));
    expect(changed.length).toBeGreaterThan(0);
    const whole = await merge(`${folder}-whole`, after, path.join(records, "whole.json"));

    // Only the changed shards' words are read, then and now: the others' are gone.
    await removeWordsOfShards(cache, [...changed, ...before.filter((shard) => !after.includes(shard))]);
    const patched = await merge(`${folder}-patched`, after, path.join(records, "patched.json"), { bundle: earlier, record: path.join(records, "earlier.json") });
    const [expected, actual] = [await bundleContents(whole), await bundleContents(patched)];
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const [file, bytes] of Object.entries(expected)) expect(actual[file]!.equals(bytes), file).toBe(true);
    // What the patch wrote is recorded as a whole merge records it, for the next patch.
    expect(JSON.parse(await readFile(path.join(records, "patched.json"), "utf8"))).toEqual(JSON.parse(await readFile(path.join(records, "whole.json"), "utf8")));
    // The files whose words all stayed are the earlier merge's, linked.
    const { chunks } = await readMeta(patched, (await readEntry(patched)).languages.en!.hash);
    const earlierChunks = new Set((await readMeta(earlier, (await readEntry(earlier)).languages.en!.hash)).chunks.map(([, , hash]) => hash));
    const kept = chunks.filter(([, , hash]) => earlierChunks.has(hash));
    expect(kept.length).toBeGreaterThan(chunks.length / 2);
    for (const [, , hash] of kept) expect((await stat(path.join(patched, bundleFile("index", hash)))).ino, hash).toBe((await stat(path.join(earlier, bundleFile("index", hash)))).ino);
  });

  test("a patch of a patch, two shards changed at once, is what merging every shard writes", async () => {
    const cache = path.join(scratch, "twice-shards");
    const records = path.join(scratch, "twice-records");
    const first = await merge("twice-first", await shardsOf(cache, NEWS), path.join(records, "first.json"));
    const once = NEWS.map((story, number) => (number === 4 ? `${story} at last` : story));
    const second = await merge("twice-second", await shardsOf(cache, once), path.join(records, "second.json"), { bundle: first, record: path.join(records, "first.json") });
    const twice = once.map((story, number) => (number === 9 ? "Naive muller" : number === 12 ? `${story}, and the regatta with it` : story));
    const shards = await shardsOf(cache, twice);
    const whole = await merge("twice-whole", shards, path.join(records, "whole.json"));
    const earlierShards = await shardsOf(cache, once);
    await removeWordsOfShards(cache, [...shards.filter((shard) => !earlierShards.includes(shard)), ...earlierShards.filter((shard) => !shards.includes(shard))]);
    const patched = await merge("twice-patched", shards, path.join(records, "patched.json"), { bundle: second, record: path.join(records, "second.json") });
    expect(await bundleContents(patched)).toEqual(await bundleContents(whole));
  });

  test("an earlier index that is not what its record says is not patched: every shard is merged again", async () => {
    const cache = path.join(scratch, "unlike-shards");
    const records = path.join(scratch, "unlike-records");
    const earlier = await merge("unlike-earlier", await shardsOf(cache, NEWS), path.join(records, "earlier.json"));
    const changed = NEWS.map((story, number) => (number === 7 ? `${story} zeppelins` : story));
    const shards = await shardsOf(cache, changed);
    const whole = await bundleContents(await merge("unlike-whole", shards, path.join(records, "whole.json")));
    // Every index file of the earlier bundle holds other data under its name.
    const { chunks } = await readMeta(earlier, (await readEntry(earlier)).languages.en!.hash);
    for (const [, , hash] of chunks) await writeFile(path.join(earlier, bundleFile("index", hash)), gzipSync(Buffer.from("other data under the same name")));
    const patched = await merge("unlike-patched", shards, path.join(records, "patched.json"), { bundle: earlier, record: path.join(records, "earlier.json") });
    expect(await bundleContents(patched)).toEqual(whole);

    // Nor is one merged from shards of other sizes than its record's (an article added to the volume).
    const copy = path.join(scratch, "unlike-earlier-copy");
    await cp(path.join(scratch, "unlike-whole"), copy, { recursive: true });
    const added = [...changed, "Harbour lights are switched on for winter"];
    const grown = await shardsOf(cache, added);
    const grownWhole = await bundleContents(await merge("unlike-grown-whole", grown, path.join(records, "grown-whole.json")));
    const grownPatched = await merge("unlike-grown-patched", grown, path.join(records, "grown-patched.json"), { bundle: copy, record: path.join(records, "whole.json") });
    expect(await bundleContents(grownPatched)).toEqual(grownWhole);
  });
});
