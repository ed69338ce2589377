import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { decode, encode } from "cborg";
import { PACKAGE_ROOT } from "../package.ts";
import { compress, contentHash, replaceFile, uncompress, type Compression } from "./bundle-files.ts";
import { arrayHeader, CborReader, CborWriter, utf8 } from "./cbor.ts";

/*
 * Everything Broadsheet knows of Pagefind's private files: the names and folders of a bundle, how
 * each file is framed, and the layouts of the entry, the metadata, a filter file, an index file's
 * words and a fragment. Pagefind documents none of it and may change any of it in a release, so
 * it is stated here once; test/search/pagefind-format.test.ts checks it against files the
 * installed Pagefind writes, and README.md ("Upgrading Pagefind") says what to do when that test
 * fails. How Pagefind's search code uses the files (which index file it looks a word up in, a
 * result's id) is seen only in a browser, by test/browser/search.test.ts.
 */

/**
 * The Pagefind version whose files Broadsheet reads and writes: the one its package.json pins,
 * read once. Bundles of any other version are refused (`readEntry`).
 */
export const PAGEFIND_VERSION = pinnedPagefindVersion(path.join(PACKAGE_ROOT, "package.json"));

/** The version of `pagefind` that a package.json pins; one exact version, or an error that says what to write. */
export function pinnedPagefindVersion(packageFile: string): string {
  const pinned = (JSON.parse(readFileSync(packageFile, "utf8")) as { dependencies?: Record<string, string> }).dependencies?.pagefind;
  if (pinned === undefined || !/^\d+\.\d+\.\d+$/.test(pinned)) {
    throw new Error(
      `${packageFile}: dependencies.pagefind is ${JSON.stringify(pinned)}, not one exact version. Broadsheet reads Pagefind's private files, which change between versions: pin the version its tests pass with, such as "1.6.0" (README.md, "Upgrading Pagefind").`,
    );
  }
  return pinned;
}

/** Pagefind's bundle is not laid out the way this version of Broadsheet expects. */
export class BundleFormatError extends Error {
  constructor(file: string, problem: string) {
    super(
      `${file}: ${problem}. Broadsheet rewrites parts of Pagefind's search bundle and knows the files of Pagefind ${PAGEFIND_VERSION} only; ` +
        `install that version beside Broadsheet: npm install pagefind@${PAGEFIND_VERSION}.`,
    );
    this.name = "BundleFormatError";
  }
}

// ---- File names ----

/** The file a search starts from: Pagefind's version and, for each language, its metadata's hash. */
export const ENTRY_FILE = "pagefind-entry.json";

/**
 * The kinds of file a language's metadata leads to, each named after its hash, in its folder of the
 * bundle: `pagefind.<hash>.pf_meta`, `index/<hash>.pf_index`, `fragment/<name>.pf_fragment`,
 * `filter/<hash>.pf_filter`.
 */
export const BUNDLE_FILES = {
  meta: { folder: "", prefix: "pagefind.", extension: ".pf_meta" },
  index: { folder: "index", prefix: "", extension: ".pf_index" },
  fragment: { folder: "fragment", prefix: "", extension: ".pf_fragment" },
  filter: { folder: "filter", prefix: "", extension: ".pf_filter" },
} as const;

export type FileKind = keyof typeof BUNDLE_FILES;

/** The folders of a bundle's index files. */
export const BUNDLE_FOLDERS = Object.values(BUNDLE_FILES)
  .map(({ folder }) => folder)
  .filter((folder) => folder !== "");

/** The file of `kind` named `name`, relative to the bundle. */
export function bundleFile(kind: FileKind, name: string): string {
  const { folder, prefix, extension } = BUNDLE_FILES[kind];
  return path.join(folder, `${prefix}${name}${extension}`);
}

/**
 * The path of each file of `kind` in the bundle at `bundleDir`, by its name: `bundleFile` joined to
 * `bundleDir`, without normalizing the path again for each file (a name is a hash, never a folder
 * or a dot). A merge names every fragment of a volume twice: at 10,000 articles, 20,000 joins took
 * 0.15 s of the path a one-body build waits for.
 */
