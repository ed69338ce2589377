import { readBundleFile } from "./bundle-files.ts";
import { CborReader, CborWriter, utf8 } from "./cbor.ts";
import type { IndexedWord } from "./word-index.ts";

/** The word index of one shard: a bundle Pagefind wrote for a slice of the archive. */
export interface ShardWords {
  /** Its index files, in the order the metadata lists them: its words sorted, as UTF-8 bytes. */
  files: string[];
  /** For each of the shard's pages, its number in the merged bundle. */
  pageNumbers: Uint32Array;
}

/**
 * The words of all the shards' indexes as one index, in Pagefind's order (by their UTF-8 bytes),
 * each word's pages and locations from every shard that has it, its pages numbered as in the
 * merged bundle. A word is `[word, pages, variants]`: pages are `[number, locations, meta
 * locations]` with each number counted from the page before, and variants (the word's spellings
 * with diacritics) are `[spelling, pages]`. Locations are copied untouched.
 *
 * Shards are read a file at a time, so memory holds a few files of each, not the whole index.
 */
export async function* mergedWords(shards: ShardWords[]): AsyncGenerator<IndexedWord> {
  const heads = new WordHeap();
  for (const [shard, words] of shards.entries()) {
    const cursor = new ShardCursor(words, shard);
    if (await cursor.advance()) heads.push(cursor);
  }
  const writer = new CborWriter();
  while (heads.size > 0) {
    // Every shard that has the next word, in shard order.
    const holding = [heads.pop()];
    while (heads.size > 0 && Buffer.compare(heads.peek().word.key, holding[0]!.word.key) === 0) holding.push(heads.pop());
    holding.sort((a, b) => a.shard - b.shard);
    yield mergeWord(
      holding.map((cursor) => ({ word: cursor.word, pageNumbers: cursor.pageNumbers })),
      writer,
    );
    for (const cursor of holding) if (await cursor.advance()) heads.push(cursor);
  }
}

/** One word of one shard's index, as byte ranges of its file. */
interface ShardWord {
  /** The word's UTF-8 bytes, which order the index. */
  key: Uint8Array;
  text: string;
  /** The CBOR text item of the word. */
  textItem: Uint8Array;
  /** The CBOR array of its pages. */
  pages: Uint8Array;
  /** The CBOR array of its variants, [[spelling, pages], …]. */
  variants: Uint8Array;
  file: string;
}

function mergeWord(parts: { word: ShardWord; pageNumbers: Uint32Array }[], writer: CborWriter): IndexedWord {
  const first = parts[0]!.word;
  const pages = parts.map(({ word, pageNumbers }) => readPages(word.pages, word.file, pageNumbers));
  writer.arrayHeader(3).raw(first.textItem);
  const size = writePages(writer, pages);
  // The variants of every shard, merged by spelling, in the order of their bytes.
  const bySpelling = new Map<string, { key: Uint8Array; textItem: Uint8Array; pages: PagePostings[] }>();
  for (const { word, pageNumbers } of parts) {
    const reader = new CborReader(word.variants, word.file);
    for (let count = reader.arrayLength(); count > 0; count--) {
      if (reader.arrayLength() !== 2) throw reader.formatError("a variant is not a [spelling, pages] pair");
      const textStart = reader.position;
      const [start, end] = reader.textBytes();
      const spelling = word.variants.subarray(start, end);
      const pagesStart = reader.position;
      reader.skip();
      const text = utf8(spelling);
      const variant = bySpelling.get(text) ?? { key: spelling, textItem: word.variants.subarray(textStart, pagesStart), pages: [] };
      variant.pages.push(readPages(word.variants.subarray(pagesStart, reader.position), word.file, pageNumbers));
      bySpelling.set(text, variant);
    }
  }
  const variants = [...bySpelling.values()].sort((a, b) => Buffer.compare(a.key, b.key));
  writer.arrayHeader(variants.length);
  for (const variant of variants) {
    writer.arrayHeader(2).raw(variant.textItem);
    writePages(writer, variant.pages);
  }
  return { word: first.text, size, bytes: writer.take() };
}

/** One shard's pages of a word: each page's number in the merged bundle, and its other fields' bytes. */
interface PagePostings {
  data: Uint8Array;
  numbers: number[];
  /** Each page's field count, and where its fields after the number start and end in `data`. */
  fields: number[];
  starts: number[];
  ends: number[];
  /** Locations on all the pages, plus one for each page: Pagefind's measure of a word's size. */
  size: number;
}

function readPages(data: Uint8Array, file: string, pageNumbers: Uint32Array): PagePostings {
  const reader = new CborReader(data, file);
  const postings: PagePostings = { data, numbers: [], fields: [], starts: [], ends: [], size: 0 };
  let page = 0;
  for (let count = reader.arrayLength(); count > 0; count--) {
    const fields = reader.arrayLength();
    if (fields < 2) throw reader.formatError("a page of a word has no locations");
    page += reader.integer();
    const number = pageNumbers[page];
    if (number === undefined) throw reader.formatError(`a word is on page ${page}, which the metadata does not list`);
    const start = reader.position;
    const locations = reader.arrayLength();
    for (let location = 0; location < locations; location++) reader.skip();
    for (let field = 2; field < fields; field++) reader.skip();
    postings.numbers.push(number);
    postings.fields.push(fields);
    postings.starts.push(start);
    postings.ends.push(reader.position);
    postings.size += locations + 1;
  }
  return postings;
}

