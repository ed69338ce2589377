import { readFileSync, statSync } from "node:fs";
import { fileStatus } from "../archive/content-hashes.ts";
import { parseArticle, type ArticleSource } from "../articles/load.ts";
import { termsKey, type ArticleText } from "../archive/related.ts";
import { fieldsOfBody, readingMinutes } from "../archive/render.ts";
import { readingTimeHtml } from "../../layouts/components/article-view.tsx";
import { hasErrors, type Problem } from "../problems.ts";
import { absoluteLinks } from "../publish/feeds.ts";
import { escapeText } from "../render/escape.ts";
import { renderBody, type LinkContext, type RenderedBody } from "../render/body.ts";
import type { Settings } from "../settings.ts";
import { entryKey, packedSource, unpackRendered, type Question, type StoredEntry } from "./article-cache.ts";

// What a build of bodies edited alone (`buildBodyEdits` in src/build.ts; the README's "Bodies
// edited alone, without the site's model") knows of an article: whether its file changed in its
// body alone, its body rendered again against the answers its entry's rendering was given,
// whether anything another page shows of it changed, and its page and feeds made from the ones
// the site in place has. Anything it cannot be sure of is a reason for the whole build, which is
// never wrong.

/** An article file whose body alone changed since the last build, with the body rendered again. */
export interface BodyEdit {
  absolute: string;
  /** As messages show it. */
  file: string;
  relativePath: string;
  /** The article's address, as its front matter gives it: the last build's. */
  url: string;
  /** The key of the entry the last build read the file as, and of the file's bytes now. */
  previousKey: string;
  key: string;
  /** The file parsed now, its body with it; its front matter is the entry's. */
  source: ArticleSource;
  /** What parsing found now: warnings only. */
  problems: Problem[];
  /** The body rendered now, against the answers the entry's rendering was given, and the questions it asked. */
  rendered: RenderedBody;
  questions: Question[];
  /** What the article's own page shows of the body besides its HTML: these may differ from the last build's. */
  words: number;
  readingMinutes: number;
  /** The body the last build rendered, and its length in words. */
  previous: { html: string; words: number };
  /**
   * The key of the text the related lists count in the article (`termsKey`), the last build's and
   * now, and that text now: when the keys differ, the lists are chosen again (related-edits.ts).
   */
  previousTermsKey: string;
  termsKey: string;
  text: ArticleText;
}

/** What the rendering of a body asked that its entry's did not: the whole site is needed to answer it. */
class NotAnswered extends Error {}

/**
 * The article file at `absolute`, whose status changed since the last build read it as the entry
 * `previous` (under `previousKey`), as a body edit; `"unchanged"` when its bytes are the entry's
 * (saved again); else why the whole site must be built (a sentence for the build's report).
 * `settings` are the site's, which the cache's key holds: the same for both builds.
 */
