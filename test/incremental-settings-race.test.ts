import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { buildSite } from "../src/build.ts";
import { writeSyntheticArchive } from "../src/bench/synthetic.ts";
import { hashFiles } from "./helpers/files.ts";

// Something to do just as the build starts reading the archive: an editor saving the settings.
const loading = vi.hoisted(() => ({ before: undefined as (() => Promise<void>) | undefined }));
vi.mock("../src/archive/load-site.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../src/archive/load-site.ts")>();
  return {
    ...original,
    loadSite: async (...args: Parameters<typeof original.loadSite>) => {
      const before = loading.before;
      loading.before = undefined;
      await before?.();
      return original.loadSite(...args);
    },
  };
});

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-settings-race-"));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("settings saved while a build from the cache runs", { timeout: 120_000 }, () => {
  test("what the build read with the new settings is not kept as what the old ones give", async () => {
    const articles = path.join(scratch, "articles");
    writeSyntheticArchive(articles, 8);
    const settingsFile = path.join(articles, "broadsheet.yml");
    const settings = (zone: string) => `title: The Racing Gazette\ntimeZone: ${zone}\nnow: 2026-12-01T00:00:00Z\n`;
    await writeFile(settingsFile, settings("UTC"));
    const cache = path.join(scratch, "cache");
    const shape = { articlesDir: articles, pictureCache: path.join(scratch, "pictures"), pagesPerSearchShard: 4 };
    const site = path.join(scratch, "site", "site");

    // The cache's key is made from the settings as the build starts; the articles are then read
    // with those saved a moment later.
    loading.before = () => writeFile(settingsFile, settings("America/New_York"));
    await buildSite({ ...shape, outputDir: site, cache });
    // The edit is undone: the settings are those of the key again.
    await writeFile(settingsFile, settings("UTC"));
    await buildSite({ ...shape, outputDir: site, cache });

    const clean = path.join(scratch, "clean", "site");
    await buildSite({ ...shape, outputDir: clean, cache: false });
    expect(await hashFiles(site)).toEqual(await hashFiles(clean));
  });
});
