import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite } from "../src/build.ts";
import { en } from "../src/i18n/en.ts";
import { CATALOGUES, type Message } from "../src/i18n/messages.ts";
import { loadSettings } from "../src/settings.ts";
import { formatProblem } from "../src/problems.ts";
import { fixture } from "./helpers/files.ts";
import { findBrokenLinks, listFiles } from "./helpers/links.ts";

// A publication's own site: logo, three links, a footer, a theme with style.css and snippets, an
// about page and a front page, in German; the same in Arabic, right to left.
const BRAND = fixture("brand");
let scratch: string;
const sites: Record<"de" | "ar" | "underPath", string> = { de: "", ar: "", underPath: "" };

/** Every page kind of the brand fixture, by URL. */
const PAGES = ["index.html", "page/2/index.html", "2024/05/faehre-faehrt-wieder/index.html", "topics/index.html", "topics/verkehr/index.html", "authors/index.html", "authors/anna-berger/index.html", "archive/index.html", "2024/index.html", "2024/05/index.html", "search/index.html", "404.html", "ueber-uns/index.html"];

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-brand-"));
  for (const language of ["de", "ar"] as const) {
    sites[language] = path.join(scratch, language);
    await buildSite({ articlesDir: BRAND, outputDir: sites[language], overrides: { language } });
  }
  sites.underPath = path.join(scratch, "under-path");
  await buildSite({ articlesDir: BRAND, outputDir: sites.underPath, overrides: { basePath: "/bote/" } });
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const read = (language: keyof typeof sites, page: string) => readFile(path.join(sites[language], page), "utf8");

describe("a site with its own brand", () => {
  test.each(PAGES)("%s shows the logo, the three links, the footer, the theme's stylesheet after the built-in one and its head.html", async (page) => {
    const html = await read("de", page);
    expect(html).toContain('<img src="/assets/logo.svg" alt="Der Wendtaler Bote"/>');
    expect(html).toContain('<li class="site-nav-own"><a href="/ueber-uns/"');
    expect(html).toContain('<a href="https://bote.example.org/abo">Abonnieren</a>');
    expect(html).toContain('<a href="mailto:redaktion@bote.example.org">Kontakt</a>');
    expect(html).toContain("© 2024 Wendtaler Bote GmbH");
    expect(html.indexOf('href="/theme/style.css"')).toBeGreaterThan(html.indexOf('href="/assets/style.css"'));
    expect(html).toMatch(/<meta name="theme-color" content="#0b5d4b">\s*<\/head>/);
    expect(html).not.toContain("broadsheet-snippet");
  });

  test("the logo and the theme's files are published, one without an extension too; the snippets are not", async () => {
    const files = await listFiles(sites.de);
    expect(files).toEqual(expect.arrayContaining(["assets/logo.svg", "theme/style.css", "theme/fonts/bote.woff2", "theme/LICENSE"]));
    expect(files.filter((file) => file.endsWith(".html") && file.startsWith("theme/"))).toEqual([]);
    expect(await readFile(path.join(sites.de, "assets/logo.svg"), "utf8")).toBe(await readFile(path.join(BRAND, "logo.svg"), "utf8"));
  });

  test("article-end.html follows each article's body", async () => {
    const html = await read("de", "2024/05/faehre-faehrt-wieder/index.html");
    expect(html).toMatch(/<\/div><aside class="bote-subscribe">.*<\/aside>\s*<\/article>/s);
  });

  test("the about page is at /ueber-uns/, in the sitemap, and in no feed, listing or archive", async () => {
    const about = await read("de", "ueber-uns/index.html");
    expect(about).toContain("<h1>Über uns</h1>");
    expect(about).toContain('<meta name="description" content="Wer den Wendtaler Boten macht, und wie Sie uns erreichen."/>');
    expect(await read("de", "sitemap.xml")).toContain("<loc>http://localhost:8080/ueber-uns/</loc>");
    for (const page of ["feed.xml", "feed.json", "index.html", "page/2/index.html", "archive/index.html", "2024/index.html"]) {
      expect(await read("de", page), page).not.toContain("Wer den Wendtaler Boten macht");
    }
    // Its Markdown is no article, though it sits in the articles folder.
    expect((await listFiles(sites.de)).filter((file) => file.includes("ueber-uns"))).toEqual(["ueber-uns/index.html"]);
  });

  test("the front page leads with the newest article, then the latest, then a section per chosen topic", async () => {
    const html = await read("de", "index.html");
    const lead = html.indexOf('class="teaser teaser-lead"');
    const latest = html.indexOf('id="front-latest-heading"');
    const traffic = html.indexOf(">Mehr zum Thema Verkehr<");
    const cityHall = html.indexOf(">Mehr zum Thema Rathaus<");
    expect([lead, latest, traffic, cityHall].every((at) => at > 0)).toBe(true);
    expect(lead < latest && latest < traffic && traffic < cityHall).toBe(true);
    expect(html.slice(lead, latest)).toContain("Die Fähre fährt wieder");
  });

  test.each(["de", "ar"] as const)("in %s, no English word of the interface is left on any page", async (language) => {
    const english = englishOnly(language);
    for (const page of PAGES) {
      const text = readableText(await read(language, page));
      const found = english.filter((piece) => text.includes(piece));
      expect(found, page).toEqual([]);
    }
  });

  test("under a base path, the logo, the theme, the site's own links and the footer's get it; other sites' do not; no link is broken", async () => {
    const html = await read("underPath", "2024/05/faehre-faehrt-wieder/index.html");
    expect(html).toContain('<img src="/bote/assets/logo.svg"');
    expect(html).toContain('href="/bote/theme/style.css"');
    expect(html).toContain('<a href="/bote/ueber-uns/">Über uns</a></li>');
    expect(html).toContain('<a href="https://bote.example.org/abo">Abonnieren</a>');
    expect(html).toMatch(/<a href="\/bote\/ueber-uns\/">Über uns<\/a> · <a href="https:\/\/bote.example.org\/impressum">/);
    expect(await findBrokenLinks(sites.underPath, { basePath: "/bote/", origin: "http://localhost:8080" })).toEqual([]);
    expect(await findBrokenLinks(sites.de, { basePath: "/", origin: "http://localhost:8080" })).toEqual([]);
  });

  test("in Arabic, every page reads right to left", async () => {
    for (const page of PAGES) expect(await read("ar", page), page).toMatch(/^<!doctype html>\n<html lang="ar" dir="rtl">/);
    expect(await read("de", "index.html")).toMatch(/<html lang="de" dir="ltr">/);
  });
});

