import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import Parser from "rss-parser";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite, type BuildResult } from "../../src/build.ts";
import { ArchiveError, formatProblem } from "../../src/problems.ts";
import { fixture } from "../helpers/files.ts";
import { findBrokenLinks } from "../helpers/links.ts";

// The links fixture: two articles with aliases of every shape and corrections, and a topic whose
// old spelling ("Harbour news") and old section path the settings keep.
const LINKS = fixture("links");
const BASE = "https://courier.example.org/news/";
const LIGHTHOUSE = "/2024/03/lighthouse-keeper-retires/";

let scratch: string;
let site: string;
let built: BuildResult;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-links-"));
  site = path.join(scratch, "site");
  built = await buildSite({ articlesDir: LINKS, outputDir: site, overrides: { baseUrl: "https://courier.example.org", basePath: "/news/" } });
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const read = (file: string) => readFile(path.join(site, file), "utf8");

describe("aliases", () => {
  test("each alias is a small page that refreshes at once to the article, names it canonical and is not indexed", async () => {
    for (const file of ["2024/03/12/lighthouse-keeper.html", "p/1042/index.html", "old-news/lighthouse-story/index.html"]) {
      const html = await read(file);
      expect(html, file).toContain(`<meta http-equiv="refresh" content="0; url=/news${LIGHTHOUSE}"/>`);
      expect(html, file).toContain(`<link rel="canonical" href="${BASE}${LIGHTHOUSE.slice(1)}"/>`);
      expect(html, file).toContain(`<meta name="robots" content="noindex"/>`);
      // Readable without the refresh: a link with the article's title.
      expect(html, file).toContain(`It is now at <a href="/news${LIGHTHOUSE}">Lighthouse keeper retires after forty years</a>.`);
    }
  });

  test("_redirects lists every alias as a 301, under the base path, for Netlify and Cloudflare Pages", async () => {
    expect(await read("_redirects")).toBe(
      [
        "# Old addresses and the pages they now lead to, for Netlify and Cloudflare Pages. Written by Broadsheet.",
        "/news/2024/03/12/lighthouse-keeper.html /news/2024/03/lighthouse-keeper-retires/ 301",
        "/news/old-news/lighthouse-story/ /news/2024/03/lighthouse-keeper-retires/ 301",
        "/news/p/1042/ /news/2024/03/lighthouse-keeper-retires/ 301",
        "/news/p/1077/ /news/2024/11/ferry-timetable-changes/ 301",
        "/news/sections/harbour/ /news/topics/waterfront/ 301",
        "/news/topics/harbour-news/ /news/topics/waterfront/ 301",
        "/news/topics/harbour-news/feed.xml /news/topics/waterfront/feed.xml 301",
        "",
      ].join("\n"),
    );
  });

  test("a topic merged from an old spelling keeps that spelling's page; its feed moves only in _redirects", async () => {
    expect(await read("topics/harbour-news/index.html")).toContain(`content="0; url=/news/topics/waterfront/"`);
    expect(existsSync(path.join(site, "topics/harbour-news/feed.xml"))).toBe(false);
  });

  test("redirect pages are not in the sitemap, and every link of the site works", async () => {
    const sitemap = await read("sitemap.xml");
    expect(sitemap).not.toContain("/p/1042/");
    expect(sitemap).toContain(`<loc>${BASE}corrections/</loc>`);
    expect(await findBrokenLinks(site, { basePath: "/news/", origin: "https://courier.example.org" })).toEqual([]);
  });

  test("the URL map names each article's address, file, title and aliases, for the next build", async () => {
    const map = JSON.parse(await read("urls.json"));
    expect(map.articles).toContainEqual({
      url: LIGHTHOUSE,
      file: "2024/lighthouse-keeper-retires.md",
      title: "Lighthouse keeper retires after forty years",
      aliases: ["/2024/03/12/lighthouse-keeper.html", "/p/1042/", "/old-news/lighthouse-story/"],
    });
    expect(map.redirects).toContain("/sections/harbour/");
  });
});

