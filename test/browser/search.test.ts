import { readFileSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite } from "../../src/build.ts";
import { compactBundle } from "../../src/search/compact-bundle.ts";
import { launchChromium, serveSite } from "../helpers/browser.ts";
import { fixture } from "../helpers/files.ts";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

// The search fixture: three ferry stories (2023, 2024, 2025), one heron story, and a draft about a zeppelin.
const SEARCH = fixture("search");
// Four older articles (2022), none about ferries or herons: with the search fixture's, an archive
// of two volumes of six.
const SEARCH_OLDER = fixture("search-older");
// The headlines fixture: two articles whose headlines hold "lighthouse keeper" (the longer one
// scored higher by Pagefind), two that mention the words more often in their bodies, four others.
const HEADLINES = fixture("headlines");

let scratch: string;
let browser: Browser;
const servers: { url: string; close(): Promise<void> }[] = [];
let site: string;
let archiveSite: string;
let smallFilesSite: string;
let volumesSite: string;
let headlinesSite: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-search-"));
  // Builds share Eleventy's module state, so they run one after another.
  // Indexed in shards of two articles, merged into one bundle, as a large archive's index is.
  await buildSite({ articlesDir: SEARCH, outputDir: path.join(scratch, "site"), pagesPerSearchShard: 2 });
  // In volumes of four articles, as a big archive's index is (the four oldest in the second).
  await buildSite({ articlesDir: SEARCH, outputDir: path.join(scratch, "archive-site"), overrides: { basePath: "/archive/", searchVolume: 4 } });
  // In volumes of six articles, counted from the oldest: the search fixture's six newest, then the rest.
  const volumesArchive = path.join(scratch, "volumes-archive");
  await cp(SEARCH, volumesArchive, { recursive: true });
  await cp(SEARCH_OLDER, volumesArchive, { recursive: true });
  await buildSite({ articlesDir: volumesArchive, outputDir: path.join(scratch, "volumes-site"), overrides: { searchVolume: 6 }, pagesPerSearchShard: 4 });
  // The fixture's index fits in one file; this copy has dozens, as a large archive's index has.
  await buildSite({ articlesDir: SEARCH, outputDir: path.join(scratch, "small-files-site") });
  await compactBundle(path.join(scratch, "small-files-site", "pagefind"), { locationsPerFile: 10 });
  await buildSite({ articlesDir: HEADLINES, outputDir: path.join(scratch, "headlines-site") });
  const plain = await serveSite(path.join(scratch, "site"));
  const archive = await serveSite(path.join(scratch, "archive-site"), "/archive/");
  const smallFiles = await serveSite(path.join(scratch, "small-files-site"));
  const volumes = await serveSite(path.join(scratch, "volumes-site"));
  const headlines = await serveSite(path.join(scratch, "headlines-site"));
  servers.push(plain, archive, smallFiles, volumes, headlines);
  headlinesSite = headlines.url;
  volumesSite = volumes.url;
  site = plain.url;
  archiveSite = archive.url;
  smallFilesSite = smallFiles.url;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((server) => server.close()));
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const scriptErrors = new WeakMap<Page, Error[]>();

async function openPage(url: string): Promise<Page> {
  const page = await browser.newPage();
  const errors: Error[] = [];
  scriptErrors.set(page, errors);
  page.on("pageerror", (error) => errors.push(error));
  await page.goto(url);
  return page;
}

/** Closes the page, failing the test if its scripts threw. */
async function closePage(page: Page): Promise<void> {
  await page.close();
  expect(scriptErrors.get(page)?.map((error) => error.message)).toEqual([]);
}

/** Waits until the live region announces `text`; results are in place by then. */
async function statusSays(page: Page, text: string | RegExp): Promise<string> {
  const status = page.locator("#search-status", { hasText: text });
  await status.waitFor();
  return (await status.textContent()) ?? "";
}

function resultTitles(page: Page): Promise<string[]> {
  return page.locator(".search-result-title a").allTextContents();
}

