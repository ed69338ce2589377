import type { Article } from "../archive/archive.ts";
import { fitsOneByte, oneByte, type BuildCache } from "./build-cache.ts";

/** How prominently a listing shows an article (layouts/components/list-view.tsx). */
export type TeaserLevel = "list" | "lead" | "section";

const LEVELS: readonly TeaserLevel[] = ["list", "lead", "section"];

/** An article's teasers, at each level in LEVELS' order; undefined at a level no listing showed. */
type ArticleTeasers = (string | undefined)[];

/** Teasers as a build stores them: each article's (`ArticleTeasers`), by the article's key (`teaserKey`). */
export type StoredTeasers = Map<string, ArticleTeasers>;

/** The teasers an earlier build stored, by bucket (`bucketOf`): each bucket's are looked at apart. */
export type KeptTeasers = readonly StoredTeasers[];

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
  /** This render's teasers, by article. */
  private readonly made = new Map<Article, ArticleTeasers>();
  /** The key of each article met, once asked (`keyOf`). */
  private readonly keys = new Map<Article, string | undefined>();
  /** The articles whose teaser at some level was made, not taken from `kept`: their teasers, by their keys. */
  private readonly madeAnew = new Map<string, ArticleTeasers>();
  /** Teasers taken from `kept` rather than made. */
  taken = 0;

  constructor(
    private readonly keyOf?: (article: Article) => string | undefined,
    private readonly kept?: KeptTeasers,
  ) {}

  /** The teaser of `article` at `level`: made by `render` the first time this render meets it, unless the earlier build kept it. */
  of(article: Article, level: TeaserLevel, render: () => string): string {
    const place = LEVELS.indexOf(level);
    let teasers = this.made.get(article);
    const known = teasers?.[place];
    if (known !== undefined) return known;
    if (teasers === undefined) this.made.set(article, (teasers = []));
    const key = this.keyOf === undefined ? undefined : this.keyOfArticle(article, this.keyOf);
    let html = key === undefined ? undefined : this.kept?.[bucketOf(key)]?.get(key)?.[place];
    if (html === undefined) {
      html = render();
      if (key !== undefined) this.madeAnew.set(key, teasers);
    } else this.taken++;
    teasers[place] = html;
    return html;
  }

  /**
   * The teasers to store for the next build where they differ from `kept`: by bucket (see
   * `bucketOf`), each bucket whole, with the teasers this render made and those kept that are
   * still of one of `articles` (the archive's), which a build that rendered only some listings did
   * not show. A bucket in which no teaser was made and none is of an article gone is as it was,
   * and left out: after a new article, one of 64 is written again. Without `kept`, none is.
   * A kept bucket has an article gone when fewer of the archive's articles have their teasers in
   * it than it holds (two articles of one key, which their digests never are, would keep a gone
   * one's teasers stored: by what they were made from, so never taken wrongly); only the buckets
   * written are gone through teaser by teaser. With a set of
   * every article's key, and every teaser gone through, this took 0.5 s of a new article's build
   * at 100,000 articles.
   */
  changedBuckets(articles: readonly Article[]): Map<number, StoredTeasers> {
    const changed = new Map<number, StoredTeasers>();
    const { keyOf, kept } = this;
    // Without the teasers stored, a bucket written would lose those of articles this render did not show.
    if (keyOf === undefined || kept === undefined) return changed;
    const stillOfAnArticle = new Uint32Array(BASE64.length);
    const articleKeys = articles.map((article) => this.keyOfArticle(article, keyOf));
    for (const key of articleKeys) {
      if (key === undefined) continue;
      const bucket = bucketOf(key);
      if (kept[bucket]?.has(key)) stillOfAnArticle[bucket]!++;
    }
    for (const key of this.madeAnew.keys()) changed.set(bucketOf(key), new Map());
    kept.forEach((teasers, bucket) => {
      if (stillOfAnArticle[bucket]! < teasers.size) changed.set(bucket, new Map());
    });
    if (changed.size === 0) return changed;
    // The articles' keys in the buckets written: their kept teasers stay, then this render's go over them, level by level.
    const current = new Set<string>();
    for (const key of articleKeys) if (key !== undefined && changed.has(bucketOf(key))) current.add(key);
    for (const [bucket, teasers] of changed) for (const [key, keptTeasers] of kept[bucket] ?? []) if (current.has(key)) teasers.set(key, keptTeasers);
    for (const [key, teasers] of this.madeAnew) {
      const bucket = changed.get(bucketOf(key))!;
      const stored = bucket.get(key);
      bucket.set(key, stored === undefined ? teasers : LEVELS.map((_, place) => teasers[place] ?? stored[place]));
    }
    return changed;
  }

  /** The key of `article`, asked once. */
  private keyOfArticle(article: Article, keyOf: (article: Article) => string | undefined): string | undefined {
    const known = this.keys.get(article);
    if (known !== undefined || this.keys.has(article)) return known;
    const key = keyOf(article);
    this.keys.set(article, key);
    return key;
  }
}

/** The cache's part that holds the teasers of articles whose key begins with one character, of 64. */
const TEASERS_PART = "teasers";
const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Each base64 character's place in BASE64 (-1 for any other), by its code. */
const BASE64_PLACES = Int8Array.from({ length: 128 }, (_, code) => BASE64.indexOf(String.fromCharCode(code)));

