import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { loadSite } from "../../src/archive/load-site.ts";
import { SearchThread, startSearchIndex } from "../../src/search/index.ts";
import { hashFiles } from "../helpers/files.ts";

const FIXTURE = path.resolve(import.meta.dirname, "../fixtures/basic");

test("a search thread waiting for its work keeps no process alive, and one never given any is ended", async () => {
  const scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-search-thread-"));
  try {
    // A process that starts a thread and gives it nothing ends by itself: the thread is still
    // waiting, not failed nor ended, when the process's last timer runs.
    const script = path.join(scratch, "idle-thread.mts");
    const module = JSON.stringify(path.resolve(import.meta.dirname, "../../src/search/index.ts"));
    await writeFile(script, `const { SearchThread } = await import(${module});
const thread = new SearchThread();
let failed = false;
void thread.failed.then(() => (failed = true));
setTimeout(() => console.log(failed ? "failed" : thread.exited ? "ended" : "waiting"), 3000);
`);
    // A thread that kept it alive would wait for its plan until the process is killed, and fail this.
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script], { timeout: 30_000 });
    expect(stdout.trim()).toBe("waiting");
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }

  const thread = new SearchThread();
  await thread.end();
  expect(thread.exited).toBe(true);
});

test("a search thread given its work once it has loaded indexes every article, and is not ended from outside", async () => {
  const output = await mkdtemp(path.join(os.tmpdir(), "broadsheet-search-thread-"));
  try {
    const thread = new SearchThread();
    // Long enough for the thread to load its modules and wait for its plan, as a build's does.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const { site } = await loadSite({ articlesDir: FIXTURE });
    const indexing = startSearchIndex(site!, output, { thread });
    // Given its work, `end` leaves it to finish: a thread ended now would fail the index.
    await thread.end();
    expect(thread.exited).toBe(false);
    await expect(indexing.finish()).resolves.toEqual({ articles: site!.archive.articles.length + site!.pages.filter((page) => page.kind === "page").length });
    expect(await readdir(path.join(output, "pagefind"))).toContain("pagefind-entry.json");
    await thread.ended;
    // Its work is given once.
    expect(() => thread.give({})).toThrow("given its work already");
  } finally {
    await rm(output, { recursive: true, force: true });
  }
});

test("a search thread that ended before it was given its work fails the index, not waits for it", async () => {
  const output = await mkdtemp(path.join(os.tmpdir(), "broadsheet-search-thread-"));
  try {
    const thread = new SearchThread();
    await thread.worker.terminate();
    const { site } = await loadSite({ articlesDir: FIXTURE });
    const indexing = startSearchIndex(site!, output, { thread });
    await expect(indexing.finish()).rejects.toThrow("Pagefind stopped before the index was written");
  } finally {
    await rm(output, { recursive: true, force: true });
  }
});

test("a search thread reads the shards it is started with while it waits, and merges them as read when its plan names them", { timeout: 120_000 }, async () => {
  const scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-search-thread-"));
  try {
    const { site } = await loadSite({ articlesDir: FIXTURE });
    const shardCache = path.join(scratch, "shards");
    const first = startSearchIndex(site!, path.join(scratch, "first"), { shardCache, pagesPerShard: 2 });
    await first.finish();
    // The fixture's one volume, every shard of it, for the next index to read ahead.
    const guessed = first.shardsLikelyMerged;
    expect(guessed.length).toBeGreaterThan(1);
    expect(guessed.every((dir) => path.dirname(dir) === shardCache)).toBe(true);

    const thread = new SearchThread(guessed);
    // Long enough for the thread to load its modules (0.5 to 1 s here, alone) and read the shards
    // (milliseconds), with room for a busy machine.
    await new Promise((resolve) => setTimeout(resolve, 8000));
    // Each shard's metadata is gone by the time the plan comes: only a thread that read it while
    // it waited has it. The entries stay, so the plan finds every shard kept.
    const metaFiles = await Promise.all(guessed.map(async (dir) => (await readdir(dir)).filter((name) => name.endsWith(".pf_meta")).map((name) => path.join(dir, name))));
    for (const file of metaFiles.flat()) await rm(file);
    const again = startSearchIndex(site!, path.join(scratch, "again"), { shardCache, pagesPerShard: 2, thread });
    await again.finish();
    expect(again.reused.shards).toBe(guessed.length);
    expect(await hashFiles(path.join(scratch, "again"))).toEqual(await hashFiles(path.join(scratch, "first")));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
});

test("an index started to send at once has made and sent every record when it returns, so that what the build does next never keeps Pagefind waiting", async () => {
  const output = await mkdtemp(path.join(os.tmpdir(), "broadsheet-search-thread-"));
  try {
    const { site } = await loadSite({ articlesDir: FIXTURE });
    // More records than one message holds (250): before, the rest waited until the build's
    // thread was free again, after the related lists.
    const first = site!.archive.articles[0]!;
    const titlesRead = new Set<number>();
    const articles = Array.from({ length: 600 }, (_, number) => new Proxy({ ...first, url: `/copies/${number}/` }, { get: (article, field) => (field === "title" && titlesRead.add(number), Reflect.get(article, field)) }));
    const indexing = startSearchIndex({ ...site!, archive: { ...site!.archive, articles } }, output, { sendAtOnce: true });
    // Each record names its article's title.
    expect(titlesRead.size).toBe(articles.length);
    await indexing.stop();
  } finally {
    await rm(output, { recursive: true, force: true });
  }
});
