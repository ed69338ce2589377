import { copyFile, mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compress, compressPieces, contentHash, forEachFile, PARTIAL, replaceFile, unpacksTo, type KeptPieces } from "./bundle-files.ts";
import { renameFragments } from "./fragment-names.ts";
import { mergedWords, type ShardWords } from "./merge-words.ts";
import { patchWordIndex, readWordRecord, writeWordRecord, type ShardChange, type WordRecord } from "./patch-words.ts";
import {
  BUNDLE_FILES,
  BUNDLE_FOLDERS,
  bundleFile,
  bundleFileNamer,
  BundleFormatError,
  encodeFilterFile,
  encodeMetaPieces,
  ENTRY_FILE,
  filesListed,
  isIndexFile,
  metaHash,
  nameOf,
  readBundleFile,
  readEntry,
  readFilterFile,
  readMeta,
  signedData,
  uniqueHash,
  wasmFile,
  writeBundleFile,
  writeEntry,
  type Entry,
  type FileKind,
  type Filter,
  type FilterValues,
  type LanguageEntry,
  type Meta,
  type PageEntry,
} from "./pagefind-format.ts";
import { IndexFiles, LOCATIONS_PER_FILE, writeWordIndex, type WrittenIndex } from "./word-index.ts";

// For files fetched only on demand: filters when a reader opens them, older volumes' metadata when
// a search looks in them.
const ON_DEMAND_COMPRESSION = 9;

export interface CompactOptions {
  /**
   * Bundles Pagefind wrote for consecutive slices of the archive, to be merged into `bundleDir`;
   * by default `bundleDir` itself. Each may order its pages by `ORDER_SORT`.
   */
  shards?: string[];
  locationsPerFile?: number;
  /**
   * The number of the bundle's first page, its newest; the others count down from it. The archive's
   * pages are numbered from the oldest, 0, across the volumes (archive/volumes.ts). By default the
   * bundle's last page is 0.
   */
  newestNumber?: number;
  /** Whether the bundle gets Pagefind's scripts and search code; the older volumes use the newest's. */
  searchCode?: boolean;
  /**
   * Files to keep although the new metadata does not list them: under serve, those of the index
   * that was live before (`listedFiles`), which an open search page is still reading.
   */
  keep?: Set<string>;
  /**
   * Leaves the shards as they are, for a later build to merge again (the build's cache): their
   * files are linked or copied into the bundle, never moved.
   */
  keepShards?: boolean;
  /**
   * A file where the pieces of the metadata compressed by this bundle's last merge are kept (the
   * build's cache), so that a merge compresses only those that changed (bundle-files.ts). Used
   * with `searchCode` only: the older volumes' metadata is compressed whole, by zlib.
   */
  keptMetaPieces?: KeptPieces;
  /**
   * The same bundle as an earlier merge by the same code wrote it (the site a build replaces): a
   * word index file with the same name and data is linked from there, not compressed again.
   */
  earlierBundle?: string;
  /**
   * Where the build's cache keeps what a merge wrote of the word index (patch-words.ts): `earlier`,
   * the record of the merge that wrote `earlierBundle`, which this merge patches when only some of
   * its shards are others; `keep`, where this merge's record goes. Only with `keepShards`: the
   * record names the shards by their folders in the cache.
   */
  wordRecords?: { earlier?: string | undefined; keep: string };
  /** Shards read already (`ShardsReadAhead`); the others are read by the merge. */
  readAhead?: ShardsReadAhead;
}

/** Shards read ahead at once (`ShardsReadAhead`): each its entry, then its metadata, then its filter files (four for an article's shard) together. */
const READ_AT_ONCE = 16;

/**
 * Shards read (their entry, metadata and filters) before their merge: those the build's cache holds, while
 * the thread waits for the records of the others and for Pagefind to index them. A one-body build
 * at 10,000 articles otherwise read the 99 unchanged shards of its volume after the changed one,
 * 0.2 s on the path it waits for last. In the order given (the merges'), `READ_AT_ONCE` at a time,
 * so that the thread never holds many files open; each shard is handed out once. The thread may
 * begin with shards it guesses at, before it knows which it merges (`readInstead`).
 */