export function bundleFileNamer(bundleDir: string, kind: FileKind): (name: string) => string {
  const { folder, prefix, extension } = BUNDLE_FILES[kind];
  // `path.join` drops an empty last part, and with it the separator a name then needs.
  const start = prefix === "" ? `${path.join(bundleDir, folder)}${path.sep}` : path.join(bundleDir, folder, prefix);
  return (name) => `${start}${name}${extension}`;
}

/** The name (hash) of `file`, relative to the bundle, if it is a file of `kind`. */
export function nameOf(kind: FileKind, file: string): string | undefined {
  const { folder, prefix, extension } = BUNDLE_FILES[kind];
  const base = path.basename(file);
  if (path.dirname(file) !== (folder || ".") || !base.startsWith(prefix) || !base.endsWith(extension)) return undefined;
  return base.slice(prefix.length, base.length - extension.length);
}

/** Whether a file at the top of the bundle belongs to the index (the entry, metadata), not to Pagefind's scripts and search code. */
export function isIndexFile(name: string): boolean {
  return name === ENTRY_FILE || name.endsWith(BUNDLE_FILES.meta.extension);
}

/** The search code (WebAssembly) of a language, whose name is the entry's `wasm`. */
export function wasmFile(wasm: string): string {
  return `wasm.${wasm}.pagefind`;
}

// Pagefind names a file by its language, then the shortest prefix of its content hash, of at
// least seven digits, that no other file of the index has.
const HASH_DIGITS = 7;
// The metadata's name has ten digits of its hash.
const META_HASH_DIGITS = 10;

/**
 * A name for a file of `bytes` (before compression, so that names do not depend on the
 * compressor's version) as Pagefind names its files, none of `taken`.
 */
export function uniqueHash(language: string, bytes: Uint8Array, taken: Set<string>): string {
  const hash = contentHash(bytes);
  let length = HASH_DIGITS;
  while (taken.has(`${language}_${hash.slice(0, length)}`)) length++;
  return `${language}_${hash.slice(0, length)}`;
}

/** The metadata's name (the entry's `hash`), given its data. */
export function metaHash(language: string, data: Uint8Array): string {
  return `${language}_${contentHash(data).slice(0, META_HASH_DIGITS)}`;
}

/** The first seven digits of one of Pagefind's names, without those it adds when two names collide. */
export function pagefindHash(name: string): string {
  return name.slice(0, name.indexOf("_") + 1 + HASH_DIGITS);
}

// ---- Framing ----

// Each file of the index is gzipped and starts with this signature before its data: CBOR, or a
// fragment's JSON. The search code (wasm) is framed the same.
const SIGNATURE = Buffer.from("pagefind_dcd");

