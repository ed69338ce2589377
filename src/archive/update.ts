import type { ArticleDate } from "../articles/dates.ts";
import type { ArticleSource } from "../articles/load.ts";
import type { Problem } from "../problems.ts";
import { articleHtml, type Article } from "./archive.ts";
import { useEncodedPictures, type SiteModel } from "./load-site.ts";
import type { Page } from "./pages.ts";
import { articleUrlsByPath, renderArticle } from "./render.ts";

/** An edit applied to the model in place, and the pages that must be rendered again for it. */
export interface Revision {
  pages: Page[];
  problems: Problem[];
}

/**
 * Applies an edit that changes only what an article says (its title, summary or body), not where
 * it belongs (its date, update date, authors, topics, slug, aliases, corrections or draft state;
 * aliases and corrections are pages and entries of their own elsewhere): the article is
 * rendered again and put in the old one's place everywhere in the model, and the pages that show
 * it are returned. This is what lets `serve` show an edit in a large archive at once.
 * Undefined when the edit moves the article, or stops referring to a file beside the articles:
 * the model must then be built afresh.
 * Related articles are left as they were chosen from the old text, until the next full build.
 */
export function reviseArticle(site: SiteModel, previous: ArticleSource, revised: ArticleSource): Revision | undefined {
  if (!samePlace(previous, revised)) return undefined;
  const { archive } = site;
  const old = archive.articles.find((article) => article.relativePath === revised.relativePath);
  if (!old) return undefined;
  const article: Article = {
    ...old,
    title: revised.title,
    summary: revised.summary ?? "",
    writtenSummary: revised.summary,
    body: revised.body,
    leadImage: revised.image && { ...revised.image, line: revised.lines.image },
    // A line added to the front matter moves the body: its warnings name the lines as they are now.
    lines: revised.lines,
    bodyLine: revised.bodyLine,
  };
  const urls = new Set(site.pages.map((page) => page.url));
  // Links are checked against the pages a whole build checks them against: those it writes but
  // the files beside the articles, which it publishes only once every body is rendered.
  const mediaUrls = new Set(site.media.pages().map((file) => file.url));
  const pageUrls = new Set([...urls].filter((url) => !mediaUrls.has(url)));
  const problems = renderArticle(article, { articleUrlByPath: articleUrlsByPath(archive), pageUrls, mediaFiles: site.media }, site.settings);
  // Pictures a whole build encoded are shown encoded; one shown for the first time makes serve
  // build the whole site (`hasUnencodedPictures`).
  useEncodedPictures([article], site.media, site.settings.basePath);
  // A file the article no longer refers to may be referred to by no article now: only a whole
  // build, which publishes just the files referred to, can tell.
  const referred = filesReferredTo(article, site.settings.basePath);
  for (const url of filesReferredTo(old, site.settings.basePath)) if (!referred.has(url)) return undefined;
  // A file the edit refers to for the first time is published with the pages that show the article.
  const newFiles = site.media.pages().filter((file) => !urls.has(file.url));
  site.pages.push(...newFiles);

  const swap = (articles: Article[]) => {
    const index = articles.indexOf(old);
    if (index >= 0) articles[index] = article;
    return index >= 0;
  };
  swap(archive.articles);
  for (const group of [...archive.topics, ...archive.authors, ...archive.years, ...archive.years.flatMap((year) => year.months)]) swap(group.articles);

  const pages = site.pages.filter((page) => {
    switch (page.kind) {
      case "article": {
        let shows = swap(page.related);
        for (const field of ["article", "newer", "older"] as const) {
          if (page[field] === old) {
            page[field] = article;
            shows = true;
          }
        }
        if (page.article === article) {
          page.title = article.title;
          page.description = article.summary;
        }
        return shows;
      }
      case "list": {
        let shows = swap(page.articles);
        // The front page's sections are lists of their own.
        const front = page.front;
        if (front) {
          if (front.lead === old) {
            front.lead = article;
            shows = true;
          }
          for (const list of [front.latest, ...front.topics.map((section) => section.articles)]) shows = swap(list) || shows;
        }
        return shows;
      }
      case "file":
        // Feeds read their group's articles when rendered, swapped above; the corrections feed
        // lists its own.
        return page.articles !== undefined && (swap(page.articles as Article[]) || page.articles.includes(article));
      case "corrections": {
        let shows = false;
        for (const entry of page.corrections) {
          if (entry.article === old) {
            entry.article = article;
            shows = true;
          }
        }
        return shows;
      }
      case "redirect":
        // An old address's page names the article it leads to.
        if (page.target !== article.url) return false;
        page.title = article.title;
        return true;
      default:
        // Indexes of topics, authors and years show counts, which an edit in place leaves alone.
        return false;
    }
  });
  return { pages: [...pages, ...newFiles], problems };
}

/** The addresses of the files beside the articles that an article shows or links to, its lead picture's included. */
function filesReferredTo(article: Article, basePath: string): Set<string> {
  const referred = new Set<string>();
  if (article.image?.file) referred.add(article.image.file.url);
  const marker = `${basePath}media/`;
  const html = articleHtml(article);
  for (let at = html.indexOf(marker); at !== -1; at = html.indexOf(marker, at + marker.length)) {
    const length = html.slice(at).search(/["'\s?#<>]/);
    referred.add(`/${html.slice(at + basePath.length, length === -1 ? undefined : at + length)}`);
  }
  return referred;
}

function samePlace(previous: ArticleSource, revised: ArticleSource): boolean {
  return (
    previous.relativePath === revised.relativePath &&
    sameDate(previous.date, revised.date) &&
    sameDate(previous.updated, revised.updated) &&
    previous.draft === revised.draft &&
    previous.slug === revised.slug &&
    sameList(previous.authors, revised.authors) &&
    sameList(previous.topics, revised.topics) &&
    sameList(previous.aliases, revised.aliases) &&
    sameList(previous.corrections.map(describeCorrection), revised.corrections.map(describeCorrection))
  );
}

function describeCorrection(correction: ArticleSource["corrections"][number]): string {
  return `${correction.date.value.toISO()} ${correction.date.hasTime} ${correction.text}`;
}

function sameDate(a: ArticleDate | undefined, b: ArticleDate | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.hasTime === b.hasTime && a.value.toISO() === b.value.toISO());
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
