import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { buildSite } from "../src/build.ts";
import { writeSyntheticArchive } from "../src/bench/synthetic.ts";
import { hashFiles } from "./helpers/files.ts";
import { BuildCache } from "../src/cache/build-cache.ts";
import { EARLIER_SITE } from "../src/cache/earlier-site.ts";


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

  test("a build that writes nothing, its key no longer holding, does not keep the earlier site under the record before", async () => {
    const articles = path.join(scratch, "quiet-articles");
    writeSyntheticArchive(articles, 8);
    const settingsFile = path.join(articles, "broadsheet.yml");
    const settings = "title: The Quiet Gazette\ntimeZone: UTC\nnow: 2026-12-01T00:00:00Z\n";
    await writeFile(settingsFile, settings);
    const cache = path.join(scratch, "quiet-cache");
    const shape = { articlesDir: articles, pictureCache: path.join(scratch, "pictures"), pagesPerSearchShard: 4 };
    const site = path.join(scratch, "quiet", "site");
    const kept = path.join(BuildCache.folderOf(cache, site), EARLIER_SITE);
    const first = await buildSite({ ...shape, outputDir: site, cache });
    const article = path.join(articles, first.site.archive.articles[2]!.relativePath);
    await writeFile(article, `${await readFile(article, "utf8")}\nA closing line about the quay.\n`);
    await buildSite({ ...shape, outputDir: site, cache });
    expect(existsSync(kept), "the site the edit replaced is kept").toBe(true);

    // Saved with a comment while the build reads the archive: the same site, under another key.
    await writeFile(article, await readFile(article, "utf8"));
    loading.before = () => writeFile(settingsFile, `${settings}# saved again\n`);
    expect((await buildSite({ ...shape, outputDir: site, cache })).pagesRendered).toBe(0);
    expect(existsSync(kept), "nothing kept that the cache has no record of").toBe(false);

    await writeFile(settingsFile, settings);
    await writeFile(article, `${await readFile(article, "utf8")}\nAnd one about the tide.\n`);
    await buildSite({ ...shape, outputDir: site, cache });
    const clean = path.join(scratch, "quiet-clean", "site");
    await buildSite({ ...shape, outputDir: clean, cache: false });
    expect(await hashFiles(site)).toEqual(await hashFiles(clean));
  });
});