/** A bundle file's data, uncompressed, after the signature it must start with. */
export async function readBundleFile(file: string): Promise<Buffer> {
  const bytes = await uncompress(await readFile(file));
  if (!bytes.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new BundleFormatError(file, "it does not start with Pagefind's signature");
  return bytes.subarray(SIGNATURE.length);
}

/** Data as Pagefind's web code reads it: signed, not yet compressed. */
export function signedData(...parts: Uint8Array[]): Buffer {
  return Buffer.concat([SIGNATURE, ...parts]);
}

export function encodeBundleData(data: unknown): Buffer {
  return signedData(encode(data));
}

/** Compresses (gzip, as Pagefind's web code expects) and writes signed data; see `replaceFile`. */
export async function writeBundleFile(file: string, data: Uint8Array, compression: Compression): Promise<void> {
  await replaceFile(file, await compress(data, compression));
}

async function decodeBundleFile(file: string): Promise<unknown> {
  return decode(await readBundleFile(file), { useMaps: false }) as unknown;
}

/** Steps through a bundle file's CBOR; what is not as Pagefind writes it is a `BundleFormatError` naming the file. */
function bundleReader(data: Uint8Array, file: string): CborReader {
  return new CborReader(data, (problem) => new BundleFormatError(file, problem));
}

// ---- The entry: pagefind-entry.json ----

/** One language's index: its metadata's hash, its search code's name and its number of pages. */
export interface LanguageEntry {
  hash: string;
  wasm: string;
  page_count: number;
}

/** `pagefind-entry.json`. Pagefind writes other fields besides (`include_characters`), kept as they are. */
export interface Entry {
  version: string;
  languages: Record<string, LanguageEntry>;
}

export function isEntry(value: unknown): value is Entry {
  if (typeof value !== "object" || value === null) return false;
  const { version, languages } = value as Partial<Entry>;
  return (
    typeof version === "string" &&
    typeof languages === "object" &&
    languages !== null &&
    Object.values(languages).every((language: unknown) => {
      const { hash, wasm, page_count } = (language ?? {}) as Partial<LanguageEntry>;
      return typeof hash === "string" && typeof wasm === "string" && Number.isInteger(page_count);
    })
  );
}

/** The bundle's entry, if Pagefind `PAGEFIND_VERSION` wrote it. */
export async function readEntry(bundleDir: string): Promise<Entry> {
  const file = path.join(bundleDir, ENTRY_FILE);
  const entry = JSON.parse(await readFile(file, "utf8")) as unknown;
  const version = (entry as { version?: unknown } | null)?.version;
  if (version !== PAGEFIND_VERSION) throw new BundleFormatError(file, `it was written by Pagefind ${String(version)}`);
  if (!isEntry(entry)) throw new BundleFormatError(file, "it is not a version and languages, each with its hash, wasm and page_count");
  return entry;
}

export async function writeEntry(bundleDir: string, entry: Entry): Promise<void> {
  await replaceFile(path.join(bundleDir, ENTRY_FILE), JSON.stringify(entry));
}

// ---- The metadata: pagefind.<hash>.pf_meta ----

// Where things sit in the metadata: [version, pages, index files, filter files, sorts, fields].
const META_PAGES = 1;
const META_INDEX_CHUNKS = 2;
const META_FILTERS = 3;
const META_SORTS = 4;
const META_FIELDS = 5;

/** A page of the metadata: [fragment name, word count, fragment group, …]. */
export type PageEntry = [name: string, words: number, group: string, ...rest: unknown[]];

export function isPageEntry(value: unknown): value is PageEntry {
  return Array.isArray(value) && value.length >= 3 && typeof value[0] === "string" && typeof value[1] === "number" && typeof value[2] === "string";
}

/**
 * One file of the word index, as the metadata lists it. Pagefind's web code looks for a word in
 * the first file with from <= word <= to.
 */
export type Chunk = [from: string, to: string, hash: string];

export function isChunk(value: unknown): value is Chunk {
  return Array.isArray(value) && value.length === 3 && value.every((part) => typeof part === "string");
}

/** One filter's file, as the metadata lists it. */
export type Filter = [name: string, hash: string];

export function isFilter(value: unknown): value is Filter {
  return Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === "string");
}

/** A sort (`data-pagefind-sort`): its name and the pages, by number, in its order. */
export type Sort = [name: string, pages: number[]];

export function isSort(value: unknown): value is Sort {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && Array.isArray(value[1]) && value[1].every((page) => Number.isInteger(page));
}

/** The lists of the metadata that Broadsheet reads and writes. */
export interface MetaLists {
  pages: PageEntry[];
  chunks: Chunk[];
  filters: Filter[];
  sorts: Sort[];
  /** The names of the pages' metadata fields (`data-pagefind-meta`). */
  fields: string[];
}

/** A language's metadata: its lists, and all its items as they were, for `encodeMetaPieces`. */
export interface Meta extends MetaLists {
  file: string;
  items: unknown[];
}

/** A language's metadata, its lists checked to be what Broadsheet reads and writes. */
export async function readMeta(bundleDir: string, hash: string): Promise<Meta> {
  const file = path.join(bundleDir, bundleFile("meta", hash));
  const items = await decodeBundleFile(file);
  if (!Array.isArray(items)) throw new BundleFormatError(file, "it is not a list");
  const pages = items[META_PAGES];
  if (!Array.isArray(pages) || !pages.every(isPageEntry)) throw new BundleFormatError(file, "its list of pages is not [fragment, word count, group] triples");
  if (pages.some(([, , group]) => group !== "")) throw new BundleFormatError(file, "its pages' fragments are in group files");
  const chunks = items[META_INDEX_CHUNKS];
  if (!Array.isArray(chunks) || !chunks.every(isChunk)) throw new BundleFormatError(file, "its list of index files is not [from, to, hash] triples");
  const filters = items[META_FILTERS];
  if (!Array.isArray(filters) || !filters.every(isFilter)) throw new BundleFormatError(file, "its list of filter files is not [name, hash] pairs");
  const sorts = items[META_SORTS] ?? [];
  if (!Array.isArray(sorts) || !sorts.every(isSort)) throw new BundleFormatError(file, "its list of sorts is not [name, pages] pairs");
  const fields = items[META_FIELDS] ?? [];
  if (!Array.isArray(fields) || !fields.every((field) => typeof field === "string")) throw new BundleFormatError(file, "its list of fields is not a list of names");
  return { file, items, pages, chunks, filters, sorts, fields };
}

