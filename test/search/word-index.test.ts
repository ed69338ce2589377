import { encode } from "cborg";
import { describe, expect, test } from "vitest";
import { arrayHeader } from "../../src/search/cbor.ts";
import { chunkRanges, WordIndexCutter, type IndexedWord } from "../../src/search/word-index.ts";

/** A word of the index, with its pages' location counts. */
function word(text: string, ...pages: number[]): IndexedWord {
  const item = [text, pages.map((locations, page) => [page, Array.from({ length: locations }, (_, at) => at), []]), []];
  return { word: text, size: pages.reduce((sum, locations) => sum + locations + 1, 0), bytes: encode(item) };
}

describe("CBOR headers", () => {
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
