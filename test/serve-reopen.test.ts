import { spawnSync } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fixture, ROOT, SETTLED } from "./helpers/files.ts";
import { ServeProcess } from "./helpers/serve-process.ts";
import { freePort } from "../src/bench/proc.ts";
import { writeSyntheticArchive } from "../src/bench/synthetic.ts";
import { bundleFile, IndexFileReader, readBundleFile, readEntry, readMeta } from "../src/search/pagefind-format.ts";

// `broadsheet serve` reopened on an archive unchanged since the last build into its folder serves
// that site at once, and makes the model later edits revise while it does. The build's stamp
// trusts only files changed more than 2 s before, so the archive is left that long first.

let scratch: string;
let articlesDir: string;
let server: ServeProcess | undefined;

/**
 * A folder of its own with an archive in `articles/`, enough articles for the model to take a few
 * seconds, in which a test saves an edit, built into `site/`: in the same working folder as serve,
 * so that both use its build cache.
 */
async function builtArchive(prefix: string): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), prefix));
  const articles = path.join(folder, "articles");
  writeSyntheticArchive(articles, 400);
  await cp(fixture("basic"), articles, { recursive: true });
  await sleep(SETTLED);
  const built = spawnSync(process.execPath, [path.join(ROOT, "bin", "broadsheet.js"), "build", "--articles", articles, "--output", path.join(folder, "site"), "--quiet"], { cwd: folder, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`build failed:\n${built.stderr}`);
  return folder;
}

beforeAll(async () => {
  scratch = await builtArchive("broadsheet-reopen-");
  articlesDir = path.join(scratch, "articles");
}, 120_000);

afterAll(async () => {
  await server?.stop();
  // Pagefind's process, started after the edit, may be writing its last files as serve ends.
  if (scratch) await rm(scratch, { recursive: true, force: true, maxRetries: 5 });
});


async function page(url: string): Promise<string | undefined> {
  const response = await fetch(url).catch(() => undefined);
  return response?.ok ? await response.text() : undefined;
}

describe("serve reopened on an unchanged archive", { timeout: 180_000 }, () => {
  test("serves the last build's site before its first run, and shows an edit saved and an article made before anything was watched", async () => {
    const port = await freePort();
    const serve = (server = ServeProcess.start(["--articles", articlesDir, "--output", path.join(scratch, "site"), "--port", String(port)], scratch));
    expect(await serve.until(() => serve.log.includes("Server at"), 60_000), serve.log).toBe(true);
    // Saved once, while the model is still being made and nothing is watched yet.
    const file = path.join(articlesDir, "2023", "council-meets-in-public.md");
    await writeFile(file, (await readFile(file, "utf8")).replace(/^title: .*$/m, 'title: "Council meets in the open"'));
    // And an article made then: the model's build lists the articles as serve's first stamp found
    // them, before it; the stamp taken once Eleventy watches finds it.
    await writeFile(path.join(articlesDir, "2023", "ferry-timetable-changes.md"), "---\ntitle: Ferry timetable changes\nauthor: Mara Quinn\ndate: 2023-05-02\n---\nThe first ferry leaves at seven from May.\n");
    // The server came before Eleventy's first run, which waits for the model, and serves the last build's site.
    expect(serve.log).not.toMatch(/Wrote \d+ files?/);
    const article = `http://localhost:${port}/2023/03/council-meets-in-public/`;
    expect(await page(article)).toContain("Council meets in public for the first time in a year");
    // Once the model is made, the edit is shown.
    const shown = async () => (await page(article))?.includes("Council meets in the open") ?? false;
    expect(await serve.until(shown, 90_000), serve.log).toBe(true);
    const made = async () => (await page(`http://localhost:${port}/2023/05/ferry-timetable-changes/`))?.includes("The first ferry leaves at seven") ?? false;
    expect(await serve.until(made, 90_000), serve.log).toBe(true);
  });

  test("the model's bodies are its own, not the build cache's: with the cache's files of them gone, an edit still renders and indexes every body", async () => {
    const serve = server!;
    // The model was made from the cache, where unchanged articles' bodies stay for a build (src/cache/kept-html.ts).
    const cache = path.join(scratch, ".cache", "broadsheet", "build");
    const kept = (await readdir(cache, { recursive: true })).filter((name) => /article-html-[0-9a-f]{2}\.bin$/.test(name));
    expect(kept.length).toBeGreaterThan(100);
    for (const name of kept) await rm(path.join(cache, name));
    const port = Number(/localhost:(\d+)/.exec(serve.log)![1]);
    const file = path.join(articlesDir, "2024", "housing-plan-approved.md");
    const edited = (await readFile(file, "utf8")).replace(/\n\n/, "\n\nA new opening sentence about the plan and its quokka.\n\n");
    await writeFile(file, edited);
    // Once in a CI run beside the browser tests, Eleventy's watcher never reported this save (no
    // "File changed" line in 60 s), which is not what this test is about: saved again then, as a
    // writer would. A save it reported and serve did not show still fails below.
    if (!(await serve.until(() => /File changed: .*housing-plan-approved\.md/.test(serve.log), 20_000))) await writeFile(file, edited);
    const article = `http://localhost:${port}/2024/07/housing-plan-approved/`;
    expect(await serve.until(async () => (await page(article))?.includes("quokka") ?? false, 60_000), serve.log).toBe(true);
    // The search index is made again from every body once the writer pauses.
    expect(await serve.until(() => searchFinds("quokka"), 60_000), serve.log).toBe(true);
    expect(serve.log).not.toMatch(/no longer holds the rendered article body/);
  });
});

