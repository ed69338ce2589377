import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildSite, shardsLikelyMerged } from "../src/build.ts";
import { writeSyntheticArchive } from "../src/bench/synthetic.ts";
import { searchVolumes } from "../src/archive/volumes.ts";
import { BuildCache } from "../src/cache/build-cache.ts";
import { hashFiles } from "./helpers/files.ts";

// A build that writes nothing keeps the earlier site it staged in (src/cache/earlier-site.ts),
// which is two builds old and may have a search volume more than the site: the search index
// removes it from the staging folder. The kept site must not then be said to hold it, or a later
// build whose index has that volume again, its shards still cached, would take it as there.

const SETTINGS = ["title: The Volume Gazette", "timeZone: Europe/London", "pageSize: 4", "searchVolume: 15", "now: 2026-12-01T00:00:00Z", ""].join("\n");

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-kept-volumes-"));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

test("a search volume the kept site lost while a build wrote nothing is written again when the index has it again", { timeout: 240_000 }, async () => {
  const articles = path.join(scratch, "articles");
  const output = path.join(scratch, "cached", "site");
  const shape = { articlesDir: articles, pictureCache: path.join(scratch, "pictures"), pagesPerRun: 50, pagesPerSearchShard: 5 };
  writeSyntheticArchive(articles, 40);
  await writeFile(path.join(articles, "broadsheet.yml"), SETTINGS);
  await mkdir(path.join(articles, "later"));
  for (let day = 10; day < 22; day++) await writeFile(path.join(articles, "later", `note-${day}.md`), `---\ntitle: A note of the ${day}th\nauthor: Filler Writer\ndate: 2026-10-${day}\ntopics: [Notes]\n---\n\nA note about giraffes, the ${day}th.\n`);
  // As many newest articles as it takes for the index to have one volume more.
  const probe = await buildSite({ ...shape, outputDir: path.join(scratch, "probe"), cache: false });
  const entries = probe.site.archive.articles.length;
  let extra = 1;
  while (searchVolumes(entries + extra, 15).length === searchVolumes(entries, 15).length) extra++;
  const newest = path.join(articles, "newest");
  const parked = path.join(scratch, "parked");
  await mkdir(newest);
  for (let day = 10; day < 10 + extra; day++) await writeFile(path.join(newest, `late-${day}.md`), `---\ntitle: Late news of the ${day}th\nauthor: Extra Writer\ndate: 2026-11-${day}\ntopics: [Late]\n---\n\nLate news about zebras, the ${day}th.\n`);

  const build = () => buildSite({ ...shape, outputDir: output, cache: path.join(scratch, "cache") });
  const withNewest = await build();
  expect(searchVolumes(withNewest.site.archive.articles.length, 15).length).toBe(searchVolumes(entries, 15).length + 1);
  // One volume fewer; the site with it is kept.
  await rename(newest, parked);
  await build();
  // A file saved unchanged: nothing to write, and the kept site, staged in, is kept again.
  const settings = path.join(articles, "broadsheet.yml");
  await writeFile(settings, await readFile(settings, "utf8"));
  expect((await build()).pagesRendered).toBe(0);
  // The volume again, as the kept site had it.
  await rename(parked, newest);
  await build();

  const clean = path.join(scratch, "clean", "site");
  await buildSite({ ...shape, outputDir: clean, cache: false });
  expect(await hashFiles(output)).toEqual(await hashFiles(clean));
});

test("the shards the last build found likely to be merged next are read ahead; one of them no longer kept is indexed again, and the site is the one a build from nothing writes", { timeout: 240_000 }, async () => {
  const articles = path.join(scratch, "guessed", "articles");
  const output = path.join(scratch, "guessed", "site");
  const cache = path.join(scratch, "guessed", "cache");
  const shape = { articlesDir: articles, pictureCache: path.join(scratch, "pictures"), pagesPerRun: 50, pagesPerSearchShard: 5 };
  writeSyntheticArchive(articles, 40);
  await writeFile(path.join(articles, "broadsheet.yml"), SETTINGS);
  const build = () => buildSite({ ...shape, outputDir: output, cache });
  const first = await build();
  expect(searchVolumes(first.site.archive.articles.length, 15).length).toBeGreaterThan(1);
  const clean = path.join(scratch, "guessed", "clean");
  const expectAsFromNothing = async () => {
    await rm(clean, { recursive: true, force: true });
    await buildSite({ ...shape, outputDir: clean, cache: false });
    expect(await hashFiles(output)).toEqual(await hashFiles(clean));
  };

  // The first build merged every volume, and lists every shard: the next build's search thread
  // reads them while the archive loads. Two are gone from the cache by then: the plan indexes them
  // again, and the merges must take them as indexed, not as their reading found them (missing).
  const shardsFolder = path.join(BuildCache.folderOf(cache, output), "search-shards");
  const listed = () => shardsLikelyMerged({ ...shape, outputDir: output, cache }).map((dir) => path.relative(shardsFolder, dir));
  const kept = (await readdir(shardsFolder)).sort();
  expect(kept.length).toBeGreaterThan(4);
  expect(listed().sort()).toEqual(kept);
  const oldest = first.site.archive.articles.at(-1)!;
  const file = path.join(articles, oldest.relativePath);
  await writeFile(file, `${await readFile(file, "utf8")}\nA closing line about the old quay.\n`);
  for (const key of [kept[0]!, kept.at(-1)!]) await rm(path.join(shardsFolder, key), { recursive: true });
  const edited = await build();
  expect(edited.pagesRendered).toBeGreaterThan(0);
  await expectAsFromNothing();
  // Edited again, with the shards that build listed read while the archive loads: this one merges
  // the oldest volume alone, and lists its shards and the newest volume's, all kept, but not those
  // of the volume between.
  await writeFile(file, `${await readFile(file, "utf8")}\nAnd a second line about the harbour wall.\n`);
  expect((await build()).reused.searchVolumes).toBe(searchVolumes(first.site.archive.articles.length, 15).length - 1);
  await expectAsFromNothing();
  const used = await readdir(shardsFolder);
  const likely = listed();
  expect(likely.length).toBeGreaterThan(0);
  expect(likely.length).toBeLessThan(used.length);
  expect(used).toEqual(expect.arrayContaining(likely));
});
