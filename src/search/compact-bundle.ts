import { readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { decode } from "cborg";
import { BundleFormatError, contentHash, encodeBundleData, PAGEFIND_VERSION, readBundleFile, signedData, writeBundleFile } from "./bundle-files.ts";
import { isPageEntry, renameFragments } from "./fragment-names.ts";
import { isChunk, LOCATIONS_PER_FILE, recutWordIndex } from "./word-index.ts";

// Where things sit in the metadata: [version, pages, index files, filter files, sorts, fields].
const META_PAGES = 1;
const META_INDEX_CHUNKS = 2;
const META_FILTERS = 3;

interface Entry {
  version: string;
  languages: Record<string, { hash: string; wasm: string }>;
}

/**
 * Rewrites the Pagefind bundle in `bundleDir` so that a first search fetches less: the word
 * index in smaller files (word-index.ts), the pages' fragments under short names
 * (fragment-names.ts), and the metadata and the search code, which every search fetches, compressed
 * as small as zlib's format allows. Then removes every index, fragment, filter and metadata file
 * the entry no longer leads to: Pagefind's own, and under serve the previous index's.
 */
export async function compactBundle(bundleDir: string, locationsPerFile = LOCATIONS_PER_FILE): Promise<void> {
  const entryFile = path.join(bundleDir, "pagefind-entry.json");
  const entry = JSON.parse(await readFile(entryFile, "utf8")) as Entry;
  if (entry.version !== PAGEFIND_VERSION) throw new BundleFormatError(entryFile, `it was written by Pagefind ${entry.version}`);
  const listed = new Set<string>();
  for (const [language, bundle] of Object.entries(entry.languages)) {
    const metaFile = path.join(bundleDir, `pagefind.${bundle.hash}.pf_meta`);
    const meta = decode(await readBundleFile(metaFile), { useMaps: false }) as unknown[];
    const pages = meta[META_PAGES];
    if (!Array.isArray(pages) || !pages.every(isPageEntry)) throw new BundleFormatError(metaFile, "its list of pages is not [fragment, word count, group] triples");
    if (pages.some(([, , group]) => group !== "")) throw new BundleFormatError(metaFile, "its pages' fragments are in group files");
    const chunks = meta[META_INDEX_CHUNKS];
    if (!Array.isArray(chunks) || !chunks.every(isChunk)) throw new BundleFormatError(metaFile, "its list of index files is not [from, to, hash] triples");
    const filters = meta[META_FILTERS];
    if (!Array.isArray(filters) || !filters.every(isFilter)) throw new BundleFormatError(metaFile, "its list of filter files is not [name, hash] pairs");

    const [renamedPages, recutChunks] = await allFinished([renameFragments(bundleDir, language, pages), recutWordIndex(bundleDir, language, chunks, locationsPerFile), recompressSearchCode(bundleDir, bundle.wasm)] as const);
    meta[META_PAGES] = renamedPages;
    meta[META_INDEX_CHUNKS] = recutChunks;
    const metaData = encodeBundleData(meta);
    bundle.hash = `${language}_${contentHash(metaData).slice(0, 10)}`;
    await writeBundleFile(path.join(bundleDir, `pagefind.${bundle.hash}.pf_meta`), metaData, "smallest");

    listed.add(`pagefind.${bundle.hash}.pf_meta`);
    for (const [name] of renamedPages) listed.add(path.join("fragment", `${name}.pf_fragment`));
    for (const [, , hash] of recutChunks) listed.add(path.join("index", `${hash}.pf_index`));
    for (const [, hash] of filters) listed.add(path.join("filter", `${hash}.pf_filter`));
  }
  await writeFile(entryFile, JSON.stringify(entry));
  // Pagefind's files go only once the new ones are all in place, so that a search made meanwhile
  // (under serve, where there is no staging folder) still finds a whole index.
  await removeUnlisted(bundleDir, listed);
}

/** Like Promise.all, but on a failure still waits for the rest: nothing goes on writing after. */
async function allFinished<T extends readonly unknown[]>(tasks: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const outcomes = await Promise.allSettled(tasks);
  const failed = outcomes.find((outcome) => outcome.status === "rejected");
  if (failed) throw failed.reason;
  return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

function isFilter(value: unknown): value is [name: string, hash: string] {
  return Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === "string");
}

/** The search code (WebAssembly) is fetched by every first search; it is the same for every build. */
async function recompressSearchCode(bundleDir: string, wasm: string): Promise<void> {
  const file = path.join(bundleDir, `wasm.${wasm}.pagefind`);
  const staged = `${file}.compressing`;
  await writeBundleFile(staged, signedData(await readBundleFile(file)), "smallest");
  // Renamed into place, as a search under serve may be fetching it.
  await rename(staged, file);
}

/** The bundle's files of the kinds the metadata lists, other than those it lists now. */
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
      return names.map((name) => path.join(folder, name)).filter((file) => file.endsWith(extension) && !listed.has(file));
    }),
  );
  const files = unlisted.flat();
  for (let start = 0; start < files.length; start += 256) {
    await Promise.all(files.slice(start, start + 256).map((file) => rm(path.join(bundleDir, file), { force: true })));
  }
}
