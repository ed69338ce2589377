import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite } from "../src/build.ts";
import { ArchiveError } from "../src/problems.ts";
import { BuildCache } from "../src/cache/build-cache.ts";
import { writeSyntheticArchive } from "../src/bench/synthetic.ts";
import { hashFiles } from "./helpers/files.ts";

// Two builds from one cache into one output folder must not run at once: each would link pages
// from the folder the other replaces. The second is refused with a message, and the first's
// lock goes with it; a lock whose process has ended is taken over.

let scratch: string;
let articles: string;
let output: string;
let cache: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-lock-"));
  articles = path.join(scratch, "articles");
  output = path.join(scratch, "site");
  cache = path.join(scratch, "cache");
  writeSyntheticArchive(articles, 8);
  await writeFile(path.join(articles, "broadsheet.yml"), "title: The Locked Gazette\ntimeZone: Europe/London\n");
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const options = () => ({ articlesDir: articles, outputDir: output, cache, pictureCache: path.join(scratch, "pictures") });
const lockFile = () => path.join(BuildCache.folderOf(cache, output), "lock");

describe("builds into one output folder", { timeout: 120_000 }, () => {
  test("two at once: one builds, the other is refused and says why; no lock is left", async () => {
    const [first, second] = await Promise.allSettled([buildSite(options()), buildSite(options())]);
    const outcomes = [first.status, second.status].sort();
    expect(outcomes).toEqual(["fulfilled", "rejected"]);
    const refused = [first, second].find((outcome) => outcome.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(ArchiveError);
    expect((refused.reason as ArchiveError).problems).toEqual([
      {
        severity: "error",
        file: output,
        field: "--output",
        message: expect.stringMatching(new RegExp(`^is being built into by another build \\(process ${process.pid} on ${os.hostname()}, since \\d{4}-.*\\)\\. Wait for it to end, then build again\\. If no build is running, delete ${lockFile()}\\.$`)),
      },
    ]);
    expect(existsSync(lockFile())).toBe(false);
    expect(readdirSync(scratch).filter((name) => name.startsWith("site."))).toEqual([]);
  });

  test("a lock held by a running process of this machine refuses the build; once it has ended, the lock is taken over", async () => {
    const site = await hashFiles(output);
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    await writeFile(lockFile(), `${os.hostname()}\n${holder.pid}\n2026-12-01T00:00:00.000Z`);
    await expect(buildSite(options())).rejects.toThrow(`another build (process ${holder.pid} on ${os.hostname()}, since 2026-12-01T00:00:00.000Z)`);
    expect(await hashFiles(output)).toEqual(site);
    const ended = new Promise((resolve) => holder.once("exit", resolve));
    holder.kill();
    await ended;
    await buildSite(options());
    expect(existsSync(lockFile())).toBe(false);
  });

  test("a build that fails once it holds the lock lets it go", async () => {
    // A file where the cache keeps the search index's shards: making that folder fails.
    const shards = path.join(BuildCache.folderOf(cache, output), "search-shards");
    await rm(shards, { recursive: true, force: true });
    await writeFile(shards, "not a folder");
    await expect(buildSite(options())).rejects.toThrow();
    expect(existsSync(lockFile())).toBe(false);
    await rm(shards);
    await mkdir(shards);
    await buildSite(options());
  });

  test("a lock of another machine is not taken over", async () => {
    await writeFile(lockFile(), `another-machine.example\n1\n2026-12-01T00:00:00.000Z`);
    await expect(buildSite(options())).rejects.toThrow(/on another-machine\.example.*If no build is running, delete/);
    await rm(lockFile());
  });
});
