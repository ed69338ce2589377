import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Article } from "../../src/archive/archive.ts";
import { BuildCache } from "../../src/cache/build-cache.ts";
import { readTeasers, storeTeasers, TeaserHtml, teaserKey } from "../../src/cache/teaser-html.ts";

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
  expect(teasers.keyed([ferry, quay, gulls]).size).toBe(0);
});

test("an earlier build's teaser is taken by its article's key and level; the others are made; those of articles gone are not stored again", () => {
  const kept = new Map([
    ["list oFerryDigest", "<li>ferry, kept</li>"],
    ["list oGoneDigest", "<li>an article deleted since</li>"],
    ["section oQuayDigest", "<li>quay in a section, kept</li>"],
  ]);
  const teasers = new TeaserHtml(keyOf, kept);
  const made = (html: string) => () => html;
  expect(teasers.of(ferry, "list", made("<li>ferry, made</li>"))).toBe("<li>ferry, kept</li>");
  expect(teasers.of(quay, "list", made("<li>quay, made</li>"))).toBe("<li>quay, made</li>");
  expect(teasers.taken).toBe(1);
  // The quay's teaser in a section was not shown by this render, but its article is still there.
  expect(teasers.keyed([ferry, quay, gulls])).toEqual(
    new Map([
      ["list oFerryDigest", "<li>ferry, kept</li>"],
      ["list oQuayDigest", "<li>quay, made</li>"],
      ["section oQuayDigest", "<li>quay in a section, kept</li>"],
    ]),
  );
});

test("teasers are stored in buckets, read back whole, and a bucket is written again only when its teasers changed", async () => {
  const cache = BuildCache.open(scratch, path.join(scratch, "site"), { settings: "first" });
  const first = new TeaserHtml(keyOf, readTeasers(cache));
  for (const article of [ferry, quay, gulls]) first.of(article, "list", () => `<li>${article.title}</li>`);
  storeTeasers(cache, first.keyed([ferry, quay, gulls]), readTeasers(cache));
  const stored = await teaserFiles(cache);
  expect(stored.length, "one bucket for each first character of the three keys").toBe(3);

  const read = readTeasers(cache);
  expect(read.get("list oQuayDigest")).toBe("<li>The quay reopens</li>");
  expect(read.size).toBe(3);
  const before = await modified(cache, stored);
  await new Promise((resolve) => setTimeout(resolve, 20));
  // The gulls' article changed (a new key): its bucket is written again, the others are left as they were.
  keys.set(gulls, "o+GullsEdited");
  const second = new TeaserHtml(keyOf, read);
  for (const article of [ferry, quay, gulls]) second.of(article, "list", () => `<li>${article.title}, edited</li>`);
  expect(second.taken).toBe(2);
  storeTeasers(cache, second.keyed([ferry, quay, gulls]), read);
  const after = await modified(cache, stored);
  expect(stored.filter((file) => after.get(file) !== before.get(file))).toEqual(["teasers-62.v8"]);
  expect(readTeasers(cache)).toEqual(
    new Map([
      ["list oFerryDigest", "<li>The ferry runs again</li>"],
      ["list oQuayDigest", "<li>The quay reopens</li>"],
      ["list o+GullsEdited", "<li>Gulls return, edited</li>"],
    ]),
  );
  // Another key's cache (other settings, another version of Broadsheet) reads none of them.
  expect(readTeasers(BuildCache.open(scratch, path.join(scratch, "site"), { settings: "second" })).size).toBe(0);
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