export class ShardsReadAhead {
  private readonly reading = new Map<string, Promise<Shard | EmptyShard>>();
  private dirs: string[];
  /** The place in `dirs` of the next shard to read. */
  private next = 0;
  /** Shards being read now. */
  private inFlight = 0;
  /** Shards a merge has taken: one it took before its turn came was read by the merge, and is not read again. */
  private readonly taken = new Set<string>();

  constructor(
    dirs: Iterable<string>,
    private readonly atOnce = READ_AT_ONCE,
  ) {
    this.dirs = [...dirs];
    this.readMore();
  }

  private readMore(): void {
    while (this.inFlight < this.atOnce && this.next < this.dirs.length) {
      const dir = this.dirs[this.next++]!;
      if (this.taken.has(dir) || this.reading.has(dir)) continue;
      const read = readShard(dir);
      this.reading.set(dir, read);
      this.inFlight++;
      // Reported by the merge that takes it; a shard no merge takes (the build stopped) is dropped.
      const readNext = () => {
        this.inFlight--;
        this.readMore();
      };
      read.then(readNext, readNext);
    }
  }

  /**
   * Reads `dirs` from now on, in their order, instead of the shards given so far: those read
   * already that are among them are kept, read again if their reading failed (a guessed shard
   * read before it was all there), and the others dropped.
   */
  readInstead(dirs: Iterable<string>): void {
    this.dirs = [...dirs];
    this.next = 0;
    const wanted = new Set(this.dirs);
    for (const [dir, read] of this.reading) {
      if (!wanted.has(dir)) {
        this.reading.delete(dir);
        continue;
      }
      const again = read.catch(() => readShard(dir));
      // Reported by the merge that takes it, as any shard read ahead.
      again.catch(() => {});
      this.reading.set(dir, again);
    }
    this.readMore();
  }

  /** Once every shard not taken has been read (or failed to be): for a caller that must know (tests). */
  async settled(): Promise<void> {
    for (let before = -1; before !== this.next; ) {
      before = this.next;
      await Promise.allSettled(this.reading.values());
    }
  }

  /** The shard in `dir` as read ahead, or read now. */
  take(dir: string): Promise<Shard | EmptyShard> {
    const read = this.reading.get(dir);
    this.reading.delete(dir);
    this.taken.add(dir);
    return read ?? readShard(dir);
  }
}

/**
 * Writes into `bundleDir` one Pagefind bundle of all the pages of `shards`, made so that a first
 * search fetches less: the word index in smaller files (word-index.ts), the pages' fragments under
 * short names (fragment-names.ts), and the metadata and the search code, which every search
 * fetches, compressed as small as zlib's format allows. Then removes every index, fragment,
 * filter and metadata file in `bundleDir` that neither the new entry nor `keep` leads to:
 * Pagefind's own, and under serve older indexes'.
 *
 * Pages are numbered in the archive's order, newest first, which each shard's `ORDER_SORT` gives;
 * the search page sorts by that number, so the metadata carries no sort (at 10,000 articles a
 * sort by date was a third of it).
 */
export async function compactBundle(bundleDir: string, { shards = [bundleDir], locationsPerFile = LOCATIONS_PER_FILE, newestNumber, searchCode = true, keep = new Set(), keepShards = false, keptMetaPieces, earlierBundle, wordRecords, readAhead }: CompactOptions = {}): Promise<void> {
  const read = await Promise.all(shards.map((dir) => (readAhead ? readAhead.take(dir) : readShard(dir))));
  await Promise.all(BUNDLE_FOLDERS.map((folder) => mkdir(path.join(bundleDir, folder), { recursive: true })));
  // Pagefind writes an entry without a language, and no search code, for an index of no pages
  // (none had words).
  const indexed = read.filter(isIndexed);
  // Pagefind's scripts and search code go in as they are, from the first shard that has an index:
  // they are the same in all.
  const scripts = indexed[0]?.dir ?? shards[0]!;
  if (searchCode && scripts !== bundleDir) await moveScripts(scripts, bundleDir, keepShards);
  if (indexed.length === 0) {
    await writeEntry(bundleDir, read[0]!.entry);
    return removeUnlisted(bundleDir, keep);
  }
  for (const shard of indexed) {
    if (shard.language !== indexed[0]!.language) throw new BundleFormatError(shard.entryFile, `its pages are in ${shard.language}, the first shard's in ${indexed[0]!.language}`);
  }
  try {
    // A record names every shard in its place: none is kept of a merge with a shard of no pages.
    await mergeShards(bundleDir, indexed, { locationsPerFile, newestNumber, searchCode, keep, keepShards, keptMetaPieces, earlierBundle, wordRecords: keepShards && indexed.length === read.length ? wordRecords : undefined });
  } catch (error) {
    // Under serve, the live bundle keeps its entry and its files, without the new index's.
    if (!shards.includes(bundleDir)) await removeUnlisted(bundleDir, keep).catch(() => {});
    throw error;
  }
}

