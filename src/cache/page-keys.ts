import { hash } from "node:crypto";
import { DateTime } from "luxon";
import type { SiteModel } from "../archive/load-site.ts";
import type { Page } from "../archive/pages.ts";
import { KeptHtml } from "./kept-html.ts";

/** The pages' keys, and the files keyed by their content. */
export interface SiteKeys {
  /** Each page's key, in the site's order; undefined for one the key cannot see into. */
  keys: (string | undefined)[];
  /** Each file keyed by its content, as rendered for the key: what is written must be this, not rendered again. */
  contents: Map<Page, string | Uint8Array>;
}

/**
 * A key for each page: a hash of everything the page's template can read, which is the page's own
 * data (and every article, group and date it reaches) and the site's settings and brand, with the
 * cache's global key. Two builds that give a page the same key write the same bytes for it, so the
 * later one may reuse the file. Hashing reaches further than a template reads (an article's body
 * for a listing that shows its headline), which costs a page rendered needlessly, never a page
 * kept wrongly. A file names what it is made from as its `inputs`, so that it is rendered only
 * when they change (a feed, a sitemap, the map of addresses); one that does not (robots.txt, a
 * theme's file) is rendered for its key, which is then a hash of its content: at 100,000 articles,
 * the sitemaps and the URL map, 43 MB, were written on every build before they were keyed so.
 * `digests` may have hashed some of the model already (the search index hashes the articles).
 */
export function pageKeys(site: SiteModel, globalKey: string, digests = new ModelDigests()): SiteKeys {
  const siteKey = digests.of([globalKey, site.settings, site.brand]);
  const contents = new Map<Page, string | Uint8Array>();
  const key = (page: Page): string => {
    const prefix = `${siteKey}\0${page.kind}\0${page.url}\0`;
    // A page is met once: its own text goes into its key as it is, not hashed and kept apart.
    if (page.kind !== "file") return digests.hashWith(prefix, page);
    if (page.inputs !== undefined) return digests.hash(prefix + digests.of(page.inputs));
    const content = page.render();
    contents.set(page, content);
    return digests.hash(`${prefix}content ${typeof content === "string" ? "text" : "bytes"} ${hash("sha1", content, "base64")}`);
  };
  const keys = site.pages.map((page) => {
    try {
      return key(page);
    } catch (error) {
      if (error instanceof Undigestable) return undefined;
      throw error;
    }
  });
  return { keys, contents };
}

/** The digest of a text, as the keys hash one: a long text (`LONG_TEXT`) goes into its object's as this. */
export function textDigest(text: string): string {
  return hash("sha1", text, "base64");
}

/** A value the key cannot be sure of: code (a closure) whose result it cannot see. */
class Undigestable extends Error {}

/** Texts at least this long are hashed on their own; shorter ones go into their object's text. */
export const LONG_TEXT = 1024;
/**
 * An object whose text is shorter than this goes into its parent's text as it is, not hashed. One
 * hashed is kept, and many pages share such objects (a month's trail, the site's feeds): at 10,000
 * articles the digests and keys took 370 to 490 ms at 128 against 440 to 590 ms at 256 (best of
 * 15, alternated in one process).
 */
const SHORT_OBJECT = 128;

/**
 * Hashes of the model's values: each object hashed is kept, so that one shared by many pages (an
 * article) is hashed once; a short one is described again wherever it is met. An object is known
 * by its identity from its first hash on: one changed after that would keep its old hash, so the
 * model must be finished, as far as it is hashed (the search index hashes the articles once their
 * bodies are rendered, and the pages use the same digests). An article may be given the digest an
 * earlier build made of the same data instead (`know`; article-cache.ts says when it is the same).
 */
export class ModelDigests {
  // A Map, not a WeakMap: the digests go with this object once the keys are made, and a
  // WeakMap's millions of entries (at 100,000 articles) cost the garbage collector time.
  private readonly known = new Map<object, string>();
  /** The objects being described, outermost first: a few, so a list is quicker to search than a set to keep. */
  private readonly busy: object[] = [];
  /** Each field's name as its objects' texts begin it (`5:title=`), made once: made at every object, they were a tenth of the keys' time. */
  private readonly fieldNames = new Map<string, string>();

  /** The digest of `value`, or undefined when it holds what a key cannot see into (code, a class's instance, a loop). */
  digestOf(value: unknown): string | undefined {
    try {
      return this.of(value);
    } catch (error) {
      if (error instanceof Undigestable) return undefined;
      throw error;
    }
  }

  hash(text: string): string {
    return textDigest(text);
  }

  /** Takes `digest` as the digest of `object` from now on, as `of` would have made it: one an earlier build made of the same data. */
  know(object: object, digest: string): void {
    this.known.set(object, digest);
  }

