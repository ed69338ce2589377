import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { decode, encode } from "cborg";
import * as pagefind from "pagefind";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { arrayHeader, chunkRanges, indexedWords, splitWordIndex, WordIndexCutter, WordIndexFormatError, type IndexedWord } from "../../src/search/word-index.ts";

const SIGNATURE = "pagefind_dcd";

/** A word as `indexedWords` would give it, with its pages' location counts. */
function word(text: string, ...pages: number[]): IndexedWord {
  const item = [text, pages.map((locations, page) => [page, Array.from({ length: locations }, (_, at) => at), []]), []];
  return { word: text, size: pages.reduce((sum, locations) => sum + locations + 1, 0), bytes: encode(item) };
}

describe("reading an index file", () => {
  test("each word comes with its own bytes and Pagefind's measure of its size", () => {
    const items = [
      ["apple", [[1, [20, 40, 60], []], [5, [3], []]], []],
      ["ärger", [[300, [-25, 70000, 1], []]], []],
    ];
    const data = encode([items]);
    const words = indexedWords(data, "en_1.pf_index");
    expect(words.map(({ word, size }) => ({ word, size }))).toEqual([
      { word: "apple", size: 4 + 2 },
      { word: "ärger", size: 3 + 1 },
    ]);
    expect(words.map((entry) => decode(entry.bytes))).toEqual(items);
    // Put back together, the words make the same file.
    expect(Buffer.concat([arrayHeader(1), arrayHeader(2), ...words.map((entry) => entry.bytes)])).toEqual(Buffer.from(data));
  });

  test("a file that is not a list of words is named with what is wrong", () => {
    expect(() => indexedWords(encode([[["apple", 3, []]]]), "en_1.pf_index")).toThrow(new WordIndexFormatError("en_1.pf_index", "an array was expected at byte 9"));
    expect(() => indexedWords(encode([[["apple", [], []]]]).subarray(0, 5), "en_2.pf_index")).toThrow(/en_2\.pf_index: it ends in the middle of an item/);
  });

  test("array headers are the shortest CBOR encoding of their length", () => {
    for (const length of [0, 23, 24, 255, 256, 65535, 65536]) {
      const encoded = encode(new Array<number>(length).fill(0));
      expect(Buffer.from(arrayHeader(length))).toEqual(Buffer.from(encoded.subarray(0, arrayHeader(length).length)));
    }
  });
});

describe("cutting the index", () => {
  const cut = (words: IndexedWord[], locationsPerFile: number) => {
    const cutter = new WordIndexCutter(locationsPerFile);
    const files = words.map((entry) => cutter.add(entry)).filter((closed) => closed !== undefined);
    return [...files, cutter.finish()!].map((file) => file.map((entry) => entry.word));
  };

  test("a file is closed once it holds the given number of locations, between words of different families", () => {
    expect(cut([word("ant", 2), word("bee", 2), word("cat", 1), word("dog", 5), word("eel", 1)], 5)).toEqual([["ant", "bee"], ["cat", "dog"], ["eel"]]);
  });

  test("words that share their first three letters stay in one file, up to twice the size", () => {
    expect(cut([word("rep", 4), word("report", 1), word("reptile", 1), word("ship", 1)], 5)).toEqual([["rep", "report", "reptile"], ["ship"]]);
    expect(cut([word("rep", 4), word("report", 2), word("reporter", 4), word("reporters", 1)], 5)).toEqual([["rep", "report", "reporter"], ["reporters"]]);
    expect(cut([word("stori", 5), word("storm", 1), word("stow", 1)], 5)).toEqual([["stori", "storm", "stow"]]);
  });

  test("each file's range holds all its words, and a word being typed falls into the file of the words it begins", () => {
    const ranges = chunkRanges([
      ["apple", "citizen", "en_1"],
      ["claim", "report", "en_2"],
      ["reporter", "zoo", "en_3"],
    ]);
    expect(ranges).toEqual([
      ["apple", "citizen", "en_1"],
      ["cl", "report", "en_2"],
      ["reporte", "zoo", "en_3"],
    ]);
    // Pagefind's web code takes the first file with from <= term <= to.
    const fileOf = (term: string) => ranges.find(([from, to]) => term >= from && term <= to)?.[2];
    expect(["apple", "citizen", "cl", "claim", "report", "reporte", "reporter", "zoo"].map(fileOf)).toEqual(["en_1", "en_1", "en_2", "en_2", "en_2", "en_3", "en_3", "en_3"]);
  });
});

