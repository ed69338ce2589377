import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadSite } from "../archive/load-site.ts";
import { sitePath } from "../urls.ts";
import { launchChromium } from "./chromium.ts";
import { writeSyntheticArchive } from "./synthetic.ts";
import { freePort } from "./proc.ts";

// How long an edit takes to reach the reader under `broadsheet serve`: copies an archive (or writes
// a synthetic one), serves it, opens its newest article in Chromium, then rewrites the article's
// headline several times, three seconds apart, and times each, from the file's write to the new
// headline on the page (the development server's live reload).
// Run: npm run bench:serve -- --count 10000 | --articles DIR [--edits 5]
const { values } = parseArgs({
  options: {
    count: { type: "string" },
    articles: { type: "string" },
    edits: { type: "string", default: "5" },
  },
});
if (!values.count && !values.articles) throw new Error("Name the archive to measure: npm run bench:serve -- --count 10000, or --articles DIR");

const PAUSE_BETWEEN_EDITS = 3000;
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const scratch = mkdtempSync(path.join(os.tmpdir(), "broadsheet-serve-edit-"));
const articlesDir = path.join(scratch, "articles");
let server: ChildProcess | undefined;
try {
  if (values.articles) cpSync(values.articles, articlesDir, { recursive: true });
  else writeSyntheticArchive(articlesDir, Number(values.count));
  const { site } = await loadSite({ articlesDir });
  if (!site) throw new Error(`${articlesDir} has errors; run broadsheet check on it.`);
  const article = site.archive.articles[0]!;

  const port = await freePort();
  const startedAt = performance.now();
  server = spawn(process.execPath, [path.join(ROOT, "bin/broadsheet.js"), "serve", "--articles", articlesDir, "--output", path.join(scratch, "site"), "--port", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    // Eleventy says where it serves on one stream or the other; everything else is passed on.
    for (const stream of [server!.stdout!, server!.stderr!]) {
      stream.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("Server at")) resolve();
        else process.stderr.write(chunk);
      });
    }
    server!.once("exit", (code) => reject(new Error(`broadsheet serve ended (exit code ${code}) before it served the site`)));
  });
  console.log(`${site.archive.articles.length.toLocaleString("en")} articles: first build and server ready after ${((performance.now() - startedAt) / 1000).toFixed(1)} s.`);

  const browser = await launchChromium();
  const page = await browser.newPage();
  await page.goto(`http://localhost:${port}${sitePath(site.settings, article.url)}`);
  const original = readFileSync(article.file, "utf8");
  const times: number[] = [];
  try {
    for (let edit = 1; edit <= Number(values.edits); edit++) {
      // A writer reads the page between saves; serve indexes for search in such pauses.
      await new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_EDITS));
      const headline = `Edited headline number ${edit}`;
      const edited = original.replace(/^title: .*$/m, `title: "${headline}"`);
      const written = performance.now();
      writeFileSync(article.file, edited);
      await page.locator("h1", { hasText: headline }).waitFor({ timeout: 120_000 });
      times.push(performance.now() - written);
      console.log(`edit ${edit}: the new headline showed after ${Math.round(times.at(-1)!)} ms`);
    }
  } finally {
    writeFileSync(article.file, original);
    await browser.close();
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`${times.length} edits: median ${Math.round(sorted[Math.floor(sorted.length / 2)]!)} ms, most ${Math.round(sorted.at(-1)!)} ms, from the file's write to the headline in Chromium.`);
} finally {
  server?.kill();
  rmSync(scratch, { recursive: true, force: true });
}
