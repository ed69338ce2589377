import { deserialize, serialize } from "node:v8";
import { expect, test } from "vitest";
import { loadSite } from "../../src/archive/load-site.ts";
import { articleHtml, type Article } from "../../src/archive/archive.ts";
import { findRelated, termsKey } from "../../src/archive/related.ts";
import { findRelatedCached, readStoredTerms, storeTerms, type StoredPlaces, type StoredRelated, type StoredTerms } from "../../src/cache/related-cache.ts";
import { relatedAfterEdits, type EditedText } from "../../src/cache/related-edits.ts";
import { fixture } from "../helpers/files.ts";

// The related lists chosen again after bodies edited alone, from what a whole build kept (its
// lists, their terms and the articles' places), against the lists a build from nothing chooses.

/** What a whole build stores after choosing the lists, as the cache hands it back. */
async function keptBy(articles: readonly Article[]) {
  const found = await findRelatedCached(articles, { stored: undefined, terms: async () => undefined });
  const terms = storeTerms(found.terms!);
  const copied = <T>(value: T) => deserialize(serialize(value)) as T;
  return {
    stored: copied({ ...found.stored, terms: terms.lists.token } satisfies StoredRelated),
    kept: readStoredTerms(copied(terms.lists) as StoredTerms, Buffer.concat(terms.bytes)),
    places: copied(found.places!),
  };
}

/** `article` with a paragraph added at the head of its body, and the edit as a build of body edits finds it. */
function withParagraph(article: Article, paragraph: string): { article: Article; edit: EditedText } {
  const html = `<p>${paragraph}</p>${articleHtml(article)}`;
  const edited = { ...article, html };
  return { article: edited, edit: { relativePath: article.relativePath, previousTermsKey: termsKey(article), termsKey: termsKey(edited), text: { title: article.title, summary: article.summary, html } } };
}

const byPlace = (articles: readonly Article[], related: Map<Article, Article[]>) => articles.map((article) => (related.get(article) ?? []).map((other) => articles.indexOf(other)));

test("lists chosen again from the kept terms and places, with a body's opening edited, are the lists a build from nothing chooses", async () => {
  const { site } = await loadSite({ articlesDir: fixture("basic"), pictureCache: false });
  const articles = site!.archive.articles;
  const { stored, kept, places } = await keptBy(articles);
  // The second article takes the words of the last one's title: lists change beyond its own.
  const { article, edit } = withParagraph(articles[1]!, `${articles.at(-1)!.title}. `.repeat(4));
  const edited = articles.map((each, place) => (place === 1 ? article : each));
  const after = relatedAfterEdits(stored, kept, places, [edit]);
  if (typeof after === "string") throw new Error(after);
  const chosen = byPlace(edited, findRelated(edited));
  const { start, chosen: lists } = after.stored;
  expect(Array.from({ length: edited.length }, (_, place) => Array.from(lists.subarray(start[place], start[place + 1])))).toEqual(chosen);
  // Every list that is not the last build's, and no other, with its places before and now.
  const before = byPlace(articles, findRelated(articles));
  expect([...after.changed.keys()]).toEqual(chosen.flatMap((list, place) => (list.join() === before[place]!.join() ? [] : [place])));
  expect([...after.changed.keys()].some((place) => place !== 1)).toBe(true);
  for (const [place, { before: listBefore, now }] of after.changed) expect([listBefore, now]).toEqual([before[place], chosen[place]]);
  // Stored, they are the lists a whole build from the cache reuses as they are.
  const next = await findRelatedCached(edited, { stored: after.stored, terms: async () => undefined });
  expect(next.reused).toBe(true);
});

test("an edit that counts the terms it had keeps every list, under the new key", async () => {
  const { site } = await loadSite({ articlesDir: fixture("basic"), pictureCache: false });
  const articles = site!.archive.articles;
  const { stored, kept, places } = await keptBy(articles);
  const { edit } = withParagraph(articles[0]!, "It is 1,200 and 15 of them.");
  const after = relatedAfterEdits(stored, kept, places, [edit]);
  if (typeof after === "string") throw new Error(after);
  expect(after.changed.size).toBe(0);
  expect(after.terms.bytes).toBeUndefined();
  expect(after.terms.lists.token).toBe(kept!.token);
  expect(after.stored.key).not.toBe(stored.key);
  expect([...after.stored.chosen]).toEqual([...stored.chosen]);
});

test("parts that do not hold together, or do not know the article, choose nothing: the whole site is built", async () => {
  const { site } = await loadSite({ articlesDir: fixture("basic"), pictureCache: false });
  const articles = site!.archive.articles;
  const { stored, kept, places } = await keptBy(articles);
  const { edit } = withParagraph(articles[1]!, "The ferry and the harbour.");
  const damaged = (change: (names: StoredPlaces["articleNames"]) => Partial<StoredPlaces["articleNames"]>): StoredPlaces => ({ ...places, articleNames: { ...places.articleNames, ...change(places.articleNames) } });
  const cases: [string, Parameters<typeof relatedAfterEdits>][] = [
    ["no places", [stored, kept, undefined, [edit]]],
    ["places of other names", [stored, kept, { ...places, names: "another archive" }, [edit]]],
    ["places one article short", [stored, kept, { ...places, paths: places.paths.slice(1) }, [edit]]],
    ["authors cut short", [stored, kept, damaged(({ authors }) => ({ authors: authors.subarray(1) })), [edit]]],
    ["topics' starts out of order", [stored, kept, damaged(({ topicStart }) => ({ topicStart: topicStart.map((at, place) => (place === 1 ? topicStart.at(-1)! + 1 : at)) })), [edit]]],
    ["lists that name another store of terms", [{ ...stored, terms: "another store" }, kept, places, [edit]]],
    ["an article the places do not have", [stored, kept, places, [{ ...edit, relativePath: "2031/01/nowhere.md" }]]],
    ["an article read otherwise than the terms were counted", [stored, kept, places, [{ ...edit, previousTermsKey: "another text" }]]],
  ];
  for (const [name, args] of cases) expect(typeof relatedAfterEdits(...args), name).toBe("string");
});