/** Pages listed in one piece of the metadata at most. */
const PAGES_PER_META_PIECE = 1000;

/**
 * Metadata with `lists` in place of `base`'s, its other items (the version) as they were, signed,
 * in pieces that a change to the archive mostly leaves as they were: the
 * pages come in runs that share their names' generation (fragment-names.ts), at most
 * `PAGES_PER_META_PIECE`, between what goes before them and what after (the index files' list).
 * A piece compressed once need not be compressed again (pieced-gzip.ts).
 */
export function encodeMetaPieces(base: Meta, lists: MetaLists): Uint8Array[] {
  const items = [...base.items];
  items[META_PAGES] = lists.pages;
  items[META_INDEX_CHUNKS] = lists.chunks;
  items[META_FILTERS] = lists.filters;
  items[META_SORTS] = lists.sorts;
  items[META_FIELDS] = lists.fields;
  // CBOR writes a list as its length and then its items, one after another.
  const pieces: Uint8Array[] = [signedData(arrayHeader(items.length), ...items.slice(0, META_PAGES).map((item) => encode(item)), arrayHeader(lists.pages.length))];
  const generation = ([name]: PageEntry) => name.slice(0, name.lastIndexOf("_"));
  for (let first = 0; first < lists.pages.length; ) {
    let end = first + 1;
    while (end < lists.pages.length && end - first < PAGES_PER_META_PIECE && generation(lists.pages[end]!) === generation(lists.pages[first]!)) end++;
    pieces.push(Buffer.concat(lists.pages.slice(first, end).map((page) => encode(page))));
    first = end;
  }
  pieces.push(Buffer.concat(items.slice(META_PAGES + 1).map((item) => encode(item))));
  return pieces;
}

/** The files a language's metadata leads to, relative to the bundle. */
export function filesListed(hash: string, { pages, chunks, filters }: Pick<MetaLists, "pages" | "chunks" | "filters">): string[] {
  return [
    bundleFile("meta", hash),
    ...pages.map(([name]) => bundleFile("fragment", name)),
    ...chunks.map(([, , chunkHash]) => bundleFile("index", chunkHash)),
    ...filters.map(([, filterHash]) => bundleFile("filter", filterHash)),
  ];
}

// ---- A filter file: filter/<hash>.pf_filter ----

/** A filter's values, each with the pages, by number, that have it. */
export type FilterValues = [value: string, pages: number[]][];

function isFilterFile(value: unknown): value is [name: string, values: FilterValues] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === "string" &&
    Array.isArray(value[1]) &&
    value[1].every((item) => Array.isArray(item) && item.length === 2 && typeof item[0] === "string" && Array.isArray(item[1]) && item[1].every((page) => Number.isInteger(page)))
  );
}

/** The values of the filter `name`, from its file. */
export async function readFilterFile(file: string, name: string): Promise<FilterValues> {
  const data = await decodeBundleFile(file);
  if (!isFilterFile(data) || data[0] !== name) throw new BundleFormatError(file, `it is not the values of the filter "${name}" with their pages`);
  return data[1];
}

export function encodeFilterFile(name: string, values: FilterValues): Buffer {
  return encodeBundleData([name, values]);
}

// ---- An index file: index/<hash>.pf_index ----
//
// A one-field record, [words], its words sorted by their UTF-8 bytes. A word is
// [word, pages, variants]: each page is [number counted from the page before, locations, meta
// locations], and each variant (a spelling of the word with diacritics) is [spelling, pages].

const EMPTY_ARRAY = Uint8Array.of(0x80);

