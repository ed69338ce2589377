import type { Archive, Article } from "../archive/archive.ts";
import type { Correction } from "../articles/corrections.ts";
import { compareText } from "../problems.ts";
import { escapeAttribute, escapeText } from "../render/escape.ts";
import { absoluteUrl } from "../urls.ts";
import type { FeedLink } from "./feeds.ts";
import { messagesFor } from "../i18n/messages.ts";
import type { Settings } from "../settings.ts";

export const CORRECTIONS_URL = "/corrections/";

/** One correction with its article, as /corrections/ and its feed list them. */
export interface CorrectionEntry {
  article: Article;
  correction: Correction;
  /** The id of the correction on the article's page: `correction-2024-05-02`. */
  anchor: string;
}

export function correctionsFeedLink(settings: Settings): FeedLink {
  return { title: messagesFor(settings).t("corrections.feedTitle", { site: settings.title }), url: `${CORRECTIONS_URL}feed.xml`, type: "application/atom+xml" };
}

/**
 * Ids for an article's corrections, in its order: named for the day, so that a link to one
 * stays right when a later correction is added; a second on the same day gets `-2`.
 */
export function correctionAnchors(article: Pick<Article, "corrections">): string[] {
  const used = new Map<string, number>();
  return article.corrections.map((correction) => {
    const base = `correction-${correction.date.value.toISODate()}`;
    const count = (used.get(base) ?? 0) + 1;
    used.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  });
}

/** Every correction in the archive, newest first; on the same instant, by article then order written. */
export function listCorrections(articles: readonly Article[]): CorrectionEntry[] {
  const entries = articles.flatMap((article) => {
    const anchors = correctionAnchors(article);
    return article.corrections.map((correction, index) => ({ article, correction, anchor: anchors[index]!, index }));
  });
  entries.sort(
    (a, b) =>
      b.correction.date.value.toMillis() - a.correction.date.value.toMillis() ||
      compareText(a.article.url, b.article.url) ||
      b.index - a.index,
  );
  return entries.map(({ article, correction, anchor }) => ({ article, correction, anchor }));
}

/**
 * The Atom feed of corrections, newest first: an entry per correction, linked to it on the
 * article's page. Like the other feeds, its `updated` is its newest entry's, never the build's.
 */
export function renderCorrectionsFeed(entries: readonly CorrectionEntry[], archive: Archive): string {
  const { settings } = archive;
  const link = correctionsFeedLink(settings);
  const messages = messagesFor(settings);
  const absolute = (url: string) => escapeAttribute(absoluteUrl(settings, url));
  const shown = entries.slice(0, settings.feedSize);
  const updated = new Date(shown[0]?.correction.date.value.toMillis() ?? 0).toISOString();
  return [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeAttribute(settings.language)}">`,
    `<id>${absolute(link.url)}</id>`,
    `<title>${escapeText(link.title)}</title>`,
    `<updated>${updated}</updated>`,
    `<generator>Broadsheet</generator>`,
    `<author><name>${escapeText(settings.publisher || settings.title)}</name></author>`,
    `<link rel="alternate" href="${absolute(CORRECTIONS_URL)}"/>`,
    `<link rel="self" href="${absolute(link.url)}"/>`,
    `<subtitle>${escapeText(messages.t("corrections.description", { site: settings.title }))}</subtitle>`,
    ...shown.map(({ article, correction, anchor }) => {
      const when = new Date(correction.date.value.toMillis()).toISOString();
      return [
        `<entry>`,
        `<title type="html">${escapeText(escapeText(messages.t("corrections.entryTitle", { title: article.title })))}</title>`,
        `<id>${absolute(`${article.url}#${anchor}`)}</id>`,
        `<link href="${absolute(`${article.url}#${anchor}`)}"/>`,
        `<published>${when}</published>`,
        `<updated>${when}</updated>`,
        `<content type="text">${escapeText(correction.text)}</content>`,
        `</entry>`,
      ].join("\n");
    }),
    `</feed>`,
    "",
  ].join("\n");
}
