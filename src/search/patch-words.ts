import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { contentHash, replaceFile } from "./bundle-files.ts";
import { arrayHeader, CborReader, CborWriter } from "./cbor.ts";
import { mergedWords, type ShardWords } from "./merge-words.ts";
import { bundleFile, BundleFormatError, forEachVariant, IndexFileReader, readBundleFile, readPostings, signedData } from "./pagefind-format.ts";
import { WordIndexCutter, type IndexedWord, type WrittenFile } from "./word-index.ts";

/**
 * What a merge wrote of a volume's word index, kept in the build's cache under the volume's key,
 * so that the next merge of the volume, when only some of its shards changed (an article's body
 * edited), need not read every shard's words again: it takes the words those shards do not change
 * from the index files the earlier merge wrote, as they are (`patchWordIndex`).
 */
export interface WordRecord {
  format: typeof RECORD_FORMAT;
  language: string;
  locationsPerFile: number;
  /** The shards merged, in order: each one's folder name (its key in the cache) and its number of pages. */
  shards: { name: string; pages: number }[];
  /** The index files written, in order. */
  files: WrittenFile[];
}

const RECORD_FORMAT = 1;

/** A shard of this merge that is another than the earlier merge's in its place: the merged bundle's pages `from` to `to` (not included), its words then and now. */
export interface ShardChange {
  from: number;
  to: number;
  before: ShardWords;
  after: ShardWords;
}

/**
 * One index file of the patched index: the earlier merge's file `kept`, which holds the same words
 * with the same data (`words` reads them, should it have to be written again), or new `words`.
 */
export type PatchedFile = { kept: WrittenFile; words: () => Promise<IndexedWord[]> } | { kept?: undefined; words: IndexedWord[] };

/** The record in `file`, or undefined when there is none, or not one of this format. */
export async function readWordRecord(file: string): Promise<WordRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(file, "utf8")) as WordRecord;
    return record.format === RECORD_FORMAT ? record : undefined;
  } catch {
    return undefined;
  }
}

export async function writeWordRecord(file: string, record: Omit<WordRecord, "format">): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await replaceFile(file, JSON.stringify({ format: RECORD_FORMAT, ...record } satisfies WordRecord));
}

/**
 * The index files of a merge whose shards are the earlier merge's but for `changes`, given what
 * that merge wrote (`record`) into `earlierBundle`, in order; undefined when the earlier index is
 * not what the record says, or holds what this cannot patch, and the words must be merged whole.
 *
 * A word the changed shards have, before or after, the same pages of (as the merged bundle numbers
 * them) is as the earlier index has it. Any other word's pages are the earlier index's outside the
 * changed shards' pages, and the changed shards' own now, written as a merge writes a word
 * (`writeWordEntry`: each page's number counted from the one before, its locations copied), so
 * that the files are byte for byte what a merge of every shard writes. The files are cut again
 * from the words' sizes as the record keeps them: a file whose words all stay, and stay together,
 * is the earlier one, linked rather than read (`IndexFiles.keep`); the others are made of the
 * earlier files' bytes and the words patched, each earlier file checked against its name first.
 */
