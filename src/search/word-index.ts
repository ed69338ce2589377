import path from "node:path";
import { linkIfSame, linkInto } from "./bundle-files.ts";
import { bundleFile, indexFileData, pagefindHash, uniqueHash, writeBundleFile, type Chunk } from "./pagefind-format.ts";

/**
 * Pagefind cuts its word index into files of about 20,000 word locations each (a constant in
 * its source, "TODO: Parameterize"), and a query fetches one whole file for every word it has:
 * about 28 kB each on digitalgov's 1,722 articles. Cut at 4,000, a word costs about 7 kB there,
 * and the metadata every search loads grows by 1.6 kB. (2,000 saved nothing more; 8,000 cost
 * 20 kB more per three-word query.) A word that is on most pages is a file of its own either way.
 */
export const LOCATIONS_PER_FILE = 4000;

// The word index is many times larger than the metadata, and zlib's strongest level saves it 1 %
// for half again the time.
const INDEX_COMPRESSION = 6;
const WRITES_IN_FLIGHT = 16;

/** One word of the index, encoded as Pagefind encodes it (pagefind-format.ts). */
export interface IndexedWord {
  word: string;
  /** Pagefind's own measure of the word's size: its locations, plus one for each page. */
  size: number;
  /** The word's CBOR item (`writeWordEntry`). */
  bytes: Uint8Array;
}

/**
 * Writes `words`, in Pagefind's order, into index files of about `locationsPerFile` word
 * locations each, named so as to be none of `taken`, and returns the files' ranges for the
 * metadata, with what each file holds (`WrittenFile`) for a later merge to patch (patch-words.ts).
 * A file that `earlierBundle` (a bundle an earlier merge by the same code wrote) holds under the
 * same name, with the same data, is linked from there rather than compressed again: an edit to
 * one article leaves most files as they were.
 */
export async function writeWordIndex(bundleDir: string, language: string, words: AsyncIterable<IndexedWord>, taken: Set<string>, locationsPerFile = LOCATIONS_PER_FILE, earlierBundle?: string): Promise<WrittenIndex> {
  const files = new IndexFiles(bundleDir, language, taken, earlierBundle);
  const cutter = new WordIndexCutter<IndexedWord>(locationsPerFile);
  try {
    for await (const word of words) {
      const full = cutter.add(word);
      if (full) await files.write(full);
    }
    const last = cutter.finish();
    if (last) await files.write(last);
  } finally {
    // Nothing goes on writing once this has returned or thrown.
    await files.settled();
  }
  return files.finish();
}

/** The word index as written: the metadata's ranges, and each file's words. */
export interface WrittenIndex {
  chunks: Chunk[];
  files: WrittenFile[];
}

/** One index file as written: its name, and each of its words' text, size and length in bytes, in order. */
export interface WrittenFile {
  hash: string;
  words: string[];
  sizes: number[];
  lengths: number[];
}

/**
 * Writes the index files of a bundle one after another, each named when it is written (so that
 * the names are given in the files' order, as Pagefind's are), compressed on zlib's threads while
 * the next are made, a bounded number at a time.
 */
export class IndexFiles {
  private readonly written: WrittenFile[] = [];
  private writing: Promise<void>[] = [];

  constructor(
    private readonly bundleDir: string,
    private readonly language: string,
    private readonly taken: Set<string>,
    private readonly earlierBundle?: string,
  ) {}

  /** Writes the next file, of `words`. */
  async write(words: IndexedWord[]): Promise<void> {
    const data = indexFileData(words.map((word) => word.bytes));
    const hash = this.name(uniqueHash(this.language, data, this.taken));
    this.written.push({ hash, words: words.map((word) => word.word), sizes: words.map((word) => word.size), lengths: words.map((word) => word.bytes.length) });
    const file = path.join(this.bundleDir, bundleFile("index", hash));
    const earlier = this.earlierBundle === undefined ? undefined : path.join(this.earlierBundle, bundleFile("index", hash));
    await this.queue(async () => {
      if (earlier === undefined || !(await linkIfSame(earlier, data, file))) await writeBundleFile(file, data, INDEX_COMPRESSION);
    });
  }

