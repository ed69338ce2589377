import { deserialize, serialize } from "node:v8";
import { expect, test } from "vitest";
import { loadSite } from "../../src/archive/load-site.ts";
import type { Article } from "../../src/archive/archive.ts";
import { findRelated, type KeptTerms } from "../../src/archive/related.ts";
import { findRelatedCached, readStoredTerms, storeTerms, type StoredRelated, type StoredTerms } from "../../src/cache/related-cache.ts";
import { fixture } from "../helpers/files.ts";

/** The bytes as the cache hands them back: after the key, at `offset` in their buffer. */
function bytesAt(parts: readonly Uint8Array[], offset: number): Uint8Array {
  const whole = Buffer.concat([Buffer.alloc(offset), ...parts]);
  return whole.subarray(offset);
}

/** Each article's terms as stored and read back, as words with their counts, in the order it has them: the ids a count gives its words are its own. */
function byWord(terms: Parameters<typeof storeTerms>[0]): string[][] {
  const stored = storeTerms(terms);
  const read = readStoredTerms(deserialize(serialize(stored.lists)) as StoredTerms, bytesAt(stored.bytes, 0))!;
  return Array.from({ length: read.start.length - 1 }, (_, doc) => Array.from(read.term.subarray(read.start[doc], read.start[doc + 1]), (id, at) => `${read.words[id]} ${read.count[read.start[doc]! + at]}`));
}

test("kept terms stored as bytes read back as the same numbers, wherever the bytes fall in their buffer", () => {
  const counts = new Float32Array([3, 1, 4, 1, 5, 9, 2, 6]);
  const kept: KeptTerms = {
    keys: ["first", "second"],
    words: ["ferri", "harbour", "council", "budget", "tram"],
    start: new Uint32Array([0, 3, 5]),
    // Views of bigger arrays, as a count leaves them: only the used part is stored.
    term: new Uint32Array([0, 1, 2, 1, 3, 7, 7, 7]).subarray(0, 5),
    count: counts.subarray(0, 5),
  };
  const { lists, bytes } = storeTerms(kept);
  for (const offset of [0, 1, 2, 3, 8]) {
    const read = readStoredTerms(deserialize(serialize(lists)) as StoredTerms, bytesAt(bytes, offset))!;
    expect([...read.start]).toEqual([0, 3, 5]);
    expect([...read.term]).toEqual([0, 1, 2, 1, 3]);
    expect([...read.count]).toEqual([3, 1, 4, 1, 5]);
    expect(read.words).toEqual(kept.words);
    expect(read.keys).toEqual(kept.keys);
  }
  expect(readStoredTerms(undefined, bytesAt(bytes, 0))).toBeUndefined();
  expect(readStoredTerms(lists, undefined)).toBeUndefined();
});

test("terms of articles counted apart are stored in their places, as one flat count", () => {
  const kept = {
    keys: ["first", "second", "third"],
    words: ["ferri", "harbour", "council", "budget", "tram"],
    start: new Uint32Array([0, 2, 3, 5]),
    term: new Uint32Array([0, 1, 2, 1, 3]),
    count: new Float32Array([3, 1, 4, 1, 5]),
  };
  const revised = new Map([[1, { term: new Uint32Array([3, 0, 4]), count: new Float32Array([2, 7, 1]) }]]);
  const { lists, bytes } = storeTerms({ ...kept, revised });
  const read = readStoredTerms(deserialize(serialize(lists)) as StoredTerms, bytesAt(bytes, 0))!;
  expect([...read.start]).toEqual([0, 2, 5, 7]);
  expect([...read.term]).toEqual([0, 1, 3, 0, 4, 1, 3]);
  expect([...read.count]).toEqual([3, 1, 2, 7, 1, 1, 5]);
  expect(lists.terms).toBe(7);
});

