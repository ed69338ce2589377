import { oneByte } from "./build-cache.ts";

/**
 * The keys a site's pages were written with (page-keys.ts), as the cache stores them: every URL in
 * one text and every key in another, in the site's order, with where each ends. Stored as a Map,
 * the keys of the site in the output folder and of the earlier site (330,000 entries at 100,000
 * articles) took 0.5 to 0.9 s to read back on every build from the cache; as texts, 0.1 s.
 */
export type StoredWrittenKeys = StoredWholeKeys | StoredKeysAgainst;

interface StoredWholeKeys {
  urls: string;
  /** Where each URL ends in `urls`. */
  urlEnds: Uint32Array;
  /** The keys, in the URLs' order: "" for a page without one, rendered by every build. */
  keys: string;
  keyEnds: Uint32Array;
}

/**
 * Keys stored as they differ from another site's with the same pages in the same order: the
 * earlier site's, against the site that replaced it after an edit, differ in a few pages.
 */
interface StoredKeysAgainst {
  /** The places, in the site's order, of the pages whose key differs. */
  places: Uint32Array;
  keys: string;
  keyEnds: Uint32Array;
}

/** How many places ahead of the last URL met `placesOf` looks for the next, in step. */
const IN_STEP_AHEAD = 32;

/** The key each page of a site was written with, by URL. */
export class WrittenKeys {
  /** The last list `inOrder` was asked of, and its answer: a build asks of the same list a few times. */
  private lastAsked: { urls: readonly string[]; inOrder: boolean } | undefined;
  /** The last list `placesOf` placed, and where: a build asks whether it keeps every page (`allIn`), then for their keys. */
  private lastPlaced: { urls: readonly string[]; places: Int32Array } | undefined;

  private constructor(
    private readonly urlList: readonly string[],
    private readonly keyList: readonly string[],
    /** As stored, when read: written back as it was. */
    private readonly whole?: StoredWholeKeys,
    /** The URLs as stored, when another site's with the same pages stored them so (`of`). */
    private readonly urlsStored?: Pick<StoredWholeKeys, "urls" | "urlEnds">,
  ) {}

  /**
   * The pages at `urls` written with `keys`, in the same order. When they are the pages of
   * `samePages` (read from the cache), in the same order, their URLs are stored as it stored
   * them, not joined again: at 100,000 articles, 0.1 to 0.2 s of a build that adds no page.
   */
  static of(urls: readonly string[], keys: readonly string[], samePages?: WrittenKeys): WrittenKeys {
    const whole = samePages?.whole;
    return new WrittenKeys(urls, keys, undefined, whole && samePages.inOrder(urls) ? { urls: whole.urls, urlEnds: whole.urlEnds } : undefined);
  }

  /**
   * The keys as `stored` holds them, those stored against another site's (`storedAgainst`) with
   * that site's: undefined when they do not hold together (it is then as if there were none).
   */
  static read(stored: StoredWrittenKeys | undefined, against?: WrittenKeys): WrittenKeys | undefined {
    if (typeof stored !== "object" || stored === null || typeof stored.keys !== "string" || !fits(stored.keyEnds, stored.keys)) return undefined;
    if ("places" in stored) {
      const { places } = stored;
      if (against === undefined || !(places instanceof Uint32Array) || places.length !== stored.keyEnds.length || places.some((place) => place >= against.size)) return undefined;
      const keys = [...against.keyList];
      cut(stored.keys, stored.keyEnds).forEach((key, index) => (keys[places[index]!] = key));
      return new WrittenKeys(against.urlList, keys);
    }
    if (typeof stored.urls !== "string" || !fits(stored.urlEnds, stored.urls) || stored.urlEnds.length !== stored.keyEnds.length) return undefined;
    return new WrittenKeys(cut(stored.urls, stored.urlEnds), cut(stored.keys, stored.keyEnds), stored);
  }

  /** As the cache stores them. */
  get stored(): StoredWrittenKeys {
    if (this.whole) return this.whole;
    const { urls, urlEnds } = this.urlsStored ?? { urls: oneByte(this.urlList.join("")), urlEnds: ends(this.urlList) };
    return { urls, urlEnds, keys: this.keyList.join(""), keyEnds: ends(this.keyList) };
  }

  /** As the cache stores them, against `site`'s keys (`read` takes them back with those): only the keys that differ when the pages are the same. */
  storedAgainst(site: WrittenKeys): StoredWrittenKeys {
    if (!site.inOrder(this.urlList)) return this.stored;
    const places: number[] = [];
    this.keyList.forEach((key, place) => key !== site.keyList[place] && places.push(place));
    const keys = places.map((place) => this.keyList[place]!);
    return { places: Uint32Array.from(places), keys: keys.join(""), keyEnds: ends(keys) };
  }

