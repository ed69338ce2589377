import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import { gunzipSync } from "node:zlib";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite, type BuildResult } from "../src/build.ts";
import { writeSyntheticArchive } from "../src/bench/synthetic.ts";
import { searchVolumes } from "../src/archive/volumes.ts";
import { planShards } from "../src/search/shards.ts";
import { fixture, hashFiles } from "./helpers/files.ts";
import { BuildCache } from "../src/cache/build-cache.ts";
import { EARLIER_SITE } from "../src/cache/earlier-site.ts";

// A build from the cache must write what a build from nothing writes, byte for byte, whatever
// changed in between. Each test changes the archive, builds it twice (from the cache, into the
// same output each time, and with no cache into a fresh folder) and compares every file.

// Small volumes and shards, so that an article moving in time moves between them.
const SETTINGS = ["title: The Incremental Gazette", "timeZone: Europe/London", "pageSize: 4", "searchVolume: 15", "now: 2026-12-01T00:00:00Z", ""].join("\n");

let scratch: string;
let articles: string;
let cached: string;
let cacheDir: string;
let pictureCache: string;
let last: BuildResult;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-incremental-"));
  articles = path.join(scratch, "articles");
  cached = path.join(scratch, "cached", "site");
  cacheDir = path.join(scratch, "cache");
  pictureCache = path.join(scratch, "pictures");
  writeSyntheticArchive(articles, 40);
  // Links between articles' files and pictures beside them, with the synthetic articles' bulk.
  for (const year of ["2023", "2024"]) await cp(path.join(fixture("basic"), year), path.join(articles, year), { recursive: true });
  await cp(path.join(fixture("pictures"), "2024"), path.join(articles, "2024"), { recursive: true });
  await writeFile(path.join(articles, "broadsheet.yml"), SETTINGS);
}, 60_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** A paragraph one test adds to an article's body, and a later one takes out. */
const LIGHTHOUSE = "\nAnother closing paragraph, about the lighthouse keeper.\n";

/** Builds from the cache and from nothing, and expects the same files. */
async function expectSameAsClean(): Promise<BuildResult> {
  const shape = { articlesDir: articles, pictureCache, pagesPerRun: 50, pagesPerSearchShard: 4 };
  last = await buildSite({ ...shape, outputDir: cached, cache: cacheDir });
  const clean = path.join(scratch, "clean", "site");
  await rm(path.dirname(clean), { recursive: true, force: true });
  await buildSite({ ...shape, outputDir: clean, cache: false });
  const [fromCache, fromNothing] = await Promise.all([hashFiles(cached), hashFiles(clean)]);
  expect(Object.keys(fromCache).filter((file) => file.startsWith("pagefind/volumes/")).length, "the archive has several search volumes").toBeGreaterThan(10);
  expect(fromCache).toEqual(fromNothing);
  // Folders too: none left empty where a page was before.
  expect(await listFolders(cached)).toEqual(await listFolders(clean));
  return last;
}

/** Every folder below `root`, relative to it, sorted. */
async function listFolders(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => path.relative(root, path.join(entry.parentPath, entry.name))).sort();
}

/** The synthetic article file at `relative`, changed by `change`. */
async function edit(relative: string, change: (text: string) => string): Promise<void> {
  const file = path.join(articles, relative);
  await writeFile(file, change(await readFile(file, "utf8")));
}