async function typeQuery(page: Page, query: string): Promise<void> {
  await page.getByRole("searchbox", { name: "Search the archive", exact: true }).fill(query);
}

describe("the search page", () => {
  test("a query finds the article about it first, as the reader types", async () => {
    const page = await openPage(`${site}search/`);
    await typeQuery(page, "herons");
    expect(await statusSays(page, "for “herons”")).toBe("1 result for “herons”.");
    expect(await resultTitles(page)).toEqual(["Wetland reserve counts rare herons"]);
    const result = page.locator(".search-result").first();
    expect(await result.locator("time").getAttribute("datetime")).toBe("2023-05-12");
    expect(await result.locator(".search-result-meta").textContent()).toContain("By Mary Somerville");
    expect(await result.locator(".search-result-excerpt mark").first().textContent()).toMatch(/herons/i);
    expect(new URL(page.url()).search).toBe("?q=herons");
    await closePage(page);
  });

  test("a topic filter narrows the results, and the address keeps it", async () => {
    const page = await openPage(`${site}search/`);
    await typeQuery(page, "ferry");
    expect(await statusSays(page, "for “ferry”")).toBe("3 results for “ferry”.");
    await page.getByText("Narrow the results").click();
    const environment = page.getByRole("group", { name: "Topic" }).getByLabel(/^Environment/);
    expect(await page.getByRole("group", { name: "Topic" }).locator("label", { hasText: "Environment" }).textContent()).toBe("Environment (1)");
    await environment.check();
    expect(await statusSays(page, "with the chosen filters")).toBe("1 result for “ferry” with the chosen filters.");
    expect(await resultTitles(page)).toEqual(["Harbour pier repaired after the storm"]);
    expect(new URL(page.url()).search).toBe("?q=ferry&topic=Environment");
    await closePage(page);
  });

  test("values in one group are alternatives, and filters alone list articles newest first", async () => {
    const page = await openPage(`${site}search/?topic=Money&topic=Environment`);
    expect(await statusSays(page, "match the chosen filters")).toBe("5 articles match the chosen filters, newest first.");
    expect(await resultTitles(page)).toEqual([
      "Budget freezes parking charges",
      "Ferry fares rise for the summer",
      "Allotment waiting list passes a thousand",
      "Harbour pier repaired after the storm",
      "Wetland reserve counts rare herons",
    ]);
    const label = (group: string, value: string) => page.getByRole("group", { name: group }).locator("label", { hasText: value }).textContent();
    expect(await label("Year", "2024")).toBe("2024 (2)");
    await page.getByRole("group", { name: "Year" }).getByLabel(/^2024/).check();
    expect(await statusSays(page, "2 articles")).toBe("2 articles match the chosen filters, newest first.");
    // A group's counts say what each value would add, not what overlaps the values already ticked.
    expect(await label("Topic", "Culture")).toBe("Culture (1)");
    expect(new URL(page.url()).searchParams.getAll("year")).toEqual(["2024"]);
    await closePage(page);
  });

  test("newest first orders the results by date", async () => {
    const page = await openPage(`${site}search/?q=ferry`);
    await statusSays(page, "3 results for “ferry”.");
    await page.getByLabel("Sort").selectOption({ label: "Newest first" });
    expect(await statusSays(page, "newest first")).toBe("3 results for “ferry”, newest first.");
    expect(await resultTitles(page)).toEqual(["Night ferry returns to the island route", "Ferry fares rise for the summer", "Harbour pier repaired after the storm"]);
    expect(new URL(page.url()).search).toBe("?q=ferry&sort=newest");
    await closePage(page);
  });

  test("a search that finds nothing says so plainly, with a hint", async () => {
    const page = await openPage(`${site}search/?q=xylophone`);
    expect(await statusSays(page, "No results")).toBe("No results for “xylophone”. Check the spelling, try fewer or different words.");
    expect(await page.locator(".search-result").count()).toBe(0);
    await closePage(page);
  });

  test("drafts are never found", async () => {
    const page = await openPage(`${site}search/?q=zeppelin`);
    await statusSays(page, "No results for “zeppelin”");
    await closePage(page);
  });

  test("an address with a query and filters opens with its results", async () => {
    const page = await openPage(`${site}search/?q=ferry&topic=Transport&year=2025&sort=newest`);
    expect(await statusSays(page, "for “ferry”")).toBe("1 result for “ferry” with the chosen filters, newest first.");
    expect(await resultTitles(page)).toEqual(["Night ferry returns to the island route"]);
    expect(await page.getByRole("searchbox", { name: "Search the archive", exact: true }).inputValue()).toBe("ferry");
    expect(await page.getByLabel("Sort").inputValue()).toBe("newest");
    expect(await page.getByRole("group", { name: "Topic" }).getByLabel(/^Transport/).isChecked()).toBe(true);
    await closePage(page);
  });
});

