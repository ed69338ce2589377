import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { decode } from "cborg";
import { BundleFormatError, compress, contentHash, encodeBundleData, forEachFile, PAGEFIND_VERSION, PARTIAL, readBundleFile, replaceFile, signedData, writeBundleFile } from "./bundle-files.ts";
import { isPageEntry, renameFragments, type PageEntry } from "./fragment-names.ts";
import { isChunk, LOCATIONS_PER_FILE, recutWordIndex, type Chunk } from "./word-index.ts";

// Where things sit in the metadata: [version, pages, index files, filter files, sorts, fields].
const META_PAGES = 1;
const META_INDEX_CHUNKS = 2;
const META_FILTERS = 3;

interface Entry {
  version: string;
  languages: Record<string, { hash: string; wasm: string }>;
}

export interface CompactOptions {
  locationsPerFile?: number;
  /**
   * Files to keep although the new metadata does not list them: under serve, those of the index
   * that was live before (`listedFiles`), which an open search page is still reading.
   */
  keep?: Set<string>;
}

/**
 * Rewrites the Pagefind bundle in `bundleDir` so that a first search fetches less: the word
 * index in smaller files (word-index.ts), the pages' fragments under short names
 * (fragment-names.ts), and the metadata and the search code, which every search fetches, compressed
 * as small as zlib's format allows. Then removes every index, fragment, filter and metadata file
 * that neither the new entry nor `keep` leads to: Pagefind's own, and under serve older indexes'.
 */
export async function compactBundle(bundleDir: string, { locationsPerFile = LOCATIONS_PER_FILE, keep = new Set() }: CompactOptions = {}): Promise<void> {
  const entryFile = path.join(bundleDir, "pagefind-entry.json");
  const entry = JSON.parse(await readFile(entryFile, "utf8")) as Entry;
  if (entry.version !== PAGEFIND_VERSION) throw new BundleFormatError(entryFile, `it was written by Pagefind ${entry.version}`);
  const listed = new Set<string>(keep);
  for (const [language, bundle] of Object.entries(entry.languages)) {
    const { meta, pages, chunks, filters } = await readMeta(bundleDir, bundle.hash);
    const [renamedPages, recutChunks] = await allFinished([renameFragments(bundleDir, language, pages), recutWordIndex(bundleDir, language, chunks, locationsPerFile), recompressSearchCode(bundleDir, bundle.wasm)] as const);
    meta[META_PAGES] = renamedPages;
    meta[META_INDEX_CHUNKS] = recutChunks;
    const metaData = encodeBundleData(meta);
    bundle.hash = `${language}_${contentHash(metaData).slice(0, 10)}`;
    await writeBundleFile(path.join(bundleDir, metaFileName(bundle.hash)), metaData, "smallest");
    for (const file of filesListed(bundle.hash, { pages: renamedPages, chunks: recutChunks, filters })) listed.add(file);
  }
  await replaceFile(entryFile, JSON.stringify(entry));
  // Pagefind's files go only once the new ones are all in place, so that a search made meanwhile
  // (under serve, where there is no staging folder) still finds a whole index.
  await removeUnlisted(bundleDir, listed);
}

/**
 * The index, fragment, filter and metadata files the bundle's entry leads to now, relative to
 * `bundleDir`; none if there is no bundle of this Pagefind version.
 */
export async function listedFiles(bundleDir: string): Promise<Set<string>> {
  const listed = new Set<string>();
  try {
    const entry = JSON.parse(await readFile(path.join(bundleDir, "pagefind-entry.json"), "utf8")) as Entry;
    if (entry.version !== PAGEFIND_VERSION) return listed;
    for (const bundle of Object.values(entry.languages)) {
      for (const file of filesListed(bundle.hash, await readMeta(bundleDir, bundle.hash))) listed.add(file);
    }
  } catch {
    // No bundle yet, or not one this version can read: nothing of it needs keeping.
  }
  return listed;
}

type Filter = [name: string, hash: string];