test("kept terms that do not hold together are not used: the terms are counted afresh", () => {
  const kept = { keys: ["first"], words: ["ferri", "harbour"], start: new Uint32Array([0, 2]), term: new Uint32Array([0, 1]), count: new Float32Array([3, 1]) };
  const { lists, bytes } = storeTerms(kept);
  const whole = bytesAt(bytes, 0);
  expect(readStoredTerms(lists, whole)).toBeDefined();
  // A term no word stands for, an article more than its terms, terms cut short.
  expect(readStoredTerms({ ...lists, words: ["ferri"] }, whole)).toBeUndefined();
  expect(readStoredTerms({ ...lists, keys: ["first", "second"] }, whole)).toBeUndefined();
  expect(readStoredTerms(lists, whole.subarray(0, whole.length - 4))).toBeUndefined();
  expect(readStoredTerms({ ...lists, terms: 1 }, whole)).toBeUndefined();
  // The lists of one store and the bytes of another, even of the same shape.
  const other = storeTerms({ ...kept, start: new Uint32Array([0, 2]), term: new Uint32Array([1, 0]) });
  expect(readStoredTerms(lists, bytesAt(other.bytes, 0))).toBeUndefined();
});

test("related lists kept by the articles' places are the lists chosen, and lists that do not fit the archive are chosen again", async () => {
  const { site } = await loadSite({ articlesDir: fixture("basic"), pictureCache: false });
  const articles = site!.archive.articles;
  const byPath = (related: Map<Article, Article[]>) => articles.map((article) => (related.get(article) ?? []).map((other) => other.relativePath));
  const expected = byPath(findRelated(articles));
  expect(expected.flat().length, "the fixture has related articles").toBeGreaterThan(articles.length);
  const first = await findRelatedCached(articles, { stored: undefined, terms: async () => undefined });
  expect(first.reused).toBe(false);
  expect(byPath(first.related)).toEqual(expected);
  // As the cache hands it back: serialised and read again.
  const stored = deserialize(serialize(first.stored)) as StoredRelated;
  const again = await findRelatedCached(articles, { stored, terms: async () => undefined });
  expect(again.reused).toBe(true);
  expect(byPath(again.related)).toEqual(expected);
  const misfits: StoredRelated[] = [
    { ...stored, chosen: stored.chosen.map((place, index) => (index === 0 ? articles.length : place)) },
    { ...stored, start: stored.start.subarray(1) },
    { ...stored, chosen: stored.chosen.subarray(1) },
    { ...stored, start: stored.start.map((place, index) => (index === 1 ? stored.chosen.length + 1 : place)) },
  ];
  for (const misfit of misfits) {
    const chosenAgain = await findRelatedCached(articles, { stored: misfit, terms: async () => undefined });
    expect(chosenAgain.reused).toBe(false);
    expect(byPath(chosenAgain.related)).toEqual(expected);
  }
});

test("lists chosen again after an edit in place, and after a new article, from the stored terms, are the lists a count from nothing chooses, and store the same terms by word", async () => {
  const { site } = await loadSite({ articlesDir: fixture("basic"), pictureCache: false });
  const earlier = site!.archive.articles;
  const first = await findRelatedCached(earlier, { stored: undefined, terms: async () => undefined });
  const stored = storeTerms(first.terms!);
  const readBack = async () => readStoredTerms(deserialize(serialize(stored.lists)) as StoredTerms, bytesAt(stored.bytes, 0));
  // The newest article's body gains a sentence of the words the article opens with: the terms it
  // counts change (they are counted twice as often), so the lists are chosen again.
  const articles = earlier.map((article, place) => (place === 0 ? { ...article, html: `${article.html as string}<p>${article.opening}</p>` } : article));
  const again = await findRelatedCached(articles, { stored: first.stored, terms: readBack });
  expect(again.reused).toBe(false);
  expect(again.terms!.revised?.size).toBe(1);
  const byPath = (related: Map<Article, Article[]>) => articles.map((article) => (related.get(article) ?? []).map((other) => other.relativePath));
  expect(byPath(again.related)).toEqual(byPath(findRelated(articles)));
  const fresh = await findRelatedCached(articles, { stored: undefined, terms: async () => undefined });
  expect(byWord(again.terms!)).toEqual(byWord(fresh.terms!));

  // A new article, the newest, with a word the archive has not had: its terms are counted alone too.
  const newest = { ...articles[0]!, relativePath: "2099/01/lighthouse.md", title: "Lighthouse keeper retires", html: `<p>The lighthouse keeper retires.</p>${articles[0]!.html as string}` };
  const added = [newest, ...articles];
  const storedAgain = storeTerms(again.terms!);
  const withNew = await findRelatedCached(added, { stored: again.stored, terms: async () => readStoredTerms(deserialize(serialize(storedAgain.lists)) as StoredTerms, bytesAt(storedAgain.bytes, 0)) });
  expect(withNew.terms!.added).toBe(1);
  const byPathAdded = (related: Map<Article, Article[]>) => added.map((article) => (related.get(article) ?? []).map((other) => other.relativePath));
  expect(byPathAdded(withNew.related)).toEqual(byPathAdded(findRelated(added)));
  const freshAdded = await findRelatedCached(added, { stored: undefined, terms: async () => undefined });
  expect(byWord(withNew.terms!)).toEqual(byWord(freshAdded.terms!));
});