export function bodyEditOf(absolute: string, file: string, relativePath: string, status: string, previousKey: string, previous: StoredEntry, previousHtml: () => string | undefined, settings: Settings): BodyEdit | "unchanged" | string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolute);
    // Still as stamped, after it was read: these are the bytes the stamp's status stands for.
    if (fileStatus(statSync(absolute, { bigint: true })) !== status) return `${file} changed while it was read`;
  } catch {
    return `${file} could not be read again`;
  }
  const key = entryKey(file, relativePath, bytes);
  if (key === previousKey) return "unchanged";
  const parsed = parseArticle(bytes, file, relativePath, settings);
  if (parsed.source === undefined || hasErrors(parsed.problems)) return `${file} has an error`;
  // The warnings a build reports stay the last build's: a body that has any is built with the site, which words them anew.
  if (parsed.problems.length > 0 || (Array.isArray(previous.parsed.problems) && previous.parsed.problems.length > 0)) return `${file} has warnings`;
  // The front matter as the cache stores it, against the entry's: the same fields give the article
  // the same address, date, names and place everywhere.
  if (JSON.stringify(packedSource({ ...parsed.source, body: "" })) !== JSON.stringify(previous.parsed.source)) return `${file}'s front matter changed`;
  const earlier = previous.rendered && unpackRendered(previous.rendered);
  if (earlier === undefined || earlier.termsKey === undefined) return `${file} has no rendered body kept`;
  // A file beside the articles is published because a body refers to it: one no longer referred to would go.
  if (earlier.questions.some((question) => question[0] === "media")) return `${file} referred to a file beside the articles`;
  const questions: Question[] = [];
  const answer = <T>(question: Question & { 2: T }): T => {
    const asked = earlier.questions.find((known) => known[0] === question[0] && known[1] === question[1]);
    if (asked === undefined) throw new NotAnswered();
    questions.push(asked);
    return asked[2] as T;
  };
  const context: LinkContext = {
    relativePath,
    articleUrl: earlier.url,
    articleUrlByPath: { get: (path: string) => answer(["article", path, undefined as string | undefined]) } as ReadonlyMap<string, string>,
    pageUrls: { has: (url: string) => answer(["page", url, false]) } as ReadonlySet<string>,
    // Looking a file up publishes it, and whether a file is shown or only linked to is judged
    // across the site: a body that refers to one is built with the site.
    media: () => {
      throw new NotAnswered();
    },
  };
  let rendered: RenderedBody;
  try {
    rendered = renderBody(parsed.source.body, context, settings);
  } catch (error) {
    if (error instanceof NotAnswered) return `${file} now refers to a page, an article or a file its last version did not`;
    throw error;
  }
  if (rendered.brokenLinks.length > 0 || earlier.body.brokenLinks.length > 0) return `${file} has warnings`;
  // Pictures' encodings are put into a body by the whole site's model (useEncodedPictures).
  const media = `${settings.basePath}media/`;
  if (rendered.html.includes(media)) return `${file} shows a file beside the articles`;
  // The summary, and the opening listings and feeds show, are made from the first paragraph.
  if (rendered.firstParagraph !== earlier.body.firstParagraph) return `${file}'s first paragraph changed`;
  const shown = fieldsOfBody(rendered, parsed.source.summary);
  const text = { title: parsed.source.title, summary: shown.summary, html: rendered.html };
  const html = previousHtml();
  if (html === undefined) return `the cache no longer holds ${file}'s body as the last build rendered it`;
  return {
    absolute,
    file,
    relativePath,
    url: earlier.url,
    previousKey,
    key,
    source: parsed.source,
    problems: parsed.problems,
    rendered,
    questions,
    words: shown.words,
    readingMinutes: shown.readingMinutes,
    previousTermsKey: earlier.termsKey,
    termsKey: termsKey(text),
    text,
    previous: { html, words: earlier.body.words },
  };
}

/**
 * The page of an article edited in its body alone, made from the page the last build wrote
 * (`page`, with the body `previous`): the new body in place of the old, and the reading time and
 * the structured data's word count that the body's length gives, each where the layout puts it.
 * Nothing else on the page is made from the body but what `bodyEditOf` found the same. Undefined
 * when the page does not hold each once where it should (a body that holds the same text): the
 * page is then rendered with the site.
 */
export function splicedArticlePage(page: string, previous: { html: string; words: number }, edit: BodyEdit, settings: Settings): string | undefined {
  const body = (html: string) => `<div class="article-body">${html}</div>`;
  const at = page.indexOf(body(previous.html));
  if (at === -1 || page.indexOf(body(previous.html), at + 1) !== -1) return undefined;
  // The dateline and the structured data come before the body.
  let before: string | undefined = page.slice(0, at);
  before = replacedOnce(before, readingTimeHtml(settings, readingMinutes(previous.words)), readingTimeHtml(settings, edit.readingMinutes));
  before = before && replacedOnce(before, `"wordCount":${previous.words}`, `"wordCount":${edit.words}`);
  return before && before + body(edit.rendered.html) + page.slice(at + body(previous.html).length);
}

/**
 * A feed that carries the article's body (`FilePage.bodies`), made from the one the last build
 * wrote (`feed`, at `url`): the new body in place of the old, as the feed writes a body (with its
 * links made absolute; escaped in Atom, a JSON string in JSON Feed). Undefined when the feed does
 * not hold the old body once.
 */
export function splicedFeed(feed: string, url: string, edit: BodyEdit, settings: Settings): string | undefined {
  const written = url.endsWith(".json") ? (html: string) => JSON.stringify(absoluteLinks(html, settings)) : (html: string) => escapeText(absoluteLinks(html, settings));
  return replacedOnce(feed, written(edit.previous.html), written(edit.rendered.html));
}

/** `text` with `found`, which it holds once (not followed by a digit), replaced by `put`; undefined when it does not hold it exactly once. */
export function replacedOnce(text: string, found: string, put: string): string | undefined {
  const places: number[] = [];
  for (let at = text.indexOf(found); at !== -1; at = text.indexOf(found, at + 1)) if (!/[0-9]/.test(text[at + found.length] ?? "")) places.push(at);
  if (places.length !== 1) return undefined;
  return text.slice(0, places[0]) + put + text.slice(places[0]! + found.length);
}
