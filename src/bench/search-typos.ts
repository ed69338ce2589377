import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Article } from "../archive/archive.ts";
import { buildSite } from "../build.ts";
import { sitePath } from "../urls.ts";
import { launchChromium } from "./chromium.ts";
import { headlineQueries, serveGzipped } from "./static-host.ts";

// Whether search forgives a reader's typos: builds an archive, takes the rarest words of evenly
// spaced headlines, misspells each once (a letter changed, left out, added, or two swapped; in
// the first, a middle or the last letter, in turn), types the query into a fresh search page in
// Chromium and prints where the headline's article came (in the first 25), what the page corrected
// the query to, and the bytes fetched from pagefind/. With `--change forms` each word is put in
// another form instead (a plural made singular, a singular plural), with `--change none` typed as
// it is: whether a half-remembered headline ranks its article first. With `--list FILE` the
// queries are written by hand instead, one a line: the query, a tab, the article's file (its path
// in the archive, or its end), and optionally a tab and what kind of query it is; typed as written.
// Run: npm run bench:typos -- --articles DIR [--queries 10] [--words 2] [--change typo|forms|none] [--list FILE]
const { values } = parseArgs({
  options: {
    articles: { type: "string" },
    queries: { type: "string", default: "10" },
    typing: { type: "string", default: "80" },
    words: { type: "string", default: "2" },
    change: { type: "string", default: "typo" },
    list: { type: "string" },
  },
});
if (!values.articles) throw new Error("Name the archive to measure: npm run bench:typos -- --articles DIR");

/** Results shown at first; the issue asks for the article among them. */
const TOP = 5;

const outputDir = mkdtempSync(path.join(os.tmpdir(), "broadsheet-search-typos-"));
try {
  process.stderr.write(`Building ${values.articles} …\n`);
  const { site } = await buildSite({ articlesDir: values.articles, outputDir: path.join(outputDir, "site") });
  // Words of four letters or more, letters only: shorter ones are not corrected.
  const chosen = headlineQueries(site.archive.articles, Number(values.queries), Number(values.words), 4)
    .map(({ query, article }) => ({ words: query.split(" ").filter((word) => /^\p{L}+$/u.test(word)), article }))
    .filter(({ words }) => words.length > 0);
  let typo = 0;
  const change = { typo: (word: string) => misspell(word, typo++), forms: otherForm, none: (word: string) => word }[values.change!];
  if (!change) throw new Error(`--change ${values.change} is not one of typo, forms, none.`);
  const queries = values.list
    ? listedQueries(values.list, site.archive.articles)
    : chosen.map(({ words, article }) => ({ query: words.join(" "), typed: words.map(change).join(" "), article }));
  const host = await serveGzipped(path.join(outputDir, "site"), site.settings.basePath);
  const browser = await launchChromium();
  const rows: { query: string; typed: string; kind?: string; correction: string; rank: number | undefined; kB: number }[] = [];
  try {
    for (const { query, typed, article, kind } of queries as { query: string; typed: string; article: Article; kind?: string }[]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      host.sent.length = 0;
      await page.goto(`${host.url}search/`);
      await page.locator("#search:not([hidden])").waitFor();
      await page.getByRole("searchbox", { name: "Search the archive", exact: true }).pressSequentially(typed, { delay: Number(values.typing) });
      // Done when the page has searched for the whole query, and corrected it if it was to be. The
      // correction offers to search the query as typed: one of its first words alone, shown while
      // a slow page caught up with the typing, is not done.
      await page.waitForFunction(
        (typed) => {
          const status = document.getElementById("search-status")!.textContent!;
          const correction = document.getElementById("search-correction")!;
          const done = correction.hidden ? status.includes(`“${typed}”`) : correction.textContent!.includes(`“${typed}”`);
          return done && !document.getElementById("search-results")!.hasAttribute("aria-busy");
        },
        typed,
        { timeout: 60_000 },
      );
      await page.waitForLoadState("networkidle");
      const correction = (await page.locator("#search-correction").isVisible()) ? ((await page.locator("#search-correction .search-correction-shown").textContent()) ?? "") : "";
      const target = sitePath(site.settings, article.url);
      let rank: number | undefined;
      for (let shown = 0; rank === undefined && shown < 25; ) {
        const hrefs = await page.locator(".search-result-title a").evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).pathname));
        const at = hrefs.indexOf(target);
        if (at >= 0) rank = at + 1;
        if (hrefs.length === shown || !(await page.locator("#search-more").isVisible())) break;
        shown = hrefs.length;
        await page.locator("#search-more").click();
        await page.waitForFunction((count) => document.querySelectorAll(".search-result-title a").length > count, shown);
      }
      const kB = host.sent.filter((request) => request.path.includes("/pagefind/")).reduce((sum, request) => sum + request.bytes, 0) / 1000;
      rows.push({ query, typed, kind, correction: correction.replace(/^.*?“|”.*$/g, ""), rank, kB });
      await context.close();
    }
  } finally {
    await browser.close();
    await host.close();
  }
  console.log(`| ${values.list ? "kind | query" : "headline words | typed"} | read as | rank of the article | kB from pagefind/ (gzip) |`);
  console.log("|---|---|---|---:|---:|");
  for (const row of rows) console.log(`| ${values.list ? (row.kind ?? "") : row.query} | ${row.typed} | ${row.correction || "(not corrected)"} | ${row.rank ?? "not in the first 25"} | ${row.kB.toFixed(0)} |`);
  const inTop = rows.filter((row) => row.rank !== undefined && row.rank <= TOP).length;
  const kBs = rows.map((row) => row.kB).sort((a, b) => a - b);
  console.log(`\n${inTop} of ${rows.length} queries (${values.list ? path.basename(values.list) : values.change}) found their article in the first ${TOP}; a first search fetched a median of ${kBs[Math.floor(kBs.length / 2)]!.toFixed(0)} kB, most ${kBs.at(-1)!.toFixed(0)} kB.`);
} finally {
  rmSync(outputDir, { recursive: true, force: true });
}