describe("headlines first", () => {
  test("articles whose headline holds every word come first, the shorter headline first, then those that mention the words", async () => {
    const page = await openPage(`${headlinesSite}search/`);
    await typeQuery(page, "lighthouse keeper");
    await statusSays(page, "4 results for “lighthouse keeper”.");
    // Pagefind scores the longer headline higher (its short body repeats the words); the two below
    // each say "keeper" or "lighthouse keeper" more often than either headline's article.
    expect(await resultTitles(page)).toEqual([
      "Lighthouse keeper retires",
      "Lighthouse keeper retires after forty years on the rock, and the town says goodbye",
      "Lighthouse museum opens a new exhibition",
      "Coastal walks for the summer",
    ]);
    // In quotation marks, the same headlines come first.
    await typeQuery(page, '"lighthouse keeper"');
    await statusSays(page, "for “\"lighthouse keeper\"”.");
    expect((await resultTitles(page)).slice(0, 2)).toEqual(["Lighthouse keeper retires", "Lighthouse keeper retires after forty years on the rock, and the town says goodbye"]);
    await closePage(page);
  });

  test("newest first is still by date alone", async () => {
    const page = await openPage(`${headlinesSite}search/?q=lighthouse+keeper&sort=newest`);
    await statusSays(page, "4 results for “lighthouse keeper”, newest first.");
    expect(await resultTitles(page)).toEqual([
      "Coastal walks for the summer",
      "Lighthouse keeper retires",
      "Lighthouse museum opens a new exhibition",
      "Lighthouse keeper retires after forty years on the rock, and the town says goodbye",
    ]);
    await closePage(page);
  });
});

