import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { articleHtml } from "../../src/archive/archive.ts";
import { loadSite, type SiteModel } from "../../src/archive/load-site.ts";
import type { Page } from "../../src/archive/pages.ts";
import { reviseArticle } from "../../src/archive/update.ts";
import { parseArticle } from "../../src/articles/load.ts";
import type { Problem } from "../../src/problems.ts";
import { templateData } from "../../src/site/plugin.ts";
import { pagesTemplate } from "../../layouts/pages.tsx";
import { fixture } from "../helpers/files.ts";

// Under serve, an edit to an article's text revises the model in place (`reviseArticle`) and
// renders only the pages it returns. What serve then shows must be what a whole build of the
// edited folder writes (related lists aside, chosen again at the next whole build): each case
// edits an article of a fixture both ways and compares what readers and writers see.
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-update-parity-"));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** A page of the model as the template renders it, `pages` being the pages of the run. */
function render(site: SiteModel, pages: readonly Page[], url: string): string {
  const view = pages.find((page) => page.url === url)!;
  const rendered = pagesTemplate.render({ view, broadsheet: templateData({ ...site, pages: [...pages] }) });
  return typeof rendered === "string" ? rendered : new TextDecoder().decode(rendered);
}

/**
 * The article `file` of a copy of the fixture, saved as `change` makes it, as serve meets the
 * edit: the model serve held, revised (`revision`, undefined when the edit is built whole), and a
 * fresh model of the edited folder (`fresh`). `served(url)` is a page as serve leaves it: rendered
 * again when the revision returns it, else as written before the edit.
 */
async function editAsServed(fixtureName: string, file: string, change: (text: string, site: SiteModel) => string, { pictures = false } = {}) {
  // The pictures are encoded once, for every case.
  const request = { articlesDir: path.join(await mkdtemp(path.join(scratch, "edit-")), "articles"), pictureCache: pictures && path.join(scratch, "pictures") };
  await cp(fixture(fixtureName), request.articlesDir, { recursive: true });
  const before = await loadSite(request);
  const site = before.site!;
  const written = new Map(site.pages.map((page) => [page.url, render(site, site.pages, page.url)]));
  const previous = before.sources!.find((source) => source.relativePath === file)!;
  const text = change(await readFile(path.join(request.articlesDir, file), "utf8"), site);
  await writeFile(path.join(request.articlesDir, file), text);
  const revised = parseArticle(new TextEncoder().encode(text), previous.file, file, site.settings).source!;
  const revision = reviseArticle(site, previous, revised);
  const fresh = await loadSite(request);
  const rendered = new Set(revision?.pages.map((page) => page.url));
  return {
    site,
    revision,
    fresh,
    served: (url: string) => (rendered.has(url) ? render(site, revision!.pages, url) : written.get(url)),
    whole: (url: string) => render(fresh.site!, fresh.site!.pages, url),
    body: (model: SiteModel) => articleHtml(model.archive.articles.find((article) => article.relativePath === file)!),
    /** The warnings a whole build gives the article that rendering it finds (parsing finds the rest, which serve reports as they are). */
    renderingProblems: () => fresh.problems.filter((problem) => problem.file === previous.file && !problem.message.startsWith("has no alt text")),
  };
}

/** Replaces `from`, which must be in the text. */
function replacing(from: string, to: string): (text: string) => string {
  return (text) => {
    if (!text.includes(from)) throw new Error(`The fixture no longer says ${from}`);
    return text.replace(from, to);
  };
}

