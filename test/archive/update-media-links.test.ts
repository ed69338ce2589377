import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { articleHtml } from "../../src/archive/archive.ts";
import { loadSite, type SiteModel, type SiteRequest } from "../../src/archive/load-site.ts";
import { reviseArticle } from "../../src/archive/update.ts";
import { parseArticle } from "../../src/articles/load.ts";
import { fixture } from "../helpers/files.ts";

// A body's links to site paths are checked against the pages a build writes. A whole build checks
// them before the files beside the articles are published (their pages are known only after the
// bodies are rendered), so a link to a file's published address (/media/<hash>/report.pdf, copied
// from the live site) is broken. Under serve, an edit must find it as broken as a whole build does.
const FILE = "2024/quay-market.md";
let scratch: string;
let request: SiteRequest;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-review-media-links-"));
  await cp(fixture("pictures"), path.join(scratch, "articles"), { recursive: true });
  request = { articlesDir: path.join(scratch, "articles"), pictureCache: path.join(scratch, "pictures") };
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const bodyOf = (site: SiteModel) => articleHtml(site.archive.articles.find((article) => article.relativePath === FILE)!);

describe("reviseArticle and links to published files", () => {
  test("a link to the published address of a file beside another article is as broken as a whole build finds it", async () => {
    const served = await loadSite(request);
    const site = served.site!;
    const report = site.media.files().find((file) => file.relativePath.endsWith("report.pdf"))!;
    const previous = served.sources!.find((source) => source.relativePath === FILE)!;
    const article = site.archive.articles.find((candidate) => candidate.relativePath === FILE)!;
    const file = path.join(request.articlesDir, FILE);
    const text = `${await readFile(file, "utf8")}\nSee [the fire report](${report.url}).\n`;
    await writeFile(file, text);
    const revised = parseArticle(new TextEncoder().encode(text), article.file, FILE, site.settings).source!;

    const revision = reviseArticle(site, previous, revised)!;
    const fresh = await loadSite(request);
    // Those rendering finds (a missing alt text is found when the file is parsed, which serve reports as it is).
    const freshWarnings = fresh.problems.filter((problem) => problem.file === article.file && !problem.message.startsWith("has no alt text")).map((problem) => problem.message);
    expect(bodyOf(site)).toBe(bodyOf(fresh.site!));
    expect(revision.problems.map((problem) => problem.message)).toEqual(freshWarnings);
  });
});
