import { hash } from "node:crypto";
import { articleHtml, type Article } from "./archive.ts";

/** How related articles are chosen; every field has a default that suits a news archive. */
export interface RelatedOptions {
  /** Most related articles per article; default 5. */
  most?: number;
  /** Fewest, when the archive has enough articles sharing a term or a topic; default 3. */
  fewest?: number;
  /** Distinctive terms that stand for an article, by TF-IDF weight; default 25. */
  terms?: number;
  /** A term in more than this share of articles says nothing about any of them; default 0.08. */
  commonShare?: number;
  /** Most articles a term can lead to; the ones where it weighs most are kept. Default 200. */
  postings?: number;
}

/** Title words count as much as this many body words: a headline says what the article is about. */
const TITLE_WEIGHT = 3;
/** The opening of a news article says what it is about; reading further costs time, not accuracy. */
const BODY_WORDS = 600;
/** Added for each shared topic or author, scaled by how rare it is (1 for a name only two articles share). */
const TOPIC_BOOST = 0.12;
const AUTHOR_BOOST = 0.05;
/** Beyond `fewest`, an article is listed only if it scores at least this share of the best one. */
const CUT_OFF = 0.3;

// Common English words; in other languages the `commonShare` rule drops the common words instead.
const STOPWORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both but by can could did
do does doing down during each even few for from further get got had has have having he her here hers herself him himself his how however i
if in into is it its itself just like made make many may me more most much must my myself new no nor not now of off on once one only or
other our ours ourselves out over own said same says see she should since so some still such than that the their theirs them themselves
then there these they this those through to too two under until up upon us use used using very via was way we well were what when where
which while who whom why will with within without would yet you your yours yourself yourselves`.split(/\s+/),
);

/**
 * Chooses each article's related articles by what they are about: the cosine similarity of their
 * most distinctive terms (TF-IDF over title, summary and the opening of the body), plus a boost for
 * each shared topic and author. Candidates come only from an inverted index of those terms, with
 * common terms left out and long posting lists cut, so the time grows close to linearly with the
 * archive. An article with too few similar ones is filled up from its topics' nearest neighbours
 * in time. Never the article itself; the same archive always gives the same lists, ties going
 * to the newer article, then by slug (the archive's own order).
 */
export function findRelated(articles: readonly Article[], options: RelatedOptions = {}, counted: TermCounts = countTerms(articles)): Map<Article, Article[]> {
  return relatedByArticle(articles, chooseRelated(namesOf(articles), options, counted));
}

/**
 * Each article's topics and authors, by the archive's place, as numbers: all `chooseRelated` reads
 * of an article besides its terms. The cache keeps them (related-cache.ts), so that a build of a
 * few bodies edited chooses the lists again without the site's model. Article `d`'s topics are
 * `topics[topicStart[d]]` to `topics[topicStart[d + 1] - 1]`, in its order; its authors likewise.
 */
export interface ArticleNames {
  topicStart: Uint32Array;
  topics: Uint32Array;
  authorStart: Uint32Array;
  authors: Uint32Array;
}

/** The names of `articles`, each topic and author numbered by its address in the order first met. */
export function namesOf(articles: readonly Pick<Article, "topics" | "authors">[]): ArticleNames {
  const ids = new Map<string, number>();
  const numbered = (lists: readonly (readonly { url: string }[])[]) => {
    const start = new Uint32Array(lists.length + 1);
    lists.forEach((list, doc) => (start[doc + 1] = start[doc]! + list.length));
    const numbers = new Uint32Array(start[lists.length]!);
    let at = 0;
    for (const list of lists) {
      for (const { url } of list) {
        let id = ids.get(url);
        if (id === undefined) ids.set(url, (id = ids.size));
        numbers[at++] = id;
      }
    }
    return { start, numbers };
  };
  const topics = numbered(articles.map((article) => article.topics));
  const authors = numbered(articles.map((article) => article.authors));
  return { topicStart: topics.start, topics: topics.numbers, authorStart: authors.start, authors: authors.numbers };
}

/** Each article's related articles by their places in `articles`: those of article `d` are `chosen[start[d]]` to `chosen[start[d + 1] - 1]`, most related first. */
export interface NumberedLists {
  start: Uint32Array;
  chosen: Uint32Array;
}

/** The lists `chooseRelated` numbered, as articles. */
export function relatedByArticle(articles: readonly Article[], { start, chosen }: NumberedLists): Map<Article, Article[]> {
  return new Map(articles.map((article, index) => [article, Array.from(chosen.subarray(start[index], start[index + 1]), (other) => articles[other]!)]));
}

/**
 * `findRelated`'s lists by the articles' places, as the cache stores them: numbered where they are
 * chosen, not looked up again in a map of 100,000 articles (0.3 s of a new article's build).
 */
export function chooseRelated(articleNames: ArticleNames, options: RelatedOptions, counted: TermCounts): NumberedLists {
  const most = options.most ?? 5;
  const fewest = Math.min(options.fewest ?? 3, most);
  const termCount = options.terms ?? 25;
  const maxPostings = options.postings ?? 200;
  const n = articleNames.topicStart.length - 1;
  // In a small archive every shared term counts; the share rule is for large ones.
  const maxFrequency = Math.max(10, Math.floor(n * (options.commonShare ?? 0.08)));

  const vectors = distinctiveTerms(counted, n, termCount, maxFrequency);
  const index = invertedIndex(vectors, counted.terms, maxPostings);
  const names = nameFeatures(articleNames);

  const start = new Uint32Array(n + 1);
  const chosen = new Uint32Array(n * most);
  const scores = new Float64Array(n);
  const touched: number[] = [];
  for (let doc = 0; doc < n; doc++) {
    for (let k = vectors.start[doc]!; k < vectors.start[doc + 1]!; k++) {
      const term = vectors.term[k]!;
      const weight = vectors.weight[k]!;
      for (let p = index.start[term]!; p < index.end[term]!; p++) {
        const other = index.doc[p]!;
        if (other === doc) continue;
        if (scores[other] === 0) touched.push(other);
        scores[other]! += weight * index.weight[p]!;
      }
    }
    const best: { doc: number; score: number }[] = [];
    const mostBoost = names.mark(doc);
    for (const other of touched) {
      const text = scores[other]!;
      scores[other] = 0;
      // Most candidates cannot make the list even with every name shared; skip working out which are.
      if (best.length === most && text + mostBoost < best[most - 1]!.score) continue;
      const score = text + names.boost(other);
      // Keep the best `most`, highest first; equal scores go to the earlier (newer) article.
      if (best.length === most && !better(score, other, best[most - 1]!)) continue;
      let at = best.length;
      while (at > 0 && better(score, other, best[at - 1]!)) at--;
      best.splice(at, 0, { doc: other, score });
      if (best.length > most) best.pop();
    }
    touched.length = 0;
    names.unmark(doc);
    const list: number[] = [];
    for (const [rank, candidate] of best.entries()) {
      if (rank >= fewest && candidate.score < CUT_OFF * best[0]!.score) break;
      list.push(candidate.doc);
    }
    if (list.length < fewest) names.fillFromTopics(doc, list, fewest);
    chosen.set(list, start[doc]);
    start[doc + 1] = start[doc]! + list.length;
  }
  return { start, chosen: chosen.slice(0, start[n]) };
}

function better(score: number, doc: number, than: { doc: number; score: number }): boolean {
  return score > than.score || (score === than.score && doc < than.doc);
}

/**
 * Each article's terms with their weighted counts, in flat arrays: article `d` owns `start[d]` to
 * `start[d + 1]`, or, after `added` new articles counted apart, `start[d - added]` to `start[d - added + 1]`.
 */
export interface TermCounts {
  terms: number;
  /** Each term as text, by id. */
  words: readonly string[];
  /** Articles each term occurs in, by term id. */
  frequency: Uint32Array;
  start: Uint32Array;
  /** Each article's terms in the order it first has them. */
  term: Uint32Array;
  count: Float32Array;
  /** Articles whose terms are here, by their place, not in `term` and `count` from `start` (see `countTerms`). */
  revised?: RevisedTerms;
  /**
   * Articles new since the kept count, the newest (`reviseKeptTerms`), all in `revised`: article
   * `d`'s row in `start` is `d - added`. Undefined for none.
   */
  added?: number;
}

/** The terms of some articles, counted again, by the article's place. */
export type RevisedTerms = ReadonlyMap<number, { term: Uint32Array; count: Float32Array }>;

/**
 * A count's terms as flat arrays again, each in parts to be written one after another: runs of
 * the arrays as they are, and between them each revised article's own, with `start` made anew.
 */
export function flatTerms({ start, term, count, revised, added = 0 }: Pick<TermCounts, "start" | "term" | "count" | "revised" | "added">): { start: Uint32Array; term: Uint32Array[]; count: Float32Array[] } {
  if (!revised || revised.size === 0) return { start, term: [term], count: [count] };
  const articles = start.length - 1 + added;
  const flatStart = new Uint32Array(articles + 1);
  const termParts: Uint32Array[] = [];
  const countParts: Float32Array[] = [];
  // The first article of the run of kept rows not yet in the parts.
  let runFrom = added;
  const endRun = (doc: number) => {
    if (doc <= runFrom) return;
    termParts.push(term.subarray(start[runFrom - added], start[doc - added]));
    countParts.push(count.subarray(start[runFrom - added], start[doc - added]));
  };
  for (let doc = 0; doc < articles; doc++) {
    const own = revised.get(doc);
    flatStart[doc + 1] = flatStart[doc]! + (own ? own.term.length : start[doc - added + 1]! - start[doc - added]!);
    if (!own) continue;
    endRun(doc);
    termParts.push(own.term);
    countParts.push(own.count);
    runFrom = Math.max(runFrom, doc + 1);
  }
  endRun(articles);
  return { start: flatStart, term: termParts, count: countParts };
}

/**
 * The terms of every article of an earlier count, with the key of the text each was counted from
 * (`termsKey`): what a later count takes as it is for an article whose text is the same.
 */
export interface KeptTerms extends Pick<TermCounts, "words" | "start" | "term" | "count"> {
  keys: readonly string[];
}

/** What `countTerms` reads of an article, hashed: its title, summary and the opening of its body. */
export function termsKey(article: Pick<Article, "title" | "summary" | "html">): string {
  // The opening by its own hash: a slice of the body, hashed as it is, not copied into one text
  // with the title (half a gigabyte at 100,000 articles).
  const opening = typeof article.html === "string" ? openingKey(article.html) : article.html.opening;
  return hashText(`${article.title.length}:${article.title}${article.summary.length}:${article.summary}${opening}`);
}

/** The hash of a rendered body's opening, which `termsKey` holds: the build cache keeps it with a body it keeps (kept-html.ts). */
export function openingKey(html: string): string {
  return hashText(bodyOpening(html));
}

/** A character cut in two (by the opening's end) is hashed as it is read, not as UTF-8's one replacement for every such half. */
function hashText(text: string): string {
  return hash("sha1", isWellFormed(text) ? text : Buffer.from(text, "utf16le"), "base64");
}

/** The opening of a news article says what it is about; reading further costs time, not accuracy. */
function bodyOpening(html: string): string {
  // Markup and short words make up much of HTML, so the slice is longer than `BODY_WORDS` words.
  return html.slice(0, BODY_WORDS * 16);
}

/**
 * Counts each article's terms. With `earlier`, an article whose `termsKey` is among the kept ones
 * is not read: its terms are taken from there, in the order it had them, with the ids they had,
 * and a word new to the kept count takes the next id. Which id a term has changes no related list
 * (`distinctiveTerms` breaks ties by the word), so kept terms are not numbered again but to leave
 * out words no article has any more. When the archive is the kept one, article for article, with
 * a few texts changed in place or a few articles new at its newest end, the kept arrays are used
 * as they are, and the changed and new articles' terms given in `revised`.
 */
export function countTerms(articles: readonly Article[], earlier?: { kept: KeptTerms; keys: readonly string[]; revision?: KeptRevision }): TermCounts {
  const revision = earlier && (earlier.revision ?? reviseKept(articles, earlier.kept, earlier.keys));
  const revised = revision && reviseKeptTerms(articles.length, earlier!.kept, revision);
  // Past a share of words no article has any more, the rows are laid out anew without them.
  if (revised && unusedWords(revised) * UNUSED_SHARE <= revised.terms) return revised;
  const n = articles.length;
  const seeded = new TermTable();
  // Words kept twice cannot have come from a count: then nothing kept is used.
  const kept = earlier && seedTable(seeded, earlier.kept) ? earlier.kept : undefined;
  const table = kept ? seeded : new TermTable();
  const counter = new ArticleTerms(table);
  const start = new Uint32Array(n + 1);
  // Room for the kept terms and some more: an edited article with a few terms more than it had
  // would otherwise double arrays of 15 million terms (a second, at 100,000 articles).
  let term = new Uint32Array((kept?.term.length ?? 0) + (1 << 16));
  let count = new Float32Array(term.length);
  let used = 0;
  const makeRoom = (terms: number) => {
    while (used + terms > term.length) {
      term = growUint32(term);
      count = growFloat32(count);
    }
  };
  const keptAt = kept && new Map(kept.keys.map((key, index) => [key, index]));
  for (let doc = 0; doc < n; doc++) {
    const row = keptAt?.get(earlier!.keys[doc]!);
    if (row !== undefined) {
      // Copied a row at a time: a loop over each of 15 million kept terms took two seconds.
      const from = kept!.start[row]!;
      const to = kept!.start[row + 1]!;
      makeRoom(to - from);
      term.set(kept!.term.subarray(from, to), used);
      count.set(kept!.count.subarray(from, to), used);
      used += to - from;
    } else {
      const { terms, counts } = counter.count(articles[doc]!);
      makeRoom(terms.length);
      for (const id of terms) {
        term[used] = id;
        count[used++] = counts[id]!;
      }
      counter.clear();
    }
    start[doc + 1] = used;
  }
  const frequency = new Uint32Array(Math.max(table.size, 1024));
  // Each article has each of its terms once.
  for (let k = 0; k < used; k++) frequency[term[k]!]!++;
  return withoutUnused({ terms: table.size, words: table.words, frequency, start, term: term.subarray(0, used), count: count.slice(0, used) });
}

/** The share of a kept count's words (one in this many) that may be words no article has any more. */
const UNUSED_SHARE = 4;

function unusedWords({ terms, frequency }: TermCounts): number {
  let unused = 0;
  for (let id = 0; id < terms; id++) if (frequency[id] === 0) unused++;
  return unused;
}

/**
 * The count with the words no article has any more left out, and the others numbered anew in the
 * same order: kept words a text no longer has stay in a kept count (`reviseKeptTerms`) until its
 * rows are laid out again. The term numbers are `counted`'s own, rewritten in place.
 */
function withoutUnused(counted: TermCounts): TermCounts {
  const { terms, words, frequency, term } = counted;
  const live = terms - unusedWords(counted);
  if (live === terms) return { ...counted, term: term.slice() };
  const renumbered = new Uint32Array(terms);
  const liveWords: string[] = [];
  const liveFrequency = new Uint32Array(Math.max(live, 1024));
  for (let id = 0; id < terms; id++) {
    if (frequency[id] === 0) continue;
    renumbered[id] = liveWords.length;
    liveFrequency[liveWords.length] = frequency[id]!;
    liveWords.push(words[id]!);
  }
  const liveTerm = term.slice();
  for (let k = 0; k < liveTerm.length; k++) liveTerm[k] = renumbered[liveTerm[k]!]!;
  return { ...counted, terms: live, words: liveWords, frequency: liveFrequency, term: liveTerm };
}

/** Gives `table` the kept words, each its kept id; false when a word is kept twice, which no count does. */
function seedTable(table: TermTable, kept: KeptTerms): boolean {
  for (const word of kept.words) table.idOfWord(word);
  return table.size === kept.words.length;
}

/** Most articles changed in place or new that `reviseKeptTerms` counts again; past them, every row is laid out anew. */
const REVISED_MOST = 1000;

/**
 * The articles changed in place or new since a kept count (`reviseKept`), with their terms counted
 * against its words: `table` gives a word new to them the next id.
 */
export interface KeptRevision {
  table: TermTable;
  revised: Map<number, { term: Uint32Array; count: Float32Array }>;
  /** New articles, the newest. */
  added: number;
}

/**
 * The revision of a kept count that `articles` make, when they are the kept ones, place for place,
 * after at most `REVISED_MOST` new ones at the newest end, with at most as many texts changed (by
 * `keys`); undefined otherwise. Both `countsAsKept` and `countTerms` take it, counted once.
 */
export function reviseKept(articles: readonly Article[], kept: KeptTerms, keys: readonly string[]): KeptRevision | undefined {
  const n = articles.length;
  const added = n - kept.keys.length;
  if (added < 0 || added > REVISED_MOST) return undefined;
  const changed = new Map<number, ArticleText>();
  for (let doc = 0; doc < n && changed.size <= REVISED_MOST; doc++) if (doc < added || keys[doc] !== kept.keys[doc - added]) changed.set(doc, articles[doc]!);
  return revisionOf(kept, changed, added);
}

/** What `countTerms` reads of an article: its title, its summary and its body. */
export type ArticleText = Pick<Article, "title" | "summary" | "html">;

/**
 * The revision of a kept count that the texts of a few articles, by their place, make, with no
 * article new: for a build of bodies edited alone, which has the other articles' places and not
 * the articles. Undefined when it cannot be made (see `reviseKept`).
 */
export function reviseKeptAt(kept: KeptTerms, texts: ReadonlyMap<number, ArticleText>): KeptRevision | undefined {
  for (const doc of texts.keys()) if (!Number.isInteger(doc) || doc < 0 || doc >= kept.keys.length) return undefined;
  return revisionOf(kept, texts, 0);
}

/** The revision of `kept` by the `changed` articles' texts, by place, after `added` new ones at the newest end. */
function revisionOf(kept: KeptTerms, changed: ReadonlyMap<number, ArticleText>, added: number): KeptRevision | undefined {
  if (changed.size > REVISED_MOST || kept.start.length !== kept.keys.length + 1) return undefined;
  const table = new TermTable();
  if (!seedTable(table, kept)) return undefined;
  const counter = new ArticleTerms(table);
  const revised = new Map<number, { term: Uint32Array; count: Float32Array }>();
  for (const [doc, article] of changed) {
    const { terms, counts } = counter.count(article);
    revised.set(doc, { term: Uint32Array.from(terms), count: Float32Array.from(terms, (id) => counts[id]!) });
    counter.clear();
  }
  return { table, revised, added };
}

/**
 * The count from kept terms that a `revision` of them with no article new makes, as `countTerms`
 * would make it, without the articles (a build of bodies edited alone); undefined when `countTerms`
 * would lay the rows out anew, which needs every article's text.
 */
export function countRevised(kept: KeptTerms, revision: KeptRevision): TermCounts | undefined {
  if (revision.added !== 0) return undefined;
  const revised = reviseKeptTerms(kept.keys.length, kept, revision);
  return unusedWords(revised) * UNUSED_SHARE <= revised.terms ? revised : undefined;
}

/**
 * The count from kept terms without copying them (120 MB at 100,000 articles, which took a
 * second to copy and more to collect), for a `revision` of them: the changed and new articles'
 * terms are given in `revised`, the others stay where the kept arrays have them.
 */
function reviseKeptTerms(n: number, kept: KeptTerms, { table, revised, added }: KeptRevision): TermCounts {
  const { start, term, count } = kept;
  const frequency = new Uint32Array(Math.max(table.size, 1024));
  for (let doc = added; doc < n; doc++) {
    if (revised.has(doc)) continue;
    for (let k = start[doc - added]!; k < start[doc - added + 1]!; k++) frequency[term[k]!]!++;
  }
  for (const { term: own } of revised.values()) for (const id of own) frequency[id]!++;
  return { terms: table.size, words: table.words, frequency, start, term, count, revised, ...(added > 0 ? { added } : {}) };
}

/**
 * Whether a `revision` of the kept terms leaves them exactly as they were: no article new, and
 * every article whose text changed counts the terms it had, in the same order and as often (a word
 * the kept count never had takes an id past its words). Lists chosen from the kept count are then
 * the lists a count now would choose, with the same names (`chooseRelated` reads nothing else):
 * an edit past the words it counts (the first 600 of the body, where its key hashes the first
 * 9,600 characters of HTML), or to a number, a stopword or the markup, where no word is cut in two
 * by the slice's end.
 */
export function countsAsKept({ revised, added }: KeptRevision, kept: KeptTerms): boolean {
  if (added > 0) return false;
  for (const [doc, own] of revised) {
    const from = kept.start[doc]!;
    if (own.term.length !== kept.start[doc + 1]! - from) return false;
    for (let at = 0; at < own.term.length; at++) if (kept.term[from + at] !== own.term[at] || kept.count[from + at] !== own.count[at]) return false;
  }
  return true;
}

/** Counts one article's terms at a time, with ids from `table`: its title, summary and body opening, as `countTerms` reads them. */
class ArticleTerms {
  /** The article's count of each term, by id, and the ids it has in the order it first has them: cheaper than a Map per article. */
  private counts = new Float32Array(1024);
  private readonly seen: number[] = [];
  private weight = 1;
  /** Made once, not for each article: a build from nothing counts every article of the archive. */
  private readonly addWord: WordVisitor = (text, from, to, last, hash) => {
    const id = this.table.idOf(text, from, to, last, hash);
    while (id >= this.counts.length) this.counts = growFloat32(this.counts);
    if (this.counts[id] === 0) this.seen.push(id);
    this.counts[id]! += this.weight;
  };

  constructor(private readonly table: TermTable) {}

  /** The article's terms, in the order it first has them, and each one's weighted count by id; valid until `clear`. */
  count(article: ArticleText): { terms: readonly number[]; counts: Float32Array } {
    this.weight = TITLE_WEIGHT;
    scanWords(article.title.toLowerCase(), Infinity, this.addWord);
    this.weight = 1;
    scanWords(article.summary.toLowerCase(), Infinity, this.addWord);
    scanWords(bodyOpening(articleHtml(article)).toLowerCase(), BODY_WORDS, this.addWord, { html: true });
    return { terms: this.seen, counts: this.counts };
  }

  clear(): void {
    for (const id of this.seen) this.counts[id] = 0;
    this.seen.length = 0;
  }
}

function growUint32(array: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const bigger = new Uint32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

function growFloat32(array: Float32Array<ArrayBuffer>): Float32Array<ArrayBuffer> {
  const bigger = new Float32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/**
 * Words as ids, looked up straight from the text being read: a build reads tens of millions of
 * words, and making a string of each (to look it up in a Map) costs more than the rest together.
 * A word is the span `from` to `to` of the text with its last character read as `last`.
 */
class TermTable {
  size = 0;
  private slots = new Int32Array(1 << 12).fill(-1);
  private hashes = new Uint32Array(1 << 11);
  private texts: string[] = [];

  /** Every word, by id. */
  get words(): readonly string[] {
    return this.texts;
  }

  /** The word's id, or -1 when the table does not have it. */
  find(text: string, from: number, to: number, last: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]!;
      if (id < 0) return -1;
      if (this.hashes[id] === hash && same(this.texts[id]!, text, from, to, last)) return id;
    }
  }

  /** The word's id, adding it when new; ids count up from 0. */
  idOf(text: string, from: number, to: number, last: number, hash: number): number {
    const found = this.find(text, from, to, last, hash);
    if (found >= 0) return found;
    const id = this.size++;
    if (id === this.hashes.length) {
      this.hashes = growUint32(this.hashes);
      this.rehash(this.slots.length * 2);
    }
    this.hashes[id] = hash;
    this.texts.push(text.slice(from, to - 1) + String.fromCharCode(last));
    this.place(id);
    return id;
  }

  /** The id of a word as `idOf` stored it (singular, final y as i), adding it when new. */
  idOfWord(word: string): number {
    let hash = 0x811c9dc5;
    for (let at = 0; at < word.length; at++) hash = Math.imul(hash ^ word.charCodeAt(at), 0x01000193);
    return this.idOf(word, 0, word.length, word.charCodeAt(word.length - 1), hash >>> 0);
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[id]! & mask;
    while (this.slots[slot]! >= 0) slot = (slot + 1) & mask;
    this.slots[slot] = id;
  }

  private rehash(length: number): void {
    this.slots = new Int32Array(length).fill(-1);
    for (let id = 0; id < this.size - 1; id++) this.place(id);
  }
}

function same(word: string, text: string, from: number, to: number, last: number): boolean {
  if (word.length !== to - from || word.charCodeAt(word.length - 1) !== last) return false;
  for (let at = from; at < to - 1; at++) if (word.charCodeAt(at - from) !== text.charCodeAt(at)) return false;
  return true;
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}\p{M}]/u;

function isLetterOrDigit(code: number, char: string): boolean {
  // Surrogate halves belong to letters outside the Basic Multilingual Plane often enough (CJK extensions).
  return (code >= 0xd800 && code <= 0xdfff) || LETTER_OR_DIGIT.test(char);
}

type WordVisitor = (text: string, from: number, to: number, last: number, hash: number) => void;

const STOPWORD_TABLE = new TermTable();
for (const word of STOPWORDS) scanWords(word, 1, STOPWORD_TABLE.idOf.bind(STOPWORD_TABLE), { stopwords: true });

/**
 * Visits the words of lower-case text that can tell articles apart: no stopwords or numbers,
 * plurals read as singular, and a final y read as i so that "city" and "cities" are one word.
 * In HTML, tags and entities separate words and are never part of one.
 */
function scanWords(text: string, limit: number, visit: WordVisitor, options: { html?: boolean; stopwords?: boolean } = {}): void {
  let from = -1;
  let digits = true;
  let visited = 0;
  for (let at = 0; at <= text.length && visited < limit; at++) {
    const code = at < text.length ? text.charCodeAt(at) : 32;
    const digit = code >= 48 && code <= 57;
    if (digit || (code >= 97 && code <= 122) || (code >= 0xc0 && isLetterOrDigit(code, text[at]!))) {
      if (from < 0) {
        from = at;
        digits = true;
      }
      digits &&= digit;
      continue;
    }
    if (from >= 0 && !digits && at - from >= 2 && visitWord(text, from, at, visit, !options.stopwords)) visited++;
    from = -1;
    if (options.html && (code === 60 || code === 38)) {
      // Skip `<…>` whole, and `&…;` when it is an entity.
      const end = text.indexOf(code === 60 ? ">" : ";", at);
      if (end > at && (code === 60 || end - at <= 10)) at = end;
    }
  }
}

/** Visits the word from `from` to `to`, read as singular; false when it is a stopword. */
function visitWord(text: string, from: number, to: number, visit: WordVisitor, skipStopwords: boolean): boolean {
  const length = to - from;
  const [third, second, first] = [text.charCodeAt(to - 3), text.charCodeAt(to - 2), text.charCodeAt(to - 1)];
  if (length > 4 && third === 105 && second === 101 && first === 115) to -= 2; // -ies
  else if (length > 3 && first === 115 && second !== 115 && second !== 117 && second !== 105) to -= 1; // -s, not -ss, -us, -is
  let last = text.charCodeAt(to - 1);
  if (last === 121) last = 105; // y
  let hash = 0x811c9dc5;
  for (let at = from; at < to - 1; at++) hash = Math.imul(hash ^ text.charCodeAt(at), 0x01000193);
  hash = Math.imul(hash ^ last, 0x01000193) >>> 0;
  if (skipStopwords && STOPWORD_TABLE.find(text, from, to, last, hash) >= 0) return false;
  visit(text, from, to, last, hash);
  return true;
}

/** The words of `text` as related articles are chosen by them; for tests. */
export function words(text: string, limit: number, options: { html?: boolean } = {}): string[] {
  const found: string[] = [];
  scanWords(text.toLowerCase(), limit, (lower, from, to, last) => found.push(lower.slice(from, to - 1) + String.fromCharCode(last)), options);
  return found;
}

/** Each article's most distinctive terms, weighted by TF-IDF and scaled to unit length, in flat arrays. */
interface TermVectors {
  start: Uint32Array;
  term: Uint32Array;
  weight: Float32Array;
}

function distinctiveTerms(counted: TermCounts, n: number, termCount: number, maxFrequency: number): TermVectors {
  const start = new Uint32Array(n + 1);
  const term = new Uint32Array(n * termCount);
  const weight = new Float32Array(n * termCount);
  let used = 0;
  const candidates: { term: number; weight: number }[] = [];
  for (let doc = 0; doc < n; doc++) {
    candidates.length = 0;
    const own = counted.revised?.get(doc);
    const terms = own?.term ?? counted.term;
    const counts = own?.count ?? counted.count;
    const row = doc - (counted.added ?? 0);
    const to = own ? own.term.length : counted.start[row + 1]!;
    for (let k = own ? 0 : counted.start[row]!; k < to; k++) {
      const id = terms[k]!;
      const frequency = counted.frequency[id]!;
      // A term no other article has links nothing; one most articles have links everything.
      if (frequency < 2 || frequency > maxFrequency || frequency === n) continue;
      candidates.push({ term: id, weight: (1 + Math.log(counts[k]!)) * Math.log(n / frequency) });
    }
    // Equal weights by the word, not its id: a kept count's ids are not a new count's (`countTerms`).
    candidates.sort((a, b) => b.weight - a.weight || (counted.words[a.term]! < counted.words[b.term]! ? -1 : 1));
    const kept = candidates.slice(0, termCount);
    const length = Math.hypot(...kept.map((candidate) => candidate.weight));
    for (const candidate of kept) {
      if (length === 0) break;
      term[used] = candidate.term;
      weight[used++] = candidate.weight / length;
    }
    start[doc + 1] = used;
  }
  return { start, term: term.subarray(0, used), weight: weight.subarray(0, used) };
}

/** For each term, the articles it stands for and its weight in each, the heaviest `maxPostings` only. */
interface InvertedIndex {
  start: Uint32Array;
  end: Uint32Array;
  doc: Uint32Array;
  weight: Float32Array;
}

function invertedIndex(vectors: TermVectors, termTotal: number, maxPostings: number): InvertedIndex {
  const start = new Uint32Array(termTotal + 1);
  for (const id of vectors.term) start[id + 1]!++;
  for (let id = 0; id < termTotal; id++) start[id + 1]! += start[id]!;
  const fill = start.slice(0, termTotal);
  const doc = new Uint32Array(vectors.term.length);
  const weight = new Float32Array(vectors.term.length);
  for (let d = 0; d + 1 < vectors.start.length; d++) {
    for (let k = vectors.start[d]!; k < vectors.start[d + 1]!; k++) {
      const at = fill[vectors.term[k]!]!++;
      doc[at] = d;
      weight[at] = vectors.weight[k]!;
    }
  }
  const end = start.slice(1);
  for (let id = 0; id < termTotal; id++) {
    if (end[id]! - start[id]! <= maxPostings) continue;
    const from = start[id]!;
    const postings = Array.from({ length: end[id]! - from }, (_, i) => ({ doc: doc[from + i]!, weight: weight[from + i]! }));
    postings.sort((a, b) => b.weight - a.weight || a.doc - b.doc);
    postings.slice(0, maxPostings).forEach((posting, i) => {
      doc[from + i] = posting.doc;
      weight[from + i] = posting.weight;
    });
    end[id] = from + maxPostings;
  }
  return { start, end, doc, weight };
}

/** Topics and authors as small integer ids, for the boost and for filling short lists. */
function nameFeatures({ topicStart, topics, authorStart, authors }: ArticleNames) {
  const n = topicStart.length - 1;
  const topicsOf = (doc: number) => topics.subarray(topicStart[doc], topicStart[doc + 1]);
  let highest = -1;
  for (const ids of [topics, authors]) for (const id of ids) if (id > highest) highest = id;
  const members: number[][] = Array.from({ length: highest + 1 }, () => []);
  // Each name's articles in the archive's order, topics' first.
  for (const [start, ids] of [[topicStart, topics], [authorStart, authors]] as const) {
    for (let doc = 0; doc < n; doc++) for (let at = start[doc]!; at < start[doc + 1]!; at++) members[ids[at]!]!.push(doc);
  }
  // A name every article has says nothing; one only two share says a lot.
  const rarity = members.map((docs) => (n <= 2 || docs.length < 2 ? 1 : Math.log(n / docs.length) / Math.log(n / 2)));

  const boosts = members.map(() => 0);
  for (const id of topics) boosts[id] = TOPIC_BOOST * rarity[id]!;
  for (const id of authors) boosts[id] = AUTHOR_BOOST * rarity[id]!;
  const names = Array.from({ length: n }, (_, doc) => [...topicsOf(doc), ...authors.subarray(authorStart[doc], authorStart[doc + 1])]);
  // The boost for sharing each name with the article being matched; zero for names it does not have.
  const marks = new Float64Array(members.length);

  return {
    /** Marks the names of `doc`, the article now being matched; returns the boost for sharing all of them. */
    mark(doc: number): number {
      let sum = 0;
      for (const id of names[doc]!) sum += marks[id] = boosts[id]!;
      return sum;
    },

    /** Clears the marks of `doc`. */
    unmark(doc: number): void {
      for (const id of names[doc]!) marks[id] = 0;
    },

    /** The boost for the names `other` shares with the marked article. */
    boost(other: number): number {
      let sum = 0;
      for (const id of names[other]!) sum += marks[id]!;
      return sum;
    },

    /** Adds the articles nearest in time that share a topic, closest first, until there are `fewest`. */
    fillFromTopics(doc: number, chosen: number[], fewest: number): void {
      for (const id of topicsOf(doc)) {
        const docs = members[id]!;
        const at = binarySearch(docs, doc);
        for (let step = 1; chosen.length < fewest && (at - step >= 0 || at + step < docs.length); step++) {
          for (const other of [docs[at - step], docs[at + step]]) {
            if (other !== undefined && chosen.length < fewest && !chosen.includes(other)) chosen.push(other);
          }
        }
        if (chosen.length >= fewest) return;
      }
    },
  };
}

function binarySearch(sorted: number[], value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Whether the text has no half of a character on its own: String's own isWellFormed (Node 20,
 * newer than the language version the types are written for), which scanned 100,000 articles'
 * openings ten times quicker than a regular expression.
 */
export function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}