describe("an edit revised under serve, against a whole build", () => {
  test("the pictures a whole build encoded are shown encoded in the revised body", async () => {
    const edit = await editAsServed("pictures", "2024/harbour-fire.md", replacing("through the night.", "through the night and into the morning."), { pictures: true });
    expect(edit.body(edit.site)).toContain("into the morning");
    expect(edit.body(edit.site)).toMatch(/<picture><source type="image\/webp" srcset="[^"]*boats-\d+\.webp/);
    expect(edit.body(edit.site)).toBe(edit.body(edit.fresh.site!));
  });

  test("a corrected article's new headline is in the corrections feed", async () => {
    const edit = await editAsServed("links", "2024/lighthouse-keeper-retires.md", replacing("title: Lighthouse keeper retires after forty years", "title: Keeper of Gull Point light retires"));
    expect(edit.whole("/corrections/feed.xml")).toContain("Correction: Keeper of Gull Point light retires");
    expect(edit.served("/corrections/feed.xml")).toBe(edit.whole("/corrections/feed.xml"));
  });

  // The brand fixture's home page has the `front` layout: a lead story, the latest, and sections
  // for the topics Verkehr and Rathaus, each a list of its own.
  test.each([
    ["the lead story's headline", "2024/faehre-faehrt-wieder.md", "title: Die Fähre fährt wieder", "title: Die Fähre fährt endlich wieder"],
    ["the headline of one among the latest", "2024/haushalt-beschlossen.md", "title: Gemeinderat beschließt den Haushalt", "title: Rat beschließt den Haushalt"],
    ["the opening of one shown only in a topic's section", "2023/radweg.md", "Der neue Radweg verbindet", "Neu: Der neue Radweg verbindet"],
  ])("%s, edited, is shown on the front page", async (_name, file, from, to) => {
    const edit = await editAsServed("brand", file, replacing(from, to));
    expect(edit.whole("/")).toContain(to.replace("title: ", ""));
    expect(edit.served("/")).toBe(edit.whole("/"));
  });

  test("the body's warnings name the lines a whole build names once the front matter has grown", async () => {
    const edit = await editAsServed("pictures", "2024/broken-references.md", replacing("title: References that lead nowhere\n", "title: References that lead nowhere\nsummary: Files that are not there.\n"), { pictures: true });
    const lines = (problems: readonly Problem[]) => problems.map((problem) => `line ${problem.line}: ${problem.message}`).sort();
    expect(edit.revision!.problems.length).toBeGreaterThan(0);
    expect(lines(edit.revision!.problems)).toEqual(lines(edit.renderingProblems()));
  });

  test("a link to the published address of a file beside another article is as broken as a whole build finds it", async () => {
    const report = (site: SiteModel) => site.media.files().find((file) => file.relativePath.endsWith("report.pdf"))!.url;
    const edit = await editAsServed("pictures", "2024/quay-market.md", (text, site) => `${text}\nSee [the fire report](${report(site)}).\n`, { pictures: true });
    expect(edit.body(edit.site)).toBe(edit.body(edit.fresh.site!));
    expect(edit.revision!.problems.map((problem) => problem.message)).toEqual(edit.renderingProblems().map((problem) => problem.message));
  });

  // Serve revises by adding to what the site publishes, never taking away: an edit that stops
  // referring to a file is built whole, which publishes only the files still referred to
  // (test/serve.test.ts shows the site served then).
  test.each([
    ["the lead picture taken out", (text: string) => text.replace(/image:\n( {2}.*\n)+/, "")],
    ["a picture in the body taken out", replacing("![Boats moored at the quay](harbour-fire/boats.jpg \"Boats at the quay at dawn. Photo: Jane Roe\")", "")],
    ["both links to the report taken out", (text: string) => replacing("[the report](harbour-fire/report.pdf?download=1)", "the report")(text).replace(`<a href="harbour-fire/report.pdf">the same report</a>`, "the same report")],
  ])("%s: the whole site is built again", async (_name, change) => {
    expect((await editAsServed("pictures", "2024/harbour-fire.md", change, { pictures: true })).revision).toBeUndefined();
  });

  test.each([
    ["one link to the report taken out, the other left", replacing("[the report](harbour-fire/report.pdf?download=1)", "the report")],
    ["the text changed around every file", replacing("through the night.", "through the night and into the morning.")],
  ])("%s: revised in place", async (_name, change) => {
    expect((await editAsServed("pictures", "2024/harbour-fire.md", change, { pictures: true })).revision).toBeDefined();
  });
});
