import { readFileSync } from "node:fs";
import { DateTime } from "luxon";
import { groupFeedLink, lastModified, renderFeed, siteFeedLinks, SITE_FEED, SITE_JSON_FEED, type FeedLink } from "../publish/feeds.ts";
import { renderRobots, sitemapFiles } from "../publish/sitemap.ts";
import { correctionsFeedLink, CORRECTIONS_URL, listCorrections, renderCorrectionsFeed, type CorrectionEntry } from "../publish/corrections.ts";
import type { Archive, Article, NameGroup, NameRef, YearGroup } from "./archive.ts";
import { countByMonth, type Timeline } from "./timeline.ts";
import { searchVolumes, type SearchVolume } from "./volumes.ts";
import type { ArticleDate } from "../articles/dates.ts";
import type { SitePageSource } from "../articles/site-pages.ts";
import { messagesFor } from "../i18n/messages.ts";
import { NO_THEME, type Theme } from "../theme.ts";
import { nameKey } from "./names.ts";
import { logoUrl } from "../urls.ts";

/** A link in the trail above a page's heading. */
export interface Crumb {
  name: string;
  url: string;
}

export interface Pagination {
  /** 1-based. */
  pageNumber: number;
  /** URL of every page of the listing, in order. */
  pageUrls: string[];
}

/*
 * An index of years, months, topics or authors shows each one's name, address and count, and is
 * given only those: a page's key is made from everything it is given (src/cache/page-keys.ts), and
 * given each month's articles, every page of a year's listing was rendered again whenever any
 * article of that year was edited (560 pages for one body, at 100,000 articles).
 */

/** A month as an index shows it: its listing's address and how many articles it has. */
export interface MonthLink {
  year: number;
  month: number;
  url: string;
  count: number;
}

/** A year as the archive's index shows it, with its months, newest first. */
export interface YearLink {
  year: number;
  url: string;
  count: number;
  months: MonthLink[];
}

/** A topic or an author as its index shows it. */
export interface NameCount extends NameRef {
  count: number;
}

interface PageBase {
  /** Site URL without the base path; ends in `/` or `.html`. */
  url: string;
  /** The `<title>` text before the site's name. */
  title: string;
  /** A sentence for `<meta name="description">`. */
  description: string;
  breadcrumbs: Crumb[];
  /** Feeds to announce with `<link rel="alternate">`, most specific first. */
  feeds: FeedLink[];
}

export interface ArticlePage extends PageBase {
  kind: "article";
  article: Article;
  newer?: Article;
  older?: Article;
  /** Articles about the same things, most related first; filled in once bodies are rendered. */
  related: Article[];
}

export interface ListPage extends PageBase {
  kind: "list";
  /** What the listing is of: the home page, a topic, an author, a year or a month. */
  listing: "home" | "topic" | "author" | "year" | "month";
  heading: string;
  /** How many articles the whole listing has, across its pages. */
  total: number;
  articles: Article[];
  pagination: Pagination;
  /** For a year: its months with counts. */
  months?: MonthLink[];
  /** For a topic or an author, on the first page: articles per month, when they span more than one. */
  timeline?: Timeline;
  /** The front page's sections, on the home listing's first page when the `front` layout is chosen. */
  front?: FrontSections;
}

/** The front page: the lead story, the latest after it, then the newest of chosen topics. */
export interface FrontSections {
  lead: Article;
  latest: Article[];
  topics: { topic: NameGroup; articles: Article[] }[];
}

export interface NameIndexPage extends PageBase {
  kind: "topics" | "authors";
  groups: NameCount[];
}

export interface ArchiveIndexPage extends PageBase {
  kind: "archive";
  years: YearLink[];
  /** Articles per month over the whole archive; undefined when it has none. */
  timeline?: Timeline;
}

export interface SearchPage extends PageBase {
  kind: "search";
  /** Published articles: with none, there is no index to search. */
  articleCount: number;
  /** The search index's volumes, newest first, each with the date of its oldest article. */
  volumes: (SearchVolume & { oldest?: ArticleDate })[];
}