/** Whether the served site's search index has `word`: the index's word lists are read as the search page reads them. */
async function searchFinds(word: string): Promise<boolean> {
  const bundle = path.join(scratch, "site", "pagefind");
  try {
    const { chunks } = await readMeta(bundle, (await readEntry(bundle)).languages.en!.hash);
    for (const [, , hash] of chunks) {
      const chunk = path.join(bundle, bundleFile("index", hash));
      const reader = new IndexFileReader(await readBundleFile(chunk), chunk);
      for (let entry = reader.next(); entry; entry = reader.next()) if (entry.text === word) return true;
    }
  } catch {
    // Being written again.
  }
  return false;
}

describe("serve reopened on an archive changed since the last build", { timeout: 180_000 }, () => {
  let changed: string;
  let changedServer: ServeProcess | undefined;

  beforeAll(async () => {
    changed = await builtArchive("broadsheet-reopen-changed-");
  }, 120_000);

  afterAll(async () => {
    await changedServer?.stop();
    if (changed) await rm(changed, { recursive: true, force: true, maxRetries: 5 });
  });

  test("serves the site the last build left while it builds the new one, which then replaces it", async () => {
    // Edited with serve closed, as after a pull.
    const articles = path.join(changed, "articles");
    const file = path.join(articles, "2023", "council-meets-in-public.md");
    await writeFile(file, (await readFile(file, "utf8")).replace(/^title: .*$/m, 'title: "Council meets behind open doors"'));
    await sleep(SETTLED);
    const port = await freePort();
    const serve = (changedServer = ServeProcess.start(["--articles", articles, "--output", path.join(changed, "site"), "--port", String(port)], changed));
    expect(await serve.until(() => serve.log.includes("Server at"), 60_000), serve.log).toBe(true);
    // The build starts only once the server is up, and takes seconds; Eleventy's first run, which
    // waits for it, has not run: the page is the last build's.
    expect(serve.log).not.toMatch(/Wrote \d+ files?/);
    const article = `http://localhost:${port}/2023/03/council-meets-in-public/`;
    const before = await page(article);
    expect(before).toContain("Council meets in public for the first time in a year");
    expect(before).not.toContain("Council meets behind open doors");
    // Built, the new site replaces it, and the edit is shown.
    const shown = async () => (await page(article))?.includes("Council meets behind open doors") ?? false;
    expect(await serve.until(shown, 90_000), serve.log).toBe(true);
  });
});
