import { DateTime } from "luxon";
import type { ArticleSource } from "../articles/load.ts";
import type { MediaLookup } from "../archive/media.ts";
import type { Problem } from "../problems.ts";
import type { LinkContext, RenderedBody } from "../render/body.ts";
import { hash } from "./build-cache.ts";

/** What a body's rendering asked of the rest of the site, and the answer, in the order asked. */
type Question = ["article", string, string | undefined] | ["page", string, boolean] | ["media", string, boolean, string];

interface Entry {
  /** The file parsed: the front matter validated, the body, and what was wrong. */
  parsed: { source?: ArticleSource; problems: Problem[] };
  /** The body rendered at `url`, with the questions whose answers it depends on. */
  rendered?: { url: string; body: RenderedBody; questions: Question[] };
}

/** The cache's part for articles, as stored. */
export type StoredArticles = Map<string, Entry>;

/**
 * Parsed and rendered articles, by a hash of the file's bytes and its path. A rendered body is
 * reused only when every question its rendering asked (is there an article at this path, a page
 * at this address, a file beside the article) gets the same answer now: an article that links to
 * one renamed is rendered again, one that links to nothing that changed is not.
 */
export class ArticleCache {
  private readonly next: StoredArticles = new Map();
  private readonly keys = new Map<string, string>();
  /** The buckets (see `bucketOf`) in which an entry was added or changed. */
  private readonly changed = new Set<string>();
  reused = 0;

  constructor(private readonly previous: StoredArticles = new Map()) {}

  /**
   * The file parsed, from the cache or by `parse`. The body is not kept (the rendered body is):
   * `body` cuts it from the file again, for a body that must be rendered again.
   */
  parse(file: string, relativePath: string, bytes: Uint8Array, parse: () => Entry["parsed"], body: () => string): Entry["parsed"] {
    const key = hash(Buffer.concat([Buffer.from(`${file}\0${relativePath}\0`), bytes]));
    this.keys.set(relativePath, key);
    const known = this.previous.get(key);
    if (known) {
      this.next.set(key, { parsed: known.parsed, rendered: known.rendered });
      const parsed = reviveDates(known.parsed);
      if (parsed.source) parsed.source.body = body();
      return parsed;
    }
    const parsed = parse();
    this.changed.add(bucketOf(key));
    // Stored with its dates as plain data: a DateTime does not survive serialisation.
    this.next.set(key, { parsed: storeDates(parsed.source ? { ...parsed, source: { ...parsed.source, body: "" } } : parsed) });
    return parsed;
  }

  /** The article's body rendered, from the cache when every answer it depends on is the same, else by `render`. */
  render(relativePath: string, context: LinkContext, render: (context: LinkContext) => RenderedBody): RenderedBody {
    const entry = this.next.get(this.keys.get(relativePath) ?? "");
    const known = entry?.rendered;
    if (known && known.url === context.articleUrl && sameAnswers(known.questions, context)) {
      this.reused++;
      return known.body;
    }
    const questions: Question[] = [];
    const recording: LinkContext = {
      ...context,
      articleUrlByPath: { get: (path: string) => record(questions, ["article", path, context.articleUrlByPath.get(path)]) } as ReadonlyMap<string, string>,
      pageUrls: { has: (url: string) => record(questions, ["page", url, context.pageUrls.has(url)]) } as ReadonlySet<string>,
      media: context.media && ((target: string, image: boolean) => {
        const found = context.media!(target, image);
        questions.push(["media", target, image, describe(found)]);
        return found;
      }),
    };
    const body = render(recording);
    if (entry) {
      entry.rendered = { url: context.articleUrl, body, questions };
      this.changed.add(bucketOf(this.keys.get(relativePath)!));
    }
    return body;
  }

  /** What the next build can reuse: the articles of this one. */
  stored(): StoredArticles {
    return this.next;
  }

  /**
   * The buckets the next build needs written again: those with an entry added or changed, or
   * one this build no longer has (an article deleted). The others are stored as they were.
   */
  changedBuckets(): Map<string, StoredArticles> {
    const changed = new Set(this.changed);
    for (const key of this.previous.keys()) if (!this.next.has(key)) changed.add(bucketOf(key));
    const buckets = new Map<string, StoredArticles>([...changed].map((bucket) => [bucket, new Map()]));
    for (const [key, entry] of this.next) buckets.get(bucketOf(key))?.set(key, entry);
    return buckets;
  }
}

/**
 * Articles are stored in 256 buckets by the first two hex digits of their key, so that a build
 * that changed one article writes one bucket, not the whole archive's bodies.
 */
export const BUCKETS = Array.from({ length: 256 }, (_, index) => index.toString(16).padStart(2, "0"));

function bucketOf(key: string): string {
  return key.slice(0, 2);
}

function record<T>(questions: Question[], question: Question & { 2: T }): T {
  questions.push(question);
  return question[2];
}

/**
 * Whether the site answers each question as it did. Files beside the articles are looked up
 * again, in the same order, as rendering would: looking one up is what publishes it.
 */
function sameAnswers(questions: readonly Question[], context: LinkContext): boolean {
  for (const question of questions) {
    if (question[0] === "article" && context.articleUrlByPath.get(question[1]) !== question[2]) return false;
    if (question[0] === "page" && context.pageUrls.has(question[1]) !== question[2]) return false;
    if (question[0] === "media" && (!context.media || describe(context.media(question[1], question[2])) !== question[3])) return false;
  }
  return true;
}

function describe(found: MediaLookup): string {
  return "file" in found ? `file ${found.file.url}` : "missing" in found ? "missing" : "outside";
}

const DATE = "broadsheet:date";

/** A copy with every DateTime as its instant, zone and locale. */
function storeDates<T>(value: T): T {
  if (DateTime.isDateTime(value)) return { [DATE]: [value.toMillis(), value.zoneName, value.locale] } as T;
  if (Array.isArray(value)) return value.map(storeDates) as T;
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, storeDates(inner)])) as T;
  return value;
}

/** The dates `storeDates` stored, as DateTimes again. */
function reviveDates<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reviveDates) as T;
  if (value !== null && typeof value === "object") {
    const stored = (value as Record<string, unknown>)[DATE] as [number, string, string] | undefined;
    if (stored) return DateTime.fromMillis(stored[0], { zone: stored[1], locale: stored[2] }) as T;
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, reviveDates(inner)])) as T;
  }
  return value;
}