export interface PlainPage extends PageBase {
  kind: "notFound";
  /** The search index's volumes, newest first, in which the 404 page looks for the words of the address. */
  volumes: SearchVolume[];
  articleCount: number;
}

/** Every correction made to an article, newest first. */
export interface CorrectionsPage extends PageBase {
  kind: "corrections";
  corrections: CorrectionEntry[];
}

/** One of the site's own pages (about, contact), from the pages folder. */
export interface SitePage extends PageBase {
  kind: "page";
  source: SitePageSource;
  /** The rendered body; filled in when bodies are rendered. */
  html: string;
}

/** A page of the site that a reader sees. */
export type HtmlPage = ArticlePage | ListPage | NameIndexPage | ArchiveIndexPage | SearchPage | PlainPage | SitePage | CorrectionsPage;

/** A small page at an old address that sends the reader on to where the page is now (src/publish/redirects.ts). */
export interface RedirectPage {
  kind: "redirect";
  /** The old path, without the base path. */
  url: string;
  /** The site URL it leads to. */
  target: string;
  /** The name of the page it leads to. */
  title: string;
}

/** A file that is not a page: a feed, the sitemap, robots.txt, a theme's file. Rendered only when written. */
export interface FilePage {
  kind: "file";
  url: string;
  render: () => string | Uint8Array;
  /** The articles a feed shows: a feed is rendered again when one's text is edited under serve (src/archive/update.ts). */
  articles?: readonly Article[];
  /** The articles whose bodies the file carries (a feed's newest): a build of an edited body alone puts the new one in it (src/cache/body-edits.ts). */
  bodies?: readonly Article[];
  /**
   * Everything `render` reads besides the settings, as data, so that a build can tell the file
   * is unchanged without rendering it (src/cache/page-keys.ts); a file without it is rendered for
   * its key, which is then a hash of its content. They describe the model as built: an edit
   * applied in place (`reviseArticle`, under serve) does not update them, and no key is ever
   * taken from a model so revised.
   */
  inputs?: unknown;
  /**
   * A file on disk whose bytes this page is, which a build copies into the site itself rather
   * than through Eleventy (a picture's encodings: thousands of files Eleventy would read and
   * write one by one). `immutable`: the file is never rewritten (it is named by its content, in the
   * picture cache), so the site may share it by a hard link.
   */
  copyOf?: { file: string; immutable: boolean };
}

export type Page = HtmlPage | FilePage | RedirectPage;

/** Gives each article page its description, the article's summary, which is known once its body is rendered. */
export function describeArticlePages(pages: readonly Page[]): void {
  for (const page of pages) if (page.kind === "article") page.description = page.article.summary;
}

/** What the site has besides its articles: its own pages, and its theme's files. */
export interface SiteExtras {
  sitePages?: readonly SitePageSource[];
  theme?: Theme;
}

