import { deserialize, serialize } from "node:v8";
import { expect, test } from "vitest";
import type { KeptTerms } from "../../src/archive/related.ts";
import { readStoredTerms, storeTerms, type StoredTerms } from "../../src/cache/related-cache.ts";

test("kept terms stored as bytes read back as the same numbers, wherever the bytes fall in the stored file", () => {
  const counts = new Float32Array([3, 1, 4, 1, 5, 9, 2, 6]);
  const kept: KeptTerms = {
    keys: ["first", "second"],
    words: ["ferri", "harbour", "council", "budget", "tram"],
    start: new Uint32Array([0, 3, 5]),
    // Views of bigger arrays, as a count leaves them: only the used part is stored.
    term: new Uint32Array([0, 1, 2, 1, 3, 7, 7, 7]).subarray(0, 5),
    count: counts.subarray(0, 5),
  };
  for (const padding of ["", "a", "ab", "abc"]) {
    const stored = deserialize(serialize({ padding, terms: storeTerms(kept) })) as { terms: StoredTerms };
    const read = readStoredTerms(stored.terms)!;
    expect([...read.start]).toEqual([0, 3, 5]);
    expect([...read.term]).toEqual([0, 1, 2, 1, 3]);
    expect([...read.count]).toEqual([3, 1, 4, 1, 5]);
    expect(read.words).toEqual(kept.words);
    expect(read.keys).toEqual(kept.keys);
  }
  expect(readStoredTerms(undefined)).toBeUndefined();
});

test("kept terms that do not hold together are not used: the terms are counted afresh", () => {
  const stored = storeTerms({ keys: ["first"], words: ["ferri", "harbour"], start: new Uint32Array([0, 2]), term: new Uint32Array([0, 1]), count: new Float32Array([3, 1]) });
  expect(readStoredTerms(stored)).toBeDefined();
  // A term no word stands for, an article more than its terms, terms cut short, bytes not whole numbers.
  expect(readStoredTerms({ ...stored, words: ["ferri"] })).toBeUndefined();
  expect(readStoredTerms({ ...stored, keys: ["first", "second"] })).toBeUndefined();
  expect(readStoredTerms({ ...stored, count: stored.count.subarray(0, 4) })).toBeUndefined();
  expect(readStoredTerms({ ...stored, term: stored.term.subarray(0, 6) })).toBeUndefined();
});