/** Writes the pages of a word, in the order of their new numbers; returns the word's size. */
function writePages(writer: CborWriter, shards: PagePostings[]): number {
  writer.arrayHeader(shards.reduce((count, postings) => count + postings.numbers.length, 0));
  let previous = 0;
  let size = 0;
  for (const postings of shards) {
    const { data, numbers, fields, starts, ends } = postings;
    // Pages keep the shard's order when its numbering does, as it does when Pagefind numbers them
    // in the order they were sent; else they are sorted.
    const order = numbers.every((number, index) => index === 0 || number > numbers[index - 1]!) ? numbers.map((_, index) => index) : numbers.map((_, index) => index).sort((a, b) => numbers[a]! - numbers[b]!);
    for (const index of order) {
      writer.arrayHeader(fields[index]!).uint(numbers[index]! - previous);
      writer.raw(data.subarray(starts[index], ends[index]));
      previous = numbers[index]!;
    }
    size += postings.size;
  }
  return size;
}

/** Walks one shard's index files word by word, reading the next file while this one is used. */
class ShardCursor {
  word!: ShardWord;
  readonly pageNumbers: Uint32Array;
  private reader: CborReader | undefined;
  private wordsLeft = 0;
  private nextFile = 0;
  private nextRead: Promise<Buffer> | undefined;

  constructor(
    private readonly shardWords: ShardWords,
    readonly shard: number,
  ) {
    this.pageNumbers = shardWords.pageNumbers;
    this.nextRead = this.read();
  }

  /** Moves to the shard's next word; false when it has none left. */
  async advance(): Promise<boolean> {
    while (this.wordsLeft === 0) {
      if (!this.nextRead) return false;
      const file = this.shardWords.files[this.nextFile - 1]!;
      const reader = new CborReader(await this.nextRead, file);
      this.nextRead = this.read();
      if (reader.arrayLength() !== 1) throw reader.formatError("it is not a one-field record");
      this.wordsLeft = reader.arrayLength();
      this.reader = reader;
    }
    const reader = this.reader!;
    const { data } = reader;
    const fields = reader.arrayLength();
    if (fields < 2) throw reader.formatError("a word has no pages");
    const textStart = reader.position;
    const [start, end] = reader.textBytes();
    const pagesStart = reader.position;
    reader.skip();
    const variantsStart = reader.position;
    if (fields >= 3) reader.skip();
    const variantsEnd = reader.position;
    for (let field = 3; field < fields; field++) reader.skip();
    const key = data.subarray(start, end);
    this.word = {
      key,
      text: utf8(key),
      textItem: data.subarray(textStart, pagesStart),
      pages: data.subarray(pagesStart, variantsStart),
      variants: fields >= 3 ? data.subarray(variantsStart, variantsEnd) : EMPTY_ARRAY,
      file: reader.file,
    };
    this.wordsLeft--;
    if (this.wordsLeft === 0 && !reader.atEnd) throw reader.formatError("it holds more than its list of words");
    return true;
  }

  private read(): Promise<Buffer> | undefined {
    const file = this.shardWords.files[this.nextFile++];
    if (file === undefined) return undefined;
    const reading = readBundleFile(file);
    // Read ahead, so a failure is reported when the file is reached, not as an unhandled rejection.
    reading.catch(() => {});
    return reading;
  }
}

const EMPTY_ARRAY = Uint8Array.of(0x80);

/** The shards' cursors, smallest word first; ties in shard order. */
class WordHeap {
  private readonly items: ShardCursor[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): ShardCursor {
    return this.items[0]!;
  }

  push(cursor: ShardCursor): void {
    const { items } = this;
    items.push(cursor);
    let at = items.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!before(items[at]!, items[parent]!)) break;
      [items[at], items[parent]] = [items[parent]!, items[at]!];
      at = parent;
    }
  }

  pop(): ShardCursor {
    const { items } = this;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let at = 0;
      for (;;) {
        const left = 2 * at + 1;
        const right = left + 1;
        let smallest = at;
        if (left < items.length && before(items[left]!, items[smallest]!)) smallest = left;
        if (right < items.length && before(items[right]!, items[smallest]!)) smallest = right;
        if (smallest === at) break;
        [items[at], items[smallest]] = [items[smallest]!, items[at]!];
        at = smallest;
      }
    }
    return top;
  }
}

function before(a: ShardCursor, b: ShardCursor): boolean {
  const order = Buffer.compare(a.word.key, b.word.key);
  return order < 0 || (order === 0 && a.shard < b.shard);
}