  get size(): number {
    return this.urlList.length;
  }

  /** Every URL, in the site's order. */
  urls(): readonly string[] {
    return this.urlList;
  }

  /**
   * The key each page at `urls` was written with, in their order, undefined for a page it does
   * not hold. For the URLs it holds, in its order (every build that adds, removes or moves no
   * page), read by their place; else by `placesOf`.
   */
  keysOf(urls: readonly string[]): readonly (string | undefined)[] {
    if (this.inOrder(urls)) return this.keyList;
    return Array.from(this.placesOf(urls), (place) => (place < 0 ? undefined : this.keyList[place]));
  }

  /**
   * Where each page at `urls` is among its pages, -1 for one it does not hold. Read in step with
   * its URLs, a few places ahead at most: a build that adds or removes a few pages (a new article,
   * one deleted) has every other page in the same order. A URL not met so (a page new, or moved
   * far) is looked for among those of its URLs not met in step, the only ones it can be: after a
   * new article at 100,000 articles, a map of every URL took 0.14 to 0.25 s, and the build asked
   * twice; in step, 8 to 16 ms. Asked of the same list again, the same answer, which is not to
   * be changed.
   */
  placesOf(urls: readonly string[]): Int32Array {
    if (this.lastPlaced?.urls === urls) return this.lastPlaced.places;
    const { urlList } = this;
    const places = new Int32Array(urls.length).fill(-1);
    const met = new Uint8Array(urlList.length);
    const notMet: number[] = [];
    let next = 0;
    urls.forEach((url, place) => {
      const end = Math.min(urlList.length, next + IN_STEP_AHEAD);
      let at = next;
      while (at < end && urlList[at] !== url) at++;
      if (at === end) return notMet.push(place);
      places[place] = at;
      met[at] = 1;
      next = at + 1;
    });
    if (notMet.length > 0) {
      // A URL is a site's once: one it holds that was not met in step is among those it did not meet.
      const rest = new Map<string, number>();
      met.forEach((wasMet, at) => wasMet === 0 && rest.set(urlList[at]!, at));
      for (const place of notMet) places[place] = rest.get(urls[place]!) ?? -1;
    }
    this.lastPlaced = { urls, places };
    return places;
  }

  /** The key of the page at `place` among its pages. */
  keyAt(place: number): string | undefined {
    return this.keyList[place];
  }

  /**
   * Whether every URL it holds is one of `urls`: each of its places is one of theirs
   * (`placesOf`). After a new article at 100,000 articles, a set of this build's 165,000 URLs to
   * look each of them up in took 0.2 s.
   */
  allIn(urls: readonly string[]): boolean {
    if (this.inOrder(urls)) return true;
    const held = new Uint8Array(this.urlList.length);
    let found = 0;
    for (const place of this.placesOf(urls)) {
      if (place < 0 || held[place] === 1) continue;
      held[place] = 1;
      found++;
    }
    return found === this.urlList.length;
  }

  /** Whether `urls` are its URLs, in its order. */
  inOrder(urls: readonly string[]): boolean {
    if (urls === this.urlList) return true;
    if (this.lastAsked?.urls !== urls) this.lastAsked = { urls, inOrder: sameTexts(urls, this.urlList) };
    return this.lastAsked.inOrder;
  }
}

function sameTexts(texts: readonly string[], others: readonly string[]): boolean {
  if (texts.length !== others.length) return false;
  for (let index = 0; index < texts.length; index++) if (texts[index] !== others[index]) return false;
  return true;
}

function ends(texts: readonly string[]): Uint32Array {
  const result = new Uint32Array(texts.length);
  let end = 0;
  texts.forEach((text, index) => (result[index] = end += text.length));
  return result;
}

/** Whether `textEnds` are ends of pieces of `text`, in order, the last at its end. */
function fits(textEnds: unknown, text: string): textEnds is Uint32Array {
  if (!(textEnds instanceof Uint32Array)) return false;
  for (let index = 1; index < textEnds.length; index++) if (textEnds[index]! < textEnds[index - 1]!) return false;
  return (textEnds.length === 0 ? 0 : textEnds[textEnds.length - 1]) === text.length;
}

function cut(text: string, textEnds: Uint32Array): string[] {
  const pieces = new Array<string>(textEnds.length);
  let start = 0;
  for (let index = 0; index < textEnds.length; index++) {
    pieces[index] = text.slice(start, textEnds[index]);
    start = textEnds[index]!;
  }
  return pieces;
}
