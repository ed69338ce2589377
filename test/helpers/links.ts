import { existsSync, statSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/** A link in a built page that a reader following it would not reach. */
export interface BrokenLink {
  /** The page holding the link, relative to the output folder: `2024/01/foo/index.html`. */
  page: string;
  /** The attribute as written: `href`, `src` or `action`. */
  attribute: string;
  link: string;
  reason: string;
}

export interface LinkCheckOptions {
  /** The folder the site is served from; the output folder's root is served at this path. Default `/`. */
  basePath?: string;
  /** Absolute links to this origin (`https://news.example.org`) are checked too, as canonical and feed links are. */
  origin?: string;
  /** Check that `#fragment` targets exist as an `id` (or `<a name>`) in the target page. Default true. */
  fragments?: boolean;
}

/**
 * The "zero broken internal links" checker: reads every HTML file under `outputDir`, collects
 * each `href`, `src` and `action`, and checks that every link into the site names a file that
 * was written (and, for `#fragment`, an element in it). A URL ending in `/` needs its
 * `index.html`; one without must name a file exactly, since hosts differ in how they redirect.
 * Returns the broken links, sorted; an empty list means every internal link works.
 */
export async function findBrokenLinks(outputDir: string, options: LinkCheckOptions = {}): Promise<BrokenLink[]> {
  const basePath = options.basePath ?? "/";
  const checkFragments = options.fragments ?? true;
  const pages = (await listFiles(outputDir)).filter((file) => file.endsWith(".html"));
  const parsed = new Map<string, ParsedPage>();
  for (const page of pages) parsed.set(page, parseHtml(await readFile(path.join(outputDir, page), "utf8")));

  const broken: BrokenLink[] = [];
  for (const page of pages) {
    const pageUrl = new URL(basePath + (page.endsWith("index.html") ? page.slice(0, -"index.html".length) : page), "http://site.invalid");
    for (const { attribute, value } of parsed.get(page)!.links) {
      const report = (reason: string) => broken.push({ page, attribute, link: value, reason });
      const target = internalTarget(value, pageUrl, options.origin);
      if (target === undefined) continue;
      if (!target.pathname.startsWith(basePath)) {
        report(`is outside the base path ${basePath}`);
        continue;
      }
      let relative: string;
      try {
        relative = decodeURIComponent(target.pathname.slice(basePath.length));
      } catch {
        report("is not a valid URL path");
        continue;
      }
      const file = relative === "" || relative.endsWith("/") ? `${relative}index.html` : relative;
      const absolute = path.join(outputDir, file);
      if (!existsSync(absolute) || !statSync(absolute).isFile()) {
        report(`leads to ${file}, which was not written`);
        continue;
      }
      const fragment = target.hash.slice(1);
      if (!checkFragments || fragment === "" || !file.endsWith(".html")) continue;
      const ids = (parsed.get(file) ?? parseHtml(await readFile(absolute, "utf8"))).ids;
      if (!ids.has(decodeSafely(fragment))) report(`leads to ${file}, which has no element with id "${fragment}"`);
    }
  }
  return broken.sort((a, b) => (a.page + a.link < b.page + b.link ? -1 : a.page + a.link > b.page + b.link ? 1 : 0));
}

/** Every file below `folder`, relative to it, with forward slashes, sorted. */
export async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

/** The URL a link leads to, when it leads into the site; undefined for other sites, mail, data, scripts. */
function internalTarget(value: string, pageUrl: URL, origin: string | undefined): URL | undefined {
  const link = value.trim();
  if (origin !== undefined && (link.startsWith(`${origin}/`) || link === origin)) {
    const url = new URL(link);
    return new URL(url.pathname + url.search + url.hash, pageUrl);
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith("//")) return undefined;
  return new URL(link, pageUrl);
}

interface ParsedPage {
  links: { attribute: string; value: string }[];
  ids: Set<string>;
}

const TAG = /<([a-zA-Z][\w:-]*)((?:\s+[^\s"'=<>/`]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTRIBUTE = /([^\s"'=<>/`]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** Attributes of the page's tags; comments and the text of scripts and styles are not markup. */
function parseHtml(html: string): ParsedPage {
  const markup = html.replace(/<!--[\s\S]*?-->/g, "").replace(/<(script|style)\b([^>]*)>[\s\S]*?<\/\1\s*>/gi, "<$1$2></$1>");
  const links: ParsedPage["links"] = [];
  const ids = new Set<string>();
  for (const [, tagName, attributes = ""] of markup.matchAll(TAG)) {
    for (const [, rawName, double, single, bare] of attributes.matchAll(ATTRIBUTE)) {
      const name = rawName!.toLowerCase();
      const value = decodeEntities(double ?? single ?? bare ?? "");
      if (name === "href" || name === "src" || name === "action") links.push({ attribute: name, value });
      if (name === "id" || (name === "name" && tagName!.toLowerCase() === "a")) ids.add(value);
    }
  }
  return { links, ids };
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (entity, code: string) => {
    const lower = code.toLowerCase();
    if (lower.startsWith("#x")) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith("#")) return String.fromCodePoint(Number(lower.slice(1)));
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[lower] ?? entity;
  });
}
