import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite } from "../../src/build.ts";
import { launchChromium, serveSite } from "../helpers/browser.ts";
import { fixture } from "../helpers/files.ts";

// The links fixture, published under a base path and served by a plain static server that answers
// a miss with 404.html, as the hosts in the README do.
const LIGHTHOUSE = { url: "2024/03/lighthouse-keeper-retires/", title: "Lighthouse keeper retires after forty years" };

let scratch: string;
let server: Awaited<ReturnType<typeof serveSite>>;
let browser: Browser;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-links-browser-"));
  await buildSite({ articlesDir: fixture("links"), outputDir: path.join(scratch, "site"), overrides: { basePath: "/news/" } });
  server = await serveSite(path.join(scratch, "site"), "/news/");
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** A page in a fresh context that fails the test if its scripts throw. */
async function withPage(options: Parameters<Browser["newContext"]>[0], use: (page: Page) => Promise<void>): Promise<void> {
  const context: BrowserContext = await browser.newContext(options);
  const errors: string[] = [];
  try {
    const page = await context.newPage();
    page.on("pageerror", (error) => errors.push(error.message));
    await use(page);
  } finally {
    await context.close();
  }
  expect(errors).toEqual([]);
}

describe("old addresses", () => {
  test.each([
    ["2024/03/12/lighthouse-keeper.html", LIGHTHOUSE],
    ["p/1042/", LIGHTHOUSE],
    ["old-news/lighthouse-story/", LIGHTHOUSE],
    ["p/1077/", { url: "2024/11/ferry-timetable-changes/", title: "Winter ferry timetable changes" }],
    ["topics/harbour-news/", { url: "topics/waterfront/", title: "Waterfront" }],
    ["sections/harbour/", { url: "topics/waterfront/", title: "Waterfront" }],
  ])("%s leads to the page it moved to", async (alias, target) => {
    await withPage({}, async (page) => {
      const response = await page.goto(server.url + alias);
      expect(response?.status()).toBe(200);
      await page.waitForURL(server.url + target.url);
      expect((await page.getByRole("heading", { level: 1 }).textContent())?.trim()).toBe(target.title);
    });
  });

  test("without script, the refresh still leads there", async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(`${server.url}p/1042/`);
      await page.waitForURL(server.url + LIGHTHOUSE.url);
      expect((await page.getByRole("heading", { level: 1 }).textContent())?.trim()).toBe(LIGHTHOUSE.title);
    });
  });
});

describe("the 404 page", () => {
  test("a misspelt article address offers the article, and the words in the search box", async () => {
    await withPage({}, async (page) => {
      const response = await page.goto(`${server.url}2024/03/lighthose-keper-retire/`);
      expect(response?.status()).toBe(404);
      const suggestions = page.getByRole("region", { name: "Were you looking for one of these?" });
      await suggestions.getByRole("link").first().waitFor();
      const links = await suggestions.getByRole("link").evaluateAll((anchors: HTMLAnchorElement[]) => anchors.map((a) => [a.textContent, a.href]));
      expect(links[0]).toEqual([LIGHTHOUSE.title, server.url + LIGHTHOUSE.url]);
      expect(await page.getByRole("status").textContent()).toBe("1 article matches the words of this address.");
      const box = page.getByRole("searchbox", { name: "Search the archive" });
      expect(await box.inputValue()).toBe("lighthose keper retire");

      // The box searches anew.
      await box.fill("ferry");
      await box.press("Enter");
      await page.waitForURL((url) => url.pathname === "/news/search/" && url.searchParams.get("q") === "ferry");
    });
  });

  test("an old slug with one right word still finds its article among the suggestions", async () => {
    await withPage({}, async (page) => {
      await page.goto(`${server.url}2025/02/fish-markt-reopens/`);
      const first = page.locator("#not-found-results a").first();
      await first.waitFor();
      expect(await first.textContent()).toBe("Fish market reopens on the quay");
    });
  });

  test("an address with no word of any article says so, and keeps the search box", async () => {
    await withPage({}, async (page) => {
      await page.goto(`${server.url}zzzq/qqqz.html`);
      const status = page.getByRole("status", { includeHidden: false });
      await expect.poll(() => status.textContent()).toContain("No article matches the words of this address (“zzzq qqqz”)");
      expect(await page.locator("#not-found-search").isHidden()).toBe(true);
      expect(await page.getByRole("searchbox", { name: "Search the archive" }).inputValue()).toBe("zzzq qqqz");
    });
  });

  test("without script, it offers the search box and the archive", async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      const response = await page.goto(`${server.url}2024/03/lighthose-keper-retire/`);
      expect(response?.status()).toBe(404);
      expect(await page.locator("#not-found-search").isHidden()).toBe(true);
      const box = page.getByRole("searchbox", { name: "Search the archive" });
      await box.fill("lighthouse");
      await box.press("Enter");
      await page.waitForURL((url) => url.pathname === "/news/search/" && url.searchParams.get("q") === "lighthouse");
      await page.goBack();
      await page.getByRole("main").getByRole("link", { name: "The archive, by year and month" }).click();
      await page.waitForURL(`${server.url}archive/`);
    });
  });
});

describe("corrections", () => {
  test("a correction listed on /corrections/ opens at that correction on its article", async () => {
    await withPage({}, async (page) => {
      await page.goto(`${server.url}corrections/`);
      await page.getByRole("main").getByRole("link", { name: LIGHTHOUSE.title }).first().click();
      await page.waitForURL(`${server.url}${LIGHTHOUSE.url}#correction-2024-04-02`);
      expect(await page.locator(":target").textContent()).toContain("The lighthouse is on Gull Point, not Gannet Point.");
    });
  });
});
