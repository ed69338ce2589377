import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { DateTime } from "luxon";
import { parseArticleDate, type ArticleDate } from "../articles/dates.ts";
import { loadArticles, type ArticleSource } from "../articles/load.ts";
import { error, hasErrors, type Problem } from "../problems.ts";
import { loadSettings, SETTINGS_FILE, type Settings } from "../settings.ts";
import { articleHtml, buildArchive, type Archive, type Article } from "./archive.ts";
import { MediaFiles } from "./media.ts";
import { FILE_HASHES, PICTURE_CACHE } from "./pictures.ts";
import { ContentHashes } from "./content-hashes.ts";
import { responsivePictures } from "../render/picture-markup.ts";
import { buildPages, describeArticlePages, type Page } from "./pages.ts";
import { findRelated } from "./related.ts";
import { articleUrlsByPath, renderArticles } from "./render.ts";
import { loadSitePages } from "../articles/site-pages.ts";
import { renderBody } from "../render/body.ts";
import { loadTheme, type Theme } from "../theme.ts";
import { nameKey } from "./names.ts";
import { warning } from "../problems.ts";
import { planRedirects, redirectPages } from "../publish/redirects.ts";
import { urlMapFile } from "../publish/vanished-urls.ts";
import type { ArticleCache } from "../cache/article-cache.ts";
import type { TeaserHtml } from "../cache/teaser-html.ts";
import { findRelatedCached, type EarlierRelated, type RelatedFound } from "../cache/related-cache.ts";

/** What to build: the articles folder, its settings and the command line's overrides. */
export interface SiteRequest {
  articlesDir: string;
  /** The settings file; default `broadsheet.yml` in the articles folder. */
  settingsFile?: string;
  overrides?: Partial<Settings>;
  drafts?: boolean;
  /**
   * The sitemap of the site a build replaces, when it is not in the output folder (CI that
   * starts empty); see src/publish/vanished-urls.ts.
   */
  previousSitemap?: string;
  /** Stop the build when a published address would disappear without a redirect. */
  strictUrls?: boolean;
  /**
   * Where pictures are encoded at several widths and kept between builds; default
   * `.cache/broadsheet/images` in the working folder. `false` encodes none: `check` reads no picture.
   */
  pictureCache?: string | false;
}

/** The whole site as data: everything the layouts render, nothing they must compute. */
export interface SiteModel {
  settings: Settings;
  archive: Archive;
  pages: Page[];
  /** What makes the site the publication's own: its theme and its footer. */
  brand: Brand;
  /** The files beside the articles that the articles refer to, each published as a file page. */
  media: MediaFiles;
  /** The listings' teasers, made once per render (src/cache/teaser-html.ts); given by the build, with those the cache kept. */
  teasers?: TeaserHtml;
}

export interface Brand {
  theme: Theme;
  /** The `footer` setting, rendered from Markdown; empty when there is none. */
  footerHtml: string;
}

export interface SiteResult {
  /** Undefined when any problem is an error. */
  site?: SiteModel;
  /** Every article file as read and validated, whether published or not. */
  sources?: ArticleSource[];
  problems: Problem[];
  /** How long each step took, in milliseconds, and how many articles were read. */
  timings: { load: number; model: number; articles: number; related?: number };
}

/** Work that may start while the rest of the site is modelled. */
export interface LoadHooks {
  /**
   * Called once every article body is rendered, when no error has been found: the build starts
   * the search index then, so that Pagefind works while this thread models the rest. The articles
   * are finished then: nothing after changes them (the build hashes them once, src/cache/page-keys.ts).
   */
  bodiesRendered?: (model: Pick<SiteModel, "settings" | "archive" | "pages">) => void;
}

/** What an earlier build left to reuse (src/cache/); without it, everything is made afresh. */
export interface SiteCache {
  articles: ArticleCache;
  /** The articles folder's regular files, as the build's stamp listed them (see `loadArticles`). */
  articlesListed?: readonly string[];
  /** What the earlier build chose related articles from, and chose. */
  related: EarlierRelated;
  /** This build's related lists, once chosen, with the terms counted if they were chosen again. */
  relatedFound?: RelatedFound;
}

