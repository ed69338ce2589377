import { createHash } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import * as zlib from "node:zlib";
import { decode, encode } from "cborg";

/**
 * Pagefind cuts its word index into files of about 20,000 word locations each (a constant in
 * its source, "TODO: Parameterize"), and a query fetches one whole file for every word it has:
 * about 28 kB each on digitalgov's 1,722 articles. Cut at 4,000, a word costs about 7 kB there,
 * and the metadata every search loads grows by 1.6 kB. (2,000 saved nothing more; 8,000 cost
 * 20 kB more per three-word query.) A word that is on most pages is a file of its own either way.
 */
export const LOCATIONS_PER_FILE = 4000;

/** The Pagefind version whose bundle format this module reads; package.json pins it. */
const PAGEFIND_VERSION = "1.6.0";

/** Pagefind's bundle is not laid out the way this version of Broadsheet expects. */
export class WordIndexFormatError extends Error {
  constructor(file: string, problem: string) {
    super(
      `${file}: ${problem}. Broadsheet re-cuts Pagefind's word index and knows the files of Pagefind ${PAGEFIND_VERSION} only; ` +
        `install that version beside Broadsheet: npm install pagefind@${PAGEFIND_VERSION}.`,
    );
    this.name = "WordIndexFormatError";
  }
}

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

// The metadata is fetched by every search, so it is worth compressing hard; the word index is
// many times larger, and the strongest level saves it 1 % for half again the time.
const META_COMPRESSION = 9;
const INDEX_COMPRESSION = 6;
const WRITES_IN_FLIGHT = 16;

// Each file Pagefind writes is gzipped and starts with this signature before its CBOR data.
const SIGNATURE = Buffer.from("pagefind_dcd");

// Where the list of index files sits in the metadata, after the version and the pages.
const META_INDEX_CHUNKS = 2;

/** One word of the index, as Pagefind encoded it: copied from file to file untouched. */
export interface IndexedWord {
  word: string;
  /** Pagefind's own measure of the word's size: its locations, plus one for each page. */
  size: number;
  /** The word's CBOR item: [word, [[page, [locations…], …]…], …]. */
  bytes: Uint8Array;
}

type Chunk = [from: string, to: string, hash: string];

/**
 * Re-cuts the word index of the Pagefind bundle in `bundleDir` into files of about
 * `locationsPerFile` word locations, rewriting the metadata and entry files to match and removing
 * the files no longer used.
 */
