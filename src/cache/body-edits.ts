import { readFileSync } from "node:fs";
import { parseArticle, type ArticleSource } from "../articles/load.ts";
import { termsKey } from "../archive/related.ts";
import { fieldsOfBody } from "../archive/render.ts";
import { hasErrors, type Problem } from "../problems.ts";
import { renderBody, type LinkContext, type RenderedBody } from "../render/body.ts";
import type { Settings } from "../settings.ts";
import { entryKey, packedSource, unpackedRendered, type Question, type StoredEntry } from "./article-cache.ts";

// The first step of a build from the cache that renders only the bodies edited, not the whole site
// (issue #21; the README's "What would meet the one-body target at 100,000 articles"): which
// article files changed in their bodies alone, each body rendered again against the answers its
// entry's rendering was given, and whether anything another page shows of the article changed.
// Anything this step cannot be sure of is a reason for the whole build, which is never wrong.

/** An article file whose body alone changed since the last build, with the body rendered again. */
export interface BodyEdit {
  absolute: string;
  /** As messages show it. */
  file: string;
  relativePath: string;
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
  /** The key of the text the related lists count in the article (`termsKey`): the last build's, as no other page's list may change. */
  termsKey: string;
}

/** What the rendering of a body asked that its entry's did not: the whole site is needed to answer it. */
class NotAnswered extends Error {}

/**
 * The article file at `absolute`, whose status changed since the last build read it as the entry
 * `previous` (under `previousKey`), as a body edit; `"unchanged"` when its bytes are the entry's
 * (saved again); else why the whole site must be built (a sentence for the build's report).
 * `settings` are the site's, which the cache's key holds: the same for both builds.
 */
export function bodyEditOf(absolute: string, file: string, relativePath: string, previousKey: string, previous: StoredEntry, settings: Settings): BodyEdit | "unchanged" | string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolute);
  } catch {
    return `${file} could not be read again`;
  }
  const key = entryKey(file, relativePath, bytes);
  if (key === previousKey) return "unchanged";
  const parsed = parseArticle(bytes, file, relativePath, settings);
  if (parsed.source === undefined || hasErrors(parsed.problems)) return `${file} has an error`;
  // The front matter as the cache stores it, against the entry's: the same fields give the article
  // the same address, date, names and place everywhere.
  if (JSON.stringify(packedSource({ ...parsed.source, body: "" })) !== JSON.stringify(previous.parsed.source)) return `${file}'s front matter changed`;
  const earlier = previous.rendered && unpackedRendered(previous.rendered);
  if (earlier === undefined || earlier.termsKey === undefined) return `${file} has no rendered body kept`;
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
  // Pictures' encodings are put into a body by the whole site's model (useEncodedPictures).
  const media = `${settings.basePath}media/`;
  if (rendered.html.includes(media)) return `${file} shows a file beside the articles`;
  // The summary, and the opening listings and feeds show, are made from the first paragraph.
  if (rendered.firstParagraph !== earlier.body.firstParagraph) return `${file}'s first paragraph changed`;
  const shown = fieldsOfBody(rendered, parsed.source.summary);
  const terms = termsKey({ title: parsed.source.title, summary: shown.summary, html: rendered.html });
  if (terms !== earlier.termsKey) return `${file}'s opening, which related articles are chosen by, changed`;
  return {
    absolute,
    file,
    relativePath,
    previousKey,
    key,
    source: parsed.source,
    problems: parsed.problems,
    rendered,
    questions,
    words: shown.words,
    readingMinutes: shown.readingMinutes,
    termsKey: terms,
  };
}