async function mergeShards(
  bundleDir: string,
  indexed: Shard[],
  options: Omit<Required<CompactOptions>, "shards" | "newestNumber" | "keptMetaPieces" | "earlierBundle" | "wordRecords" | "readAhead"> & Pick<CompactOptions, "newestNumber" | "keptMetaPieces" | "earlierBundle" | "wordRecords">,
): Promise<void> {
  const { locationsPerFile, newestNumber, searchCode, keep, keepShards, keptMetaPieces, earlierBundle, wordRecords } = options;
  const first = indexed[0]!;
  const { entry, language, bundle } = first;

  let offset = 0;
  const numbered = indexed.map((shard) => {
    const pageNumbers = pageOrder(shard);
    for (let page = 0; page < pageNumbers.length; page++) pageNumbers[page]! += offset;
    offset += pageNumbers.length;
    return { ...shard, pageNumbers };
  });
  const pages = new Array<PageEntry>(offset);
  const fragmentFiles = new Array<string>(offset);
  for (const shard of numbered) {
    const fragmentFile = bundleFileNamer(shard.dir, "fragment");
    shard.pages.forEach((page, local) => {
      const number = shard.pageNumbers[local]!;
      pages[number] = page;
      fragmentFiles[number] = fragmentFile(page[0]);
    });
  }
  // New files are never named as old ones: the shards' may not have been read yet when they are
  // written, and under serve the live index's are still read by open pages.
  const taken = new Set([...indexed.flatMap((shard) => shard.meta.chunks.map(([, , hash]) => hash)), ...namesIn(keep, "index")]);
  const wordsOf = (shard: Shard, pageNumbers: Uint32Array): ShardWords => ({ files: shard.meta.chunks.map(([, , hash]) => path.join(shard.dir, bundleFile("index", hash))), pageNumbers });
  const patchedWords = async () => {
    const record = wordRecords?.earlier === undefined || earlierBundle === undefined ? undefined : await readWordRecord(wordRecords.earlier);
    const changes = record && (await shardChanges(record, numbered, { language, locationsPerFile, wordsOf }));
    return changes && patchWordIndex(record!, changes, { earlierBundle: earlierBundle!, language, locationsPerFile, taken });
  };
  // Patched, where the earlier merge's word index can be (patch-words.ts); else merged from every shard.
  const indexWords = async (): Promise<WrittenIndex> => {
    const patched = await patchedWords().catch(() => undefined);
    if (!patched) return writeWordIndex(bundleDir, language, mergedWords(numbered.map((shard) => wordsOf(shard, shard.pageNumbers))), taken, locationsPerFile, earlierBundle);
    const files = new IndexFiles(bundleDir, language, taken, earlierBundle);
    try {
      for (const file of patched) await (file.kept ? files.keep(file.kept) : files.write(file.words));
    } finally {
      await files.settled();
    }
    return files.finish();
  };
  const [renamedPages, { chunks, files: indexFiles }, filters] = await allFinished([
    // The shards' own fragments can go, unless a shard is the bundle itself (compacted in place).
    renameFragments(bundleDir, language, pages, fragmentFiles, { newestNumber, move: !keepShards && indexed.every((shard) => shard.dir !== bundleDir) }),
    indexWords(),
    mergeFilters(bundleDir, language, numbered, new Set(namesIn(keep, "filter"))),
    searchCode && recompressSearchCode(bundleDir, bundle.wasm),
  ] as const);

  const metaPieces = encodeMetaPieces(first.meta, { pages: renamedPages, chunks, filters, sorts: [], fields: [...new Set(indexed.flatMap((shard) => shard.meta.fields))].sort() });
  const metaData = Buffer.concat(metaPieces);
  bundle.hash = metaHash(language, metaData);
  bundle.page_count = pages.length;
  const metaFile = path.join(bundleDir, bundleFile("meta", bundle.hash));
  // Zopfli for the metadata every first search fetches, a piece at a time so that the pieces an
  // edit leaves as they were are not compressed again; the older volumes' only when a reader asks
  // for them.
  if (searchCode) await replaceFile(metaFile, await compressPieces(metaPieces, keptMetaPieces));
  else await writeBundleFile(metaFile, metaData, ON_DEMAND_COMPRESSION);
  await writeEntry(bundleDir, { ...entry, languages: { [language]: bundle } });
  // A record that cannot be written (a full disk) costs the next merge of the volume the patch.
  if (wordRecords) await writeWordRecord(wordRecords.keep, { meta: bundle.hash, language, locationsPerFile, shards: numbered.map((shard) => ({ name: path.basename(shard.dir), pages: shard.pages.length })), files: indexFiles }).catch(() => {});
  // Pagefind's files go only once the new ones are all in place, so that a search made meanwhile
  // (under serve, where there is no staging folder) still finds a whole index.
  const listed = new Set([...keep, ...filesListed(bundle.hash, { pages: renamedPages, chunks, filters })]);
  await removeUnlisted(bundleDir, listed);
}

