import type { Settings } from "../settings.ts";
import { warning, type Problem } from "../problems.ts";
import { renderBody } from "../render/body.ts";
import type { Archive } from "./archive.ts";

const WORDS_PER_MINUTE = 230;
const SUMMARY_LENGTH = 280;

/**
 * Renders every article body once, now that every URL is known, and fills in what comes from
 * the body: summary, word count, reading time. Links into the site that lead nowhere are reported.
 */
export function renderArticles(archive: Archive, pageUrls: ReadonlySet<string>, settings: Settings): Problem[] {
  const problems: Problem[] = [];
  const articleUrlByPath = new Map(archive.articles.map((article) => [article.relativePath, article.url]));
  for (const article of archive.articles) {
    const rendered = renderBody(article.body, { relativePath: article.relativePath, articleUrl: article.url, articleUrlByPath, pageUrls }, settings);
    article.html = rendered.html;
    article.words = rendered.words;
    article.readingMinutes = Math.max(1, Math.round(rendered.words / WORDS_PER_MINUTE));
    article.summary = article.writtenSummary ?? shorten(rendered.firstParagraph, SUMMARY_LENGTH);
    article.body = "";
    for (const href of rendered.brokenLinks) problems.push(warning(article.file, brokenLinkMessage(href, rendered.brokenImages.includes(href))));
  }
  return problems;
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
