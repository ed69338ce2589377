import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildSite, stampBuildInputs, stampBuildInputsAside, unchangedBuild } from "../src/build.ts";
import { writeSyntheticArchive } from "../src/bench/synthetic.ts";
import { hashFiles, SETTLED } from "./helpers/files.ts";

// A big archive's inputs are stamped on a thread of their own while the build reads its cache
// ahead (src/build.ts, `stampBuildInputsAside`); a small one's on the build's thread. Here every
// archive is big enough: the stamp must be the one taken on the build's thread, and a build from
// what was read ahead must write what a build from nothing writes.

const ARTICLES = 30;
let scratch: string;
let articles: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-stamp-aside-"));
  articles = path.join(scratch, "articles");
  writeSyntheticArchive(articles, ARTICLES);
  await writeFile(path.join(articles, "broadsheet.yml"), "title: The Aside Gazette\ntimeZone: Europe/London\nnow: 2026-12-01T00:00:00Z\n");
  await sleep(SETTLED);
}, 60_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

test("the stamp taken on a thread of its own is the build's, and a build from the cache read meanwhile writes what a build from nothing writes", { timeout: 120_000 }, async () => {
  const request = { articlesDir: articles, outputDir: path.join(scratch, "site"), cache: path.join(scratch, "cache"), pictureCache: path.join(scratch, "pictures"), stampAsideFrom: 1 };
  await buildSite(request, stampBuildInputs(request));
  const first = await stampBuildInputsAside(request);
  expect(first).toEqual(stampBuildInputs(request));
  expect(unchangedBuild(request, first)).toBeDefined();

  const files = readdirSync(articles, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".md")).sort();
  const edited = path.join(articles, files[3]!);
  await writeFile(edited, `${await readFile(edited, "utf8")}\nA closing paragraph, about the harbour master.\n`);
  await sleep(SETTLED);
  const stamp = await stampBuildInputsAside(request);
  expect(stamp).toEqual(stampBuildInputs(request));
  expect(unchangedBuild(request, stamp)).toBeUndefined();
  const built = await buildSite(request, stamp);
  // Every other article taken from the cache, unread: the record and the articles read ahead.
  expect(built.reused).toMatchObject({ articles: ARTICLES - 1, articleFilesNotRead: ARTICLES - 1 });
  const clean = path.join(scratch, "clean");
  await buildSite({ ...request, outputDir: clean, cache: false });
  expect(await hashFiles(request.outputDir)).toEqual(await hashFiles(clean));
  expect(unchangedBuild(request, await stampBuildInputsAside(request))).toBeDefined();
});
