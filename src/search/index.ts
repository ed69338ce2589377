import * as pagefind from "pagefind";
import type { Article } from "../archive/archive.ts";
import type { SiteModel } from "../archive/load-site.ts";
import { escapeAttribute, escapeText } from "../render/escape.ts";
import { sitePath } from "../site/urls.ts";

/** Pagefind reported errors; the build stops rather than publish a broken search. */
export class SearchIndexError extends Error {
  constructor(readonly errors: string[], options?: { cause?: unknown }) {
    super(`The search index could not be built:\n${errors.map((message) => `  ${message}`).join("\n")}\nThe previous site was left as it was.`, options);
    this.name = "SearchIndexError";
  }
}

// Enough records in flight to keep Pagefind's service busy without holding the whole archive twice.
const BATCH = 200;

/** A search index being filled while the pages render; `write` finishes it. */
export interface SearchIndexing {
  /** Writes the bundle to `<outputDir>/pagefind/` and frees the index. */
  write(outputDir: string): Promise<{ articles: number }>;
  /** Frees the index without writing it, after a build that failed. */
  discard(): Promise<void>;
}

/**
 * Starts indexing every published article for Pagefind. Records are made from the archive
 * model, not read back from the written pages, so Pagefind's process indexes on the second
 * core while Eleventy renders on the first. Only article bodies are indexed, with title, date,
 * authors and topics as metadata, filters and a sort key.
 */
export function startSearchIndex(site: SiteModel): SearchIndexing {
  const filled = fillIndex(site);
  // A failure is reported by write(); until then it must not count as unhandled.
  filled.catch(() => {});
  return {
    async write(outputDir) {
      const index = await filled;
      try {
        const written = await index.writeFiles({ outputPath: `${outputDir}/pagefind` });
        if (written.errors.length > 0) throw new SearchIndexError(written.errors);
        return { articles: site.archive.articles.length };
      } finally {
        await index.deleteIndex();
      }
    },
    async discard() {
      const index = await filled.catch(() => undefined);
      await index?.deleteIndex();
    },
  };
}

async function fillIndex(site: SiteModel): Promise<pagefind.PagefindIndex> {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: site.settings.language.split("-")[0] });
  if (!index) throw new SearchIndexError(errors);
  const { articles } = site.archive;
  for (let start = 0; start < articles.length; start += BATCH) {
    const responses = await Promise.all(articles.slice(start, start + BATCH).map((article) => index.addHTMLFile({ url: sitePath(site.settings, article.url), content: searchRecord(article, site) })));
    const failed = responses.flatMap((response) => response.errors);
    if (failed.length > 0) {
      await index.deleteIndex();
      throw new SearchIndexError(failed);
    }
  }
  return index;
}

/** Stops Pagefind's process, so that the command can exit. */
export async function closeSearch(): Promise<void> {
  await pagefind.close();
}

/** The HTML Pagefind reads for one article: its headline weighs most, its metadata is tagged. */
export function searchRecord(article: Article, site: SiteModel): string {
  const { settings } = site;
  const date = article.date.value;
  const utc = date.toUTC().toISO({ suppressMilliseconds: true }) ?? "";
  const meta = [
    ["title", article.title],
    ["date", date.setLocale(settings.language).toLocaleString(article.date.hasTime ? { dateStyle: "long", timeStyle: "short" } : { dateStyle: "long" })],
    ["datetime", article.date.hasTime ? (date.toISO({ suppressMilliseconds: true }) ?? "") : (date.toISODate() ?? "")],
    ["authors", article.authors.map((author) => author.name).join(", ")],
    ["topics", article.topics.map((topic) => topic.name).join(", ")],
  ];
  const hidden = [
    ...meta.map(([key, value]) => `<span data-pagefind-meta="${key}:${escapeAttribute(value!)}"></span>`),
    ...article.authors.map((author) => `<span data-pagefind-filter="author:${escapeAttribute(author.name)}"></span>`),
    ...article.topics.map((topic) => `<span data-pagefind-filter="topic:${escapeAttribute(topic.name)}"></span>`),
    `<span data-pagefind-filter="year:${date.year}"></span>`,
    `<span data-pagefind-sort="date:${utc}"></span>`,
  ].join("");
  return `<!doctype html><html lang="${escapeAttribute(settings.language)}"><head><title>${escapeText(article.title)}</title></head><body><article data-pagefind-body><h1>${escapeText(article.title)}</h1>${hidden}<p>${escapeText(article.summary)}</p>${article.html}</article></body></html>`;
}