export async function patchWordIndex(record: WordRecord, changes: ShardChange[], earlierBundle: string, locationsPerFile: number): Promise<PatchedFile[] | undefined> {
  const fileOf = (hash: string) => path.join(earlierBundle, bundleFile("index", hash));
  if (!record.files.every((file) => existsSync(fileOf(file.hash)))) return undefined;
  const before = await Promise.all(changes.map((change) => wordsOf(change.before)));
  const after = await Promise.all(changes.map((change) => wordsOf(change.after)));
  const touched = new Set<string>();
  changes.forEach((_, number) => {
    for (const word of new Set([...before[number]!.keys(), ...after[number]!.keys()])) {
      const then = before[number]!.get(word);
      const now = after[number]!.get(word);
      if (!then || !now || Buffer.compare(then.bytes, now.bytes) !== 0) touched.add(word);
    }
  });

  // The earlier files' words, read only for the files that are written again.
  const earlierWords = new Map<number, Uint8Array[] | undefined>();
  const wordsIn = async (file: number) => {
    if (!earlierWords.has(file)) earlierWords.set(file, await readEarlierFile(fileOf(record.files[file]!.hash), record.files[file]!));
    return earlierWords.get(file);
  };
  const placed = new Map<string, { file: number; index: number }>();
  record.files.forEach((file, number) => file.words.forEach((word, index) => touched.has(word) && placed.set(word, { file: number, index })));
  const patched = new Map<string, IndexedWord | undefined>();
  const inChanged = (page: number) => changes.some((change) => page >= change.from && page < change.to);
  for (const word of touched) {
    const at = placed.get(word);
    let earlier: Uint8Array | undefined;
    if (at) {
      earlier = (await wordsIn(at.file))?.[at.index];
      if (earlier === undefined) return undefined;
    }
    const entry = patchWord(earlier, before.flatMap((words) => words.get(word) ?? []), after.flatMap((words) => words.get(word) ?? []), inChanged);
    if (entry === false) return undefined;
    patched.set(word, entry);
  }

  // The words in order: the earlier ones, patched where touched, and the new ones among them.
  const added = [...patched.keys()].filter((word) => !placed.has(word) && patched.get(word) !== undefined).sort(compareCodePoints);
  const sequence: Placed[] = [];
  let next = 0;
  record.files.forEach((file, number) =>
    file.words.forEach((word, index) => {
      while (next < added.length && compareCodePoints(added[next]!, word) < 0) sequence.push({ ...patched.get(added[next++]!)!, file: -1, index: -1 });
      if (!touched.has(word)) sequence.push({ word, size: file.sizes[index]!, file: number, index });
      else if (patched.get(word)) sequence.push({ ...patched.get(word)!, file: number, index });
    }),
  );
  while (next < added.length) sequence.push({ ...patched.get(added[next++]!)!, file: -1, index: -1 });

  const cutter = new WordIndexCutter<Placed>(locationsPerFile);
  const cut = sequence.map((word) => cutter.add(word)).filter((file) => file !== undefined);
  const last = cutter.finish();
  if (last) cut.push(last);
  const planned: PatchedFile[] = [];
  for (const words of cut) {
    const first = words[0]!;
    const earlier = record.files[first.file];
    const whole = earlier !== undefined && words.length === earlier.words.length && words.every((word, index) => word.bytes === undefined && word.file === first.file && word.index === index);
    const read = async () => {
      const bytes: IndexedWord[] = [];
      for (const word of words) {
        const data = word.bytes ?? (await wordsIn(word.file))?.[word.index];
        if (data === undefined) return undefined;
        bytes.push({ word: word.word, size: word.size, bytes: data });
      }
      return bytes;
    };
    if (whole) {
      planned.push({
        kept: earlier,
        words: async () => (await read()) ?? Promise.reject(new BundleFormatError(fileOf(earlier.hash), "it is not the index file the build cache recorded: build once with --no-cache")),
      });
    } else {
      const bytes = await read();
      if (bytes === undefined) return undefined;
      planned.push({ words: bytes });
    }
  }
  return planned;
}

/** A word of the patched index: its bytes when it is new or patched, else where it is in the earlier files. */
interface Placed {
  word: string;
  size: number;
  bytes?: Uint8Array;
  file: number;
  index: number;
}

/** Each word of one shard, written as a merge of that shard alone writes it, its pages numbered as in the merged bundle. */
async function wordsOf(shard: ShardWords): Promise<Map<string, IndexedWord>> {
  const words = new Map<string, IndexedWord>();
  for await (const word of mergedWords([shard])) words.set(word.word, word);
  return words;
}

/**
 * The words of an index file an earlier merge wrote, each its CBOR item, as `written` says they
 * are; undefined when the file is not that: not the data its name is the hash of, or not the
 * words the record lists.
 */
async function readEarlierFile(file: string, written: WrittenFile): Promise<Uint8Array[] | undefined> {
  try {
    const data = await readBundleFile(file);
    if (!contentHash(signedData(data)).startsWith(written.hash.slice(written.hash.indexOf("_") + 1))) return undefined;
    const reader = new CborReader(data, (problem) => new BundleFormatError(file, problem));
    if (reader.arrayLength() !== 1 || reader.arrayLength() !== written.words.length) return undefined;
    const words: Uint8Array[] = [];
    let at = reader.position;
    for (const length of written.lengths) {
      words.push(data.subarray(at, at + length));
      at += length;
    }
    return at === data.length ? words : undefined;
  } catch {
    return undefined;
  }
}

/** A page of a word: its number in the merged bundle, its field count, and its fields after the number, as bytes of `data`. */
interface Page {
  number: number;
  fields: number;
  data: Uint8Array;
  start: number;
  end: number;
}

/** A word's item read back: its text's CBOR item, its pages, and its variants by spelling. */
interface ReadWord {
  textItem: Uint8Array;
  pages: Page[];
  variants: Map<string, { key: Uint8Array; textItem: Uint8Array; pages: Page[] }>;
}

const NOT_PATCHED = "a word's item";

/**
 * A word's item, its pages the earlier index's (`earlier`) outside the changed shards and the
 * changed shards' now (`after`), and so its spellings'; undefined when no shard has it any more,
 * false when it holds what this does not patch (a spelling without pages; pages in a changed shard
 * that are not the ones the shard had, `before`).
 */
