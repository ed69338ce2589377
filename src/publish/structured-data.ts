import type { Article } from "../archive/archive.ts";
import type { HtmlPage } from "../archive/pages.ts";
import type { Settings } from "../settings.ts";
import { absoluteUrl, logoUrl, mediaAddress } from "../urls.ts";

type JsonLd = Record<string, unknown>;

function publisher(settings: Settings): JsonLd {
  const logo = logoUrl(settings.logo);
  const logoAddress = settings.publisherLogo || (logo === undefined ? "" : absoluteUrl(settings, logo));
  return {
    "@type": "Organization",
    name: settings.publisher || settings.title,
    url: absoluteUrl(settings, "/"),
    ...(logoAddress ? { logo: { "@type": "ImageObject", url: logoAddress } } : {}),
  };
}

/** schema.org data for a page: `NewsArticle` for articles, `CollectionPage` for listings and indexes. */
export function structuredData(page: HtmlPage, settings: Settings): JsonLd | undefined {
  const url = absoluteUrl(settings, page.url);
  if (page.kind === "article") return newsArticle(page.article, settings);
  if (page.kind === "notFound") return undefined;
  if (page.kind === "list" && page.listing === "home" && page.pagination.pageNumber === 1) {
    return { "@context": "https://schema.org", "@type": "WebSite", name: settings.title, description: settings.description, url, inLanguage: settings.language, publisher: publisher(settings) };
  }
  return {
    "@context": "https://schema.org",
    "@type": page.kind === "search" ? "SearchResultsPage" : page.kind === "page" ? (page.url === "/about/" ? "AboutPage" : "WebPage") : "CollectionPage",
    name: page.title,
    description: page.description,
    url,
    inLanguage: settings.language,
    isPartOf: { "@type": "WebSite", name: settings.title, url: absoluteUrl(settings, "/") },
  };
}

export function newsArticle(article: Article, settings: Settings): JsonLd {
  return {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    headline: article.title,
    description: article.summary,
    url: absoluteUrl(settings, article.url),
    mainEntityOfPage: absoluteUrl(settings, article.url),
    datePublished: isoDate(article, "date"),
    dateModified: isoDate(article, article.updated ? "updated" : "date"),
    author: article.authors.map((author) => ({ "@type": "Person", name: author.name, url: absoluteUrl(settings, author.url) })),
    publisher: publisher(settings),
    keywords: article.topics.map((topic) => topic.name),
    inLanguage: settings.language,
    wordCount: article.words,
    ...(article.corrections.length > 0
      ? { correction: article.corrections.map((correction) => ({ "@type": "CorrectionComment", text: correction.text, datePublished: correction.date.value.toISO({ suppressMilliseconds: true }) })) }
      : {}),
    ...(article.image ? { image: leadImageObject(article, settings) } : {}),
  };
}

function leadImageObject(article: Article, settings: Settings): JsonLd {
  const image = article.image!;
  return {
    "@type": "ImageObject",
    url: mediaAddress(settings, image.url),
    ...(image.alt ? { description: image.alt } : {}),
    ...(image.caption ? { caption: image.caption } : {}),
    ...(image.credit ? { creditText: image.credit } : {}),
  };
}

function isoDate(article: Article, field: "date" | "updated"): string {
  const date = article[field]!;
  return date.value.toISO({ suppressMilliseconds: true }) ?? "";
}

/**
 * JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` are escaped as \u
 * sequences, so that no text in it (a headline with `</script>`) can end the script early.
 */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
