import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { AxeResults, RunOptions } from "axe-core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite } from "../../src/build.ts";
import { CATALOGUES } from "../../src/i18n/messages.ts";
import { launchChromium, serveSite } from "../helpers/browser.ts";
import { fixture } from "../helpers/files.ts";

// The brand fixture (logo, links, footer, a theme with its own colours and fonts, an about page,
// a front page) in every shipped language, light and dark: still no axe violations.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const AXE_OPTIONS: RunOptions = { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } };
const LANGUAGES = Object.keys(CATALOGUES);
const PAGES = ["", "2024/05/faehre-faehrt-wieder/", "topics/verkehr/", "authors/", "archive/", "search/?q=f%C3%A4hre", "ueber-uns/", "no-such-page/"];
/**
 * Every kind of page in one language written left to right and in one written right to left; in
 * the others, where only the words differ, the pages with the most of them.
 */
const PAGES_BY_LANGUAGE: Record<string, string[]> = { de: PAGES, ar: PAGES };
const WORDIEST = ["", "2024/05/faehre-faehrt-wieder/", "search/?q=f%C3%A4hre"];

let scratch: string;
let browser: Browser;
const servers = new Map<string, Awaited<ReturnType<typeof serveSite>>>();

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), "broadsheet-brand-a11y-"));
  for (const language of LANGUAGES) {
    const site = path.join(scratch, language);
    await buildSite({ articlesDir: fixture("brand"), outputDir: site, overrides: { language } });
    servers.set(language, await serveSite(site));
  }
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const server of servers.values()) await server.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe.each(LANGUAGES)("the branded site in %s", (language) => {
  test.each(["light", "dark"] as const)("its pages pass axe's WCAG 2.2 AA checks, %s", async (scheme) => {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    const violations: string[] = [];
    try {
      for (const url of PAGES_BY_LANGUAGE[language] ?? WORDIEST) {
        await page.goto(servers.get(language)!.url + url, { waitUntil: "load" });
        // The search page's results come from its script: wait for them, so that they are checked too.
        if (url.startsWith("search/")) await page.locator("#search-results li").first().waitFor({ timeout: 20_000 });
        await page.addScriptTag({ content: AXE_SOURCE });
        const results = await page.evaluate((options) => (window as unknown as { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } }).axe.run(document, options), AXE_OPTIONS);
        for (const violation of results.violations) violations.push(`${url}: ${violation.id} ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).slice(0, 3).join(" | ")})`);
      }
    } finally {
      await context.close();
    }
    expect(violations).toEqual([]);
  });
});

describe("the site's own pages", () => {
  test("are found by search, after the articles", async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${servers.get("de")!.url}search/?q=redaktion%201952`);
      const first = page.locator("#search-results li a").first();
      await first.waitFor({ timeout: 20_000 });
      expect(new URL((await first.getAttribute("href"))!, page.url()).pathname).toBe("/ueber-uns/");
      expect(await first.textContent()).toBe("Über uns");
    } finally {
      await page.close();
    }
  });
});

describe("the search page speaks the site's language", () => {
  test("in German, the count of results and the result's byline", async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${servers.get("de")!.url}search/?q=f%C3%A4hre`);
      await expect.poll(() => page.locator("#search-status").textContent(), { timeout: 20_000 }).toMatch(/für „fähre“/);
      expect(await page.locator("#search-results .search-result-meta").first().textContent()).toContain(CATALOGUES.de!["article.by"].replace("{names}", "Anna Berger, Jonas Keller"));
    } finally {
      await page.close();
    }
  });
});