/** A language's metadata, its lists checked to be what this module reads and writes. */
async function readMeta(bundleDir: string, hash: string): Promise<{ meta: unknown[]; pages: PageEntry[]; chunks: Chunk[]; filters: Filter[] }> {
  const metaFile = path.join(bundleDir, metaFileName(hash));
  const meta = decode(await readBundleFile(metaFile), { useMaps: false }) as unknown[];
  const pages = meta[META_PAGES];
  if (!Array.isArray(pages) || !pages.every(isPageEntry)) throw new BundleFormatError(metaFile, "its list of pages is not [fragment, word count, group] triples");
  if (pages.some(([, , group]) => group !== "")) throw new BundleFormatError(metaFile, "its pages' fragments are in group files");
  const chunks = meta[META_INDEX_CHUNKS];
  if (!Array.isArray(chunks) || !chunks.every(isChunk)) throw new BundleFormatError(metaFile, "its list of index files is not [from, to, hash] triples");
  const filters = meta[META_FILTERS];
  if (!Array.isArray(filters) || !filters.every(isFilter)) throw new BundleFormatError(metaFile, "its list of filter files is not [name, hash] pairs");
  return { meta, pages, chunks, filters };
}

function metaFileName(hash: string): string {
  return `pagefind.${hash}.pf_meta`;
}

/** The files a language's metadata leads to, relative to the bundle. */
function filesListed(hash: string, { pages, chunks, filters }: { pages: PageEntry[]; chunks: Chunk[]; filters: Filter[] }): string[] {
  return [
    metaFileName(hash),
    ...pages.map(([name]) => path.join("fragment", `${name}.pf_fragment`)),
    ...chunks.map(([, , chunkHash]) => path.join("index", `${chunkHash}.pf_index`)),
    ...filters.map(([, filterHash]) => path.join("filter", `${filterHash}.pf_filter`)),
  ];
}

/** Like Promise.all, but on a failure still waits for the rest: nothing goes on writing after. */
async function allFinished<T extends readonly unknown[]>(tasks: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const outcomes = await Promise.allSettled(tasks);
  const failed = outcomes.find((outcome) => outcome.status === "rejected");
  if (failed) throw failed.reason;
  return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

function isFilter(value: unknown): value is Filter {
  return Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === "string");
}

// Where the search code, compressed, is kept from build to build.
const CACHE_DIR = fileURLToPath(new URL("../../node_modules/.cache/broadsheet/", import.meta.url));

/**
 * The search code (WebAssembly) is fetched by every first search. It is the same for every build
 * with this Pagefind, so it is compressed once (a second) and kept in `node_modules/.cache`; a
 * kept copy is used only if it unpacks to exactly the code Pagefind wrote.
 */
async function recompressSearchCode(bundleDir: string, wasm: string): Promise<void> {
  const file = path.join(bundleDir, `wasm.${wasm}.pagefind`);
  const code = signedData(await readBundleFile(file));
  const cached = path.join(CACHE_DIR, `wasm.${contentHash(code).slice(0, 16)}.gz`);
  let compressed = await readFile(cached).catch(() => undefined);
  if (!compressed || !unpacksTo(compressed, code)) {
    compressed = Buffer.from(await compress(code, "smallest"));
    await mkdir(CACHE_DIR, { recursive: true })
      .then(() => replaceFile(cached, compressed!))
      .catch(() => {}); // A folder Broadsheet may not write to only costs the next build a second.
  }
  await replaceFile(file, compressed);
}

function unpacksTo(compressed: Buffer, data: Buffer): boolean {
  try {
    return gunzipSync(compressed).equals(data);
  } catch {
    return false;
  }
}

/** The bundle's files of the kinds the metadata lists, other than those listed, and any left half-written. */
async function removeUnlisted(bundleDir: string, listed: Set<string>): Promise<void> {
  const kinds: [folder: string, extension: string][] = [
    ["", ".pf_meta"],
    ["index", ".pf_index"],
    ["fragment", ".pf_fragment"],
    ["filter", ".pf_filter"],
  ];
  const unlisted = await Promise.all(
    kinds.map(async ([folder, extension]) => {
      const names = await readdir(path.join(bundleDir, folder)).catch(() => []);
      return names.map((name) => path.join(folder, name)).filter((file) => (file.endsWith(extension) || file.endsWith(`${extension}${PARTIAL}`)) && !listed.has(file));
    }),
  );
  await forEachFile(unlisted.flat(), (file) => rm(path.join(bundleDir, file), { force: true }));
}
