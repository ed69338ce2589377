// Writing a search bundle's files: compressed, replaced whole, a bounded number at a time. What
// the files hold and how they are named is Pagefind's format (pagefind-format.ts).
import { createHash } from "node:crypto";
import { rename, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import * as zlib from "node:zlib";

/**
 * How hard a file is compressed. "smallest" is Zopfli: about 12 % smaller than zlib's strongest
 * level on the metadata, for 50 times the time, so it is kept for the few files every search
 * fetches whatever its words; a zlib level for the rest.
 */
export type Compression = number | "smallest";

// Zopfli's passes over the data: more than a few bring nothing measurable on Pagefind's files.
const ZOPFLI_ITERATIONS = 3;

const gzip = promisify(zlib.gzip);

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
