import { mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { compress, replaceFile } from "./bundle-files.ts";
import { lengthsIn, lowerCaseWords, LONGEST_FILE, SHORTEST_CORRECTED, VOCABULARY_FOLDER, vocabularyFileFor } from "../../layouts/assets/typos.js";

/*
 * The archive's words as readers type them, for the search page to correct a misspelt word
 * (layouts/assets/typos.js says how the files are cut and read). Pagefind's index cannot serve: it
 * holds stems ("ferri" for ferry, ferries), a typed word is compared letter by letter, and its
 * lookup only finds words that begin with what was typed.
 */

/** Words shorter than this are never what a correction proposes; longer are rarely words at all. */
const SHORTEST_WORD = 3;
const LONGEST_WORD = 30;
// The lists are fetched only when a word found nothing, and stay the same until the archive's words change.
const VOCABULARY_COMPRESSION = 9;

/**
 * Counts, for each word, the records (articles and pages) it is in. Every word is kept, however
 * rare: the search page corrects only a word the lists do not have, so a word left out would be
 * "corrected" when spelt right.
 */
export class WordCounter {
  readonly articles = new Map<string, number>();

  /**
   * Adds the words of one record, given as the HTML Pagefind indexes: its text, and its metadata,
   * which Pagefind searches too. An author's name is in the metadata alone: left out of the list,
   * "Carden" found too few articles and was read as "garden".
   */
  add(html: string): void {
    const meta = [...html.matchAll(SEARCHED_META)].map((match) => match[1]!);
    for (const word of new Set(wordsOf(textOf([html, ...meta].join(" "))))) this.articles.set(word, (this.articles.get(word) ?? 0) + 1);
  }

  /** Adds the counts of another counter (its `articles`, or them as entries read back from a file). */
  addCounts(counts: Iterable<readonly [string, number]>): void {
    for (const [word, count] of counts) this.articles.set(word, (this.articles.get(word) ?? 0) + count);
  }
}

/** A metadata value of a record, but for the picture's address, whose parts are no words a reader types. */
const SEARCHED_META = /data-pagefind-meta="(?!image:)[^:"]*:([^"]*)"/g;

/** The words of a text, in lower case: runs of letters, of a length worth correcting to. */
export function wordsOf(text: string): string[] {
  const words = lowerCaseWords(text);
  return words.filter((word) => {
    const length = [...word].length;
    return length >= SHORTEST_WORD && length <= LONGEST_WORD;
  });
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/**
 * The text of HTML: its tags (and scripts and styles) left out, its character references read.
 * The records' HTML is escaped by the build and sanitize-html, which write characters as they are
 * but for & < > and quotes; another named reference counts as a space.
 */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] !== "#") return ENTITIES[name.toLowerCase()] ?? " ";
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : " ";
    });
}

/**
 * The word lists of `articles` (word → records it is in), one per typed length from 4 letters to 15 and
 * more, each holding every word a typed word of that length may be a misspelling of: its path in
 * the bundle and its text, words in alphabetical order.
 */
export function vocabularyFiles(articles: ReadonlyMap<string, number>): { file: string; text: string }[] {
  const words = [...articles].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([word, count]) => ({ word, count, length: [...word].length }));
  const files = [];
  for (let length = SHORTEST_CORRECTED; length <= LONGEST_FILE; length++) {
    const { shortest, longest } = lengthsIn(length);
    const held = words.filter((word) => word.length >= shortest && word.length <= longest);
    files.push({ file: vocabularyFileFor(length), text: held.map(({ word, count }) => `${word} ${countClass(count)}\n`).join("") });
  }
  return files;
}

/**
 * A count as one digit, 0 to 9, about its base-2 logarithm: enough to tell a common word from a
 * rare one, and a fifth smaller gzipped than the counts themselves.
 */
export function countClass(count: number): number {
  return Math.min(9, Math.floor(Math.log2(Math.max(1, count))));
}

/** Writes the word lists into `bundleDir`, gzipped, each replaced whole, and removes any others. */
export async function writeVocabulary(bundleDir: string, articles: ReadonlyMap<string, number>): Promise<void> {
  const folder = path.join(bundleDir, VOCABULARY_FOLDER);
  await mkdir(folder, { recursive: true });
  const files = vocabularyFiles(articles);
  await Promise.all(files.map(async ({ file, text }) => replaceFile(path.join(bundleDir, file), await compress(Buffer.from(text), VOCABULARY_COMPRESSION))));
  const written = new Set(files.map(({ file }) => path.basename(file)));
  for (const name of await readdir(folder)) if (!written.has(name)) await rm(path.join(folder, name), { force: true });
}
