import { randomBytes } from "node:crypto";
import type { Article } from "../archive/archive.ts";
import { JoinedHash } from "./joined-hash.ts";
import { chooseRelated, countsAsKept, countTerms, flatTerms, namesOf, relatedByArticle, reviseKept, termsKey, type ArticleNames, type KeptTerms, type TermCounts } from "../archive/related.ts";

/**
 * The related lists of a whole archive, with the key of what they were chosen from. The articles
 * are numbered by their place in the archive's order, which the key holds: as numbers, the lists of
 * 100,000 articles are 1.6 MB, where their paths were 20 MB to read and write on every build.
 */
export interface StoredRelated {
  /** What the lists were chosen from: the articles' order, names and texts (`findRelatedCached`). */
  key: string;
  /** The articles' order and names alone: with the terms the same, the lists are. */
  names: string;
  /** The token of the kept terms (`StoredTerms`) the lists were chosen from, once stored beside them. */
  terms?: string;
  /** Where each article's list starts in `chosen`, and where the last one ends. */
  start: Uint32Array;
  /** Each article's related articles in turn, most related first, by their place in the archive. */
  chosen: Uint32Array;
}

/**
 * `KeptTerms` as the cache stores them: the keys and words in a part, and the number arrays, one
 * after another, as bytes in another (BuildCache.writeBytes), which are read back without a copy
 * (as typed arrays in Node's serializer, 120 MB of them at 100,000 articles took it 1.2 s, and as
 * bytes it handed them back at any offset, so that they were copied).
 */
export interface StoredTerms {
  keys: readonly string[];
  words: readonly string[];
  /** The number of terms counted, all articles together. */
  terms: number;
  /** Made anew for each store, and the bytes' first: lists and bytes of two different builds are never read together. */
  token: string;
}

const TOKEN_BYTES = 8;