  /** The value as text for its parent's hash: primitives as themselves, objects by their own hash. */
  of(value: unknown): string {
    switch (typeof value) {
      case "string":
        return `s${value.length}:${value}`;
      case "number":
      case "boolean":
      case "bigint":
        return `${(typeof value)[0]}${String(value)}`;
      case "undefined":
        return "u";
      case "function":
      case "symbol":
        throw new Undigestable();
    }
    if (value === null) return "n";
    // Described as the text it holds, which is read for it: as an object's field, the cache's digest stands for it (`describe`).
    if (value instanceof KeptHtml) return this.of(value.text());
    const object = value as object;
    const known = this.known.get(object);
    if (known !== undefined) return known;
    // A value that leads back to itself: rather no key than a wrong one.
    if (this.busy.includes(object)) throw new Undigestable();
    this.busy.push(object);
    try {
      // One text per object, hashed at once (a hash fed piece by piece cost more than the hashing);
      // a long text (an article's body) goes in as its own hash, not copied into the object's.
      const text = this.describe(object);
      // A short text (a date, a link, a list of a few) goes into its parent's as it is, with its
      // length: hashing it cost more than copying it, and most such objects are met only once.
      // At 10,000 articles the keys took 0.39 s so, against 0.60 s with every object hashed, and
      // 0.9 s with the short texts kept as well (a Map's entry cost more than a description);
      // measured when short meant under 256 characters (SHORT_OBJECT).
      if (text.length < SHORT_OBJECT) return `i${text.length}:${text}`;
      const result = `o${this.hash(text)}`;
      this.known.set(object, result);
      return result;
    } finally {
      this.busy.pop();
    }
  }

  /** The hash of `prefix` and the text of `object`, an object met only once (a page): the text is neither hashed apart nor kept. */
  hashWith(prefix: string, object: object): string {
    this.busy.push(object);
    try {
      return this.hash(prefix + this.describe(object));
    } finally {
      this.busy.pop();
    }
  }

  /** A list's text for `textWithout`: its items' texts, an object's as first made. */
  private listText(list: readonly unknown[]): string {
    let text = `[${list.length}`;
    for (const item of list) {
      if (item === null || typeof item !== "object") {
        text += `,${this.of(item)}`;
        continue;
      }
      let itemText = this.listItems.get(item);
      if (itemText === undefined) this.listItems.set(item, (itemText = this.of(item)));
      text += `,${itemText}`;
    }
    return `${text}]`;
  }

  /** A piece of an object's text: a long one (an article's body) as its hash. */
  private piece(text: string): string {
    return text.length >= LONG_TEXT ? `#${this.hash(text)}` : text;
  }

  private describe(object: object): string {
    if (DateTime.isDateTime(object)) return `date ${object.toMillis()} ${object.zoneName} ${object.locale} ${object.numberingSystem} ${object.outputCalendar} ${object.isValid}`;
    if (object instanceof Uint8Array) return `bytes ${hash("sha1", object, "base64")}`;
    if (Array.isArray(object)) {
      let text = `[${object.length}`;
      for (const item of object) text += this.piece(`,${this.of(item)}`);
      return text;
    }
    if (object instanceof Map) {
      let text = `map${object.size}`;
      for (const [key, item] of object) text += this.piece(`,${this.of(key)}=${this.of(item)}`);
      return text;
    }
    if (object instanceof Set) {
      let text = `set${object.size}`;
      for (const item of object) text += this.piece(`,${this.of(item)}`);
      return text;
    }
    const prototype = Object.getPrototypeOf(object);
    // Plain data only: an instance of a class may hold state its methods compute from.
    if (prototype !== Object.prototype && prototype !== null) throw new Undigestable();
    return `{${this.fieldsText(object)}`;
  }

  /**
   * The fields of a plain object as its text holds them, but those named in `omit` (what an
   * article's kept digest is checked against, article-cache.ts); undefined when they hold what a
   * key cannot see into.
   */
  textWithout(object: object, omit: ReadonlySet<string>): string | undefined {
    this.busy.push(object);
    try {
      return this.fieldsText(object, omit);
    } catch (error) {
      if (error instanceof Undigestable) return undefined;
      throw error;
    } finally {
      this.busy.pop();
    }
  }

  /**
   * For `fieldsText` with `omit` only: a list goes into the text as its items' texts, not hashed,
   * and each object in it as the text it had when first met in such a list (a topic or an author,
   * named in thousands of articles' lists). At 10,000 articles, the articles' texts so took 11 to
   * 20 ms, against 59 to 88 ms described as `of` describes them (six rounds each, in one process).
   */
  private readonly listItems = new Map<object, string>();

  /** The text of a plain object's fields, but those in `omit`; with `omit` (`textWithout`), lists as `listText` gives them. */
  private fieldsText(object: object, omit?: ReadonlySet<string>): string {
    let text = "";
    // Own and inherited fields both, as a template reads them (plain objects inherit none that
    // enumerate): quicker than listing the own fields in an array first.
    for (const key in object) {
      if (omit?.has(key)) continue;
      const value = (object as Record<string, unknown>)[key];
      let name = this.fieldNames.get(key);
      if (name === undefined) this.fieldNames.set(key, (name = `${key.length}:${key}=`));
      // A text goes on its own, so that a long one (an article's body) is hashed as it is; any
      // other value is short already (an object's is its hash).
      // A body the cache keeps (an article's, kept-html.ts) is described by the length and digest it
      // keeps, as the same text in memory would be, without being read.
      if (typeof value === "string") text += `${name}s${value.length}:${this.piece(value)};`;
      else if (value instanceof KeptHtml && value.length >= LONG_TEXT) text += `${name}s${value.length}:#${value.digest};`;
      else if (omit && Array.isArray(value)) text += `${name}${this.listText(value)};`;
      else text += `${name}${this.of(value)};`;
    }
    return text;
  }
}
