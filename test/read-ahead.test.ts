import { copyFile, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildSite, stampBuildInputsReadingAhead, unchangedBuild } from "../src/build.ts";
import { writeSyntheticArchive } from "../src/bench/synthetic.ts";
import { BuildCache } from "../src/cache/build-cache.ts";
import { stampInputs, type InputStamp } from "../src/cache/input-stamp.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { hashFiles, SETTLED } from "./helpers/files.ts";

// A build's stamp is taken on a thread of its own while the cache's articles are read; the build
// goes on from the articles read by then, and writes what a build from nothing writes.

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-read-ahead-"));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

test("the articles read from the cache while the stamp was taken are the build's, with the rest read after, under the key the build has", { timeout: 120_000 }, async () => {
  const articlesDir = path.join(scratch, "articles");
  writeSyntheticArchive(articlesDir, 60);
  const settingsFile = path.join(articlesDir, "broadsheet.yml");
  await writeFile(settingsFile, "title: The Early Reader\ntimeZone: Europe/London\nnow: 2026-12-01T00:00:00Z\n");
  const options = { articlesDir, outputDir: path.join(scratch, "site"), cache: path.join(scratch, "cache"), pictureCache: false as const };
  const first = await buildSite(options);
  const articles = first.site.archive.articles;
  const edited = path.join(articlesDir, articles[7]!.relativePath);
  const clean = path.join(scratch, "clean");
  const expectSameAsClean = async () => {
    await rm(clean, { recursive: true, force: true });
    await buildSite({ ...options, outputDir: clean, cache: false });
    expect(await hashFiles(options.outputDir)).toEqual(await hashFiles(clean));
  };

  // A stamp that comes only after this thread has had 128 turns: about half the cache's 256
  // buckets of articles, one a turn, are read meanwhile. The buckets' files are removed before the
  // build, so that it has only the articles read ahead: every other one is read from its file.
  await writeFile(edited, `${await readFile(edited, "utf8")}\nA closing paragraph about the night ferry.\n`);
  const slowStamp = async (roots: string[]): Promise<InputStamp> => {
    for (let turn = 0; turn < 128; turn++) await new Promise((resolve) => setImmediate(resolve));
    return stampInputs(roots);
  };
  const stamp = await stampBuildInputsReadingAhead(options, slowStamp);
  const cacheFolder = BuildCache.folderOf(options.cache, path.resolve(options.outputDir));
  for (const name of await readdir(cacheFolder)) if (/^articles-[0-9a-f]{2}\.v8$/.test(name)) await rm(path.join(cacheFolder, name));
  const result = await buildSite(options, stamp);
  expect(result.reused.articles).toBeGreaterThan(0);
  expect(result.reused.articles).toBeLessThan(articles.length - 1);
  await expectSameAsClean();

  // Stamped on its thread, as a build of a big archive is (stampForBuild): every article but the
  // one edited is the cache's, once a build has stored them all again.
  await rm(options.cache, { recursive: true });
  await buildSite(options);
  await writeFile(edited, `${await readFile(edited, "utf8")}\nAnother paragraph, about the morning tide.\n`);
  const threaded = await buildSite(options, await stampBuildInputsReadingAhead(options));
  expect(threaded.reused.articles).toBe(articles.length - 1);
  await expectSameAsClean();

  // The settings saved in another time zone after the articles were read ahead: read under the
  // key before, they are not the build's, whose dates are the new zone's.
  const stampBefore = await stampBuildInputsReadingAhead(options, slowStamp);
  await writeFile(settingsFile, "title: The Early Reader\ntimeZone: Pacific/Auckland\nnow: 2026-12-01T00:00:00Z\n");
  const rezoned = await buildSite(options, stampBefore);
  expect(rezoned.reused.articles).toBe(0);
  await expectSameAsClean();
});

