import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadSite, type SiteRequest } from "../../src/archive/load-site.ts";
import { reviseArticle } from "../../src/archive/update.ts";
import { parseArticle } from "../../src/articles/load.ts";
import type { Problem } from "../../src/problems.ts";
import { fixture } from "../helpers/files.ts";

// Under serve, an edit that adds a line to an article's front matter (a summary) moves its body
// down a line: the warnings about the body must name the lines a whole build names.
const FILE = "2024/broken-references.md";
let scratch: string;
let request: SiteRequest;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-review-body-lines-"));
  await cp(fixture("pictures"), path.join(scratch, "articles"), { recursive: true });
  request = { articlesDir: path.join(scratch, "articles"), pictureCache: path.join(scratch, "pictures") };
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const describeProblems = (problems: readonly Problem[]) => problems.map((problem) => `line ${problem.line}: ${problem.message.slice(0, 60)}`).sort();

describe("reviseArticle and the lines of warnings", () => {
  test("a summary added to the front matter: the body's broken links are reported at their lines, as a whole build reports them", async () => {
    const served = await loadSite(request);
    const site = served.site!;
    const previous = served.sources!.find((source) => source.relativePath === FILE)!;
    const article = site.archive.articles.find((candidate) => candidate.relativePath === FILE)!;
    const file = path.join(request.articlesDir, FILE);
    const text = (await readFile(file, "utf8")).replace("title: References that lead nowhere\n", "title: References that lead nowhere\nsummary: Files that are not there.\n");
    await writeFile(file, text);
    const revised = parseArticle(new TextEncoder().encode(text), article.file, FILE, site.settings).source!;

    const revision = reviseArticle(site, previous, revised)!;
    const fresh = await loadSite(request);
    // The fresh build's problems of this article that rendering finds (the front matter's own, such as a missing alt text, come from parsing, which serve reports as it is).
    const freshRendered = fresh.problems.filter((problem) => problem.file === article.file && !problem.message.startsWith("has no alt text"));
    expect(revision.problems.length).toBeGreaterThan(0);
    expect(describeProblems(revision.problems)).toEqual(describeProblems(freshRendered));
  });
});
