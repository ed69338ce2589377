import { decode, encode } from "cborg";
import { describe, expect, test } from "vitest";
import { BundleFormatError } from "../../src/search/bundle-files.ts";
import { arrayHeader, chunkRanges, indexedWords, WordIndexCutter, type IndexedWord } from "../../src/search/word-index.ts";

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
    expect(() => indexedWords(encode([[["apple", 3, []]]]), "en_1.pf_index")).toThrow(new BundleFormatError("en_1.pf_index", "an array was expected at byte 9"));
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
