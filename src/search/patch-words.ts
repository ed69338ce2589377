import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { contentHash, replaceFile } from "./bundle-files.ts";
import { CborReader, CborWriter } from "./cbor.ts";
import { mergedWords, type ShardWords } from "./merge-words.ts";
import { bundleFile, BundleFormatError, indexFileData, pagefindHash, readBundleFile, readEntry, readWordItem, signedData, textOfItem, uniqueHash, writeWordItem, type WordItem, type WordPage, type WordSpelling } from "./pagefind-format.ts";
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
  /** The name (hash) of the metadata of the bundle the merge wrote, which lists every index file. */
  meta: string;
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

/** One index file of the patched index: the earlier merge's file `kept`, which holds the same words with the same data under the name it is to have, or new `words`. */
export type PatchedFile = { kept: WrittenFile; words?: undefined } | { kept?: undefined; words: IndexedWord[] };

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
 * that merge wrote (`record`) into `earlierBundle`, in order, and the names `taken` before the
 * first is named; undefined when the earlier index is not what the record says, or holds what this
 * cannot patch, and the words must be merged whole.
 *
 * A word the changed shards give the same pages (as the merged bundle numbers them) before and
 * after is as the earlier index has it. Any other word's pages are the earlier index's outside the
 * changed shards' pages, and the changed shards' own now, written as a merge writes a word
 * (`writeWordItem`), so that the files are byte for byte what a merge of every shard writes. The
 * files are cut again from the words' sizes as the record keeps them: a file whose words all stay,
 * and stay together, is the earlier one, to be linked unread (`IndexFiles.keep`) where its name is
 * the one it would be given now; the others are made of the earlier files' bytes and the words
 * patched, each earlier file checked against its name first.
 */
export async function patchWordIndex(record: WordRecord, changes: ShardChange[], { earlierBundle, language, locationsPerFile, taken }: { earlierBundle: string; language: string; locationsPerFile: number; taken: ReadonlySet<string> }): Promise<PatchedFile[] | undefined> {
  const fileOf = (hash: string) => path.join(earlierBundle, bundleFile("index", hash));
  // The earlier bundle is the one the record describes: the metadata names every index file.
  const entry = await readEntry(earlierBundle).catch(() => undefined);
  if (entry?.languages[language]?.hash !== record.meta || !record.files.every((file) => existsSync(fileOf(file.hash)))) return undefined;
  const words = record.files.flatMap((file) => file.words);
  if (words.some((word, index) => index > 0 && compareCodePoints(words[index - 1]!, word) >= 0)) return undefined;
  const before = await Promise.all(changes.map((change) => wordsOf(change.before)));
  const after = await Promise.all(changes.map((change) => wordsOf(change.after)));
  const touched = changedWords(before, after);

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
    const earlier = at && (await wordsIn(at.file))?.[at.index];
    if (at && earlier === undefined) return undefined;
    const result = patchWord(earlier && readWordItem(earlier, fileOf(record.files[at!.file]!.hash)), before.flatMap((words) => words.get(word) ?? []), after.flatMap((words) => words.get(word) ?? []), inChanged);
    if (result === NOT_PATCHED) return undefined;
    patched.set(word, result);
  }

  const cut = cutFiles(wordsInOrder(record, patched, placed), locationsPerFile);
  // Named as the files will be, in order: an earlier file is kept where the name a merge would
  // give it now is its own, the first tried and still free (`uniqueHash`); else it is written.
  const names = new Set(taken);
  const planned: PatchedFile[] = [];
  for (const words of cut) {
    const first = words[0]!;
    const earlier = record.files[first.file];
    const whole = earlier !== undefined && words.length === earlier.words.length && words.every((word, index) => word.bytes === undefined && word.file === first.file && word.index === index);
    if (whole && pagefindHash(earlier.hash) === earlier.hash && !names.has(earlier.hash)) {
      names.add(earlier.hash);
      planned.push({ kept: earlier });
      continue;
    }
    const bytes: IndexedWord[] = [];
    for (const word of words) {
      const data = word.bytes ?? (await wordsIn(word.file))?.[word.index];
      if (data === undefined) return undefined;
      bytes.push({ word: word.word, size: word.size, bytes: data });
    }
    names.add(uniqueHash(language, indexFileData(bytes.map((word) => word.bytes)), names));
    planned.push({ words: bytes });
  }
  return planned;
}

/** The words whose pages some change gives otherwise: in a shard before or after only, or with other pages. */
function changedWords(before: Map<string, IndexedWord>[], after: Map<string, IndexedWord>[]): Set<string> {
  const changed = new Set<string>();
  before.forEach((then, number) => {
    const now = after[number]!;
    for (const word of new Set([...then.keys(), ...now.keys()])) {
      const was = then.get(word);
      const is = now.get(word);
      if (!was || !is || Buffer.compare(was.bytes, is.bytes) !== 0) changed.add(word);
    }
  });
  return changed;
}

/**
 * The patched index's words in order: the earlier ones as the record lists them, each touched one
 * as `patched` has it (left out where it is gone), and the new ones (touched, not `placed` in the
 * record) among them.
 */
