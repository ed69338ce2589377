import type { Article } from "../archive/archive.ts";
import type { BuildCache } from "./build-cache.ts";

/** How prominently a listing shows an article (layouts/components/list-view.tsx). */
export type TeaserLevel = "list" | "lead" | "section";

const LEVELS: readonly TeaserLevel[] = ["list", "lead", "section"];

/** Teasers as a build stores them: the HTML of each, by the article's key and level (`TeaserHtml.keyed`). */
export type StoredTeasers = Map<string, string>;

/**
 * Each article's teaser (its headline, date, authors and summary in a listing) as HTML, made once
 * in a render though the article is shown in several listings: at 10,000 articles the 6,772
 * listing pages show 67,000 teasers, which were three fifths of those pages' render time.
 *
 * A build may also hand over the teasers an earlier build made (`kept`), by a key of each article
 * (`keyOf`, the article's digest as the page keys make it: every field a teaser can read, the
 * article's picture and authors included). The cache they come from is keyed by the settings and
 * Broadsheet's code, which are all else a teaser is made from, so a teaser kept under the same
 * key is the one the layouts would make. After a new article at 100,000 articles, every page of
 * the latest articles is rendered again: 100,000 teasers, each as it was.
 *
 * An article is known by its identity: the model must not be changed once rendering begins (serve
 * puts an edited article in place as a new object, src/archive/update.ts).
 */
export class TeaserHtml {
  /** This render's teasers, by level and article. */
  private readonly made: Record<TeaserLevel, Map<Article, string>> = { list: new Map(), lead: new Map(), section: new Map() };
  /** Teasers taken from `kept` rather than made. */
  taken = 0;

  constructor(
    private readonly keyOf?: (article: Article) => string | undefined,
    private readonly kept?: StoredTeasers,
  ) {}

  /** The teaser of `article` at `level`: made by `render` the first time this render meets it, unless the earlier build kept it. */
  of(article: Article, level: TeaserLevel, render: () => string): string {
    const made = this.made[level];
    let html = made.get(article);
    if (html !== undefined) return html;
    const key = this.kept === undefined ? undefined : this.keyOf?.(article);
    if (key !== undefined) html = this.kept?.get(keyed(level, key));
    if (html === undefined) html = render();
    else this.taken++;
    made.set(article, html);
    return html;
  }

  /**
   * The teasers to store for the next build, by key: those this render made or took, and those
   * kept that are still of one of `articles` (the archive's), which a build that rendered only
   * some listings did not show.
   */
  keyed(articles: readonly Article[]): StoredTeasers {
    const teasers: StoredTeasers = new Map();
    const keyOf = this.keyOf;
    if (keyOf === undefined) return teasers;
    const keys = new Map(articles.map((article) => [article, keyOf(article)]));
    for (const level of LEVELS) {
      for (const [article, html] of this.made[level]) {
        // A listing shows the archive's articles only; one that is not is keyed all the same.
        const key = keys.has(article) ? keys.get(article) : keyOf(article);
        if (key !== undefined) teasers.set(keyed(level, key), html);
      }
    }
    const stillKeyed = new Set(keys.values());
    for (const [key, html] of this.kept ?? []) {
      if (!teasers.has(key) && stillKeyed.has(key.slice(key.indexOf(" ") + 1))) teasers.set(key, html);
    }
    return teasers;
  }
}

/** A teaser's key: its level and its article's. */
function keyed(level: TeaserLevel, key: string): string {
  return `${level} ${key}`;
}

/** The cache's part that holds the teasers of articles whose key begins with one character, of 64. */
const TEASERS_PART = "teasers";
const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** The bucket of a teaser's key: the first character of the article's digest (after the page keys' `o`), by its place in base64. */
function bucketOf(keyed: string): number {
  return BASE64.indexOf(keyed.charAt(keyed.indexOf(" ") + 2));
}

/** The teasers an earlier build stored, under the cache's key (none from another). */
export function readTeasers(cache: BuildCache): StoredTeasers {
  const teasers: StoredTeasers = new Map();
  cache.readEach<StoredTeasers>(
    BASE64.split("").map((_, bucket) => `${TEASERS_PART}-${bucket}`),
    (stored) => {
      for (const [key, html] of stored ?? []) teasers.set(key, html);
    },
  );
  return teasers;
}

/** Teasers by their bucket, in BASE64's order. */
function inBuckets(teasers: StoredTeasers): StoredTeasers[] {
  const buckets = BASE64.split("").map((): StoredTeasers => new Map());
  for (const [key, html] of teasers) buckets[bucketOf(key)]?.set(key, html);
  return buckets;
}

/**
 * Stores `teasers` (`TeaserHtml.keyed`) for the next build, each bucket only when its keys are
 * not those `read` (from `readTeasers`) had in it: a teaser's HTML is the same under the same key,
 * so a bucket with the same keys is the same.
 */
export function storeTeasers(cache: BuildCache, teasers: StoredTeasers, read: StoredTeasers): void {
  const before = inBuckets(read);
  inBuckets(teasers).forEach((bucket, number) => {
    const same = bucket.size === before[number]!.size && [...bucket.keys()].every((key) => before[number]!.has(key));
    if (!same) cache.write(`${TEASERS_PART}-${number}`, bucket);
  });
}

/** The key of an article's teasers from its digest as the page keys make it (`ModelDigests.digestOf`): only a hash, never a short object's text. */
export function teaserKey(digest: string | undefined): string | undefined {
  return digest !== undefined && digest.startsWith("o") ? digest : undefined;
}