/** Some synthetic article's path, the same on every run (the archive is deterministic). */
function syntheticArticle(result: BuildResult, index: number): string {
  const article = result.site.archive.articles.filter((candidate) => /^\d{4}\/\d{2}\//.test(candidate.relativePath))[index]!;
  return article.relativePath;
}

describe("a build from the cache writes what a build from nothing writes", { timeout: 240_000 }, () => {
  test("the first build, with an empty cache", async () => {
    const result = await expectSameAsClean();
    expect(result.reused.pages).toBe(0);
  });

  test("nothing changed: every page is reused", async () => {
    const result = await expectSameAsClean();
    // Files made by code whose inputs the cache does not see (robots.txt, the corrections feed, …) too, by their content.
    expect(result.pagesRendered).toBe(0);
    expect(result.reused.pages + result.pagesRendered).toBe(result.pagesWritten);
    // The unpublished draft is read, but never rendered.
    expect(result.reused.articles).toBe(result.site.archive.articles.length);
    // Every article's digest is the one kept with its entry: none is hashed again.
    expect(result.reused.articleDigests).toBe(result.site.archive.articles.length);
    expect(result.reused.related).toBe(true);
    expect(result.reused.searchVolumes).toBe(searchVolumes(result.site.archive.articles.length, 15).length);
  });

  test("an article's body is edited", async () => {
    const terms = path.join(BuildCache.folderOf(cacheDir, cached), "related-terms.bin");
    const termsBefore = (await stat(terms)).mtimeMs;
    await edit(syntheticArticle(last, 5), (text) => `${text}\nA new closing paragraph about the harbour ferry and the council budget.\n`);
    const result = await expectSameAsClean();
    // The related lists were chosen again: the terms counted for them are stored for the next
    // build, written while the pages rendered, and nothing of them is left under another name.
    expect(result.reused.related).toBe(false);
    expect((await stat(terms)).mtimeMs).toBeGreaterThan(termsBefore);
    expect((await readdir(path.dirname(terms))).filter((name) => name.startsWith("related-terms"))).toEqual(["related-terms.bin", "related-terms.v8"]);
    expect(result.reused.pages).toBeGreaterThan(result.pagesWritten / 2);
    // The volume and shard that hold the article are made again, the others kept.
    expect(result.reused.searchVolumes).toBeGreaterThan(0);
    expect(result.reused.searchShards).toBeGreaterThan(5);
  });

  test("an edit at the head of a body that counts no term otherwise (numbers, stopwords) keeps the related lists, under a new key", async () => {
    const folder = BuildCache.folderOf(cacheDir, cached);
    const [bytesBefore, listsBefore] = await Promise.all(["related-terms.bin", "related-terms.v8"].map(async (name) => (await stat(path.join(folder, name))).mtimeMs));
    // Read for the related lists: the opening's text, so the lists' key changes.
    await edit(syntheticArticle(last, 9), (text) => text.replace("\n---\n", "\n---\n\nAnd so it was: 1,200 of them in 2019, not 15.\n\n"));
    const result = await expectSameAsClean();
    expect(result.pagesRendered, "the article's page is written again").toBeGreaterThan(0);
    expect(result.reused.related).toBe(true);
    // The terms' bytes are the ones kept; their lists are stored with the new keys.
    expect((await stat(path.join(folder, "related-terms.bin"))).mtimeMs).toBe(bytesBefore);
    expect((await stat(path.join(folder, "related-terms.v8"))).mtimeMs).toBeGreaterThan(listsBefore!);
    // The next build keeps them too (test/cache/related-cache.test.ts has one take them by the
    // new key alone, without reading the terms).
    const again = await expectSameAsClean();
    expect(again.reused.related).toBe(true);
    expect(again.pagesRendered).toBe(0);
  });

  test("the site a build replaced is kept for the next to stage in: its unchanged pages stay there, and the site being read is never written into", async () => {
    // The site in the output folder now, file by file: the next build stages in the site this one
    // replaced, which shares most of its files with it.
    const before = await hashFiles(cached);
    await edit(syntheticArticle(last, 7), (text) => `${text}${LIGHTHOUSE}`);
    const result = await expectSameAsClean();
    expect(result.reused.pagesKept).toBeGreaterThan(result.pagesWritten / 2);
    // The site it replaced is kept now, and not one of its files was written into.
    expect(await hashFiles(path.join(BuildCache.folderOf(cacheDir, cached), EARLIER_SITE))).toEqual(before);
  });

  test("a file saved again unchanged (a build that writes nothing) keeps the earlier site for the next build to stage in", async () => {
    // The kept site is two builds old: its search volume of the last edit is not the site's.
    const relative = syntheticArticle(last, 3);
    await edit(relative, (text) => text);
    const unchanged = await expectSameAsClean();
    expect(unchanged.pagesRendered).toBe(0);
    const kept = path.join(BuildCache.folderOf(cacheDir, cached), EARLIER_SITE);
    expect(await readdir(kept), "the earlier site is still kept").toContain("index.html");
    // The last edit undone: its search volume is again the one the kept site had, and set aside.
    await edit(syntheticArticle(last, 7), (text) => text.replace(LIGHTHOUSE, ""));
    const result = await expectSameAsClean();
    expect(result.reused.pagesKept).toBeGreaterThan(result.pagesWritten / 2);
  });

  test("a build that fails on an article's error keeps the earlier site for the next build to stage in", async () => {
    const relative = syntheticArticle(last, 12);
    const kept = path.join(BuildCache.folderOf(cacheDir, cached), EARLIER_SITE);
    const before = await hashFiles(kept);
    await edit(relative, (text) => text.replace(/^date: .*$/m, "date: the first of never"));
    let after: Record<string, string> | undefined;
    try {
      await expect(buildSite({ articlesDir: articles, pictureCache, pagesPerRun: 50, pagesPerSearchShard: 4, outputDir: cached, cache: cacheDir })).rejects.toThrow(/date/);
      after = await hashFiles(kept).catch(() => undefined);
    } finally {
      // Mended, whatever happened, for the tests after this one.
      await edit(relative, (text) => text.replace("date: the first of never", "date: 2025-06-01").concat("\nA paragraph about the harbour wall.\n"));
    }
    // Put back as it was, less the stylesheet and scripts, which every build writes anew.
    expect(after).toEqual(Object.fromEntries(Object.entries(before).filter(([file]) => !file.startsWith("assets/"))));
    const result = await expectSameAsClean();
    expect(result.reused.pagesKept).toBeGreaterThan(result.pagesWritten / 2);
  });

  test("a kept site that is not the folder the cache recorded (a copy) is not staged in", async () => {
    const kept = path.join(BuildCache.folderOf(cacheDir, cached), EARLIER_SITE);
    await cp(kept, `${kept}.copy`, { recursive: true });
    await rm(kept, { recursive: true });
    await rename(`${kept}.copy`, kept);
    await edit(syntheticArticle(last, 8), (text) => `${text}\nA paragraph about the tide tables.\n`);
    const result = await expectSameAsClean();
    expect(result.reused.pagesKept).toBe(0);
    expect(result.reused.pages).toBeGreaterThan(result.pagesWritten / 2);
  });

  test("a page changed by hand in the output folder is gone after a build with --no-cache, and builds from the cache do not bring it back", async () => {
    const article = last.site.archive.articles.find((candidate) => candidate.relativePath === syntheticArticle(last, 20))!;
    // Written in place, as an editor may: the kept site holds the same file.
    await writeFile(path.join(cached, article.url, "index.html"), "<p>Changed by hand.</p>\n");
    await buildSite({ articlesDir: articles, pictureCache, pagesPerRun: 50, pagesPerSearchShard: 4, outputDir: cached, cache: false });
    await edit(syntheticArticle(last, 9), (text) => `${text}\nA paragraph about the pilot boat.\n`);
    await expectSameAsClean();
    await edit(syntheticArticle(last, 9), (text) => `${text}\nAnd one about the harbour master.\n`);
    await expectSameAsClean();
  });

  test("an old article gets a word no other has: its volume is made again, the newest kept, and the word lists written again", async () => {
    const old = syntheticArticle(last, 35);
    await edit(old, (text) => `${text}\nThe quartermaster kept a logbook of every gannet.\n`);
    const result = await expectSameAsClean();
    expect(result.reused.searchVolumes).toBeGreaterThan(0);
    const wordList = gunzipSync(await readFile(path.join(cached, "pagefind", "vocabulary", "13.txt.gz"))).toString();
    expect(wordList).toMatch(/^quartermaster \d$/m);
  });

  test("an article is added, newest of all", async () => {
    await mkdir(path.join(articles, "2026", "11"), { recursive: true });
    await writeFile(path.join(articles, "2026", "11", "late-news.md"), '---\ntitle: "Late news from the quay"\nauthor: Mara Quinn\ndate: 2026-11-30\ntopics: [Harbour]\n---\nThe quay reopened late at night.\n');
    const result = await expectSameAsClean();
    // Volumes are counted from the oldest article and shards cut by the articles' addresses: only the newest of each is made again.
    const volumes = searchVolumes(result.site.archive.articles.length, 15);
    expect(volumes.length, "the archive has older volumes").toBeGreaterThan(1);
    expect(result.reused.searchVolumes).toBe(volumes.length - 1);
    expect(result.reused.searchShards).toBeGreaterThan(3);
    // Every page of the latest articles was rendered again, each teaser as the earlier build made it.
    expect(result.reused.teasers).toBeGreaterThan(result.site.archive.articles.length / 2);
  });

  test("an article is deleted", async () => {
    await rm(path.join(articles, syntheticArticle(last, 10)));
    await expectSameAsClean();
  });

  test("an old article is deleted: the search index's shard that held it and the volumes' edge shards are indexed again, the others kept", async () => {
    const shardsOf = (result: BuildResult) => {
      const entries = [...result.site.archive.articles, ...result.site.pages.filter((page) => page.kind === "page")].map((entry) => entry.url);
      const volumes = searchVolumes(entries.length, 15);
      return { volumes, shards: planShards(volumes, 4, (place) => entries[place]!).map((shard) => entries.slice(shard.first, shard.first + shard.articles).join(" ")) };
    };
    const before = shardsOf(last);
    await rm(path.join(articles, syntheticArticle(last, 36)));
    const result = await expectSameAsClean();
    // Every article newer than it moves a place, and every newer volume's edges move: the shards
    // indexed again are those that hold other articles than before, at most the one that held it
    // and two at each volume's edges.
    const { volumes, shards } = shardsOf(result);
    expect(volumes.length, "the archive has older volumes").toBeGreaterThan(2);
    const changed = shards.filter((shard) => !before.shards.includes(shard)).length;
    expect(changed).toBeLessThanOrEqual(1 + 2 * volumes.length);
    expect(shards.length - result.reused.searchShards).toBe(changed);
  });

  test("an article's file is renamed, and another article links to it", async () => {
    await rename(path.join(articles, "2023", "council-meets-in-public.md"), path.join(articles, "2023", "council-meets-openly.md"));
    await expectSameAsClean();
    // The link is mended, so the reader still reaches it.
    await edit("2024/new-year-budget.md", (text) => text.replace("council-meets-in-public.md", "council-meets-openly.md"));
    await expectSameAsClean();
  });

  test("an article's date changes: it moves to another month, year and search volume", async () => {
    await edit(syntheticArticle(last, 0), (text) => text.replace(/^date: .*$/m, "date: 2009-02-03"));
    await expectSameAsClean();
  });

  test("an article's topics change", async () => {
    await edit(syntheticArticle(last, 3), (text) => text.replace(/^topics:\n(  - .*\n)+/m, "topics:\n  - Lighthouses\n"));
    await expectSameAsClean();
  });

  test("a topic's most used spelling changes: the articles not edited name it so, on their pages and in the listings", async () => {
    // "City Hall" is written so twice, "city hall" and "CITY HALL" once each: two more make "city hall" the name.
    const unedited = last.site.archive.articles.find((article) => article.relativePath === "2024/housing-plan-approved.md")!;
    for (const index of [8, 9]) await edit(syntheticArticle(last, index), (text) => text.replace(/^topics:\n/m, "topics:\n  - city hall\n"));
    const result = await expectSameAsClean();
    const page = await readFile(path.join(cached, unedited.url, "index.html"), "utf8");
    expect(page).toContain(">city hall<");
    expect(page).not.toContain(">City Hall<");
    // The articles named "City Hall" were hashed again; the others' digests were kept.
    const named = result.site.archive.articles.filter((article) => article.topics.some((topic) => topic.name === "city hall")).length;
    expect(result.reused.articleDigests).toBeGreaterThan(0);
    expect(result.reused.articleDigests).toBeLessThanOrEqual(result.site.archive.articles.length - named);
  });

  test("an article's headline changes, it gets an old address, and the address moves to another article: the listings, feeds, address map and redirects that name them", async () => {
    const relative = syntheticArticle(last, 4);
    // Each alone: the address map lists both, and either must write it again.
    await edit(relative, (text) => text.replace(/^title: .*$/m, "title: The Ferry Strike Ends"));
    await expectSameAsClean();
    expect(await readFile(path.join(cached, "urls.json"), "utf8")).toContain('"title":"The Ferry Strike Ends"');
    await edit(relative, (text) => text.replace(/^---\n/, "---\naliases:\n  - /news/ferry-strike/\n"));
    await expectSameAsClean();
    expect(await readFile(path.join(cached, "urls.json"), "utf8")).toContain('"aliases":["/news/ferry-strike/"]');
    // The old address moves to another article: the same redirects, from the same addresses, but
    // the map names another article for it.
    const other = syntheticArticle(last, 6);
    await edit(relative, (text) => text.replace("aliases:\n  - /news/ferry-strike/\n", ""));
    await edit(other, (text) => text.replace(/^---\n/, "---\naliases:\n  - /news/ferry-strike/\n"));
    await expectSameAsClean();
    const moved = last.site.archive.articles.find((candidate) => candidate.relativePath === other)!;
    expect(await readFile(path.join(cached, "urls.json"), "utf8")).toContain(`${JSON.stringify(moved.relativePath)},"title":${JSON.stringify(moved.title)},"aliases":["/news/ferry-strike/"]`);
  });

  test("an article's headline and summary change, then an article is added: every listing shows them anew, none the teaser an earlier build made", async () => {
    const relative = syntheticArticle(last, 12);
    await edit(relative, (text) => text.replace(/^title: .*$/m, "title: Gulls Return To The Harbour Wall").replace(/^summary: .*$/m, "summary: The gulls came back before the fishing boats did."));
    await expectSameAsClean();
    await writeFile(path.join(articles, "2026", "11", "later-news.md"), '---\ntitle: "Later news from the quay"\nauthor: Mara Quinn\ndate: 2026-11-30T20:00:00Z\ntopics: [Harbour]\n---\nThe quay closed again.\n');
    const result = await expectSameAsClean();
    expect(result.reused.teasers).toBeGreaterThan(0);
  });

  test("a setting changes", async () => {
    await writeFile(path.join(articles, "broadsheet.yml"), SETTINGS.replace("pageSize: 4", "pageSize: 3"));
    const result = await expectSameAsClean();
    expect(result.reused.pages).toBe(0);
  });

  test("the language's variant changes, which writes the dates of search results otherwise", async () => {
    await writeFile(path.join(articles, "broadsheet.yml"), `${SETTINGS.replace("pageSize: 4", "pageSize: 3")}language: en-GB\n`);
    const result = await expectSameAsClean();
    expect(result.reused.searchShards).toBe(0);
  });
});

describe("a branded site (theme, logo, own pages, another language) from the cache", { timeout: 240_000 }, () => {
  test("theme snippets, the theme's stylesheet, the logo and an own page change", async () => {
    const brand = path.join(scratch, "brand");
    await cp(fixture("brand"), brand, { recursive: true });
    const shape = { articlesDir: brand, pictureCache, pagesPerRun: 20, pagesPerSearchShard: 2 };
    const site = path.join(scratch, "brand-site", "site");
    const compare = async () => {
      const result = await buildSite({ ...shape, outputDir: site, cache: cacheDir });
      const clean = path.join(scratch, "brand-clean", "site");
      await rm(path.dirname(clean), { recursive: true, force: true });
      await buildSite({ ...shape, outputDir: clean, cache: false });
      expect(await hashFiles(site)).toEqual(await hashFiles(clean));
      return result;
    };
    await compare();
    expect((await compare()).pagesRendered).toBe(0);
    await writeFile(path.join(brand, "theme", "head.html"), '<meta name="theme-color" content="#7a1f1f">\n');
    expect((await compare()).reused.pages).toBe(0);
    await writeFile(path.join(brand, "theme", "style.css"), ":root { --accent: #7a1f1f; }\n");
    await writeFile(path.join(brand, "logo.svg"), '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n');
    await compare();
    await edit(path.relative(articles, path.join(brand, "pages", "ueber-uns.md")), (text) => `${text}\nNeu: ein Absatz über die Redaktion.\n`);
    await compare();
  });
});
