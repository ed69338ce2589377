import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildSite, type BuildPhase } from "../build.ts";
import { findHugo, findPagefind, hugoVersion, timeHugoAndPagefind } from "./hugo.ts";
import { memoryBytes } from "./proc.ts";
import { launchChromium } from "./chromium.ts";
import { writeSyntheticArchive, writeSyntheticPictures } from "./synthetic.ts";

// Measures a full build (every page, feeds, sitemap, search index) and prints one table row per
// run, then the medians. When `hugo` is installed, Hugo + Pagefind's CLI builds the same articles
// after each run, and the ratio of each pair is printed. Run: npm run bench -- --count 10000 [--runs 3] | --articles DIR.
// With --images every synthetic article has a 2,400 × 1,600 JPEG lead picture: the first run
// starts with an empty picture cache, the next ones reuse it, each after a build of the same
// articles without their pictures (the ratio of the two is the cost of pictures once encoded), and
// the bytes of pictures a phone 390 px wide downloads for an article page are measured in
// Chromium. --picture-cache DIR keeps the cache there between invocations (not emptied).
const { values } = parseArgs({
  options: {
    count: { type: "string", default: "1000" },
    articles: { type: "string" },
    runs: { type: "string", default: "1" },
    images: { type: "boolean", default: false },
    incremental: { type: "boolean", default: false },
    "picture-cache": { type: "string" },
  },
});
const images = values.images;

const count = Number(values.count);
// The incremental bench changes its archive while it runs (and restores it after): an archive of its own.
const articlesDir = values.articles ?? path.join(os.tmpdir(), `broadsheet-bench-${count}${images ? "-images" : ""}${values.incremental ? "-incremental" : ""}`);
if (!values.articles && !existsSync(articlesDir)) {
  process.stderr.write(`Writing ${count.toLocaleString("en")} synthetic articles${images ? " with a 2,400 × 1,600 JPEG lead picture each" : ""} to ${articlesDir} …\n`);
  const pictures = writeSyntheticArchive(articlesDir, count, 1, { pictures: images });
  await writeSyntheticPictures(pictures);
}
// With --incremental: builds from the cache (nothing changed, one body, one new article) against
// builds from nothing, and the byte-for-byte comparison (src/bench/incremental.ts).
if (values.incremental) {
  const { benchIncremental } = await import("./incremental.ts");
  await benchIncremental(articlesDir, Number(values.runs));
  process.exit();
}
// The picture cache of these runs alone: emptied before the first, kept for the next.
const keptPictureCache = values["picture-cache"];
const pictureCache = keptPictureCache ? path.resolve(keptPictureCache) : path.join(os.tmpdir(), `broadsheet-bench-pictures-${process.pid}`);
if (!keptPictureCache) rmSync(pictureCache, { recursive: true, force: true });
const startsWarm = existsSync(pictureCache) && readdirSync(pictureCache).length > 0;
// The same articles without their pictures: what a build with the cache warm is compared with.
const textOnlyDir = images ? writeTextOnlyCopy(articlesDir) : undefined;
let phoneBytes: { page: string; pictures: number; bytes: number }[] = [];

interface Row {
  articles: number;
  load: number;
  render: number;
  search: number;
  write: number;
  total: number;
  pages: number;
  outputMB: number;
  indexMB: number;
  peakMB: number;
}

interface ReferenceRow {
  articles: number;
  hugo: number;
  pagefind: number;
  total: number;
  pages: number;
  peakMB: number;
}

// Broadsheet and Hugo + Pagefind take turns, so that a slow spell of the machine (timings here
// vary by 20 % and more) falls on both rather than on one.
const hugoInstalled = findHugo() !== undefined;
const rows: Row[] = [];
const textOnlyRows: (Row | undefined)[] = [];
const references: ReferenceRow[] = [];
const messages = new Set<string>();
for (let run = 0; run < Number(values.runs); run++) {
  // In turns, as with Hugo below: each warm build right after the build it is compared with.
  textOnlyRows.push(textOnlyDir && (run > 0 || startsWarm) ? await timeBroadsheet(textOnlyDir) : undefined);
  rows.push(await timeBroadsheet());
  if (!hugoInstalled) continue;
  process.stderr.write(`Building the same articles with Hugo + Pagefind (run ${run + 1} of ${values.runs}) …\n`);
  const timing = (await timeHugoAndPagefind(articlesDir))!;
  for (const message of timing.messages) messages.add(message);
  references.push({ articles: timing.indexed, hugo: timing.hugo, pagefind: timing.pagefind, total: timing.total, pages: timing.pages, peakMB: timing.peakMB ?? Number.NaN });
}