/** Loads, validates and models the whole archive; reports every problem found. */
export async function loadSite(request: SiteRequest, hooks: LoadHooks = {}, cache?: SiteCache): Promise<SiteResult> {
  const started = performance.now();
  const settingsFile = request.settingsFile ?? path.join(request.articlesDir, SETTINGS_FILE);
  const { settings, problems } = loadSettings(settingsFile, request.overrides);
  if (hasErrors(problems)) return { problems, timings: { load: 0, model: 0, articles: 0 } };

  if (!existsSync(request.articlesDir) || !statSync(request.articlesDir).isDirectory()) {
    problems.push(error(request.articlesDir, "is not a folder. Create it and put Markdown articles in it, or name the folder with --articles DIR."));
    return { problems, timings: { load: 0, model: 0, articles: 0 } };
  }
  const loaded = await loadArticles(request.articlesDir, settings, cache?.articles, cache?.articlesListed);
  problems.push(...loaded.problems);
  const { theme, problems: themeProblems } = loadTheme(settings.theme);
  const sitePages = await loadSitePages(settings.pages);
  problems.push(...themeProblems, ...sitePages.problems);
  const loadedAt = performance.now();

  const now = settings.now === "" ? DateTime.now() : (parseArticleDate(settings.now, settings.timeZone) as { ok: true; date: ArticleDate }).date.value;
  const { archive, problems: archiveProblems } = buildArchive(loaded.sources, settings, { drafts: request.drafts ?? false, now });
  problems.push(...archiveProblems);
  const pages = buildPages(archive, { sitePages: sitePages.pages, theme });
  problems.push(...findTakenUrls(pages), ...findMissingHomeTopics(archive, settingsFile));
  // Old addresses get pages of their own once every other page's address is known.
  const redirects = planRedirects(archive, pages, settingsFile);
  problems.push(...redirects.problems);
  pages.push(...redirectPages(redirects.redirects, settings));
  pages.push(urlMapFile(archive, redirects.redirects.filter((redirect) => !redirect.feedOnly).map((redirect) => redirect.from)));
  const pageUrls = new Set(pages.map((page) => page.url));
  const pictureCache = request.pictureCache === false ? undefined : path.resolve(request.pictureCache ?? PICTURE_CACHE);
  const hashes = new ContentHashes(pictureCache && path.join(pictureCache, FILE_HASHES));
  const media = new MediaFiles(request.articlesDir, hashes);
  problems.push(...renderArticles(archive, pageUrls, settings, media, cache?.articles), ...renderSitePages(archive, pages, pageUrls));
  describeArticlePages(pages);
  if (pictureCache !== undefined) {
    problems.push(...(await media.encodePictures(pictureCache)));
    useEncodedPictures(archive.articles, media, settings.basePath);
    if (!hasErrors(problems)) hashes.save();
  }
  // Only the files the bodies refer to are published, so their pages are known only now.
  pages.push(...media.pages());
  const brand = { theme, footerHtml: renderFooter(settings, archive, pageUrls, settingsFile, problems) };
  if (hasErrors(problems)) return { problems, timings: { load: loadedAt - started, model: performance.now() - loadedAt, articles: loaded.sources.length } };
  hooks.bodiesRendered?.({ settings, archive, pages });
  // Related articles are chosen by what their bodies say, so only once the bodies are rendered.
  const relatedFrom = performance.now();
  let related: Map<Article, Article[]>;
  if (cache) {
    cache.relatedFound = await findRelatedCached(archive.articles, cache.related);
    ({ related } = cache.relatedFound);
  } else {
    related = findRelated(archive.articles);
  }
  for (const page of pages) if (page.kind === "article") page.related = related.get(page.article) ?? [];
  const timings = { load: loadedAt - started, model: performance.now() - loadedAt, articles: loaded.sources.length, related: performance.now() - relatedFrom };
  return { site: { settings, archive, pages, brand, media }, sources: loaded.sources, problems, timings };
}

/**
 * The bodies show each encoded picture with its encodings, once they are known: a body is
 * rendered with the picture's own file, and rewritten here (for a whole build, and for an
 * article revised under serve, src/archive/update.ts).
 */
