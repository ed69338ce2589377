import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { listMarkdownFiles } from "../articles/load.ts";
import { ENTRY_FILE, type Entry } from "../search/pagefind-format.ts";
import { loadSettings, SETTINGS_FILE } from "../settings.ts";
import { memoryBytes } from "./proc.ts";

/** One build of the same articles by Hugo, then Pagefind's CLI over Hugo's output. */
export interface ReferenceTiming {
  /** Wall-clock milliseconds of `hugo`. */
  hugo: number;
  /** Wall-clock milliseconds of `pagefind --site`. */
  pagefind: number;
  total: number;
  /** HTML pages Hugo wrote, not counting the `page/1/` redirects its paginator adds. */
  pages: number;
  /** Pages Pagefind indexed: the articles Hugo published. */
  indexed: number;
  /** The larger of the two processes' peak resident memory; absent where /proc is not. */
  peakMB?: number;
  /** What Hugo and Pagefind wrote to stderr, one line each. */
  messages: string[];
}

/** Hugo or Pagefind exited with an error while building the comparison site. */
export class ReferenceBuildError extends Error {
  constructor(command: string, code: number | null, stderr: string, options?: { cause?: unknown }) {
    super(`${command} exited with ${code === null ? "a signal" : `code ${code}`} while building the comparison site:\n${stderr.trim()}`, options);
    this.name = "ReferenceBuildError";
  }
}

