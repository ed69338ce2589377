import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Archive, Article } from "../archive/archive.ts";
import type { SiteModel, SiteRequest } from "../archive/load-site.ts";
import { monthName, type FilePage } from "../archive/pages.ts";
import { readAlias } from "../articles/aliases.ts";
import { JoinedHash } from "../cache/joined-hash.ts";
import { error, warning, type Problem } from "../problems.ts";
import { SETTINGS_FILE } from "../settings.ts";

/**
 * What Broadsheet knows of a site it built before: its sitemap (every page) and its URL map
 * (`/urls.json`: each article's address, file, title and aliases, and every redirect). This
 * module writes the map and reads both back, so that a build can say which published addresses
 * it is about to lose, and why.
 */

export const URL_MAP = "/urls.json";

/** The URL map as written to `/urls.json`. */
export interface UrlMap {
  version: 1;
  articles: { url: string; file: string; title: string; aliases: readonly string[] }[];
  /** Every old address the site redirects, articles' and topics' alike. */
  redirects: string[];
}

/**
 * `previousSitemap` is the sitemap of the site being replaced, for a build that starts from an
 * empty folder (CI); a `urls.json` beside it is read too. Default: the output folder's own.
 * `strictUrls` makes every address that would disappear an error, which stops the build.
 */
export interface UrlCheckRequest extends Pick<SiteRequest, "articlesDir" | "settingsFile" | "previousSitemap" | "strictUrls"> {
  outputDir: string;
}

/**
 * The map of the site's addresses, written with it. The sitemap alone names pages, not the
 * articles behind them: with the map, an article whose date or slug changed is found by its file
 * (or else its title) however far it moved, and an alias taken away is noticed, which no sitemap lists.
 */
export function urlMapFile(archive: Archive, redirects: readonly string[]): FilePage {
  const render = () => {
    const map: UrlMap = {
      version: 1,
      articles: archive.articles.map((article) => ({ url: article.url, file: article.relativePath, title: article.title, aliases: article.aliases })),
      redirects: [...redirects],
    };
    // One article a line, so that two builds' maps compare line by line.
    return `{"version":1,"articles":[\n${map.articles.map((entry) => JSON.stringify(entry)).join(",\n")}\n],"redirects":${JSON.stringify(map.redirects)}}\n`;
  };
  // Its articles are named, so that an edit to a title under serve writes the map again.
  return { kind: "file", url: URL_MAP, render, articles: archive.articles, inputs: listedDigest(archive.articles, redirects) };
}

/**
 * What the URL map lists, hashed, for the build's key: the map is rendered only when that
 * changed, not for its key on every build (at 100,000 articles, 0.3 s). Each article's aliases
 * after their count, so that no two lists read alike; the aliases as well as the redirects, which
 * stay the same when an old address moves to another article. Hashed here, not handed to the keys
 * as a list of 400,000 texts, which they described one by one: at 100,000 articles, 0.36 to 0.40
 * s of every build in a process of its own, now 0.06 s (0.16 s in a one-body build's profile).
 */
function listedDigest(articles: readonly Article[], redirects: readonly string[]): string {
  const listed = new JoinedHash();
  for (const article of articles) {
    listed.addMeasured(article.url).addMeasured(article.relativePath).addMeasured(article.title).add(`${article.aliases.length};`);
    for (const alias of article.aliases) listed.addMeasured(alias);
  }
  listed.add(`redirects ${redirects.length};`);
  for (const redirect of redirects) listed.addMeasured(redirect);
  return listed.hex();
}

/** A published address of the previous site, and where it was listed. */
interface PublishedUrl {
  url: string;
  file: string;
  line?: number;
}

/** Paginated listings grow and shrink with every article added or taken away; their loss is no news. */
const PAGINATED = /\/page\/\d+\/$/;
const ARTICLE_URL = /^\/(\d{4})\/(\d{2})\/([^/]+)\/$/;
const NAME_URL = /^\/(topics|authors)\/([^/]+)\/$/;

/**
 * Compares the addresses this build is about to publish with those of the site it replaces, and
 * reports each one that would disappear without a redirect: an article whose date or slug changed
 * (named, with the alias that keeps its old address), a topic or author renamed, an alias taken
 * away. Warnings, or errors with `strictUrls`; listings that merely emptied are always warnings.
 * Nothing is reported for a first build, when there is no previous site.
 */
