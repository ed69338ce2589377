import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { AxeResults, Result, RunOptions } from "axe-core";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite } from "../../src/build.ts";
import { launchChromium, serveSite } from "../helpers/browser.ts";
import { fixture } from "../helpers/files.ts";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const AXE_OPTIONS: RunOptions = {
  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
};

const KINDS = [
  "home",
  "home page 2",
  "article",
  "topics index",
  "topic",
  "authors index",
  "author",
  "archive index",
  "year",
  "month",
  "search",
  "404",
  "corrections",
] as const;
type Kind = (typeof KINDS)[number];
const SCHEMES = ["light", "dark"] as const;

let scratch: string;
let server: Awaited<ReturnType<typeof serveSite>> | undefined;
let browser: Browser | undefined;
/** Every kind of page, by URL, found by following the built site's own links from the home page. */
const urls = new Map<Kind, string>();

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), "broadsheet-a11y-"));
  const site = path.join(scratch, "site");
  await buildSite({ articlesDir: fixture("basic"), outputDir: site });
  server = await serveSite(site, "/");
  browser = await launchChromium();
  await findPages(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Reads the URLs from the pages themselves, so renamed slugs or sections do not break the test. */
async function findPages(home: string): Promise<void> {
  const context = await browser!.newContext();
  const page = await context.newPage();
  try {
    urls.set("home", home);
    await open(page, home);
    urls.set("home page 2", await href(page, "main a[rel='next']"));
    urls.set("article", await href(page, "main h2 a"));
    const nav = page.getByRole("navigation", { name: "Sections" });
    urls.set("topics index", await linkNamed(nav, "Topics"));
    urls.set("authors index", await linkNamed(nav, "Authors"));
    urls.set("archive index", await linkNamed(nav, "Archive"));
    urls.set("search", await page.locator("form[role='search']").first().evaluate((form: HTMLFormElement) => form.action));
    urls.set("404", new URL("no-such-page-here/", home).href);
    urls.set("corrections", await linkNamed(page.getByRole("contentinfo"), "Corrections"));

    for (const [index, kind] of [["topics index", "topic"], ["authors index", "author"]] as const) {
      await open(page, urls.get(index)!);
      urls.set(kind, await firstLinkBelow(page, urls.get(index)!));
    }
    await open(page, urls.get("archive index")!);
    const year = await href(page, "main h2 a");
    urls.set("year", year);
    urls.set("month", await firstLinkBelow(page, year));
  } finally {
    await context.close();
  }
  expect(new Set(urls.values()).size, `each kind of page should have its own URL: ${JSON.stringify([...urls])}`).toBe(KINDS.length);
}

async function open(page: Page, url: string, status = 200): Promise<void> {
  const response = await page.goto(url, { waitUntil: "load" });
  expect(response?.status(), `status of ${url}`).toBe(status);
}

async function href(page: Page, selector: string): Promise<string> {
  return page.locator(selector).first().evaluate((link: HTMLAnchorElement) => link.href);
}

async function linkNamed(scope: Locator, name: string): Promise<string> {
  return scope.getByRole("link", { name, exact: true }).evaluate((link: HTMLAnchorElement) => link.href);
}

/** The first link in the main content to a page nested under `parent`, skipping its pagination. */
async function firstLinkBelow(page: Page, parent: string): Promise<string> {
  const links = await page.locator("main a").evaluateAll((anchors: HTMLAnchorElement[]) => anchors.map((a) => a.href));
  const child = links.find((link) => link.startsWith(parent) && link !== parent && !link.slice(parent.length).startsWith("page/"));
  if (!child) throw new Error(`No link below ${parent} on ${page.url()}; links were: ${links.join(", ")}`);
  return child;
}

/** One line per violation: rule, impact, what it means, and the first elements it flagged. */
function describeViolation(violation: Result): string {
  const targets = violation.nodes.slice(0, 3).map((node) => node.target.join(" "));
  const more = violation.nodes.length > 3 ? ` (+${violation.nodes.length - 3} more)` : "";
  const why = violation.nodes[0]?.failureSummary?.replace(/\s+/g, " ").trim();
  return `${violation.id} [${violation.impact ?? "unknown"}] ${violation.help}: ${targets.join(" | ")}${more}${why ? ` — ${why}` : ""}`;
}

describe("accessibility (axe-core in Chromium)", () => {
  const cases = KINDS.flatMap((kind) => SCHEMES.map((scheme) => [kind, scheme] as const));

  test.each(cases)("%s page, %s scheme: no violations", async (kind, scheme) => {
    const url = urls.get(kind)!;
    const context = await browser!.newContext({ colorScheme: scheme });
    try {
      const page = await context.newPage();
      await open(page, url, kind === "404" ? 404 : 200);
      expect(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches), "colour scheme applied").toBe(scheme === "dark");
      await page.addScriptTag({ content: AXE_SOURCE });
      const results = await page.evaluate(
        (options) => (window as unknown as { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } }).axe.run(document, options),
        AXE_OPTIONS,
      );
      expect(results.passes.length, "axe checked some rules").toBeGreaterThan(0);
      expect(results.violations.map(describeViolation), `axe violations on ${url} (${scheme})`).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

/** Runs axe on the page as it is now, in the given scheme, and expects no violations. */
async function expectNoViolations(page: Page, scheme: (typeof SCHEMES)[number]): Promise<void> {
  expect(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches), "colour scheme applied").toBe(scheme === "dark");
  await page.addScriptTag({ content: AXE_SOURCE });
  const results = await page.evaluate(
    (options) => (window as unknown as { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } }).axe.run(document, options),
    AXE_OPTIONS,
  );
  expect(results.passes.length, "axe checked some rules").toBeGreaterThan(0);
  expect(results.violations.map(describeViolation), `axe violations on ${page.url()} (${scheme})`).toEqual([]);
}

// The links fixture has what the basic one lacks: corrections on an article and on /corrections/,
// and a 404 page whose script has offered suggestions.
describe("accessibility of corrections and of the 404 page's suggestions", () => {
  let links: Awaited<ReturnType<typeof serveSite>> | undefined;
  beforeAll(async () => {
    const site = path.join(scratch, "links-site");
    await buildSite({ articlesDir: fixture("links"), outputDir: site });
    links = await serveSite(site, "/");
  });
  afterAll(async () => {
    await links?.close();
  });

  const pages = [
    ["article with corrections", "2024/03/lighthouse-keeper-retires/", 200],
    ["corrections", "corrections/", 200],
    ["404 with suggestions", "2024/03/lighthose-keper-retire/", 404],
  ] as const;
  test.each(pages.flatMap(([name, url, status]) => SCHEMES.map((scheme) => [name, scheme, url, status] as const)))("%s page, %s scheme: no violations", async (_name, scheme, url, status) => {
    const context = await browser!.newContext({ colorScheme: scheme });
    try {
      const page = await context.newPage();
      await open(page, links!.url + url, status);
      if (status === 404) await page.locator("#not-found-results a").first().waitFor();
      await expectNoViolations(page, scheme);
    } finally {
      await context.close();
    }
  });
});

describe("without JavaScript", () => {
  test("the home page lists articles that open, and the search form asks the search page with GET", async () => {
    const context = await browser!.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await open(page, urls.get("home")!);

      const articleLinks = page.locator("main h2 a");
      expect(await articleLinks.count()).toBeGreaterThan(0);
      const title = (await articleLinks.first().textContent())?.trim();
      await articleLinks.first().click();
      await page.waitForURL(urls.get("article")!);
      await expect.poll(async () => (await page.locator("h1").textContent())?.trim()).toBe(title);

      await page.goBack();
      const form = page.getByRole("search").first();
      expect(await form.getAttribute("method")).toMatch(/^get$/i);
      const box = form.getByRole("searchbox");
      await box.fill("budget");
      await box.press("Enter");
      await page.waitForURL((url) => url.searchParams.get("q") === "budget");
      const searched = new URL(page.url());
      expect(`${searched.origin}${searched.pathname}`).toBe(urls.get("search"));
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBeTruthy();
    } finally {
      await context.close();
    }
  });
});
