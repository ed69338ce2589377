import { mkdir, readdir, readFile, rm, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { buildSite } from "../src/build.ts";
import { installedTree } from "../src/cache/build-cache.ts";
import { writeSyntheticArchive } from "../src/bench/synthetic.ts";
import { hashFiles } from "./helpers/files.ts";

// Broadsheet's version as the build cache sees it: the test upgrades Broadsheet between builds.
const installed = vi.hoisted(() => ({ version: undefined as string | undefined }));
vi.mock("../src/package.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../src/package.ts")>();
  return { ...original, packageVersion: () => installed.version ?? original.packageVersion() };
});

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-upgrade-"));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("a build from the cache after Broadsheet is upgraded", { timeout: 120_000 }, () => {
  // The search index's shards are kept in the cache with what Broadsheet's own code made of them
  // (the words of each, for the word lists). Another version may count words otherwise (as when
  // the word splitter became typos.js lowerCaseWords): its shards must not be taken for this one's.
  test("indexes the search shards again rather than take those another version kept", async () => {
    const articles = path.join(scratch, "articles");
    writeSyntheticArchive(articles, 12);
    await writeFile(path.join(articles, "broadsheet.yml"), "title: The Upgraded Gazette\nnow: 2026-12-01T00:00:00Z\n");
    const cache = path.join(scratch, "cache");
    const shape = { articlesDir: articles, pictureCache: path.join(scratch, "pictures"), pagesPerSearchShard: 4 };
    const site = path.join(scratch, "site", "site");

    installed.version = "0.0.1-older";
    await buildSite({ ...shape, outputDir: site, cache });
    // What the older version kept of each shard: here, words its splitter found that this one's does not.
    const shardFolders: string[] = [];
    for (const entry of await readdir(cache, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name === "words.json") shardFolders.push(path.join(entry.parentPath, entry.name));
    }
    expect(shardFolders.length).toBeGreaterThan(1);
    for (const file of shardFolders) {
      const words = JSON.parse(await readFile(file, "utf8")) as [string, number][];
      await writeFile(file, JSON.stringify([...words, ["olderversionword", 1]]));
    }

    installed.version = undefined;
    await buildSite({ ...shape, outputDir: site, cache });
    const clean = path.join(scratch, "clean", "site");
    await buildSite({ ...shape, outputDir: clean, cache: false });
    expect(await hashFiles(site)).toEqual(await hashFiles(clean));
  });
});

describe("the cache's key and the libraries installed", () => {
  // npm writes node_modules/.package-lock.json again on every install: a library Broadsheet uses
  // only through another, updated, changes it, and so the key of everything the cache holds.
  test("changes when npm's record of the installed packages above Broadsheet changes", async () => {
    const project = path.join(scratch, "project");
    const installedAt = path.join(project, "node_modules", "broadsheet");
    await mkdir(installedAt, { recursive: true });
    expect(installedTree(installedAt), "no record: another package manager").toBe("");
    await writeFile(path.join(project, "node_modules", ".package-lock.json"), '{"packages":{"node_modules/markdown-it":{"version":"14.1.0"}}}');
    const before = installedTree(installedAt);
    await writeFile(path.join(project, "node_modules", ".package-lock.json"), '{"packages":{"node_modules/markdown-it":{"version":"14.1.1"}}}');
    expect(before).not.toBe("");
    expect(installedTree(installedAt)).not.toBe(before);
  });
});