describe("re-cutting a bundle Pagefind wrote", () => {
  let scratch: string;
  let bundle: string;

  const readBundleFile = async (file: string) => {
    const bytes = gunzipSync(await readFile(file));
    expect(bytes.subarray(0, SIGNATURE.length).toString()).toBe(SIGNATURE);
    return decode(bytes.subarray(SIGNATURE.length), { useMaps: false }) as unknown[];
  };
  const readBundle = async () => {
    const entry = JSON.parse(await readFile(path.join(bundle, "pagefind-entry.json"), "utf8"));
    const meta = await readBundleFile(path.join(bundle, `pagefind.${entry.languages.en.hash}.pf_meta`));
    const chunks = meta[2] as [string, string, string][];
    const files = await Promise.all(chunks.map(async ([, , hash]) => ((await readBundleFile(path.join(bundle, "index", `${hash}.pf_index`)))[0] as unknown[][]).map((item) => item[0] as string)));
    return { entry, meta, chunks, files, indexFiles: (await readdir(path.join(bundle, "index"))).sort(), metaFiles: (await readdir(bundle)).filter((file) => file.endsWith(".pf_meta")) };
  };

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-word-index-"));
    bundle = path.join(scratch, "pagefind");
    const { index } = await pagefind.createIndex({ forceLanguage: "en" });
    const stories = [
      "Ferry timetable changes for the winter crossing",
      "Herons return to the wetland reserve in record numbers",
      "The council reports on the ferry terminal's repairs",
      "Reporters visit the lighthouse keeper's cottage",
      "A citizen's guide to the harbour festival",
    ];
    await Promise.all(stories.map((story, number) => index!.addHTMLFile({ url: `/story-${number}/`, content: `<html lang="en"><body><h1>${story}</h1><p>${story} ${story}</p></body></html>` })));
    expect((await index!.writeFiles({ outputPath: bundle })).errors).toEqual([]);
    await pagefind.close();
  });

  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  test("the same words, in smaller files, each word inside its file's range, with no file left over", async () => {
    const before = await readBundle();
    await splitWordIndex(bundle, 5);
    const after = await readBundle();
    expect(after.files.length).toBeGreaterThan(before.files.length + 3);
    await expectWellCut(before, after);
  });

  test("a bundle already cut in many files can be cut again", async () => {
    const before = await readBundle();
    expect(before.files.length).toBeGreaterThan(3);
    await splitWordIndex(bundle, 12);
    const after = await readBundle();
    expect(after.files.length).toBeLessThan(before.files.length);
    await expectWellCut(before, after);
  });

  async function expectWellCut(before: Awaited<ReturnType<typeof readBundle>>, after: Awaited<ReturnType<typeof readBundle>>) {

    expect(after.files.flat()).toEqual(before.files.flat());
    expect(after.files.length).not.toBe(before.files.length);
    expect(after.indexFiles).toEqual(after.chunks.map(([, , hash]) => `${hash}.pf_index`).sort());
    expect(after.metaFiles).toEqual([`pagefind.${after.entry.languages.en.hash}.pf_meta`]);
    // Everything else in the metadata (pages, filters, sorts) is as Pagefind wrote it.
    expect(after.meta.filter((_, field) => field !== 2)).toEqual(before.meta.filter((_, field) => field !== 2));
    after.files.forEach((words, file) => {
      for (const word of words) expect(after.chunks.find(([from, to]) => word >= from && word <= to)?.[2], word).toBe(after.chunks[file]![2]);
    });
  }

  test("a bundle of another Pagefind version is left alone, with what to do", async () => {
    const entryFile = path.join(bundle, "pagefind-entry.json");
    const entry = await readFile(entryFile, "utf8");
    await writeFile(entryFile, entry.replace('"version":"1.6.0"', '"version":"1.7.0"'));
    await expect(splitWordIndex(bundle, 5)).rejects.toThrow(`${entryFile}: it was written by Pagefind 1.7.0. Broadsheet re-cuts Pagefind's word index and knows the files of Pagefind 1.6.0 only; install that version beside Broadsheet: npm install pagefind@1.6.0.`);
    await writeFile(entryFile, entry);
  });

  test("a file that is not Pagefind's is reported by name, with what to do", async () => {
    const { chunks } = await readBundle();
    const file = path.join(bundle, "index", `${chunks[0]![2]}.pf_index`);
    await writeFile(file, gzipSync(Buffer.concat([Buffer.from("not_pagefind"), encode([[]])])));
    await expect(splitWordIndex(bundle, 5)).rejects.toThrow(`${file}: it does not start with Pagefind's signature. Broadsheet re-cuts`);
  });
});