test("with the stamp slower than all the reading, the record of article files' statuses is read ahead too, and is the build's", { timeout: 120_000 }, async () => {
  const articlesDir = path.join(scratch, "statuses", "articles");
  writeSyntheticArchive(articlesDir, 40);
  const settingsFile = path.join(articlesDir, "broadsheet.yml");
  await writeFile(settingsFile, "title: The Early Reader\ntimeZone: Europe/London\nnow: 2026-12-01T00:00:00Z\n");
  // Statuses are recorded only for files last changed long enough before the build.
  await sleep(SETTLED);
  const options = { articlesDir, outputDir: path.join(scratch, "statuses", "site"), cache: path.join(scratch, "statuses", "cache"), pictureCache: false as const };
  const first = await buildSite(options);
  const articles = first.site.archive.articles;
  const edited = path.join(articlesDir, articles[3]!.relativePath);
  const cacheFolder = BuildCache.folderOf(options.cache, path.resolve(options.outputDir));
  // A stamp that comes after both parts' 512 buckets are read, one a turn; then both parts' files are removed.
  const slowerStamp = async (roots: string[]): Promise<InputStamp> => {
    for (let turn = 0; turn < 600; turn++) await new Promise((resolve) => setImmediate(resolve));
    return stampInputs(roots);
  };
  await writeFile(edited, `${await readFile(edited, "utf8")}\nA closing paragraph about the night ferry.\n`);
  const stamp = await stampBuildInputsReadingAhead(options, slowerStamp);
  for (const name of await readdir(cacheFolder)) if (/^(articles|article-files)-[0-9a-f]{2}\.v8$/.test(name)) await rm(path.join(cacheFolder, name));
  const result = await buildSite(options, stamp);
  // Every file but the one edited taken by its status, which only the record read ahead gives.
  expect(result.reused.articleFilesNotRead).toBe(articles.length - 1);
  expect(result.reused.articles).toBe(articles.length - 1);
  const clean = path.join(scratch, "statuses", "clean");
  await buildSite({ ...options, outputDir: clean, cache: false });
  expect(await hashFiles(options.outputDir)).toEqual(await hashFiles(clean));
});

test("the statuses read ahead are compared with the inputs as the last build stored them only while that part is the file it was before", { timeout: 120_000 }, async () => {
  const articlesDir = path.join(scratch, "inputs", "articles");
  writeSyntheticArchive(articlesDir, 20);
  await writeFile(path.join(articlesDir, "broadsheet.yml"), "title: The Early Reader\ntimeZone: Europe/London\nnow: 2026-12-01T00:00:00Z\n");
  await sleep(SETTLED);
  const options = { articlesDir, outputDir: path.join(scratch, "inputs", "site"), cache: path.join(scratch, "inputs", "cache"), pictureCache: false as const };
  const first = await buildSite(options);
  // A file saved again as it was: the statuses tell it from a change.
  const saved = path.join(articlesDir, first.site.archive.articles[2]!.relativePath);
  await writeFile(saved, await readFile(saved));
  await sleep(SETTLED);
  const cacheFolder = BuildCache.folderOf(options.cache, path.resolve(options.outputDir));
  const slowerStamp = async (roots: string[]): Promise<InputStamp> => {
    for (let turn = 0; turn < 600; turn++) await new Promise((resolve) => setImmediate(resolve));
    return stampInputs(roots);
  };
  const statusesFiles = async () => (await readdir(cacheFolder)).filter((name) => /^article-files-[0-9a-f]{2}\.v8$/.test(name));
  const kept = new Map<string, Buffer>();
  for (const name of await statusesFiles()) kept.set(name, await readFile(path.join(cacheFolder, name)));
  const removeStatuses = async () => {
    for (const name of await statusesFiles()) await rm(path.join(cacheFolder, name));
  };

  // The statuses read ahead alone (their files removed after) tell that nothing changed.
  const stamp = await stampBuildInputsReadingAhead(options, slowerStamp);
  await removeStatuses();
  expect(unchangedBuild(options, stamp)).toBeDefined();
  for (const [name, bytes] of kept) await writeFile(path.join(cacheFolder, name), bytes);

  // The inputs part written again meanwhile, as by another build's end: those statuses may be
  // older than it, and are not compared with it; read again, there are none.
  const again = await stampBuildInputsReadingAhead(options, slowerStamp);
  const inputsFile = path.join(cacheFolder, "inputs.v8");
  await copyFile(inputsFile, `${inputsFile}.new`);
  await rename(`${inputsFile}.new`, inputsFile);
  await removeStatuses();
  expect(unchangedBuild(options, again)).toBeUndefined();
});
