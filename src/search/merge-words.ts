import { CborWriter, utf8 } from "./cbor.ts";
import { forEachVariant, IndexFileReader, numberingShift, readBundleFile, readSpan, writeWordEntry, type NumberedPostings, type WordEntry } from "./pagefind-format.ts";
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
 * merged bundle, and its variants (the word's spellings with diacritics) merged by spelling.
 * Locations are copied untouched.
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
    while (heads.size > 0 && compareBytes(heads.peek().word.key, holding[0]!.word.key) === 0) holding.push(heads.pop());
    holding.sort((a, b) => a.shard - b.shard);
    yield mergeWord(
      holding.map((cursor) => ({ word: cursor.word, pageNumbers: cursor.pageNumbers, shift: cursor.shift })),
      writer,
    );
    for (const cursor of holding) if (await cursor.advance()) heads.push(cursor);
  }
}

function mergeWord(parts: { word: WordEntry; pageNumbers: Uint32Array; shift: number | undefined }[], writer: CborWriter): IndexedWord {
  const first = parts[0]!.word;
  const pages = parts.map(({ word, pageNumbers, shift }): NumberedPostings => ({ span: word.postings, pageNumbers, shift, file: word.file }));
  // The variants of every shard, merged by spelling, in the order of their bytes.
  const bySpelling = new Map<string, { key: Uint8Array; textItem: Uint8Array; pages: NumberedPostings[] }>();
  for (const { word, pageNumbers, shift } of parts) {
    if (!word.hasVariants) continue;
    forEachVariant(word.variants, word.file, (key, textItem, variantPages) => {
      const text = utf8(key);
      const variant = bySpelling.get(text) ?? { key, textItem, pages: [] };
      variant.pages.push({ span: readSpan(variantPages, word.file), pageNumbers, shift, file: word.file });
      bySpelling.set(text, variant);
    });
  }
  const variants = [...bySpelling.values()].sort((a, b) => Buffer.compare(a.key, b.key));
  const size = writeWordEntry(writer, first.textItem, pages, variants);
  return { word: first.text, size, bytes: writer.take() };
}

/** Walks one shard's index files word by word, reading the next file while this one is used. */
class ShardCursor {
  word!: WordEntry;
  readonly pageNumbers: Uint32Array;
  /** Set when the shard's pages are numbered in the merged bundle by a shift (`numberingShift`): their pages are then copied whole. */
  readonly shift: number | undefined;
  private reader: IndexFileReader | undefined;
  private nextFile = 0;
  private nextRead: Promise<Buffer> | undefined;

  constructor(
    private readonly shardWords: ShardWords,
    readonly shard: number,
  ) {
    this.pageNumbers = shardWords.pageNumbers;
    this.shift = numberingShift(shardWords.pageNumbers);
    this.nextRead = this.read();
  }

  /** Moves to the shard's next word; false when it has none left. */
  async advance(): Promise<boolean> {
    for (;;) {
      const word = this.reader?.next();
      if (word) {
        this.word = word;
        return true;
      }
      if (!this.nextRead) return false;
      const file = this.shardWords.files[this.nextFile - 1]!;
      this.reader = new IndexFileReader(await this.nextRead, file);
      this.nextRead = this.read();
    }
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
  const order = compareBytes(a.word.key, b.word.key);
  return order < 0 || (order === 0 && a.shard < b.shard);
}

/**
 * As `Buffer.compare`, in JavaScript: words differ in their first bytes, and the heap compares
 * them for every word of every shard, so a call into Node's C++ for each cost more than the loop.
 */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let at = 0; at < length; at++) {
    if (a[at] !== b[at]) return a[at]! < b[at]! ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