export function findVanishedUrls(site: SiteModel, request: UrlCheckRequest): Problem[] {
  const sitemapFile = request.previousSitemap ?? path.join(request.outputDir, "sitemap.xml");
  if (!existsSync(sitemapFile)) {
    if (request.previousSitemap === undefined) return [];
    return [error(display(sitemapFile), "is not there. Give --previous-sitemap the sitemap.xml of the site this build replaces, such as one saved from the live site.", { field: "--previous-sitemap" })];
  }
  const basePath = site.settings.basePath;
  const read = readSitemap(sitemapFile, basePath);
  if (read.problems.length > 0) return read.problems;
  const map = readUrlMap(path.join(path.dirname(sitemapFile), URL_MAP.slice(1)));
  const published: PublishedUrl[] = [...read.urls];
  const aliasOwners = new Map<string, UrlMap["articles"][number]>();
  for (const entry of map?.articles ?? []) for (const alias of entry.aliases) aliasOwners.set(alias, entry);
  for (const redirect of map?.redirects ?? []) published.push({ url: redirect, file: display(path.join(path.dirname(sitemapFile), URL_MAP.slice(1))) });

  const previousByUrl = new Map((map?.articles ?? []).map((entry) => [entry.url, entry]));
  const articles = indexArticles(site.archive.articles);
  const current = new Set(site.pages.map((page) => page.url));
  const strict = request.strictUrls ?? false;
  const severe = strict ? error : warning;
  const settingsFile = display(request.settingsFile ?? path.join(request.articlesDir, SETTINGS_FILE));
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const { url, file, line } of published) {
    if (current.has(url) || seen.has(url) || PAGINATED.test(url)) continue;
    seen.add(url);
    const was = `${url} was published by the site this build replaces, and this build has no page there`;
    const previous = previousByUrl.get(url);
    const owner = aliasOwners.get(url);
    if (previous || (!owner && ARTICLE_URL.test(url))) {
      const moved = findMovedArticle(articles, url, previous);
      if (moved) {
        problems.push(severe(moved.file, `${was}: ${describeMove(url, moved, site.settings.language)}, so it is now at ${moved.url}. ${keepWithAlias(url, moved)}`, blame(url, moved)));
      } else {
        problems.push(
          severe(file, `${was}: no article of this build was there${previous ? ` ("${previous.title}", ${previous.file})` : ""}; it was deleted, made a draft, or moved with a new file name, title and slug. If another article takes its place, add \`aliases: [${url}]\` to that article's front matter.`, { line }),
        );
      }
    } else if (owner) {
      const article = articles.byFile.get(owner.file);
      if (article) problems.push(severe(article.file, `${was}: it was an alias of this article, and is no longer in its \`aliases:\`. Put it back to keep the old address working: ${aliasLine(url, article)}.`, { field: "aliases", line: article.lines.aliases }));
      else problems.push(severe(file, `${was}: it was an alias of ${owner.file}, which this build does not publish. Add \`aliases: [${url}]\` to the article that takes its place.`, { line }));
    } else if (NAME_URL.test(url)) {
      const [, kind, slug] = NAME_URL.exec(url)!;
      const noun = kind === "topics" ? "topic" : "author";
      problems.push(
        severe(settingsFile, `${was}: no ${noun} has that address now. If the ${noun} was renamed, keep its address by giving the new name \`aliases: [${slug}]\` under \`${kind}:\` in the settings; if none has it any more, there is nothing to keep.`, { field: kind }),
      );
    } else {
      problems.push(warning(file, `${was}; listing pages go when no article belongs in them any more. Nothing needs doing unless other sites link here.`, { line }));
    }
  }
  return problems;
}

interface ArticleIndex {
  byFile: Map<string, Article>;
  byTitle: Map<string, Article>;
  bySlug: Map<string, Article[]>;
}

/** The archive's articles by file, title and slug: a changed base path can make every address a lost one. */
function indexArticles(articles: readonly Article[]): ArticleIndex {
  const index: ArticleIndex = { byFile: new Map(), byTitle: new Map(), bySlug: new Map() };
  for (const article of articles) {
    index.byFile.set(article.relativePath, article);
    if (!index.byTitle.has(article.title)) index.byTitle.set(article.title, article);
    index.bySlug.set(article.slug, [...(index.bySlug.get(article.slug) ?? []), article]);
  }
  return index;
}

/** The article now at another address that was at `url`: by its file, else its title, else its slug. */
function findMovedArticle(articles: ArticleIndex, url: string, previous: UrlMap["articles"][number] | undefined): Article | undefined {
  if (previous) {
    const found = articles.byFile.get(previous.file) ?? articles.byTitle.get(previous.title);
    if (found) return found;
  }
  const sameSlug = articles.bySlug.get(ARTICLE_URL.exec(url)?.[3] ?? "") ?? [];
  // Two articles with that slug in other months: which one moved cannot be told from the address alone.
  return sameSlug.length === 1 ? sameSlug[0] : undefined;
}

/** "its date changed from July 2024 to August 2024", "its slug changed from "a" to "b"". */
function describeMove(url: string, article: Article, language: string): string {
  const [, year, month, slug] = ARTICLE_URL.exec(url) ?? [];
  const dateChanged = year !== undefined && (Number(year) !== article.date.value.year || Number(month) !== article.date.value.month);
  const slugChanged = slug !== undefined && slug !== article.slug;
  const from = year === undefined ? "" : `${monthName(Number(year), Number(month), language)} ${year}`;
  const to = `${monthName(article.date.value.year, article.date.value.month, language)} ${article.date.value.year}`;
  if (dateChanged && slugChanged) return `the article's date changed from ${from} to ${to} and its slug from "${slug}" to "${article.slug}"`;
  if (dateChanged) return `the article's date changed from ${from} to ${to}`;
  if (slugChanged) return `the article's slug changed from "${slug}" to "${article.slug}"`;
  return "the article moved";
}