/**
 * One word of an index file, as byte ranges of the file. A view of a range is made only when it
 * is asked for: a merge reads every word of every shard, and uses most words' text and item only
 * in the first shard that has them.
 */
export class WordEntry {
  constructor(
    private readonly data: Uint8Array,
    /** The word's UTF-8 bytes, which order the index. */
    readonly key: Uint8Array,
    private readonly textStart: number,
    /**
     * Its pages as read while passing them (positions and `data` are the file's): a merge copies
     * them whole from this, or reads them again to renumber them one by one.
     */
    readonly postings: PostingsSpan,
    private readonly variantsStart: number,
    private readonly variantsEnd: number,
    readonly file: string,
  ) {}

  get text(): string {
    return utf8(this.key);
  }

  /** The CBOR text item of the word. */
  get textItem(): Uint8Array {
    return this.data.subarray(this.textStart, this.postings.start);
  }

  /** The CBOR array of its pages. */
  get pages(): Uint8Array {
    return this.data.subarray(this.postings.start, this.postings.end);
  }

  /** The CBOR array of its variants. */
  get variants(): Uint8Array {
    return this.variantsEnd > this.variantsStart ? this.data.subarray(this.variantsStart, this.variantsEnd) : EMPTY_ARRAY;
  }

  /** Whether it has variants (spellings with diacritics): most words have none. */
  get hasVariants(): boolean {
    return this.variantsEnd > this.variantsStart && this.data[this.variantsStart] !== EMPTY_ARRAY[0];
  }
}

/** Reads an index file's words one by one, each with where its pages are (`postings`), without copying them. */
export class IndexFileReader {
  private readonly reader: CborReader;
  private wordsLeft: number;

  constructor(
    data: Uint8Array,
    readonly file: string,
  ) {
    this.reader = bundleReader(data, file);
    if (this.reader.arrayLength() !== 1) throw this.reader.formatError("it is not a one-field record");
    this.wordsLeft = this.reader.arrayLength();
  }

  /** The file's next word; undefined after the last. */
  next(): WordEntry | undefined {
    if (this.wordsLeft === 0) return undefined;
    const { reader } = this;
    const { data } = reader;
    const fields = reader.arrayLength();
    if (fields < 2) throw reader.formatError("a word has no pages");
    const textStart = reader.position;
    const [start, end] = reader.textBytes();
    const postings = spanFrom(reader);
    const variantsStart = reader.position;
    if (fields >= 3) reader.skip();
    const variantsEnd = reader.position;
    for (let field = 3; field < fields; field++) reader.skip();
    this.wordsLeft--;
    if (this.wordsLeft === 0 && !reader.atEnd) throw reader.formatError("it holds more than its list of words");
    return new WordEntry(data, data.subarray(start, end), textStart, postings, variantsStart, variantsEnd, this.file);
  }
}

/** The pages of a word (or of a variant), as byte ranges of its file. */
export interface Postings {
  data: Uint8Array;
  /** Each page's number in the bundle the file is of. */
  pages: number[];
  /** Each page's field count, and where its fields after the number start and end in `data`. */
  fields: number[];
  starts: number[];
  ends: number[];
  /** Locations on all the pages, plus one for each page: Pagefind's measure of a word's size. */
  size: number;
}

/** Reads a word's CBOR array of pages, listing each page. */
export function readPostings(data: Uint8Array, file: string): Postings {
  const postings: Postings = { data, pages: [], fields: [], starts: [], ends: [], size: 0 };
  postings.size = spanFrom(bundleReader(data, file), (page, fields, start, end) => {
    postings.pages.push(page);
    postings.fields.push(fields);
    postings.starts.push(start);
    postings.ends.push(end);
  }).size;
  return postings;
}

/**
 * A word's (or a variant's) pages as a merge needs them when it copies them whole: where they
 * are, how many, the first and the last page's number, and the first page's fields.
 */
