import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildSite, stampBuildInputsReadingAhead } from "../src/build.ts";
import { writeSyntheticArchive } from "../src/bench/synthetic.ts";
import { stampInputs, type InputStamp } from "../src/cache/input-stamp.ts";
import { hashFiles } from "./helpers/files.ts";

// A build's stamp is taken on a thread of its own while the cache's articles are read; the build
// goes on from the articles read by then, and writes what a build from nothing writes.

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-read-ahead-"));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

test("the articles read from the cache while the stamp was taken are the build's, with the rest read after", { timeout: 120_000 }, async () => {
  const articlesDir = path.join(scratch, "articles");
  writeSyntheticArchive(articlesDir, 60);
  await writeFile(path.join(articlesDir, "broadsheet.yml"), "title: The Early Reader\ntimeZone: Europe/London\nnow: 2026-12-01T00:00:00Z\n");
  const options = { articlesDir, outputDir: path.join(scratch, "site"), cache: path.join(scratch, "cache"), pictureCache: false as const };
  const first = await buildSite(options);
  const articles = first.site.archive.articles;
  const edited = path.join(articlesDir, articles[7]!.relativePath);
  await writeFile(edited, `${await readFile(edited, "utf8")}\nA closing paragraph about the night ferry.\n`);

  // A stamp that comes only after this thread has had many turns: half the cache's buckets, one a
  // turn, are read meanwhile, not all.
  let turns = 0;
  const slowStamp = async (roots: string[]): Promise<InputStamp> => {
    for (; turns < 128; turns++) await new Promise((resolve) => setImmediate(resolve));
    return stampInputs(roots);
  };
  const stamp = await stampBuildInputsReadingAhead(options, slowStamp);
  expect(turns).toBe(128);
  const result = await buildSite(options, stamp);
  // Every article but the edited one was taken from the cache, those read ahead too.
  expect(result.reused.articles).toBe(articles.length - 1);

  const clean = path.join(scratch, "clean");
  await buildSite({ ...options, outputDir: clean, cache: false });
  expect(await hashFiles(options.outputDir)).toEqual(await hashFiles(clean));

  // Stamped on its thread, as a build of a big archive is (stampForBuild): the same again.
  await writeFile(edited, `${await readFile(edited, "utf8")}\nAnother paragraph, about the morning tide.\n`);
  const threaded = await buildSite(options, await stampBuildInputsReadingAhead(options));
  expect(threaded.reused.articles).toBe(articles.length - 1);
  await rm(clean, { recursive: true });
  await buildSite({ ...options, outputDir: clean, cache: false });
  expect(await hashFiles(options.outputDir)).toEqual(await hashFiles(clean));
});
