import { Feed } from "feed";
import type { Archive, Article, NameGroup } from "../archive/archive.ts";
import type { Settings } from "../settings.ts";
import { escapeAttribute } from "../render/escape.ts";
import { absoluteUrl } from "../site/urls.ts";

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
    { title: `${settings.title} (Atom)`, url: SITE_FEED, type: "application/atom+xml" },
    { title: `${settings.title} (JSON Feed)`, url: SITE_JSON_FEED, type: "application/feed+json" },
  ];
}

/** The Atom feed of one topic or author: `/topics/housing/feed.xml`. */
export function groupFeedLink(group: NameGroup, kind: "topic" | "author", settings: Settings): FeedLink {
  const title = kind === "topic" ? `${settings.title}: ${group.name}` : `${settings.title}: articles by ${group.name}`;
  return { title, url: `${group.url}feed.xml`, type: "application/atom+xml" };
}

/**
 * A feed of the newest articles, made by the `feed` library. Its `updated` time is that of its
 * newest entry, never the build's, so that two builds of the same archive are identical.
 */
export function renderFeed(articles: readonly Article[], link: FeedLink, pageUrl: string, archive: Archive): string {
  const { settings } = archive;
  const absolute = (url: string) => absoluteUrl(settings, url);
  const entries = articles.slice(0, settings.feedSize);
  const atom = link.type === "application/atom+xml";
  // Atom declares title and summary as HTML; the feed library writes them as given.
  const text = (value: string) => (atom ? escapeAttribute(value) : value);
  const feed = new Feed({
    id: absolute(link.url),
    title: link.title,
    description: settings.description,
    link: absolute(pageUrl),
    language: settings.language,
    updated: entries.length > 0 ? new Date(Math.max(...entries.map(lastModified))) : new Date(0),
    generator: "Broadsheet",
    feedLinks: { [link.type === "application/atom+xml" ? "atom" : "json"]: absolute(link.url) },
    copyright: "",
  });
  for (const article of entries) {
    feed.addItem({
      id: absolute(article.url),
      link: absolute(article.url),
      title: text(article.title),
      published: article.date.value.toJSDate(),
      date: new Date(lastModified(article)),
      description: text(article.summary),
      content: absoluteLinks(article.html, settings),
      author: article.authors.map((author) => ({ name: author.name, link: absolute(author.url) })),
      category: article.topics.map((topic) => ({ name: topic.name, term: topic.name, scheme: absolute("/topics/") })),
    });
  }
  return atom ? escapeAttributeBrackets(feed.atom1()) : feed.json1();
}

/** The feed library escapes & and " in attributes but not <, which XML forbids there (a topic named `<b>`). */
function escapeAttributeBrackets(xml: string): string {
  return xml.replace(/="([^"]*)"/g, (_, value: string) => `="${value.replace(/</g, "&lt;").replace(/>/g, "&gt;")}"`);
}

export function lastModified(article: Article): number {
  return (article.updated ?? article.date).value.toMillis();
}

/** Feed readers show content away from the site: root-relative links must name the host. */
export function absoluteLinks(html: string, settings: Pick<Settings, "baseUrl">): string {
  return html.replace(/(\s(?:href|src)=")\/(?!\/)/g, `$1${settings.baseUrl}/`);
}
