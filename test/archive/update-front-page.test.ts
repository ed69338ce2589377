import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadSite, type SiteModel, type SiteRequest } from "../../src/archive/load-site.ts";
import type { Page } from "../../src/archive/pages.ts";
import { reviseArticle } from "../../src/archive/update.ts";
import { parseArticle } from "../../src/articles/load.ts";
import { templateData } from "../../src/site/plugin.ts";
import { pagesTemplate } from "../../layouts/pages.tsx";
import { fixture } from "../helpers/files.ts";

// The brand fixture's home page has the `front` layout: a lead story, the latest, and sections for
// the topics Verkehr and Rathaus. Under serve, an edit to the text of an article it shows must be
// shown there as a whole build shows it.
let scratch: string;
let request: SiteRequest;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-review-front-page-"));
  await cp(fixture("brand"), path.join(scratch, "articles"), { recursive: true });
  request = { articlesDir: path.join(scratch, "articles"), pictureCache: false };
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function renderPage(site: SiteModel, pages: readonly Page[], url: string): string {
  const view = pages.find((page) => page.url === url)!;
  return new TextDecoder().decode(pagesTemplate.render({ view, broadsheet: templateData({ ...site, pages: [...pages] }) }) as Uint8Array);
}

/** Each teaser of a page: its address, headline and summary. */
function teasersOf(html: string): string[] {
  return [...html.matchAll(/<li class="teaser[^"]*">.*?<a href="([^"]*)">([^<]*)<\/a>.*?(?:<p class="teaser-summary">([^<]*)<\/p>)?<\/li>/g)].map(([, url, title, summary]) => `${url} | ${title} | ${summary ?? ""}`);
}

/** The front page as serve leaves it after editing `file`, and as a whole build of the edited folder writes it. */
async function frontPageAfter(file: string, from: string, to: string) {
  const served = await loadSite(request);
  const site = served.site!;
  const written = renderPage(site, site.pages, "/");
  const previous = served.sources!.find((source) => source.relativePath === file)!;
  const full = path.join(request.articlesDir, file);
  const before = await readFile(full, "utf8");
  if (!before.includes(from)) throw new Error(`no ${from}`);
  const text = before.replace(from, to);
  await writeFile(full, text);
  try {
    const revised = parseArticle(new TextEncoder().encode(text), file, file, site.settings).source!;
    const revision = reviseArticle(site, previous, revised)!;
    expect(revision).toBeDefined();
    const rerendered = revision.pages.some((page) => page.url === "/");
    const fresh = (await loadSite(request)).site!;
    return { rerendered, servedHtml: rerendered ? renderPage(site, revision.pages, "/") : written, freshHtml: renderPage(fresh, fresh.pages, "/") };
  } finally {
    await writeFile(full, before);
  }
}

describe("reviseArticle and the front page", () => {
  test("a new headline of the lead story is shown on the front page", async () => {
    const { servedHtml, freshHtml } = await frontPageAfter("2024/faehre-faehrt-wieder.md", "title: Die Fähre fährt wieder", "title: Die Fähre fährt endlich wieder");
    expect(freshHtml).toContain("Die Fähre fährt endlich wieder");
    expect(teasersOf(servedHtml)).toEqual(teasersOf(freshHtml));
    expect(servedHtml).toBe(freshHtml);
  });

  test("a new headline of an article among the latest is shown on the front page", async () => {
    const { servedHtml, freshHtml } = await frontPageAfter("2024/haushalt-beschlossen.md", "title: Gemeinderat beschließt den Haushalt", "title: Rat beschließt den Haushalt");
    expect(freshHtml).toContain("Rat beschließt den Haushalt");
    expect(teasersOf(servedHtml)).toEqual(teasersOf(freshHtml));
    expect(servedHtml).toBe(freshHtml);
  });

  test("a new opening of an article shown only in a topic's section is shown on the front page", async () => {
    const { servedHtml, freshHtml, rerendered } = await frontPageAfter("2023/radweg.md", "Der neue Radweg verbindet", "Neu: Der neue Radweg verbindet");
    expect(freshHtml).toContain("Neu: Der neue Radweg verbindet");
    expect(teasersOf(servedHtml)).toEqual(teasersOf(freshHtml));
    // Not only the objects: the front page is not even among the pages written again.
    expect(rerendered).toBe(true);
    expect(servedHtml).toBe(freshHtml);
  });
});
