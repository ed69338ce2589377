import type { Settings } from "../settings.ts";
import { warning, type Problem } from "../problems.ts";
import { renderBody, type LinkContext } from "../render/body.ts";
import type { Archive, Article } from "./archive.ts";

const WORDS_PER_MINUTE = 230;
const SUMMARY_LENGTH = 280;

/**
 * Renders every article body once, now that every URL is known, and fills in what comes from
 * the body: summary, word count, reading time. Links into the site that lead nowhere are reported.
 */
export function renderArticles(archive: Archive, pageUrls: ReadonlySet<string>, settings: Settings): Problem[] {
  const site = { articleUrlByPath: articleUrlsByPath(archive), pageUrls };
  return archive.articles.flatMap((article) => renderArticle(article, site, settings));
}

/** The site URL of the article at each relative path, for links between articles' files. */
export function articleUrlsByPath(archive: Archive): Map<string, string> {
  return new Map(archive.articles.map((article) => [article.relativePath, article.url]));
}

/** Renders one article's body; see `renderArticles`. */
export function renderArticle(article: Article, site: Pick<LinkContext, "articleUrlByPath" | "pageUrls">, settings: Settings): Problem[] {
  const rendered = renderBody(article.body, { ...site, relativePath: article.relativePath, articleUrl: article.url }, settings);
  article.html = rendered.html;
  article.words = rendered.words;
  article.readingMinutes = Math.max(1, Math.round(rendered.words / WORDS_PER_MINUTE));
  article.opening = rendered.firstParagraph;
  article.summary = article.writtenSummary ?? shorten(rendered.firstParagraph, SUMMARY_LENGTH);
  article.body = "";
  return rendered.brokenLinks.map((href) => warning(article.file, brokenLinkMessage(href, rendered.brokenImages.includes(href))));
}

function brokenLinkMessage(href: string, image: boolean): string {
  if (href.startsWith("#")) return `links to ${href}, but no heading or anchor in the article has that id; the link is shown as plain text. Write the heading's id after it (## Costs {#costs}) or correct the link.`;
  if (image) return `shows the image ${href}, which is not part of the site; its description is shown instead. Use a full https:// address for the image.`;
  return `links to ${href}, which is no page of this site; the link is shown as plain text. Point it at an article's file (../2019/other-article.md) or a full https:// address.`;
}

/** Cuts text at a word boundary, with an ellipsis, when it is longer than `length`. */
export function shorten(text: string, length: number): string {
  if (text.length <= length) return text;
  const cut = text.slice(0, length + 1).replace(/\s+\S*$/, "");
  return `${cut.replace(/[\s,;:.–—-]+$/, "")}…`;
}