/** The queries of a list written by hand (see above), each with the article it is meant to find. */
function listedQueries(file: string, articles: Article[]): { query: string; typed: string; article: Article; kind?: string }[] {
  const lines = readFileSync(file, "utf8").split("\n").filter((line) => line.trim() && !line.startsWith("#"));
  return lines.map((line, index) => {
    const [query, articleFile, kind] = line.split("\t").map((part) => part.trim());
    const article = articleFile ? articles.find((candidate) => candidate.relativePath === articleFile || candidate.relativePath.endsWith(`/${articleFile}`)) : undefined;
    if (!query || !article) throw new Error(`${file}:${index + 1}  "${line}" names no article of the archive. Write the query, a tab, then the article's file, e.g. "ferry fares\t2024/ferry-fares-rise.md".`);
    return { query, typed: query, article, kind };
  });
}

/**
 * `word` with one typo: the `n`th of a fixed round of kinds (a letter changed, left out, added,
 * two swapped) and places (first, middle, last letter). A four-letter word loses no letter: three
 * are too few to correct.
 */
function misspell(word: string, n: number): string {
  const letters = [...word];
  const place = [0, Math.floor(letters.length / 2), letters.length - 1][n % 3]!;
  const kind = ["change", "leave out", "add", "swap"][n % 4]!;
  const other = (letter: string) => (letter === "z" ? "a" : letter < "a" || letter > "y" ? "e" : String.fromCharCode(letter.charCodeAt(0) + 1));
  if (kind === "leave out" && letters.length > 4) letters.splice(place, 1);
  else if (kind === "add") letters.splice(place, 0, other(letters[place]!));
  else if (kind === "swap") {
    const at = Math.min(place, letters.length - 2);
    [letters[at], letters[at + 1]] = [letters[at + 1]!, letters[at]!];
    // Two same letters swapped are no typo: change one instead.
    if (letters[at] === letters[at + 1]) letters[at] = other(letters[at]!);
  } else letters[place] = other(letters[place]!);
  return letters.join("");
}

/** `word` in another form: a plural made singular, anything else made plural. */
function otherForm(word: string): string {
  if (/ies$/.test(word)) return word.replace(/ies$/, "y");
  if (/[^s]s$/.test(word)) return word.slice(0, -1);
  if (/[^aeiou]y$/.test(word)) return word.replace(/y$/, "ies");
  if (/(s|x|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}