export interface PostingsSpan {
  data: Uint8Array;
  /** Where the CBOR array of pages starts and ends in `data`. */
  start: number;
  end: number;
  count: number;
  first: number;
  /** The first page's field count, and where its fields after the number start. */
  firstFields: number;
  firstFieldsStart: number;
  last: number;
  /**
   * Whether no page is numbered below the one before, and each page's head and number are in
   * CBOR's shortest form: then each page after the first is, byte for byte, what writing it again
   * would write, given its number shifted as the first's.
   */
  inOrder: boolean;
  /** Locations on all the pages, plus one for each page: Pagefind's measure of a word's size. */
  size: number;
}

/** Reads a word's (or a variant's) CBOR array of pages as a span. */
export function readSpan(data: Uint8Array, file: string): PostingsSpan {
  return spanFrom(bundleReader(data, file));
}

/**
 * Reads the CBOR array of pages at the position of `reader` as a span, making no list of them;
 * `each` is told every page's number, field count, and where its fields after the number start
 * and end.
 */
function spanFrom(reader: CborReader, each?: (page: number, fields: number, start: number, end: number) => void): PostingsSpan {
  const { data } = reader;
  const start = reader.position;
  const count = reader.arrayLength();
  let page = 0;
  let size = 0;
  let inOrder = true;
  let firstFields = 0;
  let firstFieldsStart = 0;
  let first = 0;
  for (let index = 0; index < count; index++) {
    const headAt = reader.position;
    const fields = reader.arrayLength();
    if (fields < 2) throw reader.formatError("a page of a word has no locations");
    const numberAt = reader.position;
    const step = reader.integer();
    if (inOrder && (step < 0 || numberAt - headAt !== shortestHead(fields) || reader.position - numberAt !== shortestHead(step))) inOrder = false;
    page += step;
    const fieldsStart = reader.position;
    if (index === 0) {
      first = page;
      firstFields = fields;
      firstFieldsStart = fieldsStart;
    }
    const locations = reader.arrayLength();
    for (let location = 0; location < locations; location++) reader.skip();
    for (let field = 2; field < fields; field++) reader.skip();
    size += locations + 1;
    each?.(page, fields, fieldsStart, reader.position);
  }
  return { data, start, end: reader.position, count, first, firstFields, firstFieldsStart, last: page, inOrder, size };
}

/** The bytes of an item's head in CBOR's shortest form, for an argument of `value` (0 or more). */
function shortestHead(value: number): number {
  return value < 24 ? 1 : value < 0x100 ? 2 : value < 0x10000 ? 3 : value < 0x100000000 ? 5 : 9;
}

/** Calls `each` with every variant of a word: its spelling's UTF-8 bytes, its CBOR text item, and its CBOR array of pages. */
export function forEachVariant(variants: Uint8Array, file: string, each: (key: Uint8Array, textItem: Uint8Array, pages: Uint8Array) => void): void {
  const reader = bundleReader(variants, file);
  for (let count = reader.arrayLength(); count > 0; count--) {
    if (reader.arrayLength() !== 2) throw reader.formatError("a variant is not a [spelling, pages] pair");
    const textStart = reader.position;
    const [start, end] = reader.textBytes();
    const pagesStart = reader.position;
    reader.skip();
    each(variants.subarray(start, end), variants.subarray(textStart, pagesStart), variants.subarray(pagesStart, reader.position));
  }
}

/** A word's (or a variant's) pages in one file, and each page's number in the bundle being written: the file's page `p` is page `pageNumbers[p]` there. */
export interface NumberedPostings {
  span: PostingsSpan;
  pageNumbers: Uint32Array;
  /** When every page of the file is numbered its own number plus this (`numberingShift`). */
  shift: number | undefined;
  file: string;
}

/** The amount every page's number is shifted by in `pageNumbers`, if they are all shifted alike, as when Pagefind numbered a shard's pages in the order they were sent. */
export function numberingShift(pageNumbers: Uint32Array): number | undefined {
  const shift = pageNumbers[0] ?? 0;
  for (let page = 1; page < pageNumbers.length; page++) if (pageNumbers[page] !== page + shift) return undefined;
  return shift;
}

/**
 * Writes a word, [word, pages, variants], its pages and each variant's taken from one or more
 * files; returns its size.
 */
export function writeWordEntry(writer: CborWriter, textItem: Uint8Array, pages: NumberedPostings[], variants: { textItem: Uint8Array; pages: NumberedPostings[] }[]): number {
  writer.arrayHeader(3).raw(textItem);
  const size = writePostings(writer, pages);
  writer.arrayHeader(variants.length);
  for (const variant of variants) {
    writer.arrayHeader(2).raw(variant.textItem);
    writePostings(writer, variant.pages);
  }
  return size;
}