function wordsInOrder(record: WordRecord, patched: ReadonlyMap<string, IndexedWord | undefined>, placed: ReadonlyMap<string, unknown>): Placed[] {
  const added = [...patched.keys()].filter((word) => !placed.has(word) && patched.get(word) !== undefined).sort(compareCodePoints);
  const sequence: Placed[] = [];
  let next = 0;
  const addBefore = (word?: string) => {
    while (next < added.length && (word === undefined || compareCodePoints(added[next]!, word) < 0)) sequence.push({ ...patched.get(added[next++]!)!, file: -1, index: -1 });
  };
  record.files.forEach((file, number) =>
    file.words.forEach((word, index) => {
      addBefore(word);
      if (!patched.has(word)) sequence.push({ word, size: file.sizes[index]!, file: number, index });
      else if (patched.get(word)) sequence.push({ ...patched.get(word)!, file: number, index });
    }),
  );
  addBefore();
  return sequence;
}

/** The words cut into files as a merge cuts them (`WordIndexCutter`), by their sizes. */
function cutFiles(words: Placed[], locationsPerFile: number): Placed[][] {
  const cutter = new WordIndexCutter<Placed>(locationsPerFile);
  const files = words.map((word) => cutter.add(word)).filter((file) => file !== undefined);
  const last = cutter.finish();
  if (last) files.push(last);
  return files;
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
  for await (const word of mergedWords([shard])) {
    // Two words of one text: nothing here could tell them apart.
    if (words.has(word.word)) throw new BundleFormatError(shard.files[0] ?? "", `it has the word "${word.word}" twice`);
    words.set(word.word, word);
  }
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

/** What `patchWord` returns for a word it cannot patch. */
const NOT_PATCHED = Symbol("not patched");

/**
 * A word's item, its pages the earlier index's (`earlier`) outside the changed shards and the
 * changed shards' now (`after`), and so its spellings'; undefined when no shard has it any more,
 * NOT_PATCHED when it holds what this does not patch: a spelling without pages, or pages in a
 * changed shard that are not the ones the shard had (`before`).
 */
function patchWord(earlier: WordItem | undefined, before: IndexedWord[], after: IndexedWord[], inChanged: (page: number) => boolean): IndexedWord | undefined | typeof NOT_PATCHED {
  const was = earlier ? [earlier] : [];
  const read = (word: IndexedWord) => readWordItem(word.bytes, `the word "${word.word}" of a changed shard`);
  const then = before.map(read);
  const now = after.map(read);
  // A word may have no pages of its own, only spellings' (a page has "café", none "cafe"); a spelling always has pages.
  if ([...was, ...then, ...now].some((word) => [...word.variants.values()].some((variant) => variant.pages.length === 0))) return NOT_PATCHED;
  // The earlier index must have had exactly the changed shards' pages then.
  const numbers = (pages: WordPage[]) => pages.map((page) => page.number).sort((a, b) => a - b).join(",");
  const samePages = (kept: WordPage[], shards: WordPage[][]) => numbers(kept.filter((page) => inChanged(page.number))) === numbers(shards.flat());
  if (!samePages(earlier?.pages ?? [], then.map((word) => word.pages))) return NOT_PATCHED;
  for (const spelling of new Set([...was, ...then].flatMap((word) => [...word.variants.keys()]))) {
    if (!samePages(earlier?.variants.get(spelling)?.pages ?? [], then.map((word) => word.variants.get(spelling)?.pages ?? []))) return NOT_PATCHED;
  }
  const outside = (pages: WordPage[]) => pages.filter((page) => !inChanged(page.number));
  const byNumber = (pages: WordPage[]) => pages.sort((a, b) => a.number - b.number);
  const pages = byNumber([...outside(earlier?.pages ?? []), ...now.flatMap((word) => word.pages)]);
  const variants = new Map<string, WordSpelling>();
  for (const word of [...was, ...now]) {
    for (const [spelling, variant] of word.variants) {
      const merged = variants.get(spelling);
      if (merged && Buffer.compare(merged.textItem, variant.textItem) !== 0) return NOT_PATCHED;
      variants.set(spelling, { ...variant, pages: [...(merged?.pages ?? []), ...(word === earlier ? outside(variant.pages) : variant.pages)] });
    }
  }
  const spellings = [...variants.values()].filter((variant) => variant.pages.length > 0).map((variant) => ({ ...variant, pages: byNumber(variant.pages) }));
  // Gone when no shard has it any more: no page is left, of it or of a spelling.
  if (pages.length === 0 && spellings.length === 0) return now.length === 0 ? undefined : NOT_PATCHED;
  const texts = [...was, ...now].map((word) => word.textItem);
  if (texts.some((text) => Buffer.compare(text, texts[0]!) !== 0)) return NOT_PATCHED;
  const writer = new CborWriter();
  const size = writeWordItem(writer, texts[0]!, pages, spellings);
  return size === undefined ? NOT_PATCHED : { word: textOfItem(texts[0]!, "a patched word"), size, bytes: writer.take() };
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
