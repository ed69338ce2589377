import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { AxeResults, Result, RunOptions } from "axe-core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite } from "../../src/build.ts";
import { launchChromium, serveSite } from "../helpers/browser.ts";
import { fixture } from "../helpers/files.ts";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const AXE_OPTIONS: RunOptions = {
  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
};

/** The pages that gained a chart or a related list, on the related fixture. */
const PAGES = {
  "archive index": "archive/",
  topic: "topics/local-news/",
  author: "authors/nia-hughes/",
  article: "2023/04/wendle-series-part-1/",
} as const;
const SCHEMES = ["light", "dark"] as const;

let scratch: string;
let server: Awaited<ReturnType<typeof serveSite>> | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), "broadsheet-timeline-"));
  const site = path.join(scratch, "site");
  await buildSite({ articlesDir: fixture("related"), outputDir: site });
  server = await serveSite(site, "/");
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function withPage<T>(url: string, options: { colorScheme?: "light" | "dark"; open?: boolean }, use: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser!.newContext({ colorScheme: options.colorScheme ?? "light", javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    const response = await page.goto(new URL(url, server!.url).href, { waitUntil: "load" });
    expect(response?.status(), `status of ${url}`).toBe(200);
    // The table is folded away; open it so axe checks it too.
    if (options.open) await page.locator("details.timeline-data").evaluateAll((details: HTMLDetailsElement[]) => details.forEach((element) => (element.open = true)));
    return await use(page);
  } finally {
    await context.close();
  }
}

function describeViolation(violation: Result): string {
  const targets = violation.nodes.slice(0, 3).map((node) => node.target.join(" "));
  const why = violation.nodes[0]?.failureSummary?.replace(/\s+/g, " ").trim();
  return `${violation.id} [${violation.impact ?? "unknown"}] ${violation.help}: ${targets.join(" | ")}${why ? ` — ${why}` : ""}`;
}

describe("charts and related lists (axe-core in Chromium)", () => {
  const cases = Object.keys(PAGES).flatMap((kind) => SCHEMES.map((scheme) => [kind as keyof typeof PAGES, scheme] as const));

  test.each(cases)("%s page, %s scheme, table open: no violations", async (kind, scheme) => {
    // axe runs from an injected script; the pages themselves need none.
    const context = await browser!.newContext({ colorScheme: scheme });
    try {
      const page = await context.newPage();
      await page.goto(new URL(PAGES[kind], server!.url).href, { waitUntil: "load" });
      await page.locator("details.timeline-data").evaluateAll((details: HTMLDetailsElement[]) => details.forEach((element) => (element.open = true)));
      expect(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches)).toBe(scheme === "dark");
      await page.addScriptTag({ content: AXE_SOURCE });
      const results = await page.evaluate(
        (options) => (window as unknown as { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } }).axe.run(document, options),
        AXE_OPTIONS,
      );
      expect(results.passes.length).toBeGreaterThan(0);
      expect(results.violations.map(describeViolation), `axe violations on ${PAGES[kind]} (${scheme})`).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("the archive's chart", () => {
  test("is a figure with a caption, an SVG image named by its title and described, and one bar per month with articles", async () => {
    await withPage(PAGES["archive index"], {}, async (page) => {
      const figure = page.locator("main figure.timeline");
      expect(await figure.locator("figcaption").textContent()).toBe("Articles per month, June 2022 to February 2024");
      const chart = figure.getByRole("img");
      expect(await chart.getAttribute("aria-labelledby")).toBe("timeline-title");
      expect(await page.locator("#timeline-title").textContent()).toBe("Articles per month, June 2022 to February 2024");
      expect(await page.locator("#timeline-desc").textContent()).toBe("10 articles from June 2022 to February 2024. The busiest month was April 2023, with 3.");
      // June and December 2022; April, May and September 2023; January and February 2024.
      expect(await chart.locator(".timeline-bars rect").count()).toBe(7);
      expect(await page.locator("main script").count()).toBe(0);
    });
  });

  test("labels each year with a link to its page", async () => {
    await withPage(PAGES["archive index"], {}, async (page) => {
      const years = page.locator(".timeline-years a");
      expect(await years.allTextContents()).toEqual(["2022", "2023", "2024"]);
      await years.first().click();
      await page.waitForURL(/\/2022\/$/);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("2022");
    });
  });

  test("has the same numbers in a table", async () => {
    await withPage(PAGES["archive index"], { open: true }, async (page) => {
      const rows = await page.locator(".timeline-data tbody tr").evaluateAll((trs: HTMLTableRowElement[]) => trs.map((tr) => [...tr.cells].map((cell) => cell.textContent)));
      expect(rows).toEqual([
        ["2022", "0", "0", "0", "0", "0", "1", "0", "0", "0", "0", "0", "1", "2"],
        ["2023", "0", "0", "0", "3", "1", "0", "0", "0", "1", "0", "0", "0", "5"],
        ["2024", "1", "2", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "3"],
      ]);
    });
  });

  test("bars follow the colour scheme", async () => {
    const fill = (scheme: "light" | "dark") => withPage(PAGES["archive index"], { colorScheme: scheme }, (page) => page.locator(".timeline-bars rect").first().evaluate((rect) => getComputedStyle(rect).fill));
    const [light, dark] = [await fill("light"), await fill("dark")];
    expect(light).not.toBe(dark);
  });
});

describe("a topic's and an author's chart", () => {
  test.each([
    ["topic", "Articles about Local news per month, December 2022 to February 2024"],
    ["author", "Articles by Nia Hughes per month, June 2022 to April 2023"],
  ] as const)("the %s page shows its own articles over time", async (kind, caption) => {
    await withPage(PAGES[kind], {}, async (page) => {
      expect(await page.locator("figure.timeline figcaption").textContent()).toBe(caption);
      expect(await page.getByRole("img", { name: caption }).count()).toBe(1);
    });
  });
});

describe("related articles", () => {
  test("an article ends with its related articles, linked, with dates", async () => {
    await withPage(PAGES.article, {}, async (page) => {
      const related = page.getByRole("navigation", { name: "Related articles" });
      const links = related.getByRole("link");
      expect((await links.allTextContents()).slice(0, 2)).toEqual(["The River Wendle, part 2: the mills and the weirs", "The River Wendle, part 3: the estuary"]);
      expect(await related.locator("time").count()).toBe(await links.count());
      expect(await page.locator("figure.timeline").count()).toBe(0);
    });
  });
});
