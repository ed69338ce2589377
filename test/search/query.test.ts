import { describe, expect, test } from "vitest";
import { hasTerms, parseQuery, respelt } from "../../layouts/assets/query.js";

describe("a reader's query", () => {
  test("has words, phrases in quotation marks and words after a minus sign to leave out", () => {
    expect(parseQuery('ferry "island route" -night')).toEqual({ words: ["ferry"], phrases: ["island route"], excluded: ["night"] });
    expect(parseQuery('"night   ferry"')).toEqual({ words: [], phrases: ["night ferry"], excluded: [] });
  });

  test("reads a phrase of one word as the word, a quotation mark left open as running to the end, and a hyphen inside a word as part of it", () => {
    expect(parseQuery('"ferry" e-mail - "night boat')).toEqual({ words: ["ferry", "e-mail"], phrases: ["night boat"], excluded: [] });
  });

  test("with only words to leave out has nothing to search for", () => {
    expect(hasTerms(parseQuery("-ferry"))).toBe(false);
    expect(hasTerms(parseQuery('"a b"'))).toBe(true);
  });

  test("is written out again with its words respelt, the rest as typed", () => {
    expect(respelt('harbuor "harbuor pier" -harbuor pier', new Map([["harbuor", "harbour"]]))).toBe('harbour "harbuor pier" -harbuor pier');
  });
});