describe("a search that forgives", () => {
  test("a misspelt word is read as the closest word the archive has, with a link to search for it as typed", async () => {
    const page = await openPage(`${site}search/`);
    const fetched = fetchesUnder(page, "/pagefind/vocabulary/");
    // The space after it finishes the word.
    await typeQuery(page, "herosn ");
    expect(await statusSays(page, "for “herons”")).toBe("1 result for “herons”.");
    expect(await page.locator("#search-correction").textContent()).toBe("Showing results for “herons”. Search instead for “herosn”");
    expect(await resultTitles(page)).toEqual(["Wetland reserve counts rare herons"]);
    // The headline marks the word found, as the excerpt does.
    expect(await page.locator(".search-result-title mark").allTextContents()).toEqual(["herons"]);
    expect(fetched).toEqual(["/pagefind/vocabulary/6.txt.gz"]);
    await page.getByRole("link", { name: "“herosn”" }).click();
    expect(await statusSays(page, "No results")).toBe("No results for “herosn”. Check the spelling, try fewer or different words.");
    expect(await page.locator("#search-correction").isVisible()).toBe(false);
    expect(new URL(page.url()).search).toBe("?q=herosn&spelling=as-typed");
    await closePage(page);
  });

  test("a typo in a word's first letter, among words spelt right, is corrected too, and an address reads as finished", async () => {
    const page = await openPage(`${site}search/?q=${encodeURIComponent("jarbour pier")}`);
    expect(await statusSays(page, "for “harbour pier”")).toBe("1 result for “harbour pier”.");
    expect(await resultTitles(page)).toEqual(["Harbour pier repaired after the storm"]);
    expect(await page.locator(".search-result-title mark").allTextContents()).toEqual(["Harbour", "pier"]);
    await closePage(page);
  });

  test("a search whose words each find a page of articles fetches no word list", async () => {
    const page = await openPage(`${site}search/`);
    const fetched = fetchesUnder(page, "/pagefind/vocabulary/");
    await typeQuery(page, "the ");
    await statusSays(page, "8 results for “the”.");
    await page.waitForLoadState("networkidle");
    expect(fetched).toEqual([]);
    expect(await page.locator("#search-correction").isVisible()).toBe(false);
    await closePage(page);
  });

  test("words in quotation marks are found together and in that order", async () => {
    const page = await openPage(`${site}search/`);
    await typeQuery(page, '"night ferry"');
    expect(await statusSays(page, "for “\"night")).toBe("1 result for “\"night ferry\"”.");
    expect(await resultTitles(page)).toEqual(["Night ferry returns to the island route"]);
    await typeQuery(page, '"ferry night"');
    expect(await statusSays(page, "No results")).toBe("No results for “\"ferry night\"”. Check the spelling, try fewer or different words.");
    // A phrase with other words: the articles that have both.
    await typeQuery(page, 'storm "harbour pier"');
    expect(await statusSays(page, "for “storm")).toBe("1 result for “storm \"harbour pier\"”.");
    expect(await resultTitles(page)).toEqual(["Harbour pier repaired after the storm"]);
    await closePage(page);
  });

  test("a word after a minus sign leaves out the articles that have it", async () => {
    const page = await openPage(`${site}search/`);
    await typeQuery(page, "ferry -night");
    expect(await statusSays(page, "for “ferry -night”")).toBe("2 results for “ferry -night”.");
    expect(await resultTitles(page)).toEqual(["Ferry fares rise for the summer", "Harbour pier repaired after the storm"]);
    await typeQuery(page, '"ferry fares" -summer');
    expect(await statusSays(page, "No results")).toContain("No results for “\"ferry fares\" -summer”");
    await closePage(page);
  });

  test("the help text tells readers about phrases, exclusions, spelling and keys", async () => {
    const page = await openPage(`${site}search/`);
    await page.getByText("Search tips").click();
    const help = await page.locator(".search-help li").allTextContents();
    expect(help.join("\n")).toMatch(/quotation marks[\s\S]*minus sign[\s\S]*as you typed it[\s\S]*Press \//);
    await closePage(page);
  });
});

describe("the keyboard", () => {
  test("/ goes to the search box from any page, but types a slash in a field", async () => {
    const page = await openPage(`${site}2024/06/ferry-fares-rise/`);
    await page.locator("body").press("/");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("site-search");
    await page.keyboard.type("a/b");
    expect(await page.locator("#site-search").inputValue()).toBe("a/b");
    await closePage(page);
  });

  test("the arrow keys move from the search box through the results and back", async () => {
    const page = await openPage(`${site}search/?q=ferry`);
    await statusSays(page, "3 results");
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? document.activeElement?.id);
    await page.keyboard.press("/");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("search-query");
    await page.keyboard.press("ArrowDown");
    expect(await focused()).toBe("Ferry fares rise for the summer");
    await page.keyboard.press("ArrowDown");
    expect(await focused()).toBe("Night ferry returns to the island route");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("search-query");
    await closePage(page);
  });
});

