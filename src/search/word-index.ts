import path from "node:path";
import { BundleFormatError, readBundleFile, signedData, uniqueHash, writeBundleFile } from "./bundle-files.ts";

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

/** One word of the index, as Pagefind encoded it: copied from file to file untouched. */
export interface IndexedWord {
  word: string;
  /** Pagefind's own measure of the word's size: its locations, plus one for each page. */
  size: number;
  /** The word's CBOR item: [word, [[page, [locations…], …]…], …]. */
  bytes: Uint8Array;
}

/** One file of the word index, as the metadata lists it. */
export type Chunk = [from: string, to: string, hash: string];

export function isChunk(value: unknown): value is Chunk {
  return Array.isArray(value) && value.length === 3 && value.every((part) => typeof part === "string");
}

/**
 * Writes the words of `language`'s index files `chunks` again, cut into files of about
 * `locationsPerFile` word locations, and returns the new files' ranges for the metadata. The
 * old files are left for the caller to remove once the metadata no longer lists them.
 */
export async function recutWordIndex(bundleDir: string, language: string, chunks: Chunk[], locationsPerFile = LOCATIONS_PER_FILE): Promise<Chunk[]> {
  // New names are never old ones, so that no file is overwritten before it has been read.
  const taken = new Set<string>(chunks.map(([, , hash]) => hash));
  const written: Chunk[] = [];
  // Compressing is most of the work: files are compressed and written on zlib's threads while
  // the next are cut, a bounded number at a time.
  let writing: Promise<void>[] = [];
  const writeWords = async (words: IndexedWord[]) => {
    const data = signedData(arrayHeader(1), arrayHeader(words.length), ...words.map((word) => word.bytes));
    const hash = uniqueHash(language, data, taken);
    taken.add(hash);
    written.push([words[0]!.word, words.at(-1)!.word, hash]);
    writing.push(writeBundleFile(path.join(bundleDir, "index", `${hash}.pf_index`), data, INDEX_COMPRESSION));
    if (writing.length >= WRITES_IN_FLIGHT) {
      await Promise.all(writing);
      writing = [];
    }
  };
  const cutter = new WordIndexCutter(locationsPerFile);
  const indexFile = (index: number) => path.join(bundleDir, "index", `${chunks[index]![2]}.pf_index`);
  const readWords = async (file: string) => indexedWords(await readBundleFile(file), file);
  let nextRead = readWords(indexFile(0));
  for (let index = 0; index < chunks.length; index++) {
    const words = await nextRead;
    if (index + 1 < chunks.length) nextRead = readWords(indexFile(index + 1));
    for (const word of words) {
      const full = cutter.add(word);
      if (full) await writeWords(full);
    }
  }
  const last = cutter.finish();
  if (last) await writeWords(last);
  await Promise.all(writing);
  return chunkRanges(written);
}

/**
 * Gathers words, in Pagefind's sorted order, into files of about the given size. Pagefind's web
 * code looks for a query word, and for the longer words it begins ("stor": story, storm), in the
 * one file the word falls into. So a file is only closed between words that differ in their first
 * three letters, which keeps each family of words in one file, unless the family is too large:
 * at twice the size, the file is closed before the next word whatever it is.
 */
export class WordIndexCutter {
  private words: IndexedWord[] = [];
  private size = 0;

  constructor(private readonly locationsPerFile: number) {}

  /** Adds the next word; returns the file it closes, if the word starts a new one. */
  add(word: IndexedWord): IndexedWord[] | undefined {
    let closed: IndexedWord[] | undefined;
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
  finish(): IndexedWord[] | undefined {
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

/**
 * The words of one index file, `[[word, pages, …], …]`, each with its own bytes. The file is
 * walked rather than decoded: a word's pages are only counted, never turned into objects, which
 * would leave tens of millions of numbers for the garbage collector on a large archive.
 */
export function indexedWords(data: Uint8Array, file: string): IndexedWord[] {
  const reader = new CborReader(data, file);
  if (reader.arrayLength() !== 1) throw new BundleFormatError(file, "it is not a one-field record");
  const words: IndexedWord[] = [];
  for (let count = reader.arrayLength(); count > 0; count--) {
    const start = reader.position;
    const fields = reader.arrayLength();
    const word = reader.text();
    let size = 0;
    for (let pages = reader.arrayLength(); pages > 0; pages--) {
      const pageFields = reader.arrayLength();
      reader.skip(); // the page number
      const locations = reader.arrayLength();
      for (let location = 0; location < locations; location++) reader.skip();
      for (let field = 2; field < pageFields; field++) reader.skip();
      size += locations + 1;
    }
    for (let field = 2; field < fields; field++) reader.skip();
    words.push({ word, size, bytes: data.subarray(start, reader.position) });
  }
  if (reader.position !== data.length) throw new BundleFormatError(file, "it holds more than its list of words");
  return words;
}

/** The CBOR header of an array of `length` items, in its shortest form. */
export function arrayHeader(length: number): Uint8Array {
  const MAJOR_ARRAY = 4 << 5;
  if (length < 24) return Uint8Array.of(MAJOR_ARRAY | length);
  if (length < 0x100) return Uint8Array.of(MAJOR_ARRAY | 24, length);
  if (length < 0x10000) return Uint8Array.of(MAJOR_ARRAY | 25, length >> 8, length & 0xff);
  return Uint8Array.of(MAJOR_ARRAY | 26, length >>> 24, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff);
}

/** Steps through CBOR items with definite lengths, the only kind Pagefind writes. */
class CborReader {
  position = 0;
  private readonly view: DataView;

  constructor(
    private readonly data: Uint8Array,
    private readonly file: string,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  arrayLength(): number {
    const start = this.position;
    const [major, argument] = this.head();
    if (major !== 4) throw new BundleFormatError(this.file, `an array was expected at byte ${start}`);
    return argument;
  }

  text(): string {
    const start = this.position;
    const [major, length] = this.head();
    if (major !== 3) throw new BundleFormatError(this.file, `a word was expected at byte ${start}`);
    const text = textDecoder.decode(this.data.subarray(this.position, this.position + length));
    this.position += length;
    return text;
  }

  /** Steps over one whole item, whatever it holds. */
  skip(): void {
    const [major, argument] = this.head();
    if (major === 2 || major === 3) this.position += argument;
    else if (major === 4) for (let item = 0; item < argument; item++) this.skip();
    else if (major === 5) for (let item = 0; item < 2 * argument; item++) this.skip();
    else if (major === 6) this.skip();
  }

  /** Reads an item's major type and its argument (a value, a length or a count). */
  private head(): [major: number, argument: number] {
    if (this.position >= this.data.length) throw new BundleFormatError(this.file, "it ends in the middle of an item");
    const initial = this.data[this.position++]!;
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (info < 24) return [major, info];
    const start = this.position;
    if (info === 24) this.position += 1;
    else if (info === 25) this.position += 2;
    else if (info === 26) this.position += 4;
    else if (info === 27) this.position += 8;
    else throw new BundleFormatError(this.file, `byte ${start - 1} starts an item of indefinite length`);
    if (this.position > this.data.length) throw new BundleFormatError(this.file, "it ends in the middle of an item");
    if (info === 24) return [major, this.view.getUint8(start)];
    if (info === 25) return [major, this.view.getUint16(start)];
    if (info === 26) return [major, this.view.getUint32(start)];
    return [major, Number(this.view.getBigUint64(start))];
  }
}

const textDecoder = new TextDecoder("utf-8", { fatal: true });