  /**
   * Puts in place, as the next file, the earlier bundle's file `kept`, whose data is what `write`
   * would write now (patch-words.ts), linked rather than read: only where the name `write` would
   * give it is its own, the first name tried (`pagefindHash`) and still free.
   */
  async keep(kept: WrittenFile): Promise<void> {
    if (this.earlierBundle === undefined || pagefindHash(kept.hash) !== kept.hash || this.taken.has(kept.hash)) throw new Error(`The index file ${kept.hash} cannot be kept under its name: it is not the name a merge would give it now.`);
    const from = path.join(this.earlierBundle, bundleFile("index", kept.hash));
    const file = path.join(this.bundleDir, bundleFile("index", kept.hash));
    this.name(kept.hash);
    this.written.push(kept);
    await this.queue(() => linkInto(from, file));
  }

  /** Waits for every file being written, whether or not one failed. */
  async settled(): Promise<void> {
    await Promise.allSettled(this.writing);
  }

  /** Waits for every file, and returns the metadata's ranges and the files as written. */
  async finish(): Promise<WrittenIndex> {
    await Promise.all(this.writing);
    return { chunks: chunkRanges(this.written.map(({ words, hash }): Chunk => [words[0]!, words.at(-1)!, hash])), files: this.written };
  }

  private name(hash: string): string {
    this.taken.add(hash);
    return hash;
  }

  private async queue(work: () => Promise<void>): Promise<void> {
    this.writing.push(work());
    if (this.writing.length >= WRITES_IN_FLIGHT) {
      // Emptied only once every one has ended: after a failure, `settled` still waits for the rest.
      await Promise.all(this.writing);
      this.writing = [];
    }
  }
}

/**
 * Gathers words, in Pagefind's sorted order, into files of about the given size. Pagefind's web
 * code looks for a query word, and for the longer words it begins ("stor": story, storm), in the
 * one file the word falls into. So a file is only closed between words that differ in their first
 * three letters, which keeps each family of words in one file, unless the family is too large:
 * at twice the size, the file is closed before the next word whatever it is.
 */
export class WordIndexCutter<Word extends { word: string; size: number } = IndexedWord> {
  private words: Word[] = [];
  private size = 0;

  constructor(private readonly locationsPerFile: number) {}

  /** Adds the next word; returns the file it closes, if the word starts a new one. */
  add(word: Word): Word[] | undefined {
    let closed: Word[] | undefined;
    const last = this.words.at(-1);
    if (last && this.size >= this.locationsPerFile && (this.size >= 2 * this.locationsPerFile || familyOf(last.word) !== familyOf(word.word))) {
      closed = this.words;
      this.words = [];
      this.size = 0;
    }
    this.words.push(word);
    this.size += word.size;
    return closed;
  }

  /** The last file, if any words are left. */
  finish(): Word[] | undefined {
    return this.words.length > 0 ? this.words : undefined;
  }
}

/** The first three letters: words that share them are kept in one file where possible. */
function familyOf(word: string): string {
  return [...word.slice(0, 6)].slice(0, 3).join("");
}

/**
 * The metadata's [from, to, hash] for each file, given its first and last word. Pagefind's web
 * code picks, for each query word, the first file with from <= word <= to. A file runs to its
 * last word, and the next starts at the shortest prefix of its first word that sorts after that:
 * so a word being typed ("citiz") already falls into the file that holds the words it begins.
 * (Pagefind cuts `to` short as well, which puts its own last words outside their file's range.)
 */
export function chunkRanges(files: Chunk[]): Chunk[] {
  return files.map(([first, last, hash], index): Chunk => {
    const previous = files[index - 1];
    return [previous ? shortestPrefixAfter(previous[1], first) : first, last, hash];
  });
}

/** The shortest prefix of `next` that sorts after `last`, given last < next. */
function shortestPrefixAfter(last: string, next: string): string {
  const lastChars = [...last];
  const nextChars = [...next];
  let common = 0;
  while (common < lastChars.length && common < nextChars.length && lastChars[common] === nextChars[common]) common++;
  return nextChars.slice(0, common + 1).join("");
}
