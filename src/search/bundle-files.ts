import { createHash } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import * as zlib from "node:zlib";
import { encode } from "cborg";

/** The Pagefind version whose bundle format Broadsheet reads; package.json pins it. */
export const PAGEFIND_VERSION = "1.6.0";

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

// Each file Pagefind writes is gzipped and starts with this signature before its CBOR data.
const SIGNATURE = Buffer.from("pagefind_dcd");

/** A bundle file's data, uncompressed, after the signature it must start with. */
export async function readBundleFile(file: string): Promise<Buffer> {
  const bytes = await gunzip(await readFile(file));
  if (!bytes.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new BundleFormatError(file, "it does not start with Pagefind's signature");
  return bytes.subarray(SIGNATURE.length);
}

/** CBOR data as Pagefind's web code reads it: signed, not yet compressed. */
export function signedData(...parts: Uint8Array[]): Buffer {
  return Buffer.concat([SIGNATURE, ...parts]);
}

export function encodeBundleData(data: unknown): Buffer {
  return signedData(encode(data));
}

/** Compresses and writes the file; under a name it already has, the old file is replaced whole (see `replaceFile`). */
export async function writeBundleFile(file: string, data: Uint8Array, compression: Compression): Promise<void> {
  await replaceFile(file, await compress(data, compression));
}

export async function compress(data: Uint8Array, compression: Compression): Promise<Uint8Array> {
  if (compression !== "smallest") return await gzip(data, { level: compression });
  const { gzipAsync } = await loadZopfli();
  return await gzipAsync(data, { numiterations: ZOPFLI_ITERATIONS });
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

// Pagefind's naming: the language, then the shortest prefix of the content hash (at least
// seven characters) no other file of the index has. The hash is of the data before compression,
// so the names do not depend on the compressor's version.
export function uniqueHash(language: string, bytes: Uint8Array, taken: Set<string>): string {
  const hash = contentHash(bytes);
  let length = 7;
  while (taken.has(`${language}_${hash.slice(0, length)}`)) length++;
  return `${language}_${hash.slice(0, length)}`;
}