describe("corrections", () => {
  test("shown at the end of the article, oldest first, each with its date and an id to link to", async () => {
    const html = await read(`${LIGHTHOUSE.slice(1)}index.html`);
    const section = /<section class="corrections"[\s\S]*?<\/section>/.exec(html)![0];
    expect(section).toContain('<h2 id="corrections-heading">Corrections</h2>');
    expect([...section.matchAll(/<li id="([^"]+)"><time datetime="([^"]+)">/g)].map((match) => [match[1], match[2]])).toEqual([
      ["correction-2024-03-14", "2024-03-14"],
      ["correction-2024-04-02", "2024-04-02T16:45:00+01:00"],
    ]);
    expect(section).toContain("The lighthouse is on Gull Point, not Gannet Point.");
    // Inside the article, after its body.
    expect(html.indexOf('class="corrections"')).toBeGreaterThan(html.indexOf('class="article-body"'));
    expect(html.indexOf('class="corrections"')).toBeLessThan(html.indexOf("</article>"));
  });

  test("the newest correction is the article's dateModified, modified_time and feed updated", async () => {
    const html = await read(`${LIGHTHOUSE.slice(1)}index.html`);
    const data = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);
    expect(data.dateModified).toBe("2024-04-02T16:45:00+01:00");
    expect(data.datePublished).toBe("2024-03-12T10:00:00+00:00");
    expect(data.correction).toEqual([
      { "@type": "CorrectionComment", text: "An earlier version said the keeper served thirty years; it was forty.", datePublished: "2024-03-14T00:00:00+00:00" },
      { "@type": "CorrectionComment", text: "The lighthouse is on Gull Point, not Gannet Point.", datePublished: "2024-04-02T16:45:00+01:00" },
    ]);
    expect(html).toContain('<meta property="article:modified_time" content="2024-04-02T16:45:00+01:00"/>');
    const feed = new XMLParser().parse(await read("feed.xml"));
    const entry = [feed.feed.entry].flat().find((candidate: { id: string }) => candidate.id === `${BASE}${LIGHTHOUSE.slice(1)}`);
    expect(entry.updated).toBe("2024-04-02T15:45:00.000Z");
    expect(await read("sitemap.xml")).toContain(`<loc>${BASE}${LIGHTHOUSE.slice(1)}</loc><lastmod>2024-04-02T15:45:00Z</lastmod>`);
  });

  test("/corrections/ lists every correction newest first, each linked to it on its article", async () => {
    const html = await read("corrections/index.html");
    const links = [...html.matchAll(/<h2><a href="([^"]+)">([^<]+)<\/a><\/h2>/g)].map((match) => match[1]);
    expect(links).toEqual([
      "/news/2024/11/ferry-timetable-changes/#correction-2024-11-03",
      `/news${LIGHTHOUSE}#correction-2024-04-02`,
      `/news${LIGHTHOUSE}#correction-2024-03-14`,
    ]);
    expect(html).toContain('<p class="count">3 corrections, newest first</p>');
    expect(html).toContain(`<link rel="alternate" type="application/atom+xml" title="The Harbour Courier: corrections" href="/news/corrections/feed.xml"/>`);
  });

  test("the corrections feed parses, newest first, with the site's updated time its newest entry's", async () => {
    const xml = await read("corrections/feed.xml");
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = await new Parser().parseString(xml);
    expect(feed.items.map((item) => [item.title, item.link, item.isoDate])).toEqual([
      ["Correction: Winter ferry timetable changes", `${BASE}2024/11/ferry-timetable-changes/#correction-2024-11-03`, "2024-11-03T00:00:00.000Z"],
      ["Correction: Lighthouse keeper retires after forty years", `${BASE}${LIGHTHOUSE.slice(1)}#correction-2024-04-02`, "2024-04-02T15:45:00.000Z"],
      ["Correction: Lighthouse keeper retires after forty years", `${BASE}${LIGHTHOUSE.slice(1)}#correction-2024-03-14`, "2024-03-14T00:00:00.000Z"],
    ]);
    expect(feed.items[1]!.content).toBe("The lighthouse is on Gull Point, not Gannet Point.");
    expect(/<updated>([^<]+)<\/updated>/.exec(xml)![1]).toBe("2024-11-03T00:00:00.000Z");
  });

  test("a build without corrections still has the page, saying so, and an empty feed", async () => {
    const empty = path.join(scratch, "basic");
    await buildSite({ articlesDir: fixture("basic"), outputDir: empty });
    expect(await readFile(path.join(empty, "corrections/index.html"), "utf8")).toContain("No article has been corrected.");
    expect(XMLValidator.validate(await readFile(path.join(empty, "corrections/feed.xml"), "utf8"))).toBe(true);
  });
});

describe("bad aliases and corrections", () => {
  test("each is one message naming the file, line and field, and nothing is written", async () => {
    const output = path.join(scratch, "bad");
    const failure = await buildSite({ articlesDir: fixture("bad-links"), outputDir: output }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ArchiveError);
    const shown = path.relative(process.cwd(), fixture("bad-links")).split(path.sep).join("/");
    expect((failure as ArchiveError).problems.map(formatProblem).map((line) => line.replaceAll(shown, "bad-links"))).toEqual([
      'bad-links/2024/harbour-history.md:5  aliases: item 1 "https://old.example.com/stories/harbour-history.html" is a full address, and an alias must be a path on this site: a static site can answer only for its own host. If the old address was on this site, write the path alone: /stories/harbour-history.html. A redirect from another host must be set up on that host.',
      'bad-links/2024/harbour-history.md:5  aliases: item 2 "/stories/../../etc/passwd" has a . or .. part, which leads out of the folder it is in, or out of the site. Write the old path in full from the site\'s root, such as /old-section/story/.',
      'bad-links/2024/market-day.md:5  corrections: item 1 has no text. Say what was corrected: text: "An earlier version gave the wrong date for the vote."',
      'bad-links/2024/market-day.md:5  corrections: item 2 must be a mapping with a date and a text, not a string. Write each correction as an item of the list: `- { date: 2024-05-02, text: "An earlier version gave the wrong date for the vote." }`.',
      "bad-links/2024/market-day.md:5  corrections: item 3: date 2024-05-20 is before the article was published (2024-06-01), and a correction comes after. Write the day the correction was made.",
      "bad-links/2024/pier-reopens.md:6  aliases: /2024/05/quay-fire/ is the address of the article bad-links/2024/quay-fire.md, which this build writes; an alias cannot take the place of a page. Remove the alias, or give that page another address.",
      "bad-links/2024/pier-reopens.md:6  aliases: /p/1/ is also an alias in bad-links/2024/quay-fire.md:5, for /2024/05/quay-fire/; one old address can lead to one page only. Keep it where it belongs and remove the other.",
      'bad-links/broadsheet.yml:3  topics: "Harbour": alias "/harbour?page=2" has a query or fragment (? or #), which a static host ignores when it picks a file. Write the path alone: /harbour.',
    ]);
    expect(existsSync(output)).toBe(false);
  });
});