async function timeBroadsheet(folder = articlesDir): Promise<Row> {
  const outputDir = path.join(os.tmpdir(), `broadsheet-bench-out-${process.pid}`);
  const phases: Partial<Record<BuildPhase["name"], number>> = {};
  const memory = samplePeakMemory();
  const started = performance.now();
  // A clean build, as Hugo's is: the build cache (src/cache/) has a bench of its own, --incremental.
  const result = await buildSite({ articlesDir: folder, outputDir, pictureCache, cache: false, onPhase: (phase) => (phases[phase.name] = phase.milliseconds) });
  const total = performance.now() - started;
  const row = {
    articles: result.site.archive.articles.length,
    load: phases.load ?? 0,
    render: phases.render ?? 0,
    search: phases.search ?? 0,
    write: phases.write ?? 0,
    total,
    pages: result.pagesWritten,
    outputMB: folderBytes(outputDir) / 1e6,
    indexMB: folderBytes(path.join(outputDir, "pagefind")) / 1e6,
    peakMB: memory.stop() / 1e6,
  };
  if (images && folder !== textOnlyDir && phoneBytes.length === 0) phoneBytes = await measurePhoneBytes(outputDir, result.site.archive.articles.filter((article) => article.image).slice(0, 5).map((article) => article.url));
  rmSync(outputDir, { recursive: true, force: true });
  return row;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
console.log("| articles | load s | render s | search s (after render) | write s | total s | pages | output MB | index MB | peak memory MB |");
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
const print = (row: Row, label = "") =>
  console.log(
    `| ${row.articles.toLocaleString("en")}${label} | ${seconds(row.load)} | ${seconds(row.render)} | ${seconds(row.search)} | ${seconds(row.write)} | ${seconds(row.total)} | ${row.pages.toLocaleString("en")} | ${row.outputMB.toFixed(0)} | ${row.indexMB.toFixed(0)} | ${row.peakMB.toFixed(0)} |`,
  );
rows.forEach((row, run) => {
  const textOnly = textOnlyRows[run];
  if (textOnly) print(textOnly, " (the same articles without pictures)");
  print(row, images ? (run === 0 && !startsWarm ? " (empty picture cache)" : ` (picture cache warm${textOnly ? `: ${(row.total / textOnly.total).toFixed(2)}× the build without pictures` : ""})`) : "");
});
if (rows.length > 1 && !images) print(median(rows), " (median)");
const pictureRatios = rows.flatMap((row, run) => (textOnlyRows[run] ? [row.total / textOnlyRows[run]!.total] : [])).sort((a, b) => a - b);
if (pictureRatios.length > 0) {
  console.log(`\nWith the picture cache warm: ${pictureRatios[Math.floor(pictureRatios.length / 2)]!.toFixed(2)}× the build without pictures (median of ${pictureRatios.length}; ${pictureRatios.map((ratio) => ratio.toFixed(2)).join(", ")})`);
}
if (images) {
  console.log("\n| article page (390 px wide phone, device pixel ratio 3) | pictures | bytes of pictures |");
  console.log("|---|---:|---:|");
  for (const page of phoneBytes) console.log(`| ${page.page} | ${page.pictures} | ${page.bytes.toLocaleString("en")} |`);
  console.log(`\nEach synthetic lead picture is a ${(statSync(findFirstPicture(articlesDir)).size / 1e3).toFixed(0)} kB JPEG, 2,400 × 1,600.`);
}
if (!keptPictureCache) rmSync(pictureCache, { recursive: true, force: true });
console.log(`\n${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}. Peak memory is the most this process and Pagefind's held at once (resident).`);

if (!hugoInstalled) {
  console.log("\nThe comparison with Hugo + Pagefind was skipped because `hugo` is not installed (apt-get install -y hugo).");
} else {
  console.log("\n| articles (indexed) | hugo s | pagefind s | total s | pages | peak memory MB |");
  console.log("|---:|---:|---:|---:|---:|---:|");
  const printReference = (row: ReferenceRow, label = "") =>
    console.log(`| ${row.articles.toLocaleString("en")}${label} | ${seconds(row.hugo)} | ${seconds(row.pagefind)} | ${seconds(row.total)} | ${row.pages.toLocaleString("en")} | ${row.peakMB.toFixed(0)} |`);
  for (const row of references) printReference(row);
  if (references.length > 1) printReference(median(references), " (median)");
  const ratios = rows.map((row, run) => row.total / references[run]!.total).sort((a, b) => a - b);
  console.log(`\nBroadsheet / (Hugo + Pagefind): ${ratios[Math.floor(ratios.length / 2)]!.toFixed(2)}× the time (median of the runs' ratios${ratios.length > 1 ? `; ${ratios.map((ratio) => ratio.toFixed(2)).join(", ")}` : ""})`);
  console.log(`\n${hugoVersion()}, then ${path.relative(process.cwd(), findPagefind())} --site. Hugo writes article, year, topic and author pages, paginated, with its default feeds and sitemap; each is timed by the wall clock, one after the other, and peak memory is the larger of the two processes' (resident).`);
  if (messages.size > 0) console.log(`Hugo and Pagefind reported:\n${[...messages].slice(0, 20).map((message) => `  ${message}`).join("\n")}`);
}

function median<T extends Record<keyof T, number>>(all: T[]): T {
  const middle = <K extends keyof T>(key: K) => [...all].sort((a, b) => a[key] - b[key])[Math.floor(all.length / 2)]![key];
  return Object.fromEntries(Object.keys(all[0]!).map((key) => [key, middle(key as keyof T)])) as unknown as T;
}

function folderBytes(folder: string): number {
  let bytes = 0;
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) bytes += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return bytes;
}