describe("an index in volumes, newest first", () => {
  test("a search looks in the newest volume alone, and in every volume when the reader asks", async () => {
    const page = await openPage(`${volumesSite}search/`);
    const fetched = fetchesUnder(page, "/pagefind/volumes/");
    await typeQuery(page, "the");
    expect(await statusSays(page, "for “the”")).toBe("6 results for “the” in the 6 newest articles, since February 14, 2024.");
    expect(fetched).toEqual([]);
    await page.getByRole("button", { name: "Search all 12 articles" }).click();
    expect(await statusSays(page, "12 results")).toBe("12 results for “the”.");
    expect(fetched).not.toEqual([]);
    expect(await page.getByRole("button", { name: "Search all 12 articles" }).isVisible()).toBe(false);
    // Keyboard readers carry on from the first result.
    expect(await page.evaluate(() => document.activeElement?.closest(".search-result") !== null)).toBe(true);
    expect(new URL(page.url()).search).toBe("?q=the&scope=all");
    await closePage(page);
  });

  test("a search the newest volume answers with less than a page of results looks in every volume", async () => {
    const page = await openPage(`${volumesSite}search/?q=ferry&sort=newest`);
    expect(await statusSays(page, "for “ferry”")).toBe("3 results for “ferry”, newest first.");
    // Pages are numbered across the volumes from the oldest, so newest first holds across them.
    expect(await resultTitles(page)).toEqual(["Night ferry returns to the island route", "Ferry fares rise for the summer", "Harbour pier repaired after the storm"]);
    expect(new URL(page.url()).search).toBe("?q=ferry&sort=newest&scope=all");
    await typeQuery(page, "herons");
    expect(await statusSays(page, "for “herons”")).toBe("1 result for “herons”, newest first.");
    await closePage(page);
  });

  test("filters list and count the whole archive's values", async () => {
    const page = await openPage(`${volumesSite}search/?topic=Money&topic=Environment`);
    expect(await statusSays(page, "match the chosen filters")).toBe("5 articles match the chosen filters, newest first.");
    expect(await page.getByRole("group", { name: "Year" }).locator("label", { hasText: "2023" }).textContent()).toBe("2023 (2)");
    await closePage(page);
  });

  test("an address that asks for every volume opens with the whole archive's results", async () => {
    const page = await openPage(`${volumesSite}search/?q=the&scope=all`);
    expect(await statusSays(page, "for “the”")).toBe("12 results for “the”.");
    await closePage(page);
  });
});

describe("a word index cut into many files", () => {
  test("finds what one file finds, for whole words, words being typed, several words and filters", async () => {
    const searches = ["herons", "ferry", "fer", "her", "ferry island", "harbour stor", "ferry&topic=Transport&sort=newest", "xylophone"];
    for (const search of searches) {
      const found: string[][] = [];
      for (const url of [site, smallFilesSite]) {
        const page = await openPage(`${url}search/?q=${search}`);
        await statusSays(page, /result/);
        found.push(await resultTitles(page));
        await closePage(page);
      }
      expect(found[0]!.length > 0, search).toBe(search !== "xylophone");
      expect(found[1], search).toEqual(found[0]);
    }
  });
});

