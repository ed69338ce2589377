import { createHash } from "node:crypto";
import type { Article } from "../archive/archive.ts";
import { countTerms, findRelated, termsKey, type KeptTerms } from "../archive/related.ts";

/** The related lists of a whole archive, by its articles' paths, with the key of what they were chosen from. */
export interface StoredRelated {
  key: string;
  lists: string[][];
}

/**
 * `KeptTerms` as the cache stores it: the number arrays as plain bytes, which Node's serializer
 * reads back at once (as typed arrays, 120 MB of them at 100,000 articles took it 1.2 s).
 */
export interface StoredTerms {
  keys: readonly string[];
  words: readonly string[];
  start: Uint8Array;
  term: Uint8Array;
  count: Uint8Array;
}

export function storeTerms({ keys, words, start, term, count }: KeptTerms): StoredTerms {
  const bytes = (array: Uint32Array | Float32Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  return { keys, words, start: bytes(start), term: bytes(term), count: bytes(count) };
}

/** The kept terms `storeTerms` stored; undefined for anything that does not hold together, which is then counted afresh. */
export function readStoredTerms(stored: StoredTerms | undefined): KeptTerms | undefined {
  if (!stored || ![stored.start, stored.term, stored.count].every((bytes) => bytes instanceof Uint8Array && bytes.byteLength % 4 === 0)) return undefined;
  const { keys, words } = stored;
  // Copied only where the bytes do not start at a multiple of four, as a typed array must.
  const view = <T>(bytes: Uint8Array, type: new (buffer: ArrayBufferLike, offset: number, length: number) => T) => {
    const at = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
    return new type(at.buffer, at.byteOffset, at.byteLength / 4);
  };
  const [start, term, count] = [view(stored.start, Uint32Array), view(stored.term, Uint32Array), view(stored.count, Float32Array)];
  if (start.length !== keys.length + 1 || start[keys.length] !== term.length || count.length !== term.length) return undefined;
  for (let at = 1; at < start.length; at++) if (start[at]! < start[at - 1]!) return undefined;
  for (const id of term) if (id >= words.length) return undefined;
  return { keys, words, start, term, count };
}

/** What an earlier build left for choosing related articles again. */
export interface EarlierRelated {
  /** Its lists. */
  stored: StoredRelated | undefined;
  /** The terms it counted in each article, read only when the lists must be chosen again. */
  terms: () => KeptTerms | undefined;
}

export interface RelatedFound {
  related: Map<Article, Article[]>;
  stored: StoredRelated;
  /** Whether every list is the earlier build's. */
  reused: boolean;
  /** The terms counted in each article, when the lists were chosen again. */
  terms?: KeptTerms;
}

/**
 * The related articles of every article, reused when nothing findRelated reads has changed:
 * each article's title, summary, body opening, topics and authors, and the archive's order. Any
 * change chooses every list again, because the weight of a word depends on every article that
 * has it; the lists are the same as a build from nothing would choose. Only the articles whose
 * text changed are read for their terms again; the others' terms are the earlier build's.
 */
export function findRelatedCached(articles: readonly Article[], earlier: EarlierRelated): RelatedFound {
  const keys = articles.map(termsKey);
  const digest = createHash("sha256");
  articles.forEach((article, index) => {
    digest.update(`${article.relativePath}\0${keys[index]}\0`);
    digest.update(`${article.topics.map((topic) => topic.url).join("\n")}\0${article.authors.map((author) => author.url).join("\n")}\0\0`);
  });
  const key = digest.digest("hex");
  const { stored } = earlier;
  if (stored?.key === key) {
    const byPath = new Map(articles.map((article) => [article.relativePath, article]));
    const related = new Map(articles.map((article, index) => [article, stored.lists[index]!.map((relativePath) => byPath.get(relativePath)!)]));
    return { related, stored, reused: true };
  }
  const kept = earlier.terms();
  const counted = countTerms(articles, kept && { kept, keys });
  const related = findRelated(articles, {}, counted);
  const lists = articles.map((article) => (related.get(article) ?? []).map((other) => other.relativePath));
  const { words, start, term, count } = counted;
  return { related, stored: { key, lists }, reused: false, terms: { keys, words, start, term, count } };
}