/** Writes the pages of a word, in the order of their new numbers; returns the word's size. */
function writePostings(writer: CborWriter, parts: NumberedPostings[]): number {
  writer.arrayHeader(parts.reduce((count, part) => count + part.span.count, 0));
  let previous = 0;
  let size = 0;
  for (const part of parts) {
    const { span, shift, pageNumbers } = part;
    if (span.count === 0) continue;
    if (shift !== undefined && span.inOrder && span.last < pageNumbers.length) {
      // Each page after the first is as far from the one before as in the file: only the first
      // page's distance from the part before is written anew, and the rest copied in one piece.
      // Written page by page, the pages of 10,000 articles took a third of merging their words.
      // (A page the file lists keeps each number below 2^32, the most the writer writes.)
      writer.arrayHeader(span.firstFields).uint(span.first + shift - previous);
      writer.rawRange(span.data, span.firstFieldsStart, span.end);
      previous = span.last + shift;
    } else {
      previous = writeRenumbered(writer, part, previous);
    }
    size += span.size;
  }
  return size;
}

/** Writes the part's pages one by one, renumbered, sorted by their new numbers if the numbering reorders them; returns the last one's number. */
function writeRenumbered(writer: CborWriter, { span, pageNumbers, file }: NumberedPostings, previous: number): number {
  const { data, pages, fields, starts, ends } = readPostings(span.data.subarray(span.start, span.end), file);
  const numbers = new Array<number>(pages.length);
  for (let index = 0; index < pages.length; index++) {
    const number = pageNumbers[pages[index]!];
    if (number === undefined) throw new BundleFormatError(file, `a word is on page ${pages[index]}, which the metadata does not list`);
    numbers[index] = number;
  }
  // Pages keep the file's order when its numbering does, as it does when Pagefind numbers them
  // in the order they were sent; else they are sorted.
  const inOrder = numbers.every((number, index) => index === 0 || number > numbers[index - 1]!);
  const order = inOrder ? undefined : numbers.map((_, index) => index).sort((a, b) => numbers[a]! - numbers[b]!);
  for (let place = 0; place < numbers.length; place++) {
    const index = order === undefined ? place : order[place]!;
    writer.arrayHeader(fields[index]!).uint(numbers[index]! - previous);
    writer.rawRange(data, starts[index]!, ends[index]!);
    previous = numbers[index]!;
  }
  return previous;
}

/** A page of a word, listed on its own: its number in the bundle, its field count, and its fields after the number, as bytes of `data`. */
export interface WordPage {
  number: number;
  fields: number;
  data: Uint8Array;
  start: number;
  end: number;
}

/** A spelling of a word (with diacritics): its UTF-8 bytes, its CBOR text item, and its pages. */
export interface WordSpelling {
  key: Uint8Array;
  textItem: Uint8Array;
  pages: WordPage[];
}

/** A word's item, [word, pages, variants], read whole: its text's CBOR item, its pages, and its spellings by their bytes (as latin1 text). */
export interface WordItem {
  textItem: Uint8Array;
  pages: WordPage[];
  variants: Map<string, WordSpelling>;
}

/** Reads one word's CBOR item, as `writeWordEntry` writes it, its pages listed one by one; `file` names it in errors. */
export function readWordItem(item: Uint8Array, file: string): WordItem {
  const entry = new IndexFileReader(Buffer.concat([arrayHeader(1), arrayHeader(1), item]), file).next()!;
  const pagesOf = (data: Uint8Array) => {
    const postings = readPostings(data, file);
    return postings.pages.map((number, index): WordPage => ({ number, fields: postings.fields[index]!, data: postings.data, start: postings.starts[index]!, end: postings.ends[index]! }));
  };
  const variants = new Map<string, WordSpelling>();
  if (entry.hasVariants) forEachVariant(entry.variants, file, (key, textItem, pages) => variants.set(Buffer.from(key).toString("latin1"), { key, textItem, pages: pagesOf(pages) }));
  return { textItem: entry.textItem, pages: pagesOf(entry.pages), variants };
}