export async function splitWordIndex(bundleDir: string, locationsPerFile = LOCATIONS_PER_FILE): Promise<void> {
  const entryFile = path.join(bundleDir, "pagefind-entry.json");
  const entry = JSON.parse(await readFile(entryFile, "utf8")) as { version: string; languages: Record<string, { hash: string }> };
  if (entry.version !== PAGEFIND_VERSION) throw new WordIndexFormatError(entryFile, `it was written by Pagefind ${entry.version}`);
  const replaced: string[] = [];
  for (const [language, bundle] of Object.entries(entry.languages)) {
    const metaFile = path.join(bundleDir, `pagefind.${bundle.hash}.pf_meta`);
    const meta = decode(await readBundleData(metaFile), { useMaps: false }) as unknown[];
    const chunks = meta[META_INDEX_CHUNKS];
    if (!Array.isArray(chunks) || !chunks.every(isChunk)) throw new WordIndexFormatError(metaFile, "its list of index files is not [from, to, hash] triples");

    // New names are never old ones, so that no file is overwritten before it has been read.
    const taken = new Set<string>(chunks.map(([, , hash]) => hash));
    const written: Chunk[] = [];
    // Compressing is most of the work: files are compressed and written on zlib's threads while
    // the next are cut, a bounded number at a time.
    let writing: Promise<void>[] = [];
    const writeWords = async (words: IndexedWord[]) => {
      const data = Buffer.concat([SIGNATURE, arrayHeader(1), arrayHeader(words.length), ...words.map((word) => word.bytes)]);
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
    const readWords = async (file: string) => indexedWords(await readBundleData(file), file);
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
    // Pagefind's files go only once the new ones are all in place, so that a search made
    // meanwhile (under serve, where there is no staging folder) still finds a whole index.
    replaced.push(...chunks.map((_, index) => indexFile(index)));

    meta[META_INDEX_CHUNKS] = chunkRanges(written);
    const metaData = encodeBundleData(meta);
    const metaHash = `${language}_${contentHash(metaData).slice(0, 10)}`;
    await writeBundleFile(path.join(bundleDir, `pagefind.${metaHash}.pf_meta`), metaData, META_COMPRESSION);
    if (metaHash !== bundle.hash) replaced.push(metaFile);
    bundle.hash = metaHash;
  }
  await writeFile(entryFile, JSON.stringify(entry));
  await Promise.all(replaced.map((file) => rm(file, { force: true })));
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

/** A bundle file's CBOR data, after its signature. */
async function readBundleData(file: string): Promise<Buffer> {
  const bytes = await gunzip(await readFile(file));
  if (!bytes.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new WordIndexFormatError(file, "it does not start with Pagefind's signature");
  return bytes.subarray(SIGNATURE.length);
}

function encodeBundleData(data: unknown): Buffer {
  return Buffer.concat([SIGNATURE, encode(data)]);
}

async function writeBundleFile(file: string, data: Buffer, level: number): Promise<void> {
  await writeFile(file, await gzip(data, { level }));
}

function contentHash(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

// Pagefind's naming: the language, then the shortest prefix of the content hash (at least
// seven characters) no other file of the index has. The hash is of the data before compression,
// so the names do not depend on the zlib version.
function uniqueHash(language: string, bytes: Buffer, taken: Set<string>): string {
  const hash = contentHash(bytes);
  let length = 7;
  while (taken.has(`${language}_${hash.slice(0, length)}`)) length++;
  return `${language}_${hash.slice(0, length)}`;
}

function isChunk(value: unknown): value is Chunk {
  return Array.isArray(value) && value.length === 3 && value.every((part) => typeof part === "string");
}

/**
 * The words of one index file, `[[word, pages, …], …]`, each with its own bytes. The file is
 * walked rather than decoded: a word's pages are only counted, never turned into objects, which
 * would leave tens of millions of numbers for the garbage collector on a large archive.
 */
export function indexedWords(data: Uint8Array, file: string): IndexedWord[] {
  const reader = new CborReader(data, file);
  if (reader.arrayLength() !== 1) throw new WordIndexFormatError(file, "it is not a one-field record");
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
  if (reader.position !== data.length) throw new WordIndexFormatError(file, "it holds more than its list of words");
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
    if (major !== 4) throw new WordIndexFormatError(this.file, `an array was expected at byte ${start}`);
    return argument;
  }

  text(): string {
    const start = this.position;
    const [major, length] = this.head();
    if (major !== 3) throw new WordIndexFormatError(this.file, `a word was expected at byte ${start}`);
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
    if (this.position >= this.data.length) throw new WordIndexFormatError(this.file, "it ends in the middle of an item");
    const initial = this.data[this.position++]!;
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (info < 24) return [major, info];
    const start = this.position;
    if (info === 24) this.position += 1;
    else if (info === 25) this.position += 2;
    else if (info === 26) this.position += 4;
    else if (info === 27) this.position += 8;
    else throw new WordIndexFormatError(this.file, `byte ${start - 1} starts an item of indefinite length`);
    if (this.position > this.data.length) throw new WordIndexFormatError(this.file, "it ends in the middle of an item");
    if (info === 24) return [major, this.view.getUint8(start)];
    if (info === 25) return [major, this.view.getUint16(start)];
    if (info === 26) return [major, this.view.getUint32(start)];
    return [major, Number(this.view.getBigUint64(start))];
  }
}

const textDecoder = new TextDecoder("utf-8", { fatal: true });