/** A count's terms as the cache stores them; the changed articles' terms counted apart (`TermCounts.revised`) go in their places. */
export function storeTerms({ keys, words, ...counted }: KeptTerms & Pick<TermCounts, "revised" | "added">): { lists: StoredTerms; bytes: Uint8Array[] } {
  const bytes = (array: Uint32Array | Float32Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  const token = randomBytes(TOKEN_BYTES);
  const { start, term, count } = flatTerms(counted);
  return { lists: { keys, words, terms: start[keys.length]!, token: token.toString("hex") }, bytes: [token, bytes(start), ...term.map(bytes), ...count.map(bytes)] };
}

/** Kept terms as read back, with the token of their store. */
export interface ReadTerms extends KeptTerms {
  token: string;
}

/** The kept terms `storeTerms` stored; undefined for anything that does not hold together, which is then counted afresh. */
export function readStoredTerms(lists: StoredTerms | undefined, stored: Uint8Array | undefined): ReadTerms | undefined {
  if (!lists || !stored || !Number.isInteger(lists.terms)) return undefined;
  const { keys, words, terms } = lists;
  if (stored.byteLength !== TOKEN_BYTES + 4 * (keys.length + 1 + 2 * terms)) return undefined;
  if (Buffer.from(stored.buffer, stored.byteOffset, TOKEN_BYTES).toString("hex") !== lists.token) return undefined;
  // Copied only where the bytes do not start at a multiple of four, as a typed array must.
  const bytes = stored.byteOffset % 4 === 0 ? stored : new Uint8Array(stored);
  const start = new Uint32Array(bytes.buffer, bytes.byteOffset + TOKEN_BYTES, keys.length + 1);
  const term = new Uint32Array(bytes.buffer, start.byteOffset + start.byteLength, terms);
  const count = new Float32Array(bytes.buffer, term.byteOffset + term.byteLength, terms);
  if (start[keys.length] !== terms) return undefined;
  for (let at = 1; at < start.length; at++) if (start[at]! < start[at - 1]!) return undefined;
  // An indexed loop: over 15 million terms, for…of took ten times as long.
  let highest = 0;
  for (let at = 0; at < term.length; at++) if (term[at]! > highest) highest = term[at]!;
  if (terms > 0 && highest >= words.length) return undefined;
  return { keys, words, start, term, count, token: lists.token };
}

/**
 * Each article's file and names, by its place in the archive, as the build that chose the lists
 * had them: a build of bodies edited alone (related-edits.ts) chooses the lists again from these
 * and the kept terms, without the site's model.
 */
export interface StoredPlaces {
  /** The lists' `names`: the archive these are the places of. */
  names: string;
  /** Each article's path in the articles folder. */
  paths: readonly string[];
  articleNames: ArticleNames;
}

/** What an earlier build left for choosing related articles again. */
export interface EarlierRelated {
  /** Its lists. */
  stored: StoredRelated | undefined;
  /** The terms it counted in each article, read only when the lists must be chosen again. */
  terms: () => Promise<ReadTerms | undefined>;
  /** Each article's `termsKey`, as the article cache keeps it with a body it reused. */
  termsKeyOf?: (article: Article) => string;
}

export interface RelatedFound {
  related: Map<Article, Article[]>;
  stored: StoredRelated;
  /** Whether every list is the earlier build's. */
  reused: boolean;
  /** The terms counted in each article, when the lists were chosen again. */
  terms?: KeptTerms & Pick<TermCounts, "revised" | "added">;
  /**
   * When the lists were kept because every text changed counts the terms it had: the kept terms'
   * lists with this build's keys, to be stored with `stored` (its new key); their bytes stay.
   */
  termsRekeyed?: StoredTerms;
  /** The articles' places, to be stored when the lists were chosen again. */
  places?: StoredPlaces;
}

/**
 * The related articles of every article, reused when nothing findRelated reads has changed:
 * each article's title, summary, body opening, topics and authors, and the archive's order. A
 * text changed is counted again; when every one so counts the terms it had (`countsAsKept`: an
 * edit past the words counted, to a number or to the markup), with the order and the names the
 * same, the lists are too. Else every list is chosen again, because the weight of a word depends on every article
 * that has it; the lists are the same as a build from nothing would choose. Only the articles
 * whose text changed are read for their terms again; the others' terms are the earlier build's.
 */
export async function findRelatedCached(articles: readonly Article[], earlier: EarlierRelated): Promise<RelatedFound> {
  const keys = articles.map(earlier.termsKeyOf ?? termsKey);
  const namesHash = new JoinedHash();
  for (const article of articles) {
    namesHash.add(article.relativePath).add("\0");
    for (const topic of article.topics) namesHash.add(topic.url).add("\n");
    namesHash.add("\0");
    for (const author of article.authors) namesHash.add(author.url).add("\n");
    namesHash.add("\0\0");
  }
  const names = namesHash.hex();
  const key = relatedKey(names, keys);
  const { stored } = earlier;
  const fits = stored !== undefined && holdsTogether(stored, articles.length);
  if (fits && stored.key === key) {
    return { related: relatedByArticle(articles, stored), stored, reused: true };
  }
  const kept = await earlier.terms();
  // The changed texts counted once: to tell whether they count as they did, and else for the count.
  const revision = kept && reviseKept(articles, kept, keys);
  // The lists were chosen from the kept terms (their token), which every text counts as it did.
  if (fits && kept && revision && stored.names === names && stored.terms === kept.token && countsAsKept(revision, kept)) {
    const { words, start, token } = kept;
    return { related: relatedByArticle(articles, stored), stored: { ...stored, key }, reused: true, termsRekeyed: { keys, words, terms: start[keys.length]!, token } };
  }
  const counted = countTerms(articles, kept && { kept, keys, revision });
  const articleNames = namesOf(articles);
  const lists = chooseRelated(articleNames, {}, counted);
  const { words, start, term, count, revised, added } = counted;
  const places = { names, paths: articles.map((article) => article.relativePath), articleNames };
  return { related: relatedByArticle(articles, lists), stored: { key, names, ...lists }, reused: false, terms: { keys, words, start, term, count, revised, added }, places };
}

/** The key of lists chosen from articles of these `names` (`StoredRelated.names`) whose texts have these `termsKey`s, in the archive's order. */
export function relatedKey(names: string, keys: readonly string[]): string {
  const keysHash = new JoinedHash();
  for (const key of keys) keysHash.add(key).add("\0");
  return `${names}${keysHash.hex()}`;
}

/** Whether stored lists fit an archive of `articles`; any that do not are chosen again. */
export function holdsTogether({ start, chosen }: StoredRelated, articles: number): boolean {
  if (!(start instanceof Uint32Array) || !(chosen instanceof Uint32Array) || start.length !== articles + 1 || start[0] !== 0 || start[articles] !== chosen.length) return false;
  for (let at = 1; at < start.length; at++) if (start[at]! < start[at - 1]!) return false;
  for (let at = 0; at < chosen.length; at++) if (chosen[at]! >= articles) return false;
  return true;
}