/** The `hugo` executable on PATH, or undefined when it is not installed. */
export function findHugo(): string | undefined {
  for (const folder of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(folder, "hugo");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/** `hugo version`'s first line: `hugo v0.111.3+extended linux/amd64 …`. */
export function hugoVersion(hugo = findHugo()): string | undefined {
  if (!hugo) return undefined;
  return spawnSync(hugo, ["version"], { encoding: "utf8" }).stdout.trim().split("\n")[0];
}

/** The Pagefind binary the `pagefind` npm package runs, so both builds use the same indexer. */
export function findPagefind(): string {
  const require = createRequire(import.meta.url);
  const platform = `${process.platform === "win32" ? "windows" : process.platform}-${os.arch()}`;
  for (const name of ["pagefind_extended", "pagefind"]) {
    try {
      return require.resolve(`@pagefind/${platform}/bin/${name}`);
    } catch {
      // Try the plain build.
    }
  }
  throw new Error(`No Pagefind binary for ${platform} in node_modules/@pagefind/. Run npm install.`);
}

/**
 * Builds the articles with Hugo (article, year, topic and author pages, feeds and sitemap, from
 * the plain layouts below), then indexes Hugo's output with Pagefind's CLI, and times each.
 * Writing the temporary Hugo site and copying the articles into it is setup and not timed.
 * Returns undefined when `hugo` is not installed.
 */
export async function timeHugoAndPagefind(articlesDir: string): Promise<ReferenceTiming | undefined> {
  const hugo = findHugo();
  if (!hugo) return undefined;
  const pagefind = findPagefind();
  const work = mkdtempSync(path.join(os.tmpdir(), "broadsheet-bench-hugo-"));
  try {
    const site = path.join(work, "site");
    const output = path.join(work, "public");
    await writeHugoSite(site, articlesDir, hugoVersion(hugo) ?? "");

    const built = await timeProcess(hugo, ["--quiet", "--source", site, "--destination", output]);
    if (built.code !== 0) throw new ReferenceBuildError("hugo", built.code, built.stderr);
    const indexed = await timeProcess(pagefind, ["--site", output, "--quiet"]);
    if (indexed.code !== 0) throw new ReferenceBuildError("pagefind", indexed.code, indexed.stderr);

    const peaks = [built.peakBytes, indexed.peakBytes].filter((bytes) => bytes > 0);
    return {
      hugo: built.milliseconds,
      pagefind: indexed.milliseconds,
      total: built.milliseconds + indexed.milliseconds,
      pages: countPages(output),
      indexed: indexedPages(output),
      peakMB: peaks.length > 0 ? Math.max(...peaks) / 1e6 : undefined,
      messages: [built.stderr, indexed.stderr].flatMap((text) => text.split("\n")).map((line) => line.trim()).filter(Boolean),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Writes a Hugo site whose content is the archive's Markdown files (the same ones Broadsheet
 * reads, so `broadsheet.yml` and hidden folders stay out). Hugo reads our YAML front matter as
 * it is, except that a taxonomy is read from one key only: `author`/`byline` become `authors`.
 */
async function writeHugoSite(site: string, articlesDir: string, version: string): Promise<void> {
  const { settings } = loadSettings(path.join(articlesDir, SETTINGS_FILE));
  const minor = Number(/v0\.(\d+)/.exec(version)?.[1] ?? 0);
  const config = [
    `baseURL = "http://localhost:8080/"`,
    `languageCode = ${JSON.stringify(settings.language)}`,
    `title = ${JSON.stringify(settings.title)}`,
    // Dates without an offset are read in the archive's zone, as Broadsheet reads them.
    `timeZone = ${JSON.stringify(settings.timeZone)}`,
    `cacheDir = ${JSON.stringify(path.join(site, "cache"))}`,
    // Listing and feed sizes as Broadsheet's; the keys were renamed in Hugo 0.114 and 0.128.
    minor >= 128 ? "" : `paginate = ${settings.pageSize}`,
    minor >= 114 ? "" : `rssLimit = ${settings.feedSize}`,
    "[taxonomies]",
    `  author = "authors"`,
    `  topic = "topics"`,
    minor >= 128 ? `[pagination]\n  pagerSize = ${settings.pageSize}` : "",
    minor >= 114 ? `[services.rss]\n  limit = ${settings.feedSize}` : "",
  ];
  mkdirSync(site, { recursive: true });
  writeFileSync(path.join(site, "hugo.toml"), `${config.filter(Boolean).join("\n")}\n`);
  for (const [name, text] of Object.entries(LAYOUTS)) {
    mkdirSync(path.dirname(path.join(site, "layouts", name)), { recursive: true });
    writeFileSync(path.join(site, "layouts", name), text);
  }
  for (const relative of await listMarkdownFiles(articlesDir)) {
    const target = path.join(site, "content", relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, renameAuthorKey(readFileSync(path.join(articlesDir, relative), "utf8")));
  }
}

/** Renames a top-level `author:` or `byline:` key in the front matter to `authors:`. */
function renameAuthorKey(text: string): string {
  const end = text.startsWith("---") ? text.indexOf("\n---", 3) : -1;
  if (end < 0) return text;
  return text.slice(0, end).replace(/^(?:author|byline):/gm, "authors:") + text.slice(end);
}

/**
 * A minimal theme: article pages show title, date, authors, topics and body, with the body and
 * the same filters Broadsheet gives Pagefind; home, year, topic and author pages list their
 * articles newest first, paginated; the topic and author indexes list every name. A year is
 * headed by its folder name: Hugo would title the section "2019s".
 */
const LAYOUTS: Record<string, string> = {
  "_default/baseof.html": `<!doctype html>
<html lang="{{ site.LanguageCode }}">
<head><meta charset="utf-8"><title>{{ if not .IsHome }}{{ cond (eq .Kind "section") .Section .Title }} – {{ end }}{{ site.Title }}</title></head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a> <a href="{{ "/topics/" | relURL }}">Topics</a> <a href="{{ "/authors/" | relURL }}">Authors</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
`,
  "_default/single.html": `{{ define "main" }}
<article data-pagefind-body>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 January 2006" }}</time>
<span data-pagefind-filter="year:{{ .Date.Year }}" data-pagefind-sort="date:{{ .Date.UTC.Format "2006-01-02T15:04:05Z" }}"></span>
{{ with .GetTerms "authors" }} by {{ range $i, $term := . }}{{ if $i }}, {{ end }}<a href="{{ .RelPermalink }}" data-pagefind-filter="author">{{ .LinkTitle }}</a>{{ end }}{{ end }}</p>
{{ with .GetTerms "topics" }}<ul>{{ range . }}<li><a href="{{ .RelPermalink }}" data-pagefind-filter="topic">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
{{ .Content }}
</article>
{{ end }}
`,
  "_default/list.html": `{{ define "main" }}
<h1>{{ cond (eq .Kind "section") .Section .Title }}</h1>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = site.RegularPages }}{{ end }}
{{ $pager := .Paginate $pages }}
<ol>{{ range $pager.Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2 January 2006" }}</time>{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}</li>{{ end }}
</ol>
<nav>{{ with $pager.Prev }}<a href="{{ .URL }}">Newer</a>{{ end }} {{ with $pager.Next }}<a href="{{ .URL }}">Older</a>{{ end }}</nav>
{{ end }}
`,
  "_default/terms.html": `{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>{{ end }}
</ul>
{{ end }}
`,
};

/** Runs a command to the end, timing it by the wall clock and polling its peak resident memory. */
function timeProcess(command: string, args: string[]): Promise<{ code: number | null; milliseconds: number; peakBytes: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    // VmHWM only rises, so a sample late in the run still holds the peak reached between samples.
    let peakBytes = 0;
    const sample = () => (peakBytes = Math.max(peakBytes, child.pid === undefined ? 0 : memoryBytes(child.pid, "VmHWM")));
    const timer = setInterval(sample, 20);
    child.on("error", (cause) => {
      clearInterval(timer);
      reject(new ReferenceBuildError(command, null, cause.message, { cause }));
    });
    child.on("exit", () => clearInterval(timer));
    child.on("close", (code) => resolve({ code, milliseconds: performance.now() - started, peakBytes, stderr }));
  });
}

function countPages(folder: string): number {
  let pages = 0;
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".html")) continue;
    if (entry.name === "index.html" && entry.parentPath.endsWith(`${path.sep}page${path.sep}1`)) continue;
    pages++;
  }
  return pages;
}

function indexedPages(output: string): number {
  const entry = path.join(output, "pagefind", ENTRY_FILE);
  if (!existsSync(entry)) return 0;
  const { languages } = JSON.parse(readFileSync(entry, "utf8")) as Entry;
  return Object.values(languages).reduce((sum, language) => sum + language.page_count, 0);
}
