import { describe, expect, test } from "vitest";
import { buildArchive } from "../../src/archive/archive.ts";
import { loadSite } from "../../src/archive/load-site.ts";
import { buildPages, monthName, pageUrl, type ArticlePage, type HtmlPage, type ListPage, type Page } from "../../src/archive/pages.ts";
import { defaultSettings } from "../../src/settings.ts";
import { source } from "../helpers/articles.ts";
import { fixture } from "../helpers/files.ts";

/** Five articles over two years, two in the topic Housing; three to a listing page. */
function site(pageSize = 3): Page[] {
  const sources = [
    source("2019/a.md", "title: A\nauthor: Ada\ndate: 2019-03-01\ntopics: [Housing]"),
    source("2019/b.md", "title: B\nauthor: Ada\ndate: 2019-11-01"),
    source("2020/c.md", "title: C\nauthor: Ada\ndate: 2020-01-10\ntopics: [housing]"),
    source("2020/d.md", "title: D\nauthor: [Ada, Grace]\ndate: 2020-01-20"),
    source("2020/e.md", "title: E\nauthor: Grace\ndate: 2020-02-01"),
  ];
  const { archive, problems } = buildArchive(sources, { ...defaultSettings, pageSize }, { drafts: false });
  expect(problems).toEqual([]);
  return buildPages(archive);
}

const lists = (pages: Page[]) => pages.filter((page): page is ListPage => page.kind === "list");
const htmlPages = (pages: Page[]) => pages.filter((page): page is HtmlPage => page.kind !== "file");

describe("pageUrl", () => {
  test("the first page is the listing's own URL; the rest add page/N/", () => {
    expect(pageUrl("/", 1)).toBe("/");
    expect(pageUrl("/", 2)).toBe("/page/2/");
    expect(pageUrl("/topics/x/", 1)).toBe("/topics/x/");
    expect(pageUrl("/topics/x/", 2)).toBe("/topics/x/page/2/");
    expect(pageUrl("/2020/01/", 3)).toBe("/2020/01/page/3/");
  });
});

describe("buildPages", () => {
  test("every page and file of the site, once", () => {
    const all = site().map((page) => page.url);
    expect(new Set(all).size).toBe(all.length);
  });

  test("every HTML page of the site", () => {
    const urls = htmlPages(site()).map((page) => page.url);
    expect([...urls].sort()).toEqual(
      [
        "/2020/02/e/", "/2020/01/d/", "/2020/01/c/", "/2019/11/b/", "/2019/03/a/",
        "/", "/page/2/",
        "/topics/", "/topics/housing/",
        "/authors/", "/authors/ada/", "/authors/ada/page/2/", "/authors/grace/",
        "/archive/", "/2020/", "/2020/02/", "/2020/01/", "/2019/", "/2019/11/", "/2019/03/",
        "/search/", "/corrections/", "/404.html",
      ].sort(),
    );
  });

  test("listings are split into pages of pageSize, each knowing every page's URL", () => {
    const home = lists(site()).filter((page) => page.listing === "home");
    expect(home.map((page) => [page.url, page.pagination.pageNumber, page.total, page.articles.map((article) => article.slug)])).toEqual([
      ["/", 1, 5, ["e", "d", "c"]],
      ["/page/2/", 2, 5, ["b", "a"]],
    ]);
    for (const page of home) expect(page.pagination.pageUrls).toEqual(["/", "/page/2/"]);
    expect(home.map((page) => page.title)).toEqual(["Latest articles", "Latest articles, page 2"]);
  });

  test("topic, author, year and month listings are paginated under their own URL", () => {
    const pages = lists(site(1));
    const urlsOf = (listing: ListPage["listing"]) => pages.filter((page) => page.listing === listing).map((page) => page.url);
    expect(urlsOf("topic")).toEqual(["/topics/housing/", "/topics/housing/page/2/"]);
    expect(urlsOf("author")).toEqual(["/authors/ada/", "/authors/ada/page/2/", "/authors/ada/page/3/", "/authors/ada/page/4/", "/authors/grace/", "/authors/grace/page/2/"]);
    expect(urlsOf("year")).toEqual(["/2020/", "/2020/page/2/", "/2020/page/3/", "/2019/", "/2019/page/2/"]);
    expect(urlsOf("month")).toEqual(["/2020/02/", "/2020/01/", "/2020/01/page/2/", "/2019/11/", "/2019/03/"]);
    expect(pages.find((page) => page.url === "/topics/housing/page/2/")).toMatchObject({ title: "Housing, page 2", heading: "Housing", total: 2 });
  });

  test("page counts: ceil(articles / pageSize), and at least one page", () => {
    for (const [pageSize, count] of [[1, 5], [2, 3], [5, 1], [6, 1], [1000, 1]] as const) {
      expect(lists(site(pageSize)).filter((page) => page.listing === "home")).toHaveLength(count);
    }
    const { archive } = buildArchive([], { ...defaultSettings }, { drafts: false });
    expect(lists(buildPages(archive)).map((page) => [page.url, page.total, page.pagination.pageUrls])).toEqual([["/", 0, ["/"]]]);
  });

  test("every article page links to the newer and older article, except at the ends", () => {
    const articles = site().filter((page): page is ArticlePage => page.kind === "article");
    expect(articles.map((page) => [page.article.slug, page.newer?.slug, page.older?.slug])).toEqual([
      ["e", undefined, "d"],
      ["d", "e", "c"],
      ["c", "d", "b"],
      ["b", "c", "a"],
      ["a", "b", undefined],
    ]);
  });

  test("article breadcrumbs lead through the archive, the year and the month", () => {
    const page = htmlPages(site()).find((candidate) => candidate.url === "/2020/01/d/")!;
    expect(page.breadcrumbs).toEqual([
      { name: "Home", url: "/" },
      { name: "Archive", url: "/archive/" },
      { name: "2020", url: "/2020/" },
      { name: "January", url: "/2020/01/" },
    ]);
  });

  test("month names follow the site language", () => {
    expect(monthName(2020, 1, "en")).toBe("January");
    expect(monthName(2020, 1, "fr")).toBe("janvier");
  });

  test("an article page is titled by its article and described by its summary, the one written, else the body's opening", async () => {
    const { site } = await loadSite({ articlesDir: fixture("links"), pictureCache: false });
    const articlePages = site!.pages.filter((page): page is ArticlePage => page.kind === "article");
    for (const page of articlePages) expect(page).toMatchObject({ title: page.article.title, description: page.article.summary });
    const opening = articlePages.find((page) => page.article.relativePath === "2024/lighthouse-keeper-retires.md")!;
    expect(opening.article.writtenSummary).toBeUndefined();
    expect(opening.description).toMatch(/^\S.{20,}/);
  });
});
