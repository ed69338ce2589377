import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Article } from "../../src/archive/archive.ts";
import { BuildCache } from "../../src/cache/build-cache.ts";
import { readTeasers, storeTeasers, TeaserHtml, teaserKey, type KeptTeasers, type StoredTeasers } from "../../src/cache/teaser-html.ts";

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-teasers-"));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Stand-ins for articles: a teaser store knows an article by its identity and its key only. */
const ferry = { title: "The ferry runs again" } as Article;
const quay = { title: "The quay reopens" } as Article;
const gulls = { title: "Gulls return" } as Article;
const keys = new Map<Article, string>([
  [ferry, "oFerryDigest"],
  [quay, "oQuayDigest"],
  [gulls, "o+GullsDigest"],
]);
const keyOf = (article: Article) => keys.get(article);

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Teasers as `readTeasers` hands them over: by bucket, the first character of the digest after its `o`. */
function byBucket(teasers: StoredTeasers): KeptTeasers {
  const buckets: StoredTeasers[] = Array.from(BASE64, () => new Map());
  for (const [key, teasersOf] of teasers) buckets[BASE64.indexOf(key.charAt(1))]!.set(key, teasersOf);
  return buckets;
}

/** Every teaser of every bucket. */
function everyTeaser(kept: KeptTeasers): StoredTeasers {
  return new Map(kept.flatMap((bucket) => [...bucket]));
}

test("a teaser is made once per article and level in a render", () => {
  const teasers = new TeaserHtml();
  let made = 0;
  const render = (html: string) => () => (made++, html);
  expect(teasers.of(ferry, "list", render("<li>ferry</li>"))).toBe("<li>ferry</li>");
  expect(teasers.of(ferry, "list", render("<li>again</li>"))).toBe("<li>ferry</li>");
  expect(teasers.of(ferry, "section", render("<li>ferry, in a section</li>"))).toBe("<li>ferry, in a section</li>");
  expect(teasers.of(quay, "list", render("<li>quay</li>"))).toBe("<li>quay</li>");
  expect(made).toBe(3);
  // Without a key there is nothing to keep for the next build.
  expect(teasers.changedBuckets([ferry, quay, gulls]).size).toBe(0);
});

test("an earlier build's teaser is taken by its article's key and level; only the buckets where one was made or an article is gone are stored again, without those of articles gone", () => {
  const kept = new Map([
    ["oFerryDigest", ["<li>ferry, kept</li>"]],
    ["oGoneDigest", ["<li>an article deleted since</li>"]],
    ["oQuayDigest", [undefined, undefined, "<li>quay in a section, kept</li>"]],
    ["oFerryEarlier", ["<li>the ferry, before an edit</li>"]],
  ]);
  const teasers = new TeaserHtml(keyOf, byBucket(kept));
  const made = (html: string) => () => html;
  expect(teasers.of(ferry, "list", made("<li>ferry, made</li>"))).toBe("<li>ferry, kept</li>");
  expect(teasers.of(quay, "list", made("<li>quay, made</li>"))).toBe("<li>quay, made</li>");
  expect(teasers.taken).toBe(1);
  const changed = teasers.changedBuckets([ferry, quay, gulls]);
  // The quay's bucket (Q) has a teaser made; the gone article's (G) loses it; the ferry's (F) loses the teaser of its text before an edit.
  expect([...changed.keys()].sort((a, b) => a - b)).toEqual([5, 6, 16]);
  expect(changed.get(5)).toEqual(new Map([["oFerryDigest", ["<li>ferry, kept</li>"]]]));
  // The quay's teaser in a section was not shown by this render, but its article is still there.
  expect(changed.get(16)).toEqual(new Map([["oQuayDigest", ["<li>quay, made</li>", undefined, "<li>quay in a section, kept</li>"]]]));
  expect(changed.get(6)).toEqual(new Map());
});

