// Writing a search bundle's files: compressed, replaced whole, a bounded number at a time. What
// the files hold and how they are named is Pagefind's format (pagefind-format.ts).
import { createHash } from "node:crypto";
import { copyFile, link, readFile, rename, rm, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { deserialize, serialize } from "node:v8";
import * as zlib from "node:zlib";
import { gzipPieces } from "./pieced-gzip.ts";

/**
 * How hard a file is compressed. "smallest" is Zopfli: about 12 % smaller than zlib's strongest
 * level on the metadata, for 50 times the time, so it is kept for the few files every search
 * fetches whatever its words; a zlib level for the rest.
 */
export type Compression = number | "smallest";

// Zopfli's passes over the data: more than a few bring nothing measurable on Pagefind's files.
const ZOPFLI_ITERATIONS = 3;

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

/**
 * Node's zlib hands its output over in chunks of 16 kB by default, each a callback, the chunks then
 * joined: in chunks of 64 kB, unpacking the 457 word index files of 100 shards (10,000 articles,
 * most files 10 to 25 kB packed) took 75 to 110 ms of CPU against 180 to 220 ms.
 */
const UNPACKED_CHUNK = 64 * 1024;

/** The data of a gzip file, unpacked on zlib's threads. */
export async function uncompress(compressed: Uint8Array): Promise<Buffer> {
  return await gunzip(compressed, { chunkSize: UNPACKED_CHUNK });
}

export async function compress(data: Uint8Array, compression: Compression): Promise<Uint8Array> {
  if (compression !== "smallest") return await gzip(data, { level: compression });
  const { gzipAsync } = await loadZopfli();
  return await gzipAsync(data, { numiterations: ZOPFLI_ITERATIONS });
}

/** Where pieces compressed by one call are kept for the next, and the key of the code that compressed them. */
export interface KeptPieces {
  file: string;
  key: string;
}

/**
 * Data given in pieces, compressed as small as "smallest" does, each piece on its own (a few
 * percent larger than the whole at once: pieced-gzip.ts). With `kept`, only the pieces not in its
 * file, as the last call with it left them, are compressed; the file then keeps this call's.
 */
export async function compressPieces(pieces: readonly Uint8Array[], kept?: KeptPieces): Promise<Buffer> {
  const { deflateAsync } = await loadZopfli();
  const deflate = (piece: Uint8Array) => deflateAsync(piece, { numiterations: ZOPFLI_ITERATIONS });
  const data = Buffer.concat(pieces);
  // A file that does not unpack to the data (kept pieces from a file cut short, say) is made again
  // without them; should that fail too, the data is compressed whole.
  const attempt = (earlier?: ReadonlyMap<string, Uint8Array>) => gzipPieces(pieces, deflate, earlier).then(async (made) => ((await unpacksTo(made.gzip, data)) ? made : undefined), () => undefined);
  const earlier = kept && (await readKeptPieces(kept));
  const made = (earlier && (await attempt(earlier))) || (await attempt());
  if (!made) return Buffer.from(await compress(data, "smallest"));
  // A cache that cannot be written costs the next build the compression, nothing else.
  if (kept) await replaceFile(kept.file, serialize({ key: kept.key, compressed: made.compressed })).catch(() => {});
  return made.gzip;
}

/** Whether the gzip file unpacks to exactly `data`; unpacked on zlib's threads. */
export async function unpacksTo(compressed: Uint8Array, data: Uint8Array): Promise<boolean> {
  try {
    return (await uncompress(compressed)).equals(data);
  } catch {
    return false;
  }
}

/** The pieces kept in `file` by the same code, if any. */
async function readKeptPieces({ file, key }: KeptPieces): Promise<Map<string, Uint8Array> | undefined> {
  try {
    const stored = deserialize(await readFile(file)) as { key?: unknown; compressed?: unknown };
    if (stored.key !== key || !(stored.compressed instanceof Map)) return undefined;
    const compressed = stored.compressed as Map<unknown, unknown>;
    return [...compressed].every(([piece, bytes]) => typeof piece === "string" && bytes instanceof Uint8Array) ? (compressed as Map<string, Uint8Array>) : undefined;
  } catch {
    return undefined;
  }
}

let zopfli: Promise<typeof import("@gfx/zopfli")> | undefined;

/**
 * Zopfli, loaded when first needed. Its WebAssembly wrapper adds process-wide handlers as it
 * loads: one rethrows every uncaught exception (Node then prints the wrapper's whole minified
 * source as the place of the error), one aborts on any unhandled rejection. They are taken off
 * again, so that errors anywhere else are reported as Node reports them.
 */
function loadZopfli(): Promise<typeof import("@gfx/zopfli")> {
  zopfli ??= (async () => {
    const events = ["uncaughtException", "unhandledRejection"];
    const emitter: NodeJS.EventEmitter = process;
    const before = events.map((event) => emitter.listeners(event));
    const loaded = await import("@gfx/zopfli");
    events.forEach((event, index) => {
      for (const listener of emitter.listeners(event)) if (!before[index]!.includes(listener)) emitter.off(event, listener as (...args: unknown[]) => void);
    });
    return loaded;
  })();
  return zopfli;
}

/** The suffix of a file being written, until it is renamed into place. */
export const PARTIAL = ".partial";

/**
 * Writes the file under a temporary name and renames it into place: a search under serve, which
 * reads the live bundle, never sees it half-written, nor does the next build after a stop.
 */
export async function replaceFile(file: string, data: Uint8Array | string): Promise<void> {
  await writeFile(`${file}${PARTIAL}`, data);
  await rename(`${file}${PARTIAL}`, file);
}

/**
 * Puts `earlier`, a file an earlier merge by the same code compressed, in place as `file` (a hard
 * link) when it unpacks to exactly `data`, which compressing again would give it; false, and
 * nothing done, when it does not, or cannot be read or linked. Unpacking costs a fifth of
 * compressing at zlib's level 6.
 */
export async function linkIfSame(earlier: string, data: Uint8Array, file: string): Promise<boolean> {
  try {
    if (!(await unpacksTo(await readFile(earlier), data))) return false;
    await linkInto(earlier, file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Puts `earlier` in place as `file`, a hard link made under another name and renamed into place
 * (a name there already, under serve, is replaced); where the file system has no hard links, a
 * copy. Not `replaceFile`'s temporary name: a write there, after a link left behind, would write
 * into `earlier` itself.
 */
export async function linkInto(earlier: string, file: string): Promise<void> {
  const linked = `${file}${PARTIAL}-link`;
  await rm(linked, { force: true });
  try {
    await link(earlier, linked);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw error;
    await copyFile(earlier, linked);
  }
  try {
    await rename(linked, file);
  } catch (error) {
    await rm(linked, { force: true }).catch(() => {});
    throw error;
  }
}

// Files worked on at once: enough to keep libuv's threads busy, few enough to stay far from the
// limit on open files.
const FILES_IN_FLIGHT = 64;

/** Runs `work` on every item, a bounded number at a time. */
export async function forEachFile<T>(items: readonly T[], work: (item: T, index: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += FILES_IN_FLIGHT) {
    await Promise.all(items.slice(start, start + FILES_IN_FLIGHT).map((item, offset) => work(item, start + offset)));
  }
}

export function contentHash(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
