import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { buildSite } from "../src/build.ts";
import { writeSyntheticArchive } from "../src/bench/synthetic.ts";
import { hashFiles } from "./helpers/files.ts";

// The moment the build renames its finished staging folder into place.
const swap = vi.hoisted(() => ({ before: undefined as (() => Promise<void>) | undefined }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const original = await importOriginal<typeof import("node:fs/promises")>();
  const rename: typeof original.rename = async (from, to) => {
    if (String(from).includes(".building-") && swap.before) {
      const before = swap.before;
      swap.before = undefined;
      await before();
    }
    return original.rename(from, to);
  };
  return { ...original, default: { ...original, rename }, rename };
});

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-interrupted-swap-"));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("a build interrupted as it puts the new site in place", { timeout: 120_000 }, () => {
  test("publishes the whole new site, never one its tidying has half removed", async () => {
    const articles = path.join(scratch, "articles");
    writeSyntheticArchive(articles, 10);
    await writeFile(path.join(articles, "broadsheet.yml"), "title: The Interrupted Gazette\nnow: 2026-12-01T00:00:00Z\n");
    const shape = { articlesDir: articles, pictureCache: path.join(scratch, "pictures"), cache: false as const };
    const site = path.join(scratch, "site", "site");
    await buildSite({ ...shape, outputDir: site });

    // Ctrl-C between the last check for a signal and the rename that publishes the site; the
    // exit that follows the tidying is left out, so that the test can look at what was published.
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    swap.before = async () => {
      process.emit("SIGINT");
      await sleep(200);
    };
    try {
      await buildSite({ ...shape, outputDir: site }).catch(() => undefined);
      await sleep(500);
    } finally {
      exit.mockRestore();
    }
    const clean = path.join(scratch, "clean", "site");
    await buildSite({ ...shape, outputDir: clean });
    expect(await hashFiles(site)).toEqual(await hashFiles(clean));
  });
});
