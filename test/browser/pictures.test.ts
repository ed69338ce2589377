import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { AxeResults, RunOptions } from "axe-core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite } from "../../src/build.ts";
import { launchChromium, serveSite } from "../helpers/browser.ts";
import { fixture } from "../helpers/files.ts";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const AXE_OPTIONS: RunOptions = {
  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
};

let scratch: string;
let server: Awaited<ReturnType<typeof serveSite>> | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), "broadsheet-pictures-browser-"));
  const site = path.join(scratch, "site");
  await buildSite({ articlesDir: fixture("pictures"), outputDir: site, pictureCache: path.join(scratch, "cache") });
  server = await serveSite(site, "/");
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A context that never reaches other hosts: the fixture's https:// picture is refused at once. */
async function offlineContext(scheme: "light" | "dark"): Promise<BrowserContext> {
  const context = await browser!.newContext({ colorScheme: scheme });
  await context.route((url) => !url.href.startsWith(server!.url), (route) => route.abort());
  return context;
}

async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const results = await page.evaluate(
    (options) => (window as unknown as { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } }).axe.run(document, options),
    AXE_OPTIONS,
  );
  expect(results.passes.length).toBeGreaterThan(0);
  return results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(" | ")}`);
}

describe("pictures in Chromium", () => {
  const pages = [
    ["article with a lead image and figures", "2024/05/harbour-fire/"],
    ["home with thumbnails", ""],
    ["topic with thumbnails", "topics/harbour/"],
  ] as const;
  test.each(pages.flatMap(([name, url]) => (["light", "dark"] as const).map((scheme) => [name, scheme, url] as const)))("%s, %s scheme: no axe violations", async (_name, scheme, url) => {
    const context = await offlineContext(scheme);
    try {
      const page = await context.newPage();
      await page.goto(server!.url + url, { waitUntil: "load" });
      expect(await violations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("the lead image and the body's pictures load, and the lead is as wide as the text", async () => {
    const context = await offlineContext("light");
    try {
      const page = await context.newPage();
      await page.goto(`${server!.url}2024/05/harbour-fire/`, { waitUntil: "load" });
      // The body's pictures load lazily, after the page's load event: asked until they have.
      const loaded = () => page.locator("main img").evaluateAll((images: HTMLImageElement[]) => images.map((image) => [image.alt, image.complete && image.naturalWidth > 0]));
      await expect.poll(loaded, { timeout: 10_000 }).toEqual([
        ["Smoke over the harbour wall at sunset", true],
        ["Boats moored at the quay", true],
        ["Map of the wall", true],
        ["Diagram of the burnt section", true],
      ]);
      const widths = await page.evaluate(() => [document.querySelector(".lead-figure img")!.getBoundingClientRect().width, document.querySelector(".article-body")!.getBoundingClientRect().width]);
      expect(widths[0]).toBe(widths[1]);
    } finally {
      await context.close();
    }
  });

  test("search results show the lead image as a decorative thumbnail", async () => {
    const context = await offlineContext("light");
    try {
      const page = await context.newPage();
      await page.goto(`${server!.url}search/?q=harbour`, { waitUntil: "load" });
      const result = page.locator(".search-result", { hasText: "Fire on the harbour wall" });
      await result.waitFor();
      const image = result.locator("img.search-result-image");
      expect(await image.getAttribute("alt")).toBe("");
      expect(await image.getAttribute("src")).toMatch(/^\/media\/[0-9a-f]{16}\/lead-400\.jpg$/);
      await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth > 0)).toBe(true);
      expect(await violations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