test("an edit that leaves every term counted as it was keeps the lists, as a count from nothing would choose them, only while the names and the kept terms are the ones they were chosen from", async () => {
  const { site } = await loadSite({ articlesDir: fixture("basic"), pictureCache: false });
  const earlier = site!.archive.articles;
  const first = await findRelatedCached(earlier, { stored: undefined, terms: async () => undefined });
  const stored = storeTerms(first.terms!);
  // As build.ts stores them: the lists name the terms' store.
  const storedLists = deserialize(serialize({ ...first.stored, terms: stored.lists.token })) as StoredRelated;
  const readBack = async () => readStoredTerms(deserialize(serialize(stored.lists)) as StoredTerms, bytesAt(stored.bytes, 0));
  const byPath = (articles: readonly Article[], related: Map<Article, Article[]>) => articles.map((article) => (related.get(article) ?? []).map((other) => other.relativePath));

  // The newest article's body gains a sentence of numbers and stopwords only: no term is counted otherwise.
  const edited = earlier.map((article, place) => (place === 0 ? { ...article, html: `${article.html as string}<p>It is 1,200 and 15 of them, <em>all</em> of it.</p>` } : article));
  const kept = await findRelatedCached(edited, { stored: storedLists, terms: readBack });
  expect(kept.reused).toBe(true);
  expect(kept.terms).toBeUndefined();
  expect(kept.stored.key).not.toBe(first.stored.key);
  expect(byPath(edited, kept.related)).toEqual(byPath(edited, findRelated(edited)));
  // Stored under their new key, with the kept bytes, they are reused outright by the next build.
  const rekeyed = kept.termsRekeyed!;
  expect(rekeyed.token).toBe(stored.lists.token);
  const next = await findRelatedCached(edited, {
    stored: deserialize(serialize(kept.stored)) as StoredRelated,
    terms: async () => {
      throw new Error("the terms are not needed when the key is the same");
    },
  });
  expect(next.reused).toBe(true);
  expect(next.stored.key).toBe(kept.stored.key);
  const rekeyedRead = readStoredTerms(deserialize(serialize(rekeyed)) as StoredTerms, bytesAt(stored.bytes, 0))!;
  expect(rekeyedRead.keys.filter((key, place) => key !== stored.lists.keys[place])).toHaveLength(1);
  // Counted from the kept bytes under the new keys, the edited article is not counted again.
  const afterRekey = await findRelatedCached(edited, { stored: first.stored, terms: async () => rekeyedRead });
  expect(afterRekey.terms?.revised?.size ?? 0).toBe(0);

  // Lists that name no store, or another, are chosen again; so are they when a topic changed.
  for (const lists of [first.stored, { ...storedLists, terms: "another store" }]) {
    const chosen = await findRelatedCached(edited, { stored: deserialize(serialize(lists)) as StoredRelated, terms: readBack });
    expect(chosen.reused).toBe(false);
    expect(byPath(edited, chosen.related)).toEqual(byPath(edited, findRelated(edited)));
  }
  const retopicked = edited.map((article, place) => (place === 1 ? { ...article, topics: article.topics.slice(1) } : article));
  const renamed = await findRelatedCached(retopicked, { stored: storedLists, terms: readBack });
  expect(renamed.reused).toBe(false);
  expect(byPath(retopicked, renamed.related)).toEqual(byPath(retopicked, findRelated(retopicked)));

  // A word the article already has, once more: its count changes, and the lists are chosen again.
  const counted = earlier.map((article, place) => (place === 0 ? { ...article, html: `${article.html as string}<p>${article.title}</p>` } : article));
  const again = await findRelatedCached(counted, { stored: storedLists, terms: readBack });
  expect(again.reused).toBe(false);
  expect(again.terms!.revised?.size).toBe(1);
});