/** Every page of the site, derived from the archive and the site's own pages. */
export function buildPages(archive: Archive, { sitePages = [], theme = NO_THEME }: SiteExtras = {}): Page[] {
  const { settings, articles } = archive;
  const messages = messagesFor(settings);
  const site = settings.title;
  const pageSize = settings.pageSize;
  const home: Crumb = { name: messages.t("breadcrumbs.home"), url: "/" };
  const archiveCrumb: Crumb = { name: messages.t("archive.title"), url: "/archive/" };
  const pagedTitle = (title: string, pagination: Pagination) => (pagination.pageNumber === 1 ? title : messages.t("title.paged", { title, page: pagination.pageNumber }));
  const pages: HtmlPage[] = [];
  const siteFeeds = siteFeedLinks(settings);

  // Every article of a month has the same trail: one for them all.
  const monthTrails = new Map<string, Crumb[]>();
  articles.forEach((article, index) => {
    const date = article.date.value;
    const monthUrl = article.url.split("/").slice(0, 3).join("/") + "/";
    let breadcrumbs = monthTrails.get(monthUrl);
    if (breadcrumbs === undefined) {
      breadcrumbs = [home, archiveCrumb, { name: String(date.year), url: `/${date.year}/` }, { name: monthName(date.year, date.month, settings.language), url: monthUrl }];
      monthTrails.set(monthUrl, breadcrumbs);
    }
    pages.push({
      kind: "article",
      url: article.url,
      title: article.title,
      // A summary taken from the body exists only once bodies are rendered (`describeArticlePages`).
      // Plain fields, not getters that read the article: an object literal with getters is kept
      // as a dictionary, which at 100,000 articles cost 90 MB more and slower pages' keys.
      description: "",
      breadcrumbs,
      feeds: siteFeeds,
      article,
      newer: articles[index - 1],
      older: articles[index + 1],
      related: [],
    });
  });

  pages.push(
    ...paginate(articles, pageSize, "/", (pagination) => ({
      kind: "list",
      listing: "home",
      title: pagedTitle(messages.t("home.title"), pagination),
      heading: messages.t("home.title"),
      description: settings.description,
      breadcrumbs: [],
      feeds: siteFeeds,
      front: pagination.pageNumber === 1 && settings.home.layout === "front" ? frontSections(archive) : undefined,
    })),
  );

  for (const [kind, groups, listing, label] of [
    ["topics", archive.topics, "topic", messages.t("topics.title")],
    ["authors", archive.authors, "author", messages.t("authors.title")],
  ] as const) {
    const indexCrumb: Crumb = { name: label, url: `/${kind}/` };
    pages.push({
      kind,
      url: `/${kind}/`,
      title: label,
      description: messages.t(kind === "topics" ? "topics.description" : "authors.description", { count: groups.length, site }),
      breadcrumbs: [home],
      feeds: siteFeeds,
      groups: groups.map(({ name, slug, url, articles }) => ({ name, slug, url, count: articles.length })),
    });
    for (const group of groups) {
      const feeds = [groupFeedLink(group, listing, settings), ...siteFeeds];
      const timeline = spanningTimeline(group.articles);
      pages.push(
        ...paginate(group.articles, pageSize, group.url, (pagination) => ({
          kind: "list",
          listing,
          title: pagedTitle(listing === "topic" ? group.name : messages.t("author.title", { name: group.name }), pagination),
          heading: group.name,
          description: messages.t(listing === "topic" ? "topic.description" : "author.description", { count: group.articles.length, name: group.name }),
          breadcrumbs: [home, indexCrumb],
          feeds,
          timeline: pagination.pageNumber === 1 ? timeline : undefined,
        })),
      );
    }
  }

  const yearLinks = archive.years.map(linkYear);
  pages.push({
    kind: "archive",
    url: "/archive/",
    title: messages.t("archive.title"),
    description: messages.t("archive.description", { site }),
    breadcrumbs: [home],
    feeds: siteFeeds,
    years: yearLinks,
    timeline: countByMonth(articles),
  });
  for (const [number, year] of archive.years.entries()) {
    const { months } = yearLinks[number]!;
    const yearCrumb: Crumb = { name: String(year.year), url: year.url };
    pages.push(
      ...paginate(year.articles, pageSize, year.url, (pagination) => ({
        kind: "list",
        listing: "year",
        title: pagedTitle(String(year.year), pagination),
        heading: String(year.year),
        description: messages.t("period.description", { count: year.articles.length, period: String(year.year) }),
        breadcrumbs: [home, archiveCrumb],
        feeds: siteFeeds,
        months,
      })),
    );
    for (const month of year.months) {
      const name = monthYearName(month.year, month.month, settings.language);
      pages.push(
        ...paginate(month.articles, pageSize, month.url, (pagination) => ({
          kind: "list",
          listing: "month",
          title: pagedTitle(name, pagination),
          heading: name,
          description: messages.t("period.description", { count: month.articles.length, period: name }),
          breadcrumbs: [home, archiveCrumb, yearCrumb],
          feeds: siteFeeds,
        })),
      );
    }
  }

  // The index holds the site's own pages after the articles (search/index.ts).
  const volumes = searchVolumes(articles.length + sitePages.length, settings.searchVolume).map((volume) => ({ ...volume, oldest: articles[volume.first + volume.articles - 1]?.date }));
  pages.push({ kind: "search", url: "/search/", title: messages.t("search.title"), description: messages.t("search.description", { site }), breadcrumbs: [home], feeds: siteFeeds, articleCount: articles.length, volumes });
  const corrections = listCorrections(articles);
  pages.push({
    kind: "corrections",
    url: CORRECTIONS_URL,
    title: messages.t("corrections.title"),
    description: messages.t("corrections.description", { site }),
    breadcrumbs: [home],
    feeds: [correctionsFeedLink(settings), ...siteFeeds],
    corrections,
  });
  pages.push({ kind: "notFound", url: "/404.html", title: messages.t("notFound.title"), description: messages.t("notFound.description"), breadcrumbs: [], feeds: siteFeeds, volumes, articleCount: articles.length });
  for (const source of sitePages) {
    pages.push({
      kind: "page",
      url: `/${source.slug}/`,
      title: source.title,
      // A summary not written is the body's opening, known once the body is rendered.
      description: source.summary ?? "",
      breadcrumbs: [home],
      feeds: siteFeeds,
      source,
      html: "",
    });
  }
  return [...pages, ...buildFiles(archive, pages), ...brandFiles(settings.logo, theme)];
}