function patchWord(earlier: Uint8Array | undefined, before: IndexedWord[], after: IndexedWord[], inChanged: (page: number) => boolean): IndexedWord | undefined | false {
  const [was, then, now] = [earlier === undefined ? [] : [readWord(earlier)], before.map((word) => readWord(word.bytes)), after.map((word) => readWord(word.bytes))];
  const all = [...was, ...then, ...now];
  // A word may have no pages of its own, only spellings' (a page has "café", none "cafe"); a spelling always has pages.
  if (all.some((word) => [...word.variants.values()].some((variant) => variant.pages.length === 0))) return false;
  // The earlier index must have had exactly the changed shards' pages then.
  const samePages = (kept: Page[], shards: Page[][]) => numbers(kept.filter((page) => inChanged(page.number))) === numbers(shards.flat());
  if (!samePages(was[0]?.pages ?? [], then.map((word) => word.pages))) return false;
  const spellings = new Set([...was, ...then].flatMap((word) => [...word.variants.keys()]));
  for (const spelling of spellings) {
    if (!samePages(was[0]?.variants.get(spelling)?.pages ?? [], then.map((word) => word.variants.get(spelling)?.pages ?? []))) return false;
  }
  const outside = (pages: Page[]) => pages.filter((page) => !inChanged(page.number));
  const pages = sortedPages([...outside(was[0]?.pages ?? []), ...now.flatMap((word) => word.pages)]);
  const variants = new Map<string, { key: Uint8Array; textItem: Uint8Array; pages: Page[] }>();
  for (const word of [...was, ...now]) {
    for (const [spelling, variant] of word.variants) {
      const kept = word === was[0] ? outside(variant.pages) : variant.pages;
      const merged = variants.get(spelling);
      if (merged && Buffer.compare(merged.textItem, variant.textItem) !== 0) return false;
      variants.set(spelling, { key: variant.key, textItem: variant.textItem, pages: [...(merged?.pages ?? []), ...kept] });
    }
  }
  const written = [...variants.values()].filter((variant) => variant.pages.length > 0).sort((a, b) => Buffer.compare(a.key, b.key));
  // Gone when no shard has it any more: no page is left, of it or of a spelling.
  if (pages.length === 0 && written.length === 0) return now.length === 0 ? undefined : false;
  const texts = [...was, ...now].map((word) => word.textItem);
  if (texts.some((text) => Buffer.compare(text, texts[0]!) !== 0)) return false;
  const writer = new CborWriter();
  writer.arrayHeader(3).raw(texts[0]!);
  const size = writePages(writer, pages);
  writer.arrayHeader(written.length);
  for (const variant of written) {
    writer.arrayHeader(2).raw(variant.textItem);
    if (writePages(writer, sortedPages(variant.pages)) < 0) return false;
  }
  if (size < 0) return false;
  const text = new TextDecoder().decode(readWordText(texts[0]!));
  return { word: text, size, bytes: writer.take() };
}

/** The pages in their numbers' order; two of one number are reported by `writePages`. */
function sortedPages(pages: Page[]): Page[] {
  return [...pages].sort((a, b) => a.number - b.number);
}

function numbers(pages: Page[]): string {
  return pages
    .map((page) => page.number)
    .sort((a, b) => a - b)
    .join(",");
}

/** Writes the pages as a merge does, each numbered from the one before; returns the word's size (its locations, and one for each page), or -1 when a page comes twice. */
function writePages(writer: CborWriter, pages: Page[]): number {
  writer.arrayHeader(pages.length);
  let previous = 0;
  let size = 0;
  for (const [index, page] of pages.entries()) {
    if (index > 0 && page.number <= previous) return -1;
    writer.arrayHeader(page.fields).uint(page.number - previous);
    writer.rawRange(page.data, page.start, page.end);
    previous = page.number;
    const locations = new CborReader(page.data, (problem) => new BundleFormatError(NOT_PATCHED, problem));
    locations.position = page.start;
    size += locations.arrayLength() + 1;
  }
  return size;
}

/** A word's item as its text, its pages and its variants. */
function readWord(item: Uint8Array): ReadWord {
  const reader = new IndexFileReader(Buffer.concat([arrayHeader(1), arrayHeader(1), item]), NOT_PATCHED);
  const entry = reader.next()!;
  const variants = new Map<string, { key: Uint8Array; textItem: Uint8Array; pages: Page[] }>();
  if (entry.hasVariants) {
    forEachVariant(entry.variants, NOT_PATCHED, (key, textItem, pages) => variants.set(Buffer.from(key).toString("latin1"), { key, textItem, pages: pagesOf(pages) }));
  }
  return { textItem: entry.textItem, pages: pagesOf(entry.pages), variants };
}

function pagesOf(data: Uint8Array): Page[] {
  const postings = readPostings(data, NOT_PATCHED);
  return postings.pages.map((number, index) => ({ number, fields: postings.fields[index]!, data: postings.data, start: postings.starts[index]!, end: postings.ends[index]! }));
}

/** The UTF-8 bytes of a CBOR text item. */
function readWordText(item: Uint8Array): Uint8Array {
  const reader = new CborReader(item, (problem) => new BundleFormatError(NOT_PATCHED, problem));
  const [start, end] = reader.textBytes();
  return item.subarray(start, end);
}

/** Texts in the order of their UTF-8 bytes, which is the order of their code points: Pagefind's order of words. */
function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let at = 0; at < length; at++) {
    const x = a.codePointAt(at)!;
    const y = b.codePointAt(at)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) at++;
  }
  return a.length - b.length;
}