/**
 * The sort each shard's pages carry so that the merged bundle numbers them in the archive's
 * order: Pagefind numbers pages in the order it finished reading them, which need not be the order
 * they were sent in.
 */
export const ORDER_SORT = "order";

/** The value of `ORDER_SORT` for the article at `position` in the archive. */
export function orderValue(position: number): string {
  // Fixed width, so that the values sort the same as text and as numbers.
  return String(position).padStart(9, "0");
}

/** The names (hashes) of the files of `kind` among `files`, paths relative to the bundle. */
function namesIn(files: Set<string>, kind: FileKind): string[] {
  return [...files].map((file) => nameOf(kind, file)).filter((name) => name !== undefined);
}

/** A bundle Pagefind wrote for no pages: an entry without a language. */
interface EmptyShard {
  dir: string;
  entry: Entry;
  entryFile: string;
}

/** A bundle Pagefind wrote: its one language's entry and metadata. */
interface Shard extends EmptyShard {
  language: string;
  bundle: LanguageEntry;
  meta: Meta;
  pages: PageEntry[];
  /** Its pages in the order of `ORDER_SORT`, if it has that sort. */
  order: number[] | undefined;
  /** Each filter's values with their pages, as its metadata lists the filters, and the file they were read from; none when read without them (`readShard`). */
  filters: { name: string; file: string; values: FilterValues }[];
}

/** The shard in `dir`, with its filters' values unless `filters` is false (the shard's words alone are asked for). */
async function readShard(dir: string, { filters: withFilters = true }: { filters?: boolean } = {}): Promise<Shard | EmptyShard> {
  const entryFile = path.join(dir, ENTRY_FILE);
  const entry = await readEntry(dir);
  const languages = Object.entries(entry.languages);
  if (languages.length > 1) throw new BundleFormatError(entryFile, `it has ${languages.length} languages, where Broadsheet indexes one`);
  // An index of no pages has no language.
  if (languages.length === 0) return { dir, entry, entryFile };
  const [language, bundle] = languages[0]!;
  const meta = await readMeta(dir, bundle.hash);
  // Read with the rest, as a shard is read ahead (`ShardsReadAhead`): read by the merge one after
  // another, a volume's 400 filter files (four filters, 100 shards at 10,000 articles) kept the
  // thread waiting about 0.3 s of a one-body build.
  const filterFiles = withFilters ? meta.filters.map(([name, hash]) => ({ name, file: path.join(dir, bundleFile("filter", hash)) })) : [];
  const filterValues = await Promise.all(filterFiles.map(({ name, file }) => readFilterFile(file, name)));
  const filters = filterFiles.map(({ name, file }, place) => ({ name, file, values: filterValues[place]! }));
  return { dir, entry, entryFile, language, bundle, meta, pages: meta.pages, order: meta.sorts.find(([name]) => name === ORDER_SORT)?.[1], filters };
}

