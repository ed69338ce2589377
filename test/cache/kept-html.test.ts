import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loadSite } from "../../src/archive/load-site.ts";
import { BuildCache } from "../../src/cache/build-cache.ts";
import { BodyFiles, KeptHtml, type HtmlPlace } from "../../src/cache/kept-html.ts";
import { pageKeys } from "../../src/cache/page-keys.ts";
import { termsKey } from "../../src/archive/related.ts";
import { fixture } from "../helpers/files.ts";

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-kept-html-"));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const long = (words: string) => `<p>${`${words} `.repeat(300)}</p>\n`;

test("long bodies are kept in their bucket's file and read back as they were; short ones, and one UTF-8 cannot hold, stay in the entry", () => {
  const cache = BuildCache.open(scratch, path.join(scratch, "site"), { settings: "first" });
  const files = new BodyFiles(cache);
  const ferry = long("The ferry ran late, ½ past nine — 渡し船.");
  const loneHalf = `${long("A quay")}\ud800`;
  const places = files.store("0a", [ferry, "<p>Short.</p>\n", loneHalf, long("The quay reopened at /media/quay.jpg.")]);
  expect(places[1]).toBe("<p>Short.</p>\n");
  expect(places[2]).toBe(loneHalf);
  const [kept, , , media] = places.map((place) => (place === undefined || typeof place === "string" ? undefined : new KeptHtml(place, "0a", files)));
  expect(kept!.text()).toBe(ferry);
  expect(kept!.length).toBe(ferry.length);
  expect([kept!.mayShowMedia, media!.mayShowMedia]).toEqual([false, true]);
  expect(files.holds("0a", places[0] as HtmlPlace)).toBe(true);
  // Read by another build's files, as a new build reads them.
  expect(new KeptHtml(places[3] as HtmlPlace, "0a", new BodyFiles(cache)).text()).toBe(long("The quay reopened at /media/quay.jpg."));
});

test("a bucket written again moves the bodies kept before to their new places; an old place is not trusted", () => {
  const cache = BuildCache.open(scratch, path.join(scratch, "moved"), { settings: "first" });
  const files = new BodyFiles(cache);
  const [first, second] = files.store("1b", [long("First"), long("Second")]) as HtmlPlace[];
  expect(typeof first).toBe("object");
  const keptSecond = new KeptHtml(second!, "1b", files);
  // Written again without the first: the second moves to where the first was.
  const [again] = files.store("1b", [keptSecond]) as HtmlPlace[];
  expect(again!.at).toBe(0);
  expect(keptSecond.text()).toBe(long("Second"));
  // A later build, reading the cache's entries as they were before, does not read the new file at the old place.
  const later = new BodyFiles(cache);
  expect(later.holds("1b", first!)).toBe(false);
  expect(later.holds("1b", again!)).toBe(true);
});

test("a body whose bytes are not the ones hashed is refused with a message that says to build again, and no kept body is trusted after", async () => {
  const cache = BuildCache.open(scratch, path.join(scratch, "changed"), { settings: "first" });
  const files = new BodyFiles(cache);
  const [place] = files.store("2c", [long("Harbour")]) as HtmlPlace[];
  const [elsewhere] = files.store("4e", [long("Quay")]) as HtmlPlace[];
  const [name] = (await readdir(cache.folder)).filter((file) => file.startsWith("article-html-2c"));
  const file = path.join(cache.folder, name!);
  const bytes = await readFile(file);
  // Same length, another letter: "Harbour" becomes "Harbous".
  bytes[bytes.lastIndexOf("r")] = "s".charCodeAt(0);
  await writeFile(file, bytes);
  // Same length and token: the file seems to hold it until it is read.
  expect(new BodyFiles(cache).holds("2c", place!)).toBe(true);
  expect(() => new KeptHtml(place!, "2c", files).text()).toThrow(/article-html-2c\.bin in the build cache no longer holds the rendered article body .* so that the next build renders them again: build again\./);
  // Every bucket's file is gone, so the next build renders those bodies again rather than fail on them.
  expect((await readdir(cache.folder)).filter((file) => file.startsWith("article-html-"))).toEqual([]);
  expect(new BodyFiles(cache).holds("4e", elsewhere!)).toBe(false);
});

test("a file cut short is not trusted for a body beyond its end", async () => {
  const cache = BuildCache.open(scratch, path.join(scratch, "short"), { settings: "first" });
  const files = new BodyFiles(cache);
  const [first, second] = files.store("5f", [long("Ferry"), long("Tide")]) as HtmlPlace[];
  const file = path.join(cache.folder, (await readdir(cache.folder)).find((name) => name.startsWith("article-html-5f"))!);
  await truncate(file, (await stat(file)).size - 10);
  const later = new BodyFiles(cache);
  expect(later.holds("5f", first!)).toBe(true);
  expect(later.holds("5f", second!)).toBe(false);
});

test("an article whose body is kept has the page keys and related lists' key it has with the body in memory", async () => {
  const { site } = await loadSite({ articlesDir: fixture("basic"), pictureCache: false });
  const article = site!.archive.articles[0]!;
  article.html = long("The council met in public.");
  const { keys } = pageKeys(site!, "key");
  const terms = termsKey(article);
  const cache = BuildCache.open(scratch, path.join(scratch, "keys"), { settings: "first" });
  const files = new BodyFiles(cache);
  const [place] = files.store("3d", [article.html]) as HtmlPlace[];
  article.html = new KeptHtml(place!, "3d", files);
  expect(pageKeys(site!, "key").keys).toEqual(keys);
  expect(termsKey(article)).toBe(terms);
  // And another body, kept, gives other keys.
  const [other] = files.store("3d", [long("The council met in private.")]) as HtmlPlace[];
  article.html = new KeptHtml(other!, "3d", files);
  const { keys: otherKeys } = pageKeys(site!, "key");
  expect(otherKeys.filter((key, index) => key !== keys[index]).length).toBeGreaterThan(0);
  expect(termsKey(article)).not.toBe(terms);
});