/** The front-matter line at fault: the slug's if it changed and is written, else the date's. */
function blame(url: string, article: Article): { field?: string; line?: number } {
  const slug = ARTICLE_URL.exec(url)?.[3];
  if (slug !== undefined && slug !== article.slug) return article.lines.slug !== undefined ? { field: "slug", line: article.lines.slug } : {};
  return { field: "date", line: article.lines.date };
}

function keepWithAlias(url: string, article: Article): string {
  return `If the change is meant, keep the old address working: ${aliasLine(url, article)}.`;
}

function aliasLine(url: string, article: Article): string {
  return article.lines.aliases !== undefined ? `add the line \`  - ${url}\` under \`aliases:\` (line ${article.lines.aliases})` : `add \`aliases: [${url}]\` to its front matter`;
}

/**
 * Every address a sitemap lists, as site URLs without the base path, with the line of each; a
 * sitemap index is followed into its parts, which sit beside it as the build writes them.
 */
function readSitemap(file: string, basePath: string): { urls: PublishedUrl[]; problems: Problem[] } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    return { urls: [], problems: [error(display(file), `could not be read (${(cause as Error).message}). Check the file is there and readable.`, { field: "--previous-sitemap" })] };
  }
  // Lines counted from one match to the next: a sitemap holds up to 50,000 addresses.
  const locs: { loc: string; line: number }[] = [];
  let line = 1;
  let counted = 0;
  for (const match of text.matchAll(/<loc>\s*([^<]*?)\s*<\/loc>/g)) {
    for (let at = text.indexOf("\n", counted); at !== -1 && at < match.index; at = text.indexOf("\n", at + 1)) line++;
    counted = match.index;
    locs.push({ loc: unescapeXml(match[1]!), line });
  }
  if (locs.length === 0 && !/<(urlset|sitemapindex)\b/.test(text)) {
    return { urls: [], problems: [error(display(file), "is not a sitemap: it has no <urlset> or <sitemapindex>. Give the sitemap.xml of the site this build replaces.", { field: "--previous-sitemap" })] };
  }
  if (/<sitemapindex\b/.test(text)) {
    const urls: PublishedUrl[] = [];
    const problems: Problem[] = [];
    for (const { loc, line } of locs) {
      const part = path.join(path.dirname(file), sitePathOf(loc, basePath).slice(1));
      if (!existsSync(part)) {
        problems.push(error(display(file), `lists ${loc}, which is not at ${display(part)}. Keep the sitemap's parts beside it, as the build writes them (sitemaps/1.xml, …).`, { line, field: "--previous-sitemap" }));
        continue;
      }
      const read = readSitemap(part, basePath);
      urls.push(...read.urls);
      problems.push(...read.problems);
    }
    return { urls, problems };
  }
  const shown = display(file);
  return { urls: locs.map(({ loc, line }) => ({ url: sitePathOf(loc, basePath), file: shown, line })), problems: [] };
}

/**
 * A sitemap's address as a site URL: the path, without the base path, read as an alias is (so
 * that `/p/123` from another generator's sitemap is the `/p/123/` this one writes).
 */
function sitePathOf(loc: string, basePath: string): string {
  // Read by hand: a URL parser costs microseconds, and a sitemap holds up to 50,000 addresses.
  const pathname = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(\/[^?#]*)?/i.exec(loc)?.[1] ?? (loc.startsWith("/") ? loc.replace(/[?#].*$/, "") : `/${loc}`);
  const inside = pathname.startsWith(basePath) ? `/${pathname.slice(basePath.length)}` : pathname;
  // What Broadsheet writes is already as an alias reads: plain characters, a folder or a file.
  if (PLAIN_PATH.test(inside) && !inside.includes("//") && !inside.includes("/.") && (inside.endsWith("/") || inside.slice(inside.lastIndexOf("/")).includes("."))) return inside;
  const read = readAlias(inside);
  return read.ok ? read.path : inside;
}

const PLAIN_PATH = /^\/[\w\-./~]*$/;

/** The previous build's URL map, when there is one that reads as such. */
function readUrlMap(file: string): UrlMap | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const map = JSON.parse(readFileSync(file, "utf8")) as UrlMap;
    return map.version === 1 && Array.isArray(map.articles) && Array.isArray(map.redirects) ? map : undefined;
  } catch {
    // A map that does not parse is not ours; the sitemap alone still names every page.
    return undefined;
  }
}

function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" })[name]!);
}

function display(file: string): string {
  return path.relative(process.cwd(), path.resolve(file)).split(path.sep).join("/");
}
