import { Feed } from "feed";
import { articleHtml, type Archive, type Article, type ArticleImage, type NameGroup } from "../archive/archive.ts";
import { messagesFor } from "../i18n/messages.ts";
import type { Settings } from "../settings.ts";
import { escapeAttribute, escapeText } from "../render/escape.ts";
import { absoluteUrl, mediaAddress } from "../urls.ts";

/** A feed a page links to with `<link rel="alternate">`. */
export interface FeedLink {
  title: string;
  /** Site URL without the base path. */
  url: string;
  type: "application/atom+xml" | "application/feed+json";
}

export const SITE_FEED = "/feed.xml";
export const SITE_JSON_FEED = "/feed.json";

export function siteFeedLinks(settings: Settings): FeedLink[] {
  return [
    { title: messagesFor(settings).t("feed.atom", { site: settings.title }), url: SITE_FEED, type: "application/atom+xml" },
    { title: messagesFor(settings).t("feed.json", { site: settings.title }), url: SITE_JSON_FEED, type: "application/feed+json" },
  ];
}

/** The Atom feed of one topic or author: `/topics/housing/feed.xml`. */
export function groupFeedLink(group: NameGroup, kind: "topic" | "author", settings: Settings): FeedLink {
  const title = messagesFor(settings).t(kind === "topic" ? "feed.topic" : "feed.author", { site: settings.title, name: group.name });
  return { title, url: `${group.url}feed.xml`, type: "application/atom+xml" };
}

/**
 * A feed of the newest articles. Its `updated` time is that of its newest entry, never the
 * build's, so that two builds of the same archive are identical. Atom feeds are written here, an
 * article's entry once for all the feeds it is in (at 10,000 articles the `feed` library spent
 * 4 s on them); the one JSON Feed comes from the `feed` library.
 */
export function renderFeed(articles: readonly Article[], link: FeedLink, pageUrl: string, archive: Archive): string {
  const entries = articles.slice(0, archive.settings.feedSize);
  const updated = new Date(entries.length > 0 ? Math.max(...entries.map(lastModified)) : 0);
  return link.type === "application/atom+xml" ? renderAtom(entries, link, pageUrl, updated, archive) : renderJsonFeed(entries, link, pageUrl, updated, archive);
}

function renderAtom(entries: readonly Article[], link: FeedLink, pageUrl: string, updated: Date, archive: Archive): string {
  const { settings } = archive;
  const absolute = (url: string) => escapeAttribute(absoluteUrl(settings, url));
  return [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeAttribute(settings.language)}">`,
    `<id>${absolute(link.url)}</id>`,
    `<title>${escapeText(link.title)}</title>`,
    `<updated>${updated.toISOString()}</updated>`,
    `<generator>Broadsheet</generator>`,
    `<link rel="alternate" href="${absolute(pageUrl)}"/>`,
    `<link rel="self" href="${absolute(link.url)}"/>`,
    `<subtitle>${escapeText(settings.description)}</subtitle>`,
    ...entries.map((article) => atomEntry(article, archive)),
    `</feed>`,
    "",
  ].join("\n");
}

const atomEntries = new WeakMap<Article, string>();

/** One article as an Atom entry; title, summary and content are HTML, escaped as XML text. */
function atomEntry(article: Article, archive: Archive): string {
  const cached = atomEntries.get(article);
  if (cached) return cached;
  const { settings } = archive;
  const absolute = (url: string) => escapeAttribute(absoluteUrl(settings, url));
  const html = (value: string) => escapeText(escapeText(value));
  const entry = [
    `<entry>`,
    `<title type="html">${html(article.title)}</title>`,
    `<id>${absolute(article.url)}</id>`,
    `<link href="${absolute(article.url)}"/>`,
    `<published>${article.date.value.toJSDate().toISOString()}</published>`,
    `<updated>${new Date(lastModified(article)).toISOString()}</updated>`,
    ...article.authors.map((author) => `<author><name>${escapeText(author.name)}</name><uri>${absolute(author.url)}</uri></author>`),
    ...article.topics.map((topic) => `<category term="${escapeAttribute(topic.name)}" label="${escapeAttribute(topic.name)}" scheme="${absolute("/topics/")}"/>`),
    ...(article.image ? [atomImage(article.image, settings)] : []),
    `<summary type="html">${html(article.summary)}</summary>`,
    `<content type="html">${escapeText(absoluteLinks(articleHtml(article), settings))}</content>`,
    `</entry>`,
  ].join("\n");
  atomEntries.set(article, entry);
  return entry;
}

function renderJsonFeed(entries: readonly Article[], link: FeedLink, pageUrl: string, updated: Date, archive: Archive): string {
  const { settings } = archive;
  const absolute = (url: string) => absoluteUrl(settings, url);
  const feed = new Feed({
    id: absolute(link.url),
    title: link.title,
    description: settings.description,
    link: absolute(pageUrl),
    language: settings.language,
    updated,
    generator: "Broadsheet",
    feedLinks: { json: absolute(link.url) },
    copyright: "",
  });
  for (const article of entries) {
    feed.addItem({
      id: absolute(article.url),
      link: absolute(article.url),
      title: article.title,
      published: article.date.value.toJSDate(),
      date: new Date(lastModified(article)),
      description: article.summary,
      content: absoluteLinks(articleHtml(article), settings),
      ...(article.image ? { image: mediaAddress(settings, article.image.url) } : {}),
      author: article.authors.map((author) => ({ name: author.name, link: absolute(author.url) })),
      category: article.topics.map((topic) => ({ name: topic.name, term: topic.name, scheme: absolute("/topics/") })),
    });
  }
  return feed.json1();
}

/** The lead picture as an enclosure link, which feed readers show beside the entry. */
function atomImage(image: ArticleImage, settings: Settings): string {
  const address = mediaAddress(settings, image.url);
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(new URL(address).pathname)?.[1]?.toLowerCase();
  const type = extension === undefined ? "" : ` type="image/${extension === "jpg" ? "jpeg" : extension === "svg" ? "svg+xml" : extension}"`;
  // A picture's own URL serves its largest encoding (see archive/media.ts).
  const bytes = image.file?.picture?.largest.bytes ?? image.file?.bytes;
  const length = bytes === undefined ? "" : ` length="${bytes}"`;
  return `<link rel="enclosure" href="${escapeAttribute(address)}"${type}${length}/>`;
}

export function lastModified(article: Article): number {
  return (article.updated ?? article.date).value.toMillis();
}

/** Feed readers show content away from the site: root-relative links must name the host. */
export function absoluteLinks(html: string, settings: Pick<Settings, "baseUrl">): string {
  return html.replace(/(\s(?:href|src)=")\/(?!\/)/g, `$1${settings.baseUrl}/`);
}