/**
 * What a reader can see or hear of a page: its text, the attributes read out or shown (labels,
 * alternatives, titles, descriptions), and the messages the search page's script will show.
 */
function readableText(html: string): string {
  const messages = /<script type="application\/json" id="search-messages">([\s\S]*?)<\/script>/.exec(html)?.[1];
  const attributes = [...html.matchAll(/\s(?:aria-label|alt|title|content|placeholder)="([^"]*)"/g)].map((match) => match[1]);
  const text = html.replace(/<script[\s\S]*?<\/script>/g, " ").replace(/<[^>]*>/g, " ");
  return [text, ...attributes, messages ? JSON.stringify(Object.values(JSON.parse(messages))) : ""].join("\n");
}

/** The English messages' words that the language says otherwise, in pieces long enough to mean something. */
function englishOnly(language: string): string[] {
  const theirs = JSON.stringify(CATALOGUES[language]);
  const forms = (message: Message) => (typeof message === "string" ? [message] : Object.values(message));
  return [...new Set(Object.values(en as Record<string, Message>).flatMap(forms).flatMap((text) => text.split(/\{\w+\}/)).map((piece) => piece.trim()))]
    .filter((piece) => piece.length >= 5 && /[a-z]{3}/i.test(piece) && !theirs.includes(piece));
}

describe("bad brand settings and pages", () => {
  test("every problem is reported at once, each naming the file, the field and the fix", async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), "broadsheet-brand-bad-"));
    try {
      await writeFile(path.join(folder, "broadsheet.yml"), ["logo: missing.png", "theme: no-theme", "pages: no-pages", "nav:", "  - { label: Shop }", "  - { label: Away, url: ftp://example.org }", "home: { layout: magazine }", 'strings: { "nav.lates": Front }', "language: sw"].join("\n"));
      const { problems } = loadSettings(path.join(folder, "broadsheet.yml"));
      expect(problems.map((problem) => `${problem.field}:${problem.line} ${problem.severity}`)).toEqual(["logo:1 error", "theme:2 error", "pages:3 error", "nav:4 error", "nav:4 error", "home:7 error", "language:9 warning", "strings:8 warning"]);
      expect(problems.map(formatProblem).join("\n")).toContain('"missing.png" is no file');
      expect(problems.find((problem) => problem.field === "strings")?.message).toContain('Did you mean "nav.latest"?');
      expect(problems.find((problem) => problem.field === "language")?.message).toContain("are in English");
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  test("a page whose address the build writes already is an error naming both", async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), "broadsheet-brand-taken-"));
    try {
      await cp(BRAND, folder, { recursive: true });
      await writeFile(path.join(folder, "pages", "topics.md"), "---\ntitle: Topics we cover\n---\n\nText.\n");
      await writeFile(path.join(folder, "pages", "faehre.md"), "---\ntitle: Ferry\nslug: ueber-uns\nauthor: Someone\n---\n\nText.\n");
      const built = buildSite({ articlesDir: folder, outputDir: path.join(folder, "..", `${path.basename(folder)}-site`) });
      await expect(built).rejects.toMatchObject({
        problems: expect.arrayContaining([
          expect.objectContaining({ severity: "error", message: "would be published at /topics/, which is already the topics page the build writes. Rename the file or give it another slug: in its front matter." }),
          expect.objectContaining({ severity: "error", message: expect.stringMatching(/^would be published at \/ueber-uns\/, which is already the address of the page .*pages\/faehre\.md\./) }),
          expect.objectContaining({ severity: "warning", field: "author", message: expect.stringContaining("is a page, not an article") }),
        ]),
      });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