export function useEncodedPictures(articles: readonly Article[], media: MediaFiles, basePath: string): void {
  const pictures = new Map(media.files().flatMap((file) => (file.picture ? [[basePath + file.url.slice(1), file.picture] as const] : [])));
  if (pictures.size === 0) return;
  const marker = `${basePath}media/`;
  for (const article of articles) {
    // A body the cache keeps is read only when it may show such a file (kept-html.ts).
    if (typeof article.html === "string" ? !article.html.includes(marker) : !article.html.mayShowMedia) continue;
    const html = articleHtml(article);
    if (html.includes(marker)) article.html = responsivePictures(html, (src) => pictures.get(src), basePath);
  }
}

/**
 * A page of the site's own whose URL a page before it has already: an error naming both. Only the
 * addresses of the site's own pages are looked for: a map of every page's (165,000 at 100,000
 * articles) took 0.2 s of every build.
 */
function findTakenUrls(pages: readonly Page[]): Problem[] {
  const ownPages = pages.filter((page) => page.kind === "page");
  if (ownPages.length === 0) return [];
  const wanted = new Set(ownPages.map((page) => page.url));
  const owners = new Map<string, Page>();
  for (const page of pages) if (wanted.has(page.url) && !owners.has(page.url)) owners.set(page.url, page);
  const problems: Problem[] = [];
  for (const page of ownPages) {
    const owner = owners.get(page.url)!;
    if (owner !== page) problems.push(error(page.source.file, `would be published at ${page.url}, which is already ${describeOwner(owner)}. Rename the file or give it another slug: in its front matter.`, { field: "slug" }));
  }
  return problems;
}

function describeOwner(page: Page): string {
  switch (page.kind) {
    case "article":
      return `the address of the article ${page.article.file}`;
    case "page":
      return `the address of the page ${page.source.file}`;
    case "list":
      return `the ${page.listing === "home" ? "home page" : `${page.listing} page "${page.heading}"`} the build writes`;
    case "file":
      return "a file the build writes";
    default:
      return `the ${page.kind === "notFound" ? "404" : page.kind} page the build writes`;
  }
}

/** Topics the front page is to show that the archive has not: most likely misspelt. */
function findMissingHomeTopics(archive: Archive, settingsFile: string): Problem[] {
  const known = new Set(archive.topics.flatMap((topic) => [topic.name, ...topic.spellings.map(({ spelling }) => spelling)].map(nameKey)));
  return archive.settings.home.topics
    .filter((name) => !known.has(nameKey(name)))
    .map((name) => warning(settingsFile, `home: topics: "${name}" is no topic of the archive, so the front page has no section for it. Check its spelling against the topics page.`, { field: "home" }));
}

/** The site's own pages' bodies, rendered as articles' are; a page without a summary takes its opening. */
function renderSitePages(archive: Archive, pages: readonly Page[], pageUrls: ReadonlySet<string>): Problem[] {
  // Made only when the site has a page of its own: at 100,000 articles it took 65 ms of every build.
  let articleUrlByPath: Map<string, string> | undefined;
  const problems: Problem[] = [];
  for (const page of pages) {
    if (page.kind !== "page") continue;
    articleUrlByPath ??= articleUrlsByPath(archive);
    const rendered = renderBody(page.source.body, { relativePath: page.source.file, articleUrl: page.url, articleUrlByPath, pageUrls }, archive.settings);
    page.html = rendered.html;
    if (page.description === "") page.description = rendered.firstParagraph;
    for (const href of rendered.brokenLinks) problems.push(warning(page.source.file, `links to ${href}, which is no page of this site; the link is shown as plain text. Use a site path such as /topics/ or a full https:// address.`));
  }
  return problems;
}

/** The footer setting's Markdown as HTML, its links checked as an article's are. */
function renderFooter(settings: Settings, archive: Archive, pageUrls: ReadonlySet<string>, settingsFile: string, problems: Problem[]): string {
  if (settings.footer.trim() === "") return "";
  const rendered = renderBody(settings.footer, { relativePath: SETTINGS_FILE, articleUrl: "/", articleUrlByPath: articleUrlsByPath(archive), pageUrls }, settings);
  for (const href of rendered.brokenLinks) problems.push(warning(settingsFile, `footer: links to ${href}, which is no page of this site; the link is shown as plain text. Use a site path such as /about/ or a full https:// address.`, { field: "footer" }));
  return rendered.html;
}