describe("the search page for every reader", () => {
  test("the search box and the filters work from the keyboard alone", async () => {
    const page = await openPage(`${site}search/`);
    const box = page.getByRole("searchbox", { name: "Search the archive", exact: true });
    await box.focus();
    await page.keyboard.type("ferry");
    await page.keyboard.press("Enter");
    await statusSays(page, "3 results for “ferry”.");
    await page.keyboard.press("Tab"); // the Search button
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Search tips");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("search-sort");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Narrow the results");
    await page.keyboard.press("Enter");
    await page.getByRole("group", { name: "Topic" }).waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("value"))).toBe("Transport");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("value"))).toBe("Environment");
    await page.keyboard.press("Space");
    expect(await statusSays(page, "with the chosen filters")).toBe("1 result for “ferry” with the chosen filters.");
    expect(await resultTitles(page)).toEqual(["Harbour pier repaired after the storm"]);
    await closePage(page);
  });

  test("a reader who only types a query fetches no filter data; opening the filters fetches it", async () => {
    const page = await openPage(`${site}search/`);
    const fetched: string[] = [];
    page.on("request", (request) => fetched.push(new URL(request.url()).pathname));
    await typeQuery(page, "ferry");
    await statusSays(page, "3 results for “ferry”.");
    expect(fetched.filter((file) => file.includes("/pagefind/index/"))).not.toEqual([]);
    expect(fetched.filter((file) => file.includes("/pagefind/filter/"))).toEqual([]);
    await page.getByText("Narrow the results").click();
    expect(await page.getByRole("group", { name: "Topic" }).locator("label", { hasText: "Transport" }).textContent()).toBe("Transport (3)");
    expect(fetched.filter((file) => file.includes("/pagefind/filter/"))).not.toEqual([]);
    await closePage(page);
  });

  test("when the filters cannot be fetched, the page says so and searching goes on", async () => {
    const context = await browser.newContext();
    await context.route("**/pagefind/filter/**", (route) => route.abort());
    const page = await context.newPage();
    const errors: Error[] = [];
    page.on("pageerror", (error) => errors.push(error));
    await page.goto(`${site}search/`);
    await page.getByText("Narrow the results").click();
    await page.getByText("The filters could not be loaded. Reload the page to try again.").waitFor();
    await typeQuery(page, "ferry");
    expect(await statusSays(page, "for “ferry”")).toBe("3 results for “ferry”.");
    expect(errors).toEqual([]);
    await context.close();
  });

  test("on a narrow screen the filters fold away above the results until opened", async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(`${site}search/?q=ferry`);
    await statusSays(page, "3 results for “ferry”.");
    const transport = page.getByRole("group", { name: "Topic" }).getByLabel(/^Transport/);
    expect(await transport.isVisible()).toBe(false);
    await page.getByText("Narrow the results").click();
    await transport.check();
    expect(await statusSays(page, "with the chosen filters")).toBe("3 results for “ferry” with the chosen filters.");
    await page.close();
  });

  for (const colorScheme of ["light", "dark"] as const) {
    test(`results, filters and the no-results message pass axe's WCAG 2.2 AA checks in ${colorScheme} mode`, async () => {
      const page = await browser.newPage({ colorScheme });
      // The last in volumes, with its button to search every volume showing.
      for (const address of [`${site}search/?q=ferry&topic=Transport&sort=newest`, `${site}search/?q=xylophone`, `${volumesSite}search/?q=the`]) {
        await page.goto(address);
        await statusSays(page, /results? for/);
        await page.addScriptTag({ content: AXE_SOURCE });
        const violations = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: typeof import("axe-core") }).axe;
          const results = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } });
          return results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
        });
        expect(violations, address).toEqual([]);
      }
      await page.close();
    });
  }
});

describe("search under a base path", () => {
  test("results link into the base path, and the article highlights the searched word", async () => {
    const page = await openPage(`${archiveSite}search/?q=herons`);
    expect(await statusSays(page, "for “herons”")).toBe("1 result for “herons”.");
    const link = page.locator(".search-result-title a").first();
    expect(await link.getAttribute("href")).toBe("/archive/2023/05/wetland-herons/?pagefind-highlight=herons");
    await link.click();
    await page.waitForURL(/\/archive\/2023\/05\/wetland-herons\//);
    expect(await page.locator("h1").textContent()).toBe("Wetland reserve counts rare herons");
    await page.locator("mark.pagefind-highlight").first().waitFor();
    expect(await page.locator("mark.pagefind-highlight").allTextContents()).toContain("herons");
    await closePage(page);
  });

  test("the header's search form leads to results under the base path", async () => {
    const page = await openPage(archiveSite);
    await page.getByRole("search").first().getByRole("searchbox").fill("ferry");
    await page.getByRole("search").first().getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\/archive\/search\/\?q=ferry/);
    expect(await statusSays(page, "for “ferry”")).toBe("3 results for “ferry”.");
    await closePage(page);
  });
});

/** The files under `folder` (the word lists, an older volume) the page fetches from now on. */
function fetchesUnder(page: Page, folder: string): string[] {
  const fetched: string[] = [];
  page.on("request", (request) => {
    const file = new URL(request.url()).pathname;
    if (file.startsWith(folder)) fetched.push(file);
  });
  return fetched;
}