/** Feeds for the site, each topic and each author; the sitemap of every page; robots.txt. */
function buildFiles(archive: Archive, pages: readonly HtmlPage[]): FilePage[] {
  const { settings } = archive;
  const [atom, json] = siteFeedLinks(settings) as [FeedLink, FeedLink];
  const files: FilePage[] = [
    { kind: "file", url: SITE_FEED, render: () => renderFeed(archive.articles, atom, "/", archive), articles: archive.articles, bodies: feedBodies(archive.articles, settings), inputs: feedInputs(archive.articles, atom, "/", settings) },
    { kind: "file", url: SITE_JSON_FEED, render: () => renderFeed(archive.articles, json, "/", archive), articles: archive.articles, bodies: feedBodies(archive.articles, settings), inputs: feedInputs(archive.articles, json, "/", settings) },
  ];
  for (const [groups, kind] of [
    [archive.topics, "topic"],
    [archive.authors, "author"],
  ] as const) {
    for (const group of groups) {
      const link = groupFeedLink(group, kind, settings);
      files.push({ kind: "file", url: link.url, render: () => renderFeed(group.articles, link, group.url, archive), articles: group.articles, bodies: feedBodies(group.articles, settings), inputs: feedInputs(group.articles, link, group.url, settings) });
    }
  }
  const corrections = pages.find((page) => page.kind === "corrections");
  if (corrections) files.push({ kind: "file", url: correctionsFeedLink(settings).url, render: () => renderCorrectionsFeed(corrections.corrections, archive), articles: corrections.corrections.map((entry) => entry.article) });
  const newest = newestChange(archive.articles);
  const entries = pages
    .filter((page) => page.kind !== "notFound")
    .map((page) => ({
      url: page.url,
      lastModified:
        page.kind === "article" ? lastModified(page.article)
        : page.kind === "list" ? newestChange(page.articles)
        : page.kind === "corrections" ? (page.corrections[0]?.correction.date.value.toMillis() ?? newest)
        : newest,
    }));
  for (const sitemap of sitemapFiles(entries, settings)) files.push({ kind: "file", ...sitemap });
  files.push({ kind: "file", url: "/robots.txt", render: () => renderRobots(settings) });
  return files;
}

/** The articles a feed of `articles` shows, with their bodies (`renderFeed`). */
function feedBodies(articles: readonly Article[], settings: Archive["settings"]): readonly Article[] {
  return articles.slice(0, settings.feedSize);
}

/** What `renderFeed` reads besides the settings: the articles it lists, the link, the page. */
function feedInputs(articles: readonly Article[], link: FeedLink, pageUrl: string, settings: Archive["settings"]): unknown {
  return { articles: feedBodies(articles, settings), link, pageUrl };
}

/** When the newest of these articles last changed, or undefined for none. */
function newestChange(articles: readonly Article[]): number | undefined {
  let newest: number | undefined;
  for (const article of articles) newest = Math.max(newest ?? -Infinity, lastModified(article));
  return newest;
}

