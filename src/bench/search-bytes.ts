import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Article } from "../archive/archive.ts";
import { buildSite } from "../build.ts";
import { sitePath } from "../urls.ts";
import { launchChromium } from "./chromium.ts";
import { headlineQueries, serveGzipped } from "./static-host.ts";

// What a reader's first search costs: builds an archive, serves it gzipped as a static host would,
// and in Chromium types the distinctive words of some headlines into a fresh search page. For each
// query it prints the bytes fetched from pagefind/ and whether the headline's article came first.
// When the index is in volumes and the first search looked in the newest alone, it then asks for
// every volume, as a reader would who did not find the article, and prints what that added.
// Run: npm run bench:search -- --articles DIR [--queries 10] [--words 3] [--verbose]
// --verbose lists, after each query's row, every file it fetched from pagefind/ with its bytes, and
// the queries the page searched while it was typed (read from the address, which the page keeps in step).
const { values } = parseArgs({
  options: {
    articles: { type: "string" },
    queries: { type: "string", default: "10" },
    // Milliseconds between keystrokes; a brisk typist.
    typing: { type: "string", default: "80" },
    words: { type: "string", default: "3" },
    verbose: { type: "boolean", default: false },
  },
});
if (!values.articles) throw new Error("Name the archive to measure: npm run bench:search -- --articles DIR");

const outputDir = mkdtempSync(path.join(os.tmpdir(), "broadsheet-search-bytes-"));
try {
  process.stderr.write(`Building ${values.articles} …\n`);
  const { site } = await buildSite({ articlesDir: values.articles, outputDir: path.join(outputDir, "site") });
  const chosen = headlineQueries(site.archive.articles, Number(values.queries), Number(values.words));
  const host = await serveGzipped(path.join(outputDir, "site"), site.settings.basePath);
  const browser = await launchChromium();
  const rows: { query: string; kB: number; requests: number; everywhere: boolean; first: boolean; fetched: string[]; searched: string[]; widened?: { kB: number; first: boolean } }[] = [];
  const pagefindBytes = () => host.sent.filter((request) => request.path.includes("/pagefind/")).reduce((sum, request) => sum + request.bytes, 0) / 1000;
  const firstIsArticle = async (page: import("playwright-core").Page, article: Article) => {
    const firstUrl = await page.locator(".search-result-title a").first().getAttribute("href");
    return firstUrl !== null && new URL(firstUrl, host.url).pathname === sitePath(site.settings, article.url);
  };
  try {
    for (const { query, article } of chosen) {
      // A fresh context is a reader with an empty cache.
      const context = await browser.newContext();
      const page = await context.newPage();
      if (values.verbose) {
        await page.addInitScript(() => {
          const searched: string[] = [];
          (window as unknown as { searched: string[] }).searched = searched;
          const replaceState = history.replaceState.bind(history);
          history.replaceState = (data, unused, url) => {
            searched.push(`${Math.round(performance.now())} ms: ${new URL(String(url), location.href).searchParams.get("q") ?? ""}`);
            replaceState(data, unused, url);
          };
        });
      }
      host.sent.length = 0;
      await page.goto(`${host.url}search/`);
      await page.locator("#search:not([hidden])").waitFor();
      await page.getByRole("searchbox", { name: "Search the archive", exact: true }).pressSequentially(query, { delay: Number(values.typing) });
      // The status for the whole query, not for a search on its first words while they were typed.
      await page.locator("#search-status", { hasText: `for “${query}”` }).waitFor({ timeout: 60_000 });
      // Late fetches (a preload still in flight) are counted too.
      await page.waitForLoadState("networkidle");
      const row: (typeof rows)[number] = {
        query,
        kB: pagefindBytes(),
        requests: host.sent.filter((request) => request.path.includes("/pagefind/")).length,
        everywhere: !(await page.locator("#search-everything").isVisible()),
        first: await firstIsArticle(page, article),
        searched: values.verbose ? await page.evaluate(() => (window as unknown as { searched: string[] }).searched) : [],
        fetched: host.sent.filter((request) => request.path.includes("/pagefind/")).map((request) => `${(request.bytes / 1000).toFixed(1).padStart(6)} kB  ${request.path.slice(request.path.indexOf("/pagefind/") + 1)}`),
      };
      if (!row.everywhere) {
        await page.locator("#search-everything").click();
        await page.locator("#search-everything").waitFor({ state: "hidden" });
        await page.locator("#search-status", { hasText: `for “${query}”.` }).waitFor({ timeout: 60_000 });
        await page.waitForLoadState("networkidle");
        row.widened = { kB: pagefindBytes() - row.kB, first: await firstIsArticle(page, article) };
      }
      rows.push(row);
      await context.close();
    }
  } finally {
    await browser.close();
    await host.close();
  }
  const yes = (first: boolean) => (first ? "yes" : "**no**");
  console.log("| query | kB from pagefind/ (gzip) | requests | searched | article first | then every volume: kB more | article first |");
  console.log("|---|---:|---:|---|:---:|---:|:---:|");
  for (const row of rows) {
    const widened = row.widened ? `${row.widened.kB.toFixed(0)} | ${yes(row.widened.first)}` : "| ";
    console.log(`| ${row.query} | ${row.kB.toFixed(0)} | ${row.requests} | ${row.everywhere ? "every volume" : "newest volume"} | ${yes(row.first)} | ${widened} |`);
  }
  if (values.verbose) {
    for (const row of rows) console.log(`\n${row.query}: ${row.requests} files, ${row.kB.toFixed(0)} kB, in the order fetched\n${row.fetched.join("\n")}\nsearched: ${row.searched.join(" | ")}`);
  }
  const sorted = rows.map((row) => row.kB).sort((a, b) => a - b);
  console.log(
    `\n${rows.length} queries: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} kB, most ${sorted.at(-1)!.toFixed(0)} kB; ` +
      `${rows.filter((row) => row.first).length} of ${rows.length} found their article first. ` +
      `Bytes are the gzipped bodies the server sent for the requests Chromium made, the search page's own HTML, CSS and script not included.`,
  );
  const widened = rows.flatMap((row) => (row.widened ? [row.widened] : []));
  if (widened.length > 0) {
    const more = widened.map((row) => row.kB).sort((a, b) => a - b);
    console.log(
      `${widened.length} first searches looked in the newest volume alone; asked for every volume, they fetched a median of ${more[Math.floor(more.length / 2)]!.toFixed(0)} kB more ` +
        `(most ${more.at(-1)!.toFixed(0)} kB), and ${widened.filter((row) => row.first).length} of ${widened.length} then found their article first.`,
    );
  }
} finally {
  rmSync(outputDir, { recursive: true, force: true });
}
