import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import Parser from "rss-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite, type BuildResult } from "../../src/build.ts";
import { lastmodText } from "../../src/publish/sitemap.ts";

const BASE = "https://news.example.org/gazette/";
let output: string;
let result: BuildResult;

beforeAll(async () => {
  output = path.join(mkdtempSync(path.join(os.tmpdir(), "broadsheet-publish-")), "site");
  result = await buildSite({
    articlesDir: "test/fixtures/basic",
    outputDir: output,
    overrides: { baseUrl: "https://news.example.org", basePath: "/gazette/" },
  });
});

afterAll(() => rmSync(path.dirname(output), { recursive: true, force: true }));

function read(url: string): string {
  return readFileSync(path.join(output, url), "utf8");
}

function htmlPages(): string[] {
  return (readdirSync(output, { recursive: true }) as string[])
    .filter((file) => file.endsWith(".html") && !file.startsWith("pagefind"))
    .map((file) => file.split(path.sep).join("/"));
}

describe("feeds", () => {
  it("the site's Atom feed parses and lists every article newest first with absolute URLs", async () => {
    const feed = await new Parser().parseString(read("feed.xml"));
    const articles = result.site.archive.articles;
    expect(feed.items.map((item) => item.link)).toEqual(articles.map((article) => `${BASE}${article.url.slice(1)}`));
    const first = feed.items[0]!;
    expect(first.title).toBe(articles[0]!.title);
    expect(first.isoDate).toBe(articles[0]!.date.value.toUTC().toISO());
    expect(first.content).toContain("<p>");
    expect(feed.link).toBe(BASE);
  });

  it("entries carry authors, topics as categories and the summary", () => {
    const xml = new XMLParser({ ignoreAttributes: false }).parse(read("feed.xml"));
    const entries = [xml.feed.entry].flat();
    const withTopics = result.site.archive.articles.find((article) => article.topics.length > 1)!;
    const entry = entries.find((candidate: { id: string }) => candidate.id === `${BASE}${withTopics.url.slice(1)}`);
    expect([entry.category].flat().map((category: Record<string, string>) => category["@_term"])).toEqual(withTopics.topics.map((topic) => topic.name));
    expect([entry.author].flat().map((author: { name: string; uri: string }) => author.uri)).toEqual(withTopics.authors.map((author) => `${BASE}${author.url.slice(1)}`));
    expect(entry.published).toBeDefined();
    expect(entry.summary).toBeDefined();
  });

  it("the JSON Feed parses", () => {
    const feed = JSON.parse(read("feed.json"));
    expect(feed.items).toHaveLength(result.site.archive.articles.length);
    expect(feed.items[0].url).toBe(`${BASE}${result.site.archive.articles[0]!.url.slice(1)}`);
  });

  it("every topic and author page has its own Atom feed, linked from the page", async () => {
    for (const group of [...result.site.archive.topics, ...result.site.archive.authors]) {
      const feed = await new Parser().parseString(read(`${group.url}feed.xml`));
      expect(feed.items.map((item) => item.link)).toEqual(group.articles.map((article) => `${BASE}${article.url.slice(1)}`));
      expect(read(`${group.url}index.html`)).toContain(`<link rel="alternate" type="application/atom+xml" title="${escapeHtml(feed.title!)}" href="/gazette${group.url}feed.xml"/>`);
    }
  });
});

describe("sitemap and robots", () => {
  it("lists every public page exactly once, with lastmod", () => {
    const text = read("sitemap.xml");
    expect(XMLValidator.validate(text)).toBe(true);
    const urls = [new XMLParser().parse(text).urlset.url].flat() as { loc: string; lastmod: string }[];
    const locs = urls.map((url) => url.loc);
    expect(new Set(locs).size).toBe(locs.length);
    const expected = htmlPages()
      .filter((file) => file !== "404.html")
      .map((file) => BASE + file.replace(/index\.html$/, ""));
    expect([...locs].sort()).toEqual(expected.sort());
    expect(urls.every((url) => /^\d{4}-\d\d-\d\dT/.test(url.lastmod))).toBe(true);
  });

  it("writes each lastmod as W3C's date and time in UTC, with milliseconds only when there are some", () => {
    for (const [instant, text] of [
      [Date.UTC(2024, 3, 2, 15, 45), "2024-04-02T15:45:00Z"],
      [Date.UTC(2024, 3, 2, 15, 45, 7, 250), "2024-04-02T15:45:07.250Z"],
      [Date.UTC(1969, 11, 31, 23, 59, 59), "1969-12-31T23:59:59Z"],
      [Date.UTC(1969, 11, 31, 23, 59, 59, 500), "1969-12-31T23:59:59.500Z"],
      [0, "1970-01-01T00:00:00Z"],
      [Date.UTC(10000, 0, 1), "+010000-01-01T00:00:00Z"],
    ] as const) {
      expect(lastmodText(instant)).toBe(text);
    }
  });

  it("robots.txt points at the sitemap", () => {
    expect(read("robots.txt")).toContain(`Sitemap: ${BASE}sitemap.xml`);
  });
});

describe("sharing cards and structured data", () => {
  it("every JSON-LD block parses; articles are NewsArticle with Person authors", () => {
    for (const file of htmlPages()) {
      for (const [, json] of read(file).matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)) {
        const data = JSON.parse(json!);
        expect(data["@context"]).toBe("https://schema.org");
      }
    }
    for (const article of result.site.archive.articles) {
      const html = read(`${article.url}index.html`);
      const data = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);
      expect(data).toMatchObject({
        "@type": "NewsArticle",
        headline: article.title,
        url: `${BASE}${article.url.slice(1)}`,
        datePublished: article.date.value.toISO({ suppressMilliseconds: true }),
        author: article.authors.map((author) => ({ "@type": "Person", name: author.name, url: `${BASE}${author.url.slice(1)}` })),
        keywords: article.topics.map((topic) => topic.name),
        publisher: { "@type": "Organization", name: "The Basic Gazette" },
      });
      expect(html).toContain(`<link rel="canonical" href="${BASE}${article.url.slice(1)}"/>`);
      expect(html).toContain(`<meta property="og:type" content="article"/>`);
      expect(html).toContain(`<meta property="article:published_time" content="${article.date.value.toISO({ suppressMilliseconds: true })}"/>`);
    }
  });

  it("a headline with quotes, & and < is escaped in attributes and cannot break out of JSON-LD", () => {
    const article = result.site.archive.articles.find((candidate) => candidate.title.includes("<"))!;
    const html = read(`${article.url}index.html`);
    expect(html).toContain(`<meta property="og:title" content="${escapeHtml(article.title)}"/>`);
    expect(html).not.toContain(article.title);
    const json = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!;
    expect(json).not.toMatch(/[<>]/);
    expect(JSON.parse(json).headline).toBe(article.title);
  });

  it("listing pages are CollectionPages", () => {
    const html = read("topics/index.html");
    expect(JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!)["@type"]).toBe("CollectionPage");
  });
});

/** As Preact escapes attribute values: `>` may stand as it is. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
}
