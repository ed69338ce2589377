import { DateTime } from "luxon";
import type { Archive, Article, MonthGroup, NameGroup, YearGroup } from "./archive.ts";

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

interface PageBase {
  /** Site URL without the base path; ends in `/` or `.html`. */
  url: string;
  /** The `<title>` text before the site's name. */
  title: string;
  /** A sentence for `<meta name="description">`. */
  description: string;
  breadcrumbs: Crumb[];
}

export interface ArticlePage extends PageBase {
  kind: "article";
  article: Article;
  newer?: Article;
  older?: Article;
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
  months?: MonthGroup[];
}

export interface NameIndexPage extends PageBase {
  kind: "topics" | "authors";
  groups: NameGroup[];
}

export interface ArchiveIndexPage extends PageBase {
  kind: "archive";
  years: YearGroup[];
}

export interface PlainPage extends PageBase {
  kind: "search" | "notFound";
}

export type Page = ArticlePage | ListPage | NameIndexPage | ArchiveIndexPage | PlainPage;

/** Every page of the site, derived from the archive alone. */
export function buildPages(archive: Archive): Page[] {
  const { settings, articles } = archive;
  const pageSize = settings.pageSize;
  const home: Crumb = { name: "Home", url: "/" };
  const archiveCrumb: Crumb = { name: "Archive", url: "/archive/" };
  const pages: Page[] = [];

  articles.forEach((article, index) => {
    const date = article.date.value;
    pages.push({
      kind: "article",
      url: article.url,
      title: article.title,
      description: article.summary,
      breadcrumbs: [home, archiveCrumb, { name: String(date.year), url: `/${date.year}/` }, { name: monthName(date.year, date.month, settings.language), url: article.url.split("/").slice(0, 3).join("/") + "/" }],
      article,
      newer: articles[index - 1],
      older: articles[index + 1],
    });
  });

  pages.push(
    ...paginate(articles, pageSize, "/", (pagination) => ({
      kind: "list",
      listing: "home",
      title: pagination.pageNumber === 1 ? "Latest articles" : `Latest articles, page ${pagination.pageNumber}`,
      heading: "Latest articles",
      description: settings.description,
      breadcrumbs: [],
    })),
  );

  for (const [kind, groups, listing, label] of [
    ["topics", archive.topics, "topic", "Topics"],
    ["authors", archive.authors, "author", "Authors"],
  ] as const) {
    const indexCrumb: Crumb = { name: label, url: `/${kind}/` };
    pages.push({
      kind,
      url: `/${kind}/`,
      title: label,
      description: `All ${groups.length} ${kind} of ${settings.title}, with how many articles each has.`,
      breadcrumbs: [home],
      groups,
    });
    for (const group of groups) {
      pages.push(
        ...paginate(group.articles, pageSize, group.url, (pagination) => ({
          kind: "list",
          listing,
          title: pagedTitle(listing === "topic" ? group.name : `Articles by ${group.name}`, pagination),
          heading: group.name,
          description: `${count(group.articles.length)} ${listing === "topic" ? `about ${group.name}` : `by ${group.name}`}.`,
          breadcrumbs: [home, indexCrumb],
        })),
      );
    }
  }

  pages.push({
    kind: "archive",
    url: "/archive/",
    title: "Archive",
    description: `Every article of ${settings.title} by year and month.`,
    breadcrumbs: [home],
    years: archive.years,
  });
  for (const year of archive.years) {
    const yearCrumb: Crumb = { name: String(year.year), url: year.url };
    pages.push(
      ...paginate(year.articles, pageSize, year.url, (pagination) => ({
        kind: "list",
        listing: "year",
        title: pagedTitle(String(year.year), pagination),
        heading: String(year.year),
        description: `${count(year.articles.length)} from ${year.year}.`,
        breadcrumbs: [home, archiveCrumb],
        months: year.months,
      })),
    );
    for (const month of year.months) {
      const name = `${monthName(month.year, month.month, settings.language)} ${month.year}`;
      pages.push(
        ...paginate(month.articles, pageSize, month.url, (pagination) => ({
          kind: "list",
          listing: "month",
          title: pagedTitle(name, pagination),
          heading: name,
          description: `${count(month.articles.length)} from ${name}.`,
          breadcrumbs: [home, archiveCrumb, yearCrumb],
        })),
      );
    }
  }

  pages.push({ kind: "search", url: "/search/", title: "Search", description: `Search every article of ${settings.title}.`, breadcrumbs: [home] });
  pages.push({ kind: "notFound", url: "/404.html", title: "Page not found", description: "There is no page at this address.", breadcrumbs: [] });
  return pages;
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

function pagedTitle(title: string, pagination: Pagination): string {
  return pagination.pageNumber === 1 ? title : `${title}, page ${pagination.pageNumber}`;
}

function count(articles: number): string {
  return `${articles} ${articles === 1 ? "article" : "articles"}`;
}

export function monthName(year: number, month: number, language: string): string {
  return DateTime.fromObject({ year, month }, { zone: "UTC", locale: language }).toFormat("LLLL");
}