/**
 * Writes a word's item from pages listed one by one, byte for byte as `writeWordEntry` writes the
 * same pages from their files: each page's head, its number counted from the one before, and its
 * fields copied; the spellings in the order of their bytes. Returns the word's size (its pages'
 * locations, plus one for each page), or undefined, with nothing sensible written, when the pages
 * are not in the order of their numbers or one comes twice.
 */
export function writeWordItem(writer: CborWriter, textItem: Uint8Array, pages: WordPage[], variants: WordSpelling[]): number | undefined {
  writer.arrayHeader(3).raw(textItem);
  const size = writePages(writer, pages);
  writer.arrayHeader(variants.length);
  let inOrder = size !== undefined;
  for (const variant of [...variants].sort((a, b) => Buffer.compare(a.key, b.key))) {
    writer.arrayHeader(2).raw(variant.textItem);
    if (writePages(writer, variant.pages) === undefined) inOrder = false;
  }
  return inOrder ? size : undefined;
}

function writePages(writer: CborWriter, pages: WordPage[]): number | undefined {
  writer.arrayHeader(pages.length);
  let previous = 0;
  let size = 0;
  for (const [index, page] of pages.entries()) {
    if (index > 0 && page.number <= previous) return undefined;
    writer.arrayHeader(page.fields).uint(page.number - previous);
    writer.rawRange(page.data, page.start, page.end);
    previous = page.number;
    // The page's fields start with its locations, read already (`readWordItem`): only their count is taken.
    const fields = bundleReader(page.data, "a word's page");
    fields.position = page.start;
    size += fields.arrayLength() + 1;
  }
  return size;
}

/** The UTF-8 bytes of a CBOR text item, as text. */
export function textOfItem(textItem: Uint8Array, file: string): string {
  const reader = bundleReader(textItem, file);
  const [start, end] = reader.textBytes();
  return utf8(textItem.subarray(start, end));
}

/** An index file of `words`, each a word's CBOR item, signed. */
export function indexFileData(words: Uint8Array[]): Buffer {
  return signedData(arrayHeader(1), arrayHeader(words.length), ...words);
}

// ---- A fragment: fragment/<name>.pf_fragment ----

/**
 * A page's fragment: signed JSON, what a search result's `data()` gives the search page
 * (layouts/assets/search.js reads `url` and `meta`; Pagefind makes the excerpt from `content`).
 */
export interface Fragment {
  url: string;
  content: string;
  word_count: number;
  filters: Record<string, string[]>;
  meta: Record<string, string>;
}

export function isFragment(value: unknown): value is Fragment {
  if (typeof value !== "object" || value === null) return false;
  const { url, content, word_count, filters, meta } = value as Partial<Fragment>;
  const isRecord = (record: unknown, isValue: (item: unknown) => boolean) => typeof record === "object" && record !== null && !Array.isArray(record) && Object.values(record).every(isValue);
  return (
    typeof url === "string" &&
    typeof content === "string" &&
    Number.isInteger(word_count) &&
    isRecord(filters, (values) => Array.isArray(values) && values.every((item) => typeof item === "string")) &&
    isRecord(meta, (item) => typeof item === "string")
  );
}

export async function readFragment(file: string): Promise<Fragment> {
  const fragment = JSON.parse(utf8(await readBundleFile(file))) as unknown;
  if (!isFragment(fragment)) throw new BundleFormatError(file, "it is not a page's url, content, word_count, filters and meta");
  return fragment;
}

/**
 * Broadsheet's name for a page's fragment, `<language>_<generation>_<number>` (fragment-names.ts).
 * A search result's id is its fragment's name, and the search page orders results by the number
 * in it: `fragmentNumber` reads it back the way `archiveNumber` in layouts/assets/search.js
 * does, and the contract test checks that the two agree.
 */
export function fragmentName(language: string, generation: string, number: number): string {
  return `${language}_${generation}_${number}`;
}

/** The page number in a fragment's name or result id: what follows its last "_", if that is a whole number. */
export function fragmentNumber(name: string): number | undefined {
  const number = Number(name.slice(name.lastIndexOf("_") + 1));
  return Number.isInteger(number) ? number : undefined;
}