function isIndexed(shard: Shard | EmptyShard): shard is Shard {
  return "language" in shard;
}

/** Each page's place in the shard: by `ORDER_SORT` if the shard has it, else as numbered. */
function pageOrder(shard: Shard): Uint32Array {
  const places = new Uint32Array(shard.pages.length);
  if (!shard.order) return places.map((_, page) => page);
  if (shard.order.length !== shard.pages.length) throw new BundleFormatError(shard.meta.file, `its sort "${ORDER_SORT}" lists ${shard.order.length} pages of ${shard.pages.length}`);
  const placed = new Uint8Array(shard.pages.length);
  shard.order.forEach((page, place) => {
    if (page < 0 || page >= places.length || placed[page]) throw new BundleFormatError(shard.meta.file, `its sort "${ORDER_SORT}" lists page ${page} twice or out of range`);
    placed[page] = 1;
    places[page] = place;
  });
  return places;
}

/**
 * The share of a volume's shards that may be others for a merge to patch the earlier merge's word
 * index (patch-words.ts). A patch reads the changed shards' words twice, then and now, and every
 * index file with a word they change: with many changed, that is most of what a merge reads. Set
 * so, not measured; a volume of fewer than four shards is always merged whole.
 */
const MOST_CHANGED_SHARDS = 0.25;

/**
 * The shards of `numbered` that are others than in the earlier merge `record` describes, with
 * their words then and now; undefined when the merges differ otherwise (the shards' number or
 * pages, the language, the files' size), or a shard the earlier merge had is no longer in the cache.
 */
async function shardChanges(
  record: WordRecord,
  numbered: (Shard & { pageNumbers: Uint32Array })[],
  { language, locationsPerFile, wordsOf }: { language: string; locationsPerFile: number; wordsOf: (shard: Shard, pageNumbers: Uint32Array) => ShardWords },
): Promise<ShardChange[] | undefined> {
  if (record.language !== language || record.locationsPerFile !== locationsPerFile || record.shards.length !== numbered.length) return undefined;
  const changes: ShardChange[] = [];
  let from = 0;
  for (const [place, shard] of numbered.entries()) {
    const earlier = record.shards[place]!;
    if (earlier.pages !== shard.pages.length) return undefined;
    const to = from + shard.pages.length;
    if (earlier.name !== path.basename(shard.dir)) {
      if (changes.length + 1 > numbered.length * MOST_CHANGED_SHARDS) return undefined;
      try {
        const before = await readShard(path.join(path.dirname(shard.dir), earlier.name), { filters: false });
        if (!isIndexed(before) || before.language !== language || before.pages.length !== shard.pages.length) return undefined;
        const numbers = pageOrder(before).map((page) => page + from);
        changes.push({ from, to, before: wordsOf(before, numbers), after: wordsOf(shard, shard.pageNumbers) });
      } catch {
        return undefined;
      }
    }
    from = to;
  }
  return changes;
}

/** Moves (or copies) Pagefind's scripts, styles and search code (everything but the index) from `from` into `to`. */
async function moveScripts(from: string, to: string, copy: boolean): Promise<void> {
  const files = (await readdir(from, { withFileTypes: true })).filter((file) => file.isFile() && !isIndexFile(file.name));
  await forEachFile(files, (file) => (copy ? copyFile : rename)(path.join(from, file.name), path.join(to, file.name)));
}

/**
 * Each filter's values across the shards, written a file per filter, as Pagefind does, with the
 * pages numbered as in the merged bundle. Values and pages are sorted, so that the same archive
 * gives the same files.
 */
