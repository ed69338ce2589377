import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadSite, type SiteRequest } from "../../src/archive/load-site.ts";
import { reviseArticle } from "../../src/archive/update.ts";
import { articleHtml } from "../../src/archive/archive.ts";
import { parseArticle } from "../../src/articles/load.ts";
import { fixture } from "../helpers/files.ts";

// Under serve, an edit to the text of an article that shows pictures is rendered on its own; its
// body must show them encoded, as a whole build does, not as they came from the camera.
const FILE = "2024/harbour-fire.md";
let scratch: string;
let request: SiteRequest;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-update-pictures-"));
  await cp(fixture("pictures"), path.join(scratch, "articles"), { recursive: true });
  request = { articlesDir: path.join(scratch, "articles"), pictureCache: path.join(scratch, "pictures") };
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("reviseArticle with pictures", () => {
  test("an edit to the text of an article that shows encoded pictures shows them encoded, as a whole build does", async () => {
    const served = await loadSite(request);
    const site = served.site!;
    const previous = served.sources!.find((source) => source.relativePath === FILE)!;
    const file = path.join(request.articlesDir, FILE);
    const text = (await readFile(file, "utf8")).replace("through the night.", "through the night and into the morning.");
    await writeFile(file, text);
    const revised = parseArticle(new TextEncoder().encode(text), FILE, FILE, site.settings).source!;

    const revision = reviseArticle(site, previous, revised)!;
    const fresh = (await loadSite(request)).site!;
    const bodyOf = (model: typeof site) => articleHtml(model.archive.articles.find((article) => article.relativePath === FILE)!);
    expect(revision.pages.length).toBeGreaterThan(0);
    expect(bodyOf(site)).toContain("into the morning");
    expect(bodyOf(site)).toMatch(/<picture><source type="image\/webp" srcset="[^"]*boats-\d+\.webp/);
    expect(bodyOf(site)).toBe(bodyOf(fresh));
  });
});
