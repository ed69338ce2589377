import { cp, mkdtemp, readFile, rename, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite, stampBuildInputs, type BuildResult } from "../src/build.ts";
import { articleHtml } from "../src/archive/archive.ts";
import { KeptHtml } from "../src/cache/kept-html.ts";
import { writeSyntheticArchive } from "../src/bench/synthetic.ts";
import { fixture, hashFiles, SETTLED } from "./helpers/files.ts";

// A build from the cache reads only the article files that changed since a build read them: the
// others are known by their status (src/cache/input-stamp.ts), which is trusted only for a file
// last changed more than 2 s before, so the tests wait that long after each change.

let scratch: string;
let articles: string;
let output: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-unread-"));
  articles = path.join(scratch, "articles");
  output = path.join(scratch, "site");
  writeSyntheticArchive(articles, 12);
  // Articles that link to each other's files.
  for (const year of ["2023", "2024"]) await cp(path.join(fixture("basic"), year), path.join(articles, year), { recursive: true });
  await writeFile(path.join(articles, "broadsheet.yml"), "title: The Unread Gazette\ntimeZone: Europe/London\nnow: 2026-12-01T00:00:00Z\n");
  await sleep(SETTLED);
}, 60_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const shape = () => ({ articlesDir: articles, pictureCache: path.join(scratch, "pictures"), pagesPerSearchShard: 4 });
const buildCached = () => buildSite({ ...shape(), outputDir: output, cache: path.join(scratch, "cache") });

/**
 * Builds from nothing into a folder of its own, and expects the files the cached build wrote, and
 * the same problems, lines included, but for the addresses lost against the site it replaced.
 */
async function expectSameAsClean(cached: BuildResult): Promise<BuildResult> {
  const clean = path.join(scratch, "clean");
  await rm(clean, { recursive: true, force: true });
  const fromNothing = await buildSite({ ...shape(), outputDir: clean, cache: false });
  expect(await hashFiles(output)).toEqual(await hashFiles(clean));
  const archiveProblems = (result: BuildResult) => result.problems.filter((problem) => !/published by the site this build replaces/.test(problem.message));
  expect(archiveProblems(cached)).toEqual(archiveProblems(fromNothing));
  return fromNothing;
}

async function edit(relative: string, change: (text: string) => string): Promise<void> {
  const file = path.join(articles, relative);
  await writeFile(file, change(await readFile(file, "utf8")));
}

describe("a build from the cache reads only the article files that changed", { timeout: 120_000 }, () => {
  let first: BuildResult;

  test("an article's body is edited: no other file is read, and the site is the one a build from nothing writes", async () => {
    first = await buildCached();
    expect(first.reused.articleFilesNotRead).toBe(0);
    const edited = first.sources.find((source) => /^\d{4}\/\d{2}\//.test(source.relativePath))!.relativePath;
    await edit(edited, (text) => `${text}\nA closing paragraph about the harbour ferry.\n`);
    await sleep(SETTLED);
    const again = await buildCached();
    expect(again.reused.articleFilesNotRead).toBe(first.sources.length - 1);
    expect(again.site.archive.articles.find((article) => article.relativePath === edited)?.html).toContain("harbour ferry");
    const clean = await expectSameAsClean(again);
    // The other articles' long bodies are left in the cache, not read into the model, and read
    // from there they are the bodies a build from nothing renders.
    const kept = again.site.archive.articles.filter((article) => article.html instanceof KeptHtml);
    expect(kept.length).toBeGreaterThan(again.site.archive.articles.length / 2);
    expect(kept.some((article) => article.relativePath === edited)).toBe(false);
    const cleanHtml = new Map(clean.site.archive.articles.map((article) => [article.relativePath, article.html]));
    for (const article of kept) expect(articleHtml(article), article.relativePath).toBe(cleanHtml.get(article.relativePath));
  });

  test("an unchanged file whose body must be rendered again is read then: an article it links to was renamed", async () => {
    await rename(path.join(articles, "2023", "council-meets-in-public.md"), path.join(articles, "2023", "council-meets-openly.md"));
    await sleep(SETTLED);
    const built = await buildCached();
    // The renamed file is new to the cache; the article linking to it is rendered again, from its file.
    expect(built.reused.articleFilesNotRead).toBe(first.sources.length - 2);
    const brokenLink = (result: BuildResult) => result.problems.map((problem) => `${problem.file}:${problem.line} ${problem.message}`).join("\n");
    expect(brokenLink(built)).toMatch(/new-year-budget\.md:9 .*council-meets-in-public\.md/);
    await expectSameAsClean(built);
    // Touched, its file is read, and its rendering, asking the same, reused: the line is still given.
    const touched = path.join(articles, "2024", "new-year-budget.md");
    await utimes(touched, new Date(), new Date());
    await sleep(SETTLED);
    const again = await buildCached();
    expect(again.reused.articleFilesNotRead).toBe(first.sources.length - 1);
    expect(brokenLink(again)).toMatch(/new-year-budget\.md:9 .*council-meets-in-public\.md/);
    await expectSameAsClean(again);
  });

  test("a file changed after the build stamped it, before its body is read, stops the build and says to build again", async () => {
    // Renamed back, the article that links to it is rendered again, so its body is read; the last
    // build read its file settled, so this one takes it by its status alone.
    await rename(path.join(articles, "2023", "council-meets-openly.md"), path.join(articles, "2023", "council-meets-in-public.md"));
    await sleep(SETTLED);
    const site = await hashFiles(output);
    const stamp = stampBuildInputs({ ...shape(), outputDir: output });
    await edit("2024/new-year-budget.md", (text) => `${text}\nWritten while the build was reading the archive.\n`);
    await expect(buildSite({ ...shape(), outputDir: output, cache: path.join(scratch, "cache") }, stamp)).rejects.toThrow(/new-year-budget\.md\s+was changed while the archive was being built, after the build had found it unchanged\. Build again\./);
    expect(await hashFiles(output)).toEqual(site);
    // The next build reads it as it is now.
    await sleep(SETTLED);
    const built = await buildCached();
    expect(built.site.archive.articles.find((article) => article.relativePath === "2024/new-year-budget.md")?.html).toContain("Written while the build");
    await expectSameAsClean(built);
  });

  test("a file removed after the build stamped it, before its body is read, stops the build and says to build again", async () => {
    // Renamed, the article that links to it is rendered again, so its body is needed; the last
    // build read its file settled, so this one takes it by its status alone.
    await rename(path.join(articles, "2023", "council-meets-in-public.md"), path.join(articles, "2023", "council-meets-openly.md"));
    await sleep(SETTLED);
    const site = await hashFiles(output);
    const stamp = stampBuildInputs({ ...shape(), outputDir: output });
    const removed = path.join(articles, "2024", "new-year-budget.md");
    const text = await readFile(removed, "utf8");
    await rm(removed);
    await expect(buildSite({ ...shape(), outputDir: output, cache: path.join(scratch, "cache") }, stamp)).rejects.toThrow(/new-year-budget\.md\s+was removed while the archive was being built, after the build had found it unchanged\. Build again\./);
    expect(await hashFiles(output)).toEqual(site);
    // The next build builds without it, and then with it again.
    await sleep(SETTLED);
    const without = await buildCached();
    expect(without.site.archive.articles.some((article) => article.relativePath === "2024/new-year-budget.md")).toBe(false);
    await expectSameAsClean(without);
    await writeFile(removed, text);
    await sleep(SETTLED);
    await expectSameAsClean(await buildCached());
  });
});