/** The bucket of an article's key: the first character of its digest (after the page keys' `o`), by its place in base64; -1 for none. */
function bucketOf(key: string): number {
  return BASE64_PLACES[key.charCodeAt(1)] ?? -1;
}

/**
 * A bucket of teasers as the cache stores it: every text joined in one, cut where each ends, by
 * entry (an article's teaser at one level). Read back, each teaser is a piece of one long text,
 * whose characters V8's collections neither copy nor move. Stored as a map of texts, the 100,000
 * teasers of 100,000 articles (82 MB) were each copied by the young generation's collections:
 * reading them took 0.52 to 0.58 s of a new article's build, and 0.35 to 0.40 s so (52 MB).
 */
interface StoredBucket {
  /** The articles' keys, joined, and where each ends. */
  keys: string;
  keyEnds: Uint32Array;
  /** Each entry's level (its place in LEVELS), plus WIDE when its HTML is in `wide`. */
  levels: Uint8Array;
  /** The HTML of the entries whose characters all fit in one byte, joined, and of the others: joined, one wide character would make every other take two. */
  narrow: string;
  wide: string;
  /** Where each entry's HTML ends, in its text. */
  htmlEnds: Uint32Array;
}

const WIDE = 4;

/** The teasers an earlier build stored, under the cache's key (none from another), by bucket. */
export function readTeasers(cache: BuildCache): KeptTeasers {
  const kept: StoredTeasers[] = [];
  cache.readEach<StoredBucket>(
    BASE64.split("").map((_, bucket) => `${TEASERS_PART}-${bucket}`),
    (stored) => {
      const teasers: StoredTeasers = new Map();
      if (stored !== undefined && holdsTogether(stored)) readBucket(stored, teasers);
      kept.push(teasers);
    },
  );
  return kept;
}

function readBucket({ keys, keyEnds, levels, narrow, wide, htmlEnds }: StoredBucket, teasers: StoredTeasers): void {
  let keyStart = 0;
  let narrowStart = 0;
  let wideStart = 0;
  for (let entry = 0; entry < keyEnds.length; entry++) {
    const key = keys.slice(keyStart, (keyStart = keyEnds[entry]!));
    const level = levels[entry]!;
    const html = level & WIDE ? wide.slice(wideStart, (wideStart = htmlEnds[entry]!)) : narrow.slice(narrowStart, (narrowStart = htmlEnds[entry]!));
    let teasersOf = teasers.get(key);
    if (teasersOf === undefined) teasers.set(key, (teasersOf = []));
    teasersOf[level & ~WIDE] = html;
  }
}

/** Whether a stored bucket's pieces hold together: as many of each, each text cut within itself, in order. */
function holdsTogether(stored: StoredBucket): boolean {
  const { keys, keyEnds, levels, narrow, wide, htmlEnds } = stored;
  if (typeof keys !== "string" || typeof narrow !== "string" || typeof wide !== "string") return false;
  if (!(keyEnds instanceof Uint32Array && levels instanceof Uint8Array && htmlEnds instanceof Uint32Array)) return false;
  if (levels.length !== keyEnds.length || htmlEnds.length !== keyEnds.length) return false;
  let keyEnd = 0;
  const ends = [0, 0];
  for (let entry = 0; entry < keyEnds.length; entry++) {
    const level = levels[entry]!;
    const text = level & WIDE ? 1 : 0;
    if ((level & ~WIDE) >= LEVELS.length || keyEnds[entry]! < keyEnd || htmlEnds[entry]! < ends[text]!) return false;
    keyEnd = keyEnds[entry]!;
    ends[text] = htmlEnds[entry]!;
  }
  return keyEnd === keys.length && ends[0] === narrow.length && ends[1] === wide.length;
}

/** A bucket's teasers as the cache stores them. */
function storedBucket(teasers: StoredTeasers): StoredBucket {
  const keys: string[] = [];
  const levels: number[] = [];
  const narrow: string[] = [];
  const wide: string[] = [];
  const htmlEnds: number[] = [];
  let [narrowEnd, wideEnd] = [0, 0];
  for (const [key, teasersOf] of teasers) {
    teasersOf.forEach((html, level) => {
      if (html === undefined) return;
      keys.push(key);
      if (fitsOneByte(html)) {
        narrow.push(html);
        levels.push(level);
        htmlEnds.push((narrowEnd += html.length));
      } else {
        wide.push(html);
        levels.push(level | WIDE);
        htmlEnds.push((wideEnd += html.length));
      }
    });
  }
  let keyEnd = 0;
  return {
    keys: oneByte(keys.join("")),
    keyEnds: Uint32Array.from(keys, (key) => (keyEnd += key.length)),
    levels: Uint8Array.from(levels),
    narrow: oneByte(narrow.join("")),
    wide: wide.join(""),
    htmlEnds: Uint32Array.from(htmlEnds),
  };
}

/** Stores the buckets of teasers that changed (`TeaserHtml.changedBuckets`) for the next build, each replacing the one stored. */
export function storeTeasers(cache: BuildCache, buckets: Map<number, StoredTeasers>): void {
  for (const [bucket, teasers] of buckets) cache.write(`${TEASERS_PART}-${bucket}`, storedBucket(teasers));
}

/** The key of an article's teasers from its digest as the page keys make it (`ModelDigests.digestOf`): only a hash, never a short object's text. */
export function teaserKey(digest: string | undefined): string | undefined {
  return digest !== undefined && digest.startsWith("o") ? digest : undefined;
}
