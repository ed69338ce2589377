import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadSite, type SiteRequest } from "../../src/archive/load-site.ts";
import { reviseArticle } from "../../src/archive/update.ts";
import { parseArticle } from "../../src/articles/load.ts";
import { fixture } from "../helpers/files.ts";

// Only the files the articles refer to are published. An edit revised in place under serve adds
// to what the site publishes, and never takes away: an edit that stops referring to a file (a
// lead picture taken out, a link to a PDF removed) is built whole, which publishes only the files
// still referred to (test/serve.test.ts shows the site served then).
const FILE = "2024/harbour-fire.md";
let scratch: string;
let request: SiteRequest;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-update-unused-media-"));
  await cp(fixture("pictures"), path.join(scratch, "articles"), { recursive: true });
  request = { articlesDir: path.join(scratch, "articles"), pictureCache: path.join(scratch, "pictures") };
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** `reviseArticle` on the served model of the fixture, for the article's text changed by `change`. */
async function revise(change: (text: string) => string) {
  const served = await loadSite(request);
  const site = served.site!;
  const previous = served.sources!.find((source) => source.relativePath === FILE)!;
  const text = change(await readFile(path.join(request.articlesDir, FILE), "utf8"));
  const revised = parseArticle(new TextEncoder().encode(text), previous.file, FILE, site.settings).source!;
  return reviseArticle(site, previous, revised);
}

describe("reviseArticle and files no longer referred to", () => {
  test.each([
    ["the lead picture taken out", (text: string) => text.replace(/image:\n( {2}.*\n)+/, "")],
    ["a picture in the body taken out", (text: string) => text.replace(/!\[Boats moored at the quay\]\([^)]*\)/, "")],
    ["both links to the report taken out", (text: string) => text.replace("[the report](harbour-fire/report.pdf?download=1)", "the report").replace(`<a href="harbour-fire/report.pdf">the same report</a>`, "the same report")],
  ])("%s: the whole site is built again", async (_name, change) => {
    expect(await revise(change)).toBeUndefined();
  });

  test.each([
    ["one link to the report taken out, the other left", (text: string) => text.replace("[the report](harbour-fire/report.pdf?download=1)", "the report")],
    ["the text changed around every file", (text: string) => text.replace("through the night.", "through the night and into the morning.")],
  ])("%s: revised in place", async (_name, change) => {
    expect(await revise(change)).toBeDefined();
  });
});
