import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildSite } from "../src/build.ts";
import { writeSyntheticArchive } from "../src/bench/synthetic.ts";
import { hashFiles, SETTLED } from "./helpers/files.ts";

// Bodies an unchanged article keeps in the build cache (src/cache/kept-html.ts) are read back only
// for the pages and search records made again. A file of them that no longer holds what the cache
// recorded (damaged on the disk) stops the build with a message, leaves the site as it was, and
// is not trusted by the next build, which renders those bodies again.

let scratch: string;
let articles: string;
let output: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-damaged-"));
  articles = path.join(scratch, "articles");
  output = path.join(scratch, "site");
  writeSyntheticArchive(articles, 12);
  await writeFile(path.join(articles, "broadsheet.yml"), "title: The Damaged Gazette\ntimeZone: Europe/London\nnow: 2026-12-01T00:00:00Z\n");
  await sleep(SETTLED);
}, 60_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const shape = () => ({ articlesDir: articles, pictureCache: path.join(scratch, "pictures"), pagesPerSearchShard: 4 });
const cacheRoot = () => path.join(scratch, "cache");

/** The files of kept bodies in the cache's folder for the output. */
async function bodyFiles(): Promise<string[]> {
  const [folder] = await readdir(cacheRoot());
  const within = path.join(cacheRoot(), folder!);
  return (await readdir(within)).filter((name) => name.startsWith("article-html-")).map((name) => path.join(within, name));
}

test("a damaged file of kept bodies stops the build with a message, leaves the site, and the next build renders them again", { timeout: 120_000 }, async () => {
  const first = await buildSite({ ...shape(), outputDir: output, cache: cacheRoot() });
  const files = await bodyFiles();
  expect(files.length).toBeGreaterThan(0);
  // Every body's bytes changed, their length and the files' header and token kept: as a disk might.
  for (const file of files) {
    const bytes = await readFile(file);
    const keyLength = bytes.readUInt32LE(0);
    const bodies = 8 * Math.ceil((4 + keyLength) / 8) + 8;
    bytes.fill("x".charCodeAt(0), bodies);
    await writeFile(file, bytes);
  }
  // One article edited: its neighbours' pages and its search shard are made again from the others' kept bodies.
  const edited = first.sources.find((source) => /^\d{4}\/\d{2}\//.test(source.relativePath))!.relativePath;
  await writeFile(path.join(articles, edited), `${await readFile(path.join(articles, edited), "utf8")}\nA closing paragraph about the harbour ferry.\n`);
  await sleep(SETTLED);
  const site = await hashFiles(output);
  await expect(buildSite({ ...shape(), outputDir: output, cache: cacheRoot() })).rejects.toThrow(/article-html-[0-9a-f]{2}\.bin in the build cache no longer holds the rendered article body the build kept there .* build again\./);
  expect(await hashFiles(output)).toEqual(site);
  expect(await bodyFiles()).toEqual([]);

  const again = await buildSite({ ...shape(), outputDir: output, cache: cacheRoot() });
  const clean = path.join(scratch, "clean");
  await buildSite({ ...shape(), outputDir: clean, cache: false });
  expect(await hashFiles(output)).toEqual(await hashFiles(clean));
  expect(again.reused.articles).toBe(0);
});

test("a cache that cannot be written fails no build whose site is in place, and the next build is right", { timeout: 120_000 }, async () => {
  const site = path.join(scratch, "unwritable");
  const root = path.join(scratch, "cache-unwritable");
  await buildSite({ ...shape(), outputDir: site, cache: root });
  const before = await hashFiles(site);
  // Where the record of the build's inputs goes, a folder with a file in it: nothing can be
  // renamed over it, even by root, as a full disk refuses a write.
  const [folder] = await readdir(root);
  await rm(path.join(root, folder!, "inputs.v8"));
  await mkdir(path.join(root, folder!, "inputs.v8", "in-the-way"), { recursive: true });
  const unchanged = await buildSite({ ...shape(), outputDir: site, cache: root });
  expect(unchanged.pagesRendered).toBe(0);
  expect(await hashFiles(site)).toEqual(before);
  // And once an article changed, with the record still unwritable: built, and as a build from nothing.
  const [first] = (await readdir(articles, { recursive: true })).filter((name) => name.endsWith(".md")).sort();
  const file = path.join(articles, first!);
  const text = await readFile(file, "utf8");
  await writeFile(file, `${text}\nA closing line about the quay.\n`);
  await sleep(SETTLED);
  try {
    const changed = await buildSite({ ...shape(), outputDir: site, cache: root });
    expect(changed.pagesRendered).toBeGreaterThan(0);
    const clean = path.join(scratch, "unwritable-clean");
    await buildSite({ ...shape(), outputDir: clean, cache: false });
    expect(await hashFiles(site)).toEqual(await hashFiles(clean));
  } finally {
    await writeFile(file, text);
    await sleep(SETTLED);
  }
});
