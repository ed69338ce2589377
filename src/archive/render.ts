import type { Settings } from "../settings.ts";
import { warning, type Problem } from "../problems.ts";
import { renderBody, type LinkContext, type RenderedBody } from "../render/body.ts";
import type { Archive, Article } from "./archive.ts";
import type { MediaFiles } from "./media.ts";
import { isExternal } from "../urls.ts";
import type { ArticleCache } from "../cache/article-cache.ts";

const WORDS_PER_MINUTE = 230;
const SUMMARY_LENGTH = 280;

/**
 * Renders every article body once, now that every URL is known, and fills in what comes from
 * the body: summary, word count, reading time. Links into the site that lead nowhere are reported.
 */
export function renderArticles(archive: Archive, pageUrls: ReadonlySet<string>, settings: Settings, media?: MediaFiles, cache?: ArticleCache): Problem[] {
  const site = { articleUrlByPath: articleUrlsByPath(archive), pageUrls, mediaFiles: media, cache };
  return archive.articles.flatMap((article) => renderArticle(article, site, settings));
}

/** The site URL of the article at each relative path, for links between articles' files. */
export function articleUrlsByPath(archive: Archive): Map<string, string> {
  return new Map(archive.articles.map((article) => [article.relativePath, article.url]));
}

/** What an article's links may lead to: the other articles, the site's pages and the files beside the articles. */
export interface RenderSite extends Pick<LinkContext, "articleUrlByPath" | "pageUrls"> {
  /** The files beside the articles; without it, a link to one is broken. */
  mediaFiles?: MediaFiles;
  /** Bodies rendered by an earlier build, reused when nothing they depend on changed. */
  cache?: ArticleCache;
}

/** Renders one article's body; see `renderArticles`. */
export function renderArticle(article: Article, site: RenderSite, settings: Settings): Problem[] {
  const { mediaFiles, cache, ...links } = site;
  const media = mediaFiles && ((target: string, image: boolean) => mediaFiles.lookup(article.relativePath, target, image ? article.file : undefined));
  // Taken from the cache by its file's status alone, the article's body is read only if needed
  // (to render it, or to give a broken link's line); else it is the one read with the file.
  const readBody = article.body;
  let body: string | undefined;
  const bodyText = () => (body ??= cache?.unreadBody(article.relativePath) ?? readBody);
  const context = { ...links, media, relativePath: article.relativePath, articleUrl: article.url };
  const rendered = cache ? cache.render(article.relativePath, context, (recording) => renderBody(bodyText(), recording, settings)) : renderBody(bodyText(), context, settings);
  article.html = rendered.html;
  Object.assign(article, fieldsOfBody(rendered, article.writtenSummary));
  article.body = "";
  const problems = findLeadImage(article, mediaFiles);
  return problems.concat(rendered.brokenLinks.map((href) => {
    const line = lineOfText(bodyText(), href);
    const where = line === undefined ? {} : { line: article.bodyLine + line };
    if (rendered.refusedFiles.includes(href)) {
      return warning(article.file, `refers to ${href}, which is outside the articles folder, so it is not published and nothing there was read. Copy the file beside the article and refer to it by a path inside the articles folder.`, where);
    }
    if (rendered.hiddenFiles.includes(href)) {
      return warning(article.file, `refers to ${href}, which is in a hidden folder or is hidden itself (its name begins with a dot), so it is not published and nothing there was read: builds read no hidden file, nor notice when one changes. Move the file to a folder whose name does not begin with a dot, and correct the path.`, where);
    }
    if (rendered.missingFiles.includes(href)) {
      const kind = rendered.brokenImages.includes(href) ? "shows the image" : "links to the file";
      return warning(article.file, `${kind} ${href}, but there is no such file beside the article; the ${rendered.brokenImages.includes(href) ? "image's description" : "link's text"} is shown instead. Put the file at that path, relative to the article's own file, or correct the path.`, where);
    }
    return warning(article.file, brokenLinkMessage(href, rendered.brokenImages.includes(href)), where);
  }));
}

/** What an article shows of its rendered body besides the HTML: its length, its reading time, and the opening its summary is made from when it has none written. */
export function fieldsOfBody(rendered: Pick<RenderedBody, "words" | "firstParagraph">, writtenSummary: string | undefined): Pick<Article, "words" | "readingMinutes" | "opening" | "summary"> {
  return {
    words: rendered.words,
    readingMinutes: readingMinutes(rendered.words),
    opening: rendered.firstParagraph,
    summary: writtenSummary ?? shorten(rendered.firstParagraph, SUMMARY_LENGTH),
  };
}

/** How long a body of `words` takes to read, in whole minutes, at least one. */
export function readingMinutes(words: number): number {
  return Math.max(1, Math.round(words / WORDS_PER_MINUTE));
}

/** Finds the lead picture the front matter names; one that is not there is reported and left out. */
function findLeadImage(article: Article, mediaFiles: MediaFiles | undefined): Problem[] {
  const lead = article.leadImage;
  article.image = undefined;
  if (lead === undefined) return [];
  const { src, alt, caption, credit } = lead;
  if (isExternal(src)) {
    article.image = { url: src, alt, caption, credit };
    return [];
  }
  const where = { field: "image", line: lead.line };
  const found = mediaFiles?.lookup(article.relativePath, decodeURIComponentSafe(src.replace(/[?#].*$/, "")), article.file);
  if (found !== undefined && "file" in found) {
    article.image = { url: found.file.url, alt, caption, credit, file: found.file };
    return [];
  }
  if (found !== undefined && "hidden" in found) {
    return [warning(article.file, `${src} is in a hidden folder or is hidden itself (its name begins with a dot), so it is not published and nothing there was read; the article has no lead picture. Move the picture to a folder whose name does not begin with a dot, and correct the path.`, where)];
  }
  if (found !== undefined && "outside" in found) {
    return [warning(article.file, `${src} is outside the articles folder, so it is not published and nothing there was read; the article has no lead picture. Copy the picture beside the article and write its path relative to the article's file.`, where)];
  }
  return [warning(article.file, `${src} is no file beside the article, so the article has no lead picture. Put the picture at that path, relative to the article's own file, or correct the path.`, where)];
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The 0-based line of `text` on which `needle` first appears, if it does. */
function lineOfText(text: string, needle: string): number | undefined {
  const at = text.indexOf(needle);
  if (at === -1) return undefined;
  let line = 0;
  for (let index = text.indexOf("\n"); index !== -1 && index < at; index = text.indexOf("\n", index + 1)) line++;
  return line;
}

function brokenLinkMessage(href: string, image: boolean): string {
  if (href.startsWith("#")) return `links to ${href}, but no heading or anchor in the article has that id; the link is shown as plain text. Write the heading's id after it (## Costs {#costs}) or correct the link.`;
  if (image) return `shows the image ${href}, which is not part of the site; its description is shown instead. Put the image beside the article and refer to it by a path relative to the article's file (photos/boats.jpg), or use a full https:// address.`;
  return `links to ${href}, which is no page of this site; the link is shown as plain text. Point it at an article's file (../2019/other-article.md) or a full https:// address.`;
}

/** Cuts text at a word boundary, with an ellipsis, when it is longer than `length`. */
export function shorten(text: string, length: number): string {
  if (text.length <= length) return text;
  const cut = text.slice(0, length + 1).replace(/\s+\S*$/, "");
  return `${cut.replace(/[\s,;:.–—-]+$/, "")}…`;
}