async function mergeFilters(bundleDir: string, language: string, shards: (Shard & { pageNumbers: Uint32Array })[], taken: Set<string>): Promise<Filter[]> {
  const filters = new Map<string, Map<string, number[]>>();
  for (const shard of shards) {
    for (const { name, file, values: fileValues } of shard.filters) {
      const values = filters.get(name) ?? new Map<string, number[]>();
      filters.set(name, values);
      for (const [value, pages] of fileValues) {
        const merged = values.get(value) ?? [];
        values.set(value, merged);
        for (const page of pages) {
          const number = shard.pageNumbers[page];
          if (number === undefined) throw new BundleFormatError(file, `the value "${value}" is on page ${page}, which the metadata does not list`);
          merged.push(number);
        }
      }
    }
  }
  const written: Filter[] = [];
  for (const name of [...filters.keys()].sort()) {
    const values: FilterValues = [...filters.get(name)!].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([value, pages]) => [value, pages.sort((a, b) => a - b)]);
    const data = encodeFilterFile(name, values);
    const hash = uniqueHash(language, data, taken);
    taken.add(hash);
    await writeBundleFile(path.join(bundleDir, bundleFile("filter", hash)), data, ON_DEMAND_COMPRESSION);
    written.push([name, hash]);
  }
  return written;
}

/**
 * The index, fragment, filter and metadata files the bundle's entry leads to now, relative to
 * `bundleDir`; none if there is no bundle of this Pagefind version.
 */
export async function listedFiles(bundleDir: string): Promise<Set<string>> {
  const listed = new Set<string>();
  try {
    const entry = await readEntry(bundleDir);
    for (const bundle of Object.values(entry.languages)) {
      for (const file of filesListed(bundle.hash, await readMeta(bundleDir, bundle.hash))) listed.add(file);
    }
  } catch {
    // No bundle yet, or not one this version can read: nothing of it needs keeping.
  }
  return listed;
}

/** Like Promise.all, but on a failure still waits for the rest: nothing goes on writing after. */
async function allFinished<T extends readonly unknown[]>(tasks: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const outcomes = await Promise.allSettled(tasks);
  const failed = outcomes.find((outcome) => outcome.status === "rejected");
  if (failed) throw failed.reason;
  return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

// Where the search code, compressed, is kept from build to build.
const CACHE_DIR = fileURLToPath(new URL("../../node_modules/.cache/broadsheet/", import.meta.url));

/**
 * The search code (WebAssembly) is fetched by every first search. It is the same for every build
 * with this Pagefind, so it is compressed once (a second) and kept in `node_modules/.cache`; a
 * kept copy is used only if it unpacks to exactly the code Pagefind wrote.
 */
async function recompressSearchCode(bundleDir: string, wasm: string): Promise<void> {
  const file = path.join(bundleDir, wasmFile(wasm));
  const code = signedData(await readBundleFile(file));
  const cached = path.join(CACHE_DIR, `wasm.${contentHash(code).slice(0, 16)}.gz`);
  let compressed = await readFile(cached).catch(() => undefined);
  if (!compressed || !(await unpacksTo(compressed, code))) {
    compressed = Buffer.from(await compress(code, "smallest"));
    await mkdir(CACHE_DIR, { recursive: true })
      .then(() => replaceFile(cached, compressed!))
      .catch(() => {}); // A folder Broadsheet may not write to only costs the next build a second.
  }
  await replaceFile(file, compressed);
}

/** The bundle's files of the kinds the metadata lists, other than those listed, and any left half-written. */
async function removeUnlisted(bundleDir: string, listed: Set<string>): Promise<void> {
  const unlisted = await Promise.all(
    Object.values(BUNDLE_FILES).map(async ({ folder, extension }) => {
      const names = await readdir(path.join(bundleDir, folder)).catch(() => []);
      return names.map((name) => path.join(folder, name)).filter((file) => (file.endsWith(extension) || file.endsWith(`${extension}${PARTIAL}`)) && !listed.has(file));
    }),
  );
  await forEachFile(unlisted.flat(), (file) => rm(path.join(bundleDir, file), { force: true }));
}