test("teasers are stored in buckets, read back whole, and a bucket is written again only when its teasers changed", async () => {
  const cache = BuildCache.open(scratch, path.join(scratch, "site"), { settings: "first" });
  const first = new TeaserHtml(keyOf, readTeasers(cache));
  for (const article of [ferry, quay, gulls]) first.of(article, "list", () => `<li>${article.title}</li>`);
  storeTeasers(cache, first.changedBuckets([ferry, quay, gulls]));
  const stored = await teaserFiles(cache);
  expect(stored.length, "one bucket for each first character of the three keys").toBe(3);

  const read = readTeasers(cache);
  expect(everyTeaser(read).get("oQuayDigest")).toEqual(["<li>The quay reopens</li>"]);
  expect(everyTeaser(read).size).toBe(3);
  const before = await modified(cache, stored);
  await new Promise((resolve) => setTimeout(resolve, 20));
  // The gulls' article changed (a new key): its bucket is written again, the others are left as they were.
  keys.set(gulls, "o+GullsEdited");
  const second = new TeaserHtml(keyOf, read);
  for (const article of [ferry, quay, gulls]) second.of(article, "list", () => `<li>${article.title}, edited</li>`);
  expect(second.taken).toBe(2);
  storeTeasers(cache, second.changedBuckets([ferry, quay, gulls]));
  const after = await modified(cache, stored);
  expect(stored.filter((file) => after.get(file) !== before.get(file))).toEqual(["teasers-62.v8"]);
  expect(everyTeaser(readTeasers(cache))).toEqual(
    new Map([
      ["oFerryDigest", ["<li>The ferry runs again</li>"]],
      ["oQuayDigest", ["<li>The quay reopens</li>"]],
      ["o+GullsEdited", ["<li>Gulls return, edited</li>"]],
    ]),
  );
  // Another key's cache (other settings, another version of Broadsheet) reads none of them.
  expect(everyTeaser(readTeasers(BuildCache.open(scratch, path.join(scratch, "site"), { settings: "second" }))).size).toBe(0);
});

test("teasers with characters beyond one byte, and at several levels, are read back as stored; a bucket whose pieces do not hold together is not read", async () => {
  const cache = BuildCache.open(scratch, path.join(scratch, "wide"), { settings: "wide" });
  const kept = new Map([
    ["oFerryDigest", ["<li>Ferry — “late”</li>", undefined, "<li>Ferry, in a section: café</li>"]],
  ]);
  // A long teaser of one-byte characters in the same bucket (F) is stored as one-byte text all the same.
  const fjord = { title: "Fjord" } as Article;
  const long = `<li>${"fjord ".repeat(1000)}</li>`;
  const teasers = new TeaserHtml((article) => (article === fjord ? "oFjordDigest" : keyOf(article)), []);
  teasers.of(ferry, "list", () => kept.get("oFerryDigest")![0]!);
  teasers.of(ferry, "section", () => kept.get("oFerryDigest")![2]!);
  teasers.of(fjord, "list", () => long);
  storeTeasers(cache, teasers.changedBuckets([ferry, fjord]));
  expect(everyTeaser(readTeasers(cache))).toEqual(new Map([...kept, ["oFjordDigest", [long]]]));
  expect((await stat(path.join(cache.folder, "teasers-5.v8"))).size).toBeLessThan(long.length * 1.1);
  // Cut where the text does not end: as if the file were another's.
  cache.write("teasers-5", { keys: "oFerryDigest", keyEnds: Uint32Array.of(12), levels: Uint8Array.of(0), narrow: "<li>Ferry</li>", wide: "", htmlEnds: Uint32Array.of(99) });
  expect(everyTeaser(readTeasers(cache)).size).toBe(0);
});

test("a teaser's key is an article's digest, never a short object's text", () => {
  expect(teaserKey("oAbc")).toBe("oAbc");
  expect(teaserKey("i12:{4:title=…")).toBeUndefined();
  expect(teaserKey(undefined)).toBeUndefined();
});

async function teaserFiles(cache: BuildCache): Promise<string[]> {
  return (await readdir(cache.folder)).filter((name) => name.startsWith("teasers-")).sort();
}

async function modified(cache: BuildCache, files: string[]): Promise<Map<string, number>> {
  return new Map(await Promise.all(files.map(async (file) => [file, (await stat(path.join(cache.folder, file))).mtimeMs] as const)));
}