/** Polls the resident memory of this process and its children (Pagefind) and keeps the peak. */
function samplePeakMemory(): { stop(): number } {
  let peak = 0;
  const sample = () => {
    const total = processTree(process.pid).reduce((sum, pid) => sum + memoryBytes(pid, "VmRSS"), 0);
    peak = Math.max(peak, total);
  };
  const timer = setInterval(sample, 100);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

function processTree(pid: number): number[] {
  const children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      if (text) children.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // The process ended between listing and reading.
  }
  return [pid, ...children.flatMap(processTree)];
}


/**
 * Opens article pages as a phone 390 px wide (device pixel ratio 3, as most phones have) and
 * adds up the bytes of every picture it downloads, scrolled to the end so that lazy ones load too.
 */
async function measurePhoneBytes(site: string, urls: string[]): Promise<{ page: string; pictures: number; bytes: number }[]> {
  const { createServer } = await import("node:http");
  const { readFile } = await import("node:fs/promises");
  const server = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    const file = path.join(site, pathname.endsWith("/") ? `${pathname}index.html` : pathname);
    try {
      const body = await readFile(file);
      const type = /\.html$/.test(file) ? "text/html" : /\.webp$/.test(file) ? "image/webp" : /\.jpe?g$/.test(file) ? "image/jpeg" : /\.css$/.test(file) ? "text/css" : /\.js$/.test(file) ? "text/javascript" : "application/octet-stream";
      response.writeHead(200, { "content-type": type, "content-length": body.length });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const browser = await launchChromium();
  const results: { page: string; pictures: number; bytes: number }[] = [];
  try {
    for (const url of urls) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      let bytes = 0;
      let pictures = 0;
      page.on("response", async (response) => {
        if (response.request().resourceType() !== "image") return;
        pictures++;
        bytes += (await response.body()).length;
      });
      await page.goto(`http://127.0.0.1:${port}${url}`, { waitUntil: "networkidle" });
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.waitForLoadState("networkidle");
      results.push({ page: url, pictures, bytes });
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  return results;
}

/**
 * Copies the Markdown of an archive with pictures beside it, leaving out each article's `image:`
 * (and so its picture): the same articles, once, in a folder next to it.
 */
function writeTextOnlyCopy(folder: string): string {
  const copy = `${folder}-without-pictures`;
  if (existsSync(copy)) return copy;
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(md|ya?ml)$/.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    const target = path.join(copy, path.relative(folder, file));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, readFileSync(file, "utf8").replace(/^image:\n(?: {2}.*\n)*/m, ""));
  }
  return copy;
}

function findFirstPicture(folder: string): string {
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) if (entry.isFile() && entry.name === "lead.jpg") return path.join(entry.parentPath, entry.name);
  throw new Error(`No lead.jpg under ${folder}`);
}