/** A chart of one month would be a single bar, so a listing gets one only when it spans more. */
function spanningTimeline(articles: readonly Article[]): Timeline | undefined {
  const timeline = countByMonth(articles);
  return timeline && (timeline.first.year !== timeline.last.year || timeline.first.month !== timeline.last.month) ? timeline : undefined;
}

/** `/topics/housing/`, `/topics/housing/page/2/`, … */
export function pageUrl(firstUrl: string, pageNumber: number): string {
  return pageNumber === 1 ? firstUrl : `${firstUrl}page/${pageNumber}/`;
}

function paginate(
  articles: Article[],
  pageSize: number,
  firstUrl: string,
  describe: (pagination: Pagination) => Omit<ListPage, "url" | "articles" | "pagination" | "total">,
): ListPage[] {
  const pageCount = Math.max(1, Math.ceil(articles.length / pageSize));
  const pageUrls = Array.from({ length: pageCount }, (_, index) => pageUrl(firstUrl, index + 1));
  return pageUrls.map((url, index) => {
    const pagination = { pageNumber: index + 1, pageUrls };
    return { ...describe(pagination), url, total: articles.length, articles: articles.slice(index * pageSize, (index + 1) * pageSize), pagination };
  });
}

/** The logo and the theme's files, copied as they are. */
function brandFiles(logo: string, theme: Theme): FilePage[] {
  const files: FilePage[] = theme.files.map((file) => ({ kind: "file", url: `/theme/${file.path}`, render: () => readFileSync(file.source) }));
  const logoAt = logoUrl(logo);
  if (logoAt !== undefined) files.push({ kind: "file", url: logoAt, render: () => readFileSync(logo) });
  return files;
}

/** How many articles each of the front page's topic sections shows. */
const FRONT_SECTION_SIZE = 4;

/** The newest article leads; the next ones follow; each chosen topic shows its newest not already shown. */
function frontSections(archive: Archive): FrontSections | undefined {
  const [lead, ...rest] = archive.articles;
  if (lead === undefined) return undefined;
  const latest = rest.slice(0, Math.max(0, archive.settings.pageSize - 1));
  const shown = new Set([lead, ...latest]);
  const byKey = new Map(archive.topics.map((topic) => [nameKey(topic.name), topic]));
  const topics = archive.settings.home.topics.flatMap((name) => {
    const topic = byKey.get(nameKey(name)) ?? archive.topics.find((group) => group.spellings.some(({ spelling }) => nameKey(spelling) === nameKey(name)));
    if (!topic) return [];
    const articles = topic.articles.filter((article) => !shown.has(article)).slice(0, FRONT_SECTION_SIZE);
    return articles.length > 0 ? [{ topic, articles }] : [];
  });
  return { lead, latest, topics };
}

const monthYearFormats = new Map<string, Intl.DateTimeFormat>();

/** `March 2024`, `März 2024`, `مارس 2024`: a month of a year as the language writes it. */
export function monthYearName(year: number, month: number, language: string): string {
  let format = monthYearFormats.get(language);
  if (!format) monthYearFormats.set(language, (format = new Intl.DateTimeFormat(language, { month: "long", year: "numeric", timeZone: "UTC" })));
  return format.format(Date.UTC(year, month - 1, 1));
}

const monthNames = new Map<string, string>();

/** `March`, `März`, `مارس`: a month as the language names it on its own, once per month: every article page's breadcrumbs have one. */
export function monthName(year: number, month: number, language: string): string {
  const key = `${language}\0${year}\0${month}`;
  let name = monthNames.get(key);
  if (name === undefined) monthNames.set(key, (name = DateTime.fromObject({ year, month }, { zone: "UTC", locale: language }).toFormat("LLLL")));
  return name;
}

function linkYear({ year, url, articles, months }: YearGroup): YearLink {
  return { year, url, count: articles.length, months: months.map((month) => ({ year: month.year, month: month.month, url: month.url, count: month.articles.length })) };
}
