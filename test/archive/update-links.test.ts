import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { loadSite } from "../../src/archive/load-site.ts";
import type { ArticlePage, CorrectionsPage, RedirectPage } from "../../src/archive/pages.ts";
import { reviseArticle } from "../../src/archive/update.ts";
import { parseArticle } from "../../src/articles/load.ts";
import { fixture } from "../helpers/files.ts";

// Under serve, an edit to an article's text re-renders only the pages that show it; aliases and
// corrections are pages of their own elsewhere, so they must be among them, or force a whole build.
const FILE = "2024/lighthouse-keeper-retires.md";

async function served() {
  const result = await loadSite({ articlesDir: fixture("links") });
  const site = result.site!;
  const previous = result.sources!.find((source) => source.relativePath === FILE)!;
  const text = readFileSync(path.join(fixture("links"), FILE), "utf8");
  const edited = (from: string, to: string) => {
    if (!text.includes(from)) throw new Error(`no ${from}`);
    return parseArticle(new TextEncoder().encode(text.replace(from, to)), FILE, FILE, site.settings).source!;
  };
  return { site, previous, edited };
}

describe("reviseArticle with aliases and corrections", () => {
  test("a new title is shown on the article's redirect pages, /corrections/ and the URL map", async () => {
    const { site, previous, edited } = await served();
    const revision = reviseArticle(site, previous, edited("title: Lighthouse keeper retires after forty years", "title: Keeper of Gull Point light retires"))!;
    const urls = revision.pages.map((page) => page.url);
    expect(urls).toEqual(expect.arrayContaining(["/2024/03/12/lighthouse-keeper.html", "/p/1042/", "/old-news/lighthouse-story/", "/corrections/", "/urls.json"]));
    expect(urls).not.toContain("/p/1077/");
    const own = revision.pages.find((page): page is ArticlePage => page.kind === "article" && page.article.relativePath === FILE)!;
    expect(own).toMatchObject({ title: "Keeper of Gull Point light retires", description: own.article.summary });
    const redirect = revision.pages.find((page): page is RedirectPage => page.kind === "redirect")!;
    expect(redirect.title).toBe("Keeper of Gull Point light retires");
    const corrections = revision.pages.find((page): page is CorrectionsPage => page.kind === "corrections")!;
    expect(corrections.corrections.map((entry) => entry.article.title)).toContain("Keeper of Gull Point light retires");
  });

  test.each([
    ["an alias added", "  - /p/1042\n", "  - /p/1042\n  - /p/9999/\n"],
    ["a correction's text changed", "not Gannet Point.", "not Gannet Head."],
  ])("%s builds the whole site again", async (_name, from, to) => {
    const { site, previous, edited } = await served();
    expect(reviseArticle(site, previous, edited(from, to))).toBeUndefined();
  });
});
