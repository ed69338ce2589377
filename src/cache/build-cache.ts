import { createHash, randomBytes } from "node:crypto";
import { closeSync, fstatSync, mkdirSync, openSync, read, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync, writev } from "node:fs";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DefaultDeserializer, serialize } from "node:v8";
import { CODE_ROOT, PACKAGE_ROOT, packageVersion } from "../package.ts";
import { packValues, unpackValues, type PackedValues } from "./packed-values.ts";

/** Where `build` keeps what it can reuse, relative to the working folder; safe to delete at any time. */
export const BUILD_CACHE = ".cache/broadsheet/build";

/**
 * What a build can reuse from the one before: parsed and rendered articles, related lists, the
 * key of every page written, the search index's shards. Every part is stored under a global key
 * made of everything that shapes the output besides the articles themselves (Broadsheet's code,
 * its version, Node's with its time zone data and ICU, the settings, the theme, the working
 * folder); a part stored under another
 * key is never read, so a cache written by another version or for other settings is rebuilt, not
 * trusted. Each part is one file, written whole under a temporary name and renamed into place, so
 * a build that dies leaves the previous part, never half of one. This module owns the folder.
 */
export class BuildCache {
  private constructor(
    /** The cache of this output folder: builds of different outputs never share one. */
    readonly folder: string,
    /** Everything that shapes the output besides the articles, hashed. */
    readonly key: string,
    /**
     * Broadsheet itself (its code, its version, Node's with its time zone data and ICU, and the libraries'), hashed: part of the
     * key of what is kept outside the parts (the search shards, with the words Broadsheet counted).
     */
    readonly codeKey: string,
  ) {}

  /** The cache for building into `outputDir`, under `root`, keyed by `inputs` and Broadsheet's own code. */
  static open(root: string, outputDir: string, inputs: unknown): BuildCache {
    const folder = BuildCache.folderOf(root, outputDir);
    mkdirSync(folder, { recursive: true });
    const libraries = { ...Object.fromEntries(OUTPUT_LIBRARIES.map((name) => [name, installedVersion(name)])), installed: installedTree() };
    // The time zone data and ICU Node reads and writes dates with too: the same Node may use a system's, updated apart.
    const code = { version: packageVersion(), node: process.version, timeZones: process.versions.tz, icu: process.versions.icu, code: codeHash(), libraries };
    const key = hash(JSON.stringify({ ...code, cwd: process.cwd(), inputs }));
    const codeKey = hash(JSON.stringify(code));
    return new BuildCache(folder, key, codeKey);
  }

  /** The part stored as `name` by an earlier build with the same key, if there is one. */
  read<T>(name: string): T | undefined {
    let found: T | undefined;
    this.readEach<T>([name], (value) => (found = value));
    return found;
  }

  /**
   * Reads the parts `names`, one after another, and hands each to `use` as `read` returns it
   * (undefined for one missing or stale), through one `reader`.
   */
  readEach<T>(names: readonly string[], use: (value: T | undefined, name: string) => void): void {
    const read = this.reader();
    for (const name of names) use(read<T>(name), name);
  }

  /**
   * What reads parts one at a time, as `read` does, each into the same buffer, grown as needed,
   * rather than each into new memory: memory touched for the first time is what reading the 256
   * buckets of 100,000 articles cost most here (see README, "Speed and size").
   */
  reader(): <T>(name: string) => T | undefined {
    let buffer = Buffer.allocUnsafeSlow(0);
    return <T>(name: string): T | undefined => {
      try {
        const fd = openSync(this.file(name), "r");
        let size: number;
        try {
          size = fstatSync(fd).size;
          if (buffer.length < size) buffer = Buffer.allocUnsafeSlow(Math.max(size, 2 * buffer.length));
          for (let read = 0; read < size; ) {
            const got = readSync(fd, buffer, read, size - read, read);
            if (got === 0) break;
            read += got;
          }
        } finally {
          closeSync(fd);
        }
        const stored = deserializeCopies(buffer.subarray(0, size)) as StoredPart<T>;
        if (stored.key !== this.key) return undefined;
        return "packed" in stored ? (unpackValues(stored.packed) as T) : stored.value;
      } catch {
        // Missing, cut short or from another Node: rebuilt.
        return undefined;
      }
    };
  }

  /** Stores `value` as `name`, replacing the part as a whole. */
  write(name: string, value: unknown): void {
    const packed = packValues(value);
    replaceFile(this.file(name), serialize(packed ? { key: this.key, packed } : { key: this.key, value }));
  }

  /**
   * Stores `parts` as `name`, one after another as they are, after the key: for large arrays of
   * numbers, which the serializer hands back wherever they fall in its file, and which must then
   * be copied to start at a multiple of their numbers' size (a second, at 100,000 articles).
   */
  writeBytes(name: string, parts: readonly Uint8Array[]): void {
    // Written part by part: joined first, the 120 MB of 100,000 articles' terms took a second to copy.
    replaceFile(this.bytesFile(name), [this.bytesHeader(), ...parts]);
  }

  /**
   * `writeBytes`, begun now and written on Node's own threads while this one goes on: at 100,000
   * articles, the related lists' terms (120 MB) took a second at the end of every build that chose
   * the lists again. Written under a name of their own, the bytes are stored as `name` only once
   * `put` is called (and awaited); `drop` removes them instead. A build that dies meanwhile leaves
   * that file, which the next one to write the same part writes over.
   */
  writeBytesAside(name: string, parts: readonly Uint8Array[]): BytesWriting {
    const file = this.bytesFile(name);
    const writing = `${file}${WRITING}`;
    // The parts one after another, not joined first.
    const written = writeWhole(writing, [this.bytesHeader(), ...parts]);
    // Until `put` or `drop` waits for it, a failure (a full disk) is nobody's to hear.
    written.catch(() => {});
    return {
      put: async () => {
        await written;
        await rename(writing, file);
      },
      drop: async () => {
        await written.catch(() => {});
        await rm(writing, { force: true });
      },
    };
  }

  /** The header `writeBytes` writes before the bytes: the key's length, the key, and room to the next multiple of 8. */
  private bytesHeader(): Buffer {
    const key = Buffer.from(this.key);
    const header = Buffer.alloc(bytesStart(key.length));
    header.writeUInt32LE(key.length);
    key.copy(header, 4);
    return header;
  }

  /**
   * The bytes stored as `name` by `writeBytes` under the same key, starting at a multiple of 8 in
   * their buffer; undefined when missing, cut short inside the key, or of another key. A file cut
   * short inside the bytes gives fewer: the caller checks their length.
   */
  readBytes(name: string): Uint8Array | undefined {
    try {
      return this.bytesOf(readFileSync(this.bytesFile(name)));
    } catch {
      // Missing: rebuilt.
      return undefined;
    }
  }

  /**
   * `readBytes`, begun now on Node's own threads, for bytes a build may need later: at 100,000
   * articles the related lists' terms (120 MB) took half a second to read when the lists were
   * chosen again. `take` waits for them, and gives them as `readBytes` would; `drop` lets them go
   * unused. Only for a part this build does not store again before it takes it (the lock keeps
   * other builds from it).
   */
  readBytesAside(name: string): BytesReading {
    let reading: Promise<Buffer | undefined> | undefined = readWhole(this.bytesFile(name));
    return {
      take: async () => {
        const file = await reading;
        reading = undefined;
        return file && this.bytesOf(file);
      },
      drop: () => {
        reading = undefined;
      },
    };
  }

  /** The bytes of a file `writeBytes` wrote, when under this key, starting at a multiple of 8 in their buffer. */
  private bytesOf(file: Buffer): Uint8Array | undefined {
    const key = Buffer.from(this.key);
    // Shorter than its header, or of another key: rebuilt.
    if (!holdsKey(file, key)) return undefined;
    const bytes = file.subarray(bytesStart(key.length));
    return bytes.byteOffset % BYTES_ALIGNMENT === 0 ? bytes : new Uint8Array(bytes);
  }

  /**
   * `length` bytes from `at` of the bytes stored as `name` by `writeBytes` under the same key, read
   * alone rather than with the whole file; undefined when the file is missing, of another key, or
   * shorter.
   */
  readBytesAt(name: string, at: number, length: number): Buffer | undefined {
    return this.withBytesFile(name, (fd, start) => {
      const bytes = Buffer.allocUnsafe(length);
      for (let read = 0; read < length; ) {
        const got = readSync(fd, bytes, read, length - read, start + at + read);
        if (got === 0) return undefined;
        read += got;
      }
      return bytes;
    });
  }

  /** How many bytes are stored as `name` by `writeBytes` under the same key; undefined when the file is missing or of another key. */
  bytesLength(name: string): number | undefined {
    return this.withBytesFile(name, (fd, start) => fstatSync(fd).size - start);
  }

  /** `use` of the open file of the bytes stored as `name`, and where they start in it, when its header holds this key; else undefined. */
  private withBytesFile<T>(name: string, use: (fd: number, start: number) => T | undefined): T | undefined {
    let fd: number;
    try {
      fd = openSync(this.bytesFile(name), "r");
    } catch {
      return undefined;
    }
    try {
      const key = Buffer.from(this.key);
      const header = Buffer.alloc(4 + key.length);
      if (readSync(fd, header, 0, header.length, 0) !== header.length || !holdsKey(header, key)) return undefined;
      return use(fd, bytesStart(key.length));
    } catch {
      return undefined;
    } finally {
      closeSync(fd);
    }
  }

  /** The identity of the file of the part stored as `name` (`identity`), which each write replaces; undefined when there is none. */
  partIdentity(name: string): string | undefined {
    return identity(this.file(name));
  }

  /** Removes the part stored as `name`, whatever key it was stored under. */
  remove(name: string): void {
    rmSync(this.file(name), { force: true });
  }

  /** Removes the bytes stored as `name`, whatever key they were stored under. */
  removeBytes(name: string): void {
    rmSync(this.bytesFile(name), { force: true });
  }

  /** The file `writeBytes` writes for `name`, for a message. */
  bytesFileOf(name: string): string {
    return this.bytesFile(name);
  }

  /** A file in the cache that another module keeps as it pleases (the search metadata's pieces). */
  fileFor(name: string): string {
    return path.join(this.folder, name);
  }

  /** The folder of the cache for building into `outputDir`. */
  static folderOf(root: string, outputDir: string): string {
    return path.join(path.resolve(root), hash(path.resolve(outputDir)).slice(0, 16));
  }

  /** Removes the part stored as `name` in the cache for `outputDir`, whatever key it was stored under. */
  static forget(root: string, outputDir: string, name: string): void {
    rmSync(path.join(BuildCache.folderOf(root, outputDir), `${name}.v8`), { force: true });
  }

  /** A folder inside the cache for a part kept as files (the search index's shards). */
  subfolder(name: string): string {
    const folder = path.join(this.folder, name);
    mkdirSync(folder, { recursive: true });
    return folder;
  }

  private file(name: string): string {
    return path.join(this.folder, `${name}.v8`);
  }

  private bytesFile(name: string): string {
    return path.join(this.folder, `${name}.bin`);
  }
}

/** A part as stored: its value packed (packed-values.ts), or as it is when it cannot be. */
type StoredPart<T> = { key: string } & ({ packed: PackedValues } | { value: T });

/**
 * As v8's `deserialize`, but an array of numbers in `data` comes back as a copy, not a view of
 * `data`'s memory (as v8's own gives one where it can): `readEach` reads the next part there.
 */
function deserializeCopies(data: Uint8Array): unknown {
  const deserializer = new CopyingDeserializer(data);
  deserializer.readHeader();
  return deserializer.readValue();
}

class CopyingDeserializer extends DefaultDeserializer {
  _readHostObject(): ArrayBufferView {
    const view = (DefaultDeserializer.prototype as unknown as { _readHostObject(this: DefaultDeserializer): ArrayBufferView })._readHostObject.call(this);
    const bytes = new Uint8Array(view.byteLength);
    bytes.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
    if (Buffer.isBuffer(view)) return Buffer.from(bytes.buffer);
    if (view instanceof DataView) return new DataView(bytes.buffer);
    return new (view.constructor as new (buffer: ArrayBuffer) => ArrayBufferView)(bytes.buffer);
  }
}

/** Where the bytes of a part stored by `writeBytes` start: a multiple of any number's size. */
const BYTES_ALIGNMENT = 8;

/** Whether `file` starts with the header `writeBytes` writes for `key`: its length, then the key. */
function holdsKey(file: Buffer, key: Buffer): boolean {
  return file.length >= 4 + key.length && file.readUInt32LE(0) === key.length && file.subarray(4, 4 + key.length).equals(key);
}

/** Where the bytes start after a header of the key's length and the key. */
function bytesStart(keyLength: number): number {
  return BYTES_ALIGNMENT * Math.ceil((4 + keyLength) / BYTES_ALIGNMENT);
}

/**
 * Writes the file whole under another name, then renames it into place: a part is never read
 * half-written. Given several, writes them one after another.
 */
function replaceFile(file: string, data: Uint8Array | readonly Uint8Array[]): void {
  const partial = `${file}.partial-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    if (data instanceof Uint8Array) writeFileSync(partial, data);
    else writeParts(partial, data);
    renameSync(partial, file);
  } catch (cause) {
    rmSync(partial, { force: true });
    throw cause;
  }
}

/** The libraries whose version can change what a build writes. */
const OUTPUT_LIBRARIES = ["@11ty/eleventy", "@11ty/eleventy-img", "pagefind", "preact", "preact-render-to-string", "markdown-it", "sanitize-html", "gray-matter", "js-yaml", "luxon", "feed", "sharp", "@gfx/zopfli", "cborg", "@sindresorhus/slugify"];

/** The version of an installed package, as its package.json says; "" when it cannot be found. */
export function installedVersion(name: string): string {
  try {
    let folder = path.dirname(fileURLToPath(import.meta.resolve(name)));
    for (; path.dirname(folder) !== folder; folder = path.dirname(folder)) {
      try {
        const manifest = JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8")) as { name?: string; version?: string };
        if (manifest.name === name) return manifest.version ?? "";
      } catch {
        // No package.json here: look further up.
      }
    }
  } catch {
    // Not resolvable from here.
  }
  return "";
}

/**
 * A hash of npm's record of every package installed with Broadsheet
 * (`node_modules/.package-lock.json`), which npm writes again on every install: a library
 * Broadsheet uses only through another, updated, makes the cache stale too, where the versions of
 * `OUTPUT_LIBRARIES` alone would not tell. The record is in the `node_modules` folder Broadsheet
 * is installed in, or in its own when it runs from its repository; empty where another package
 * manager installed it. Any install thus costs one build from nothing: in doubt, rebuild.
 */
export function installedTree(from = PACKAGE_ROOT): string {
  const folder = path.resolve(from);
  const parts = folder.split(path.sep);
  const installedIn = parts.lastIndexOf("node_modules");
  const record = installedIn > 0 ? path.join(parts.slice(0, installedIn + 1).join(path.sep), ".package-lock.json") : path.join(folder, "node_modules", ".package-lock.json");
  try {
    return hash(readFileSync(record));
  } catch {
    return "";
  }
}

/**
 * `text` with one byte a character where each fits in one. A text cut from one with a character
 * beyond that anywhere is held with two, and so is any text joined from it: the cache would store
 * it and read it back at twice the size, and slower: the teasers of 100,000 articles, 50 million
 * characters, took 0.34 to 0.62 s to read back so, and 0.19 to 0.24 s with one byte each. The URLs
 * of 100,000 articles' pages, cut from article files, were 7.6 MB more.
 */
export function oneByte(text: string): string {
  return fitsOneByte(text) ? Buffer.from(text, "latin1").toString("latin1") : text;
}

/** Whether every character of `text` fits in one byte (Latin-1). */
export function fitsOneByte(text: string): boolean {
  return !/[^\u0000-\u00ff]/.test(text);
}

/** SHA-256 of text or bytes, as hex. */
export function hash(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

let code: string | undefined;

/**
 * A hash of Broadsheet's own source and layouts: a change to the code, even without a new version
 * number (a checkout between two builds), makes every cached part stale.
 */
function codeHash(): string {
  if (code !== undefined) return code;
  const digest = createHash("sha256");
  for (const folder of ["src", "layouts"]) {
    const root = path.join(CODE_ROOT, folder);
    const files = readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name))
      .sort();
    for (const file of files) digest.update(`${path.relative(CODE_ROOT, file)}\0`).update(readFileSync(file)).update("\0");
  }
  return (code = digest.digest("hex"));
}

/** Size and identity of a file or folder, to tell whether it is still the one a build wrote. */
export function identity(file: string): string | undefined {
  try {
    const info = statSync(file);
    return `${info.dev}:${info.ino}:${info.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** Bytes of a part being read (`readBytesAside`). */
export interface BytesReading {
  /** The bytes, as `readBytes` gives them, once read; undefined after `drop`. */
  take(): Promise<Uint8Array | undefined>;
  /** Lets them go, read or not. */
  drop(): void;
}

/**
 * A file's bytes, read on Node's threads by one request for all of them; undefined when it cannot
 * be read. Node's `readFile` reads a large file in pieces, each asked for only once this thread is
 * free again, which a build's is not while it models the site: 120 MB asked for seconds before
 * were still unread when the related lists needed them (a CPU profile at 100,000 articles).
 */
function readWhole(file: string): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    let fd: number;
    let bytes: Buffer;
    try {
      fd = openSync(file, "r");
    } catch {
      resolve(undefined);
      return;
    }
    try {
      bytes = Buffer.allocUnsafeSlow(fstatSync(fd).size);
    } catch {
      closeSync(fd);
      resolve(undefined);
      return;
    }
    const readFrom = (at: number) =>
      read(fd, bytes, at, bytes.length - at, at, (error, got) => {
        // A read may stop short of the end; one that reads nothing more is at the end (the file was cut short).
        if (!error && got > 0 && at + got < bytes.length) return readFrom(at + got);
        closeSync(fd);
        resolve(error ? undefined : bytes.subarray(0, at + got));
      });
    readFrom(0);
  });
}

/**
 * Writes `parts` into `file`, one after another, on Node's threads by one request for all of
 * them. Node's `writeFile` writes in pieces of 512 KB, each asked for only once this thread is
 * free again, which a build's is not while it renders: the related lists' terms (120 MB at
 * 100,000 articles), begun before the pages, were mostly still to write once they were, 0.5 s of
 * this thread at the end of a new article's build (a CPU profile).
 */
function writeWhole(file: string, parts: readonly Uint8Array[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let fd: number;
    try {
      fd = openSync(file, "w");
    } catch (error) {
      reject(error);
      return;
    }
    const finish = (error: unknown) => {
      try {
        closeSync(fd);
      } catch (closing) {
        error ??= closing;
      }
      if (error === undefined) resolve();
      else reject(error);
    };
    const writeFrom = (rest: readonly Uint8Array[], at: number): void => {
      if (rest.length === 0) return finish(undefined);
      try {
        writev(fd, rest, at, (error, wrote) => {
          if (error) return finish(error);
          // Node's threads write every part, unless the disk stops taking bytes (full): then what
          // was written is all they report, and writing the rest gives the error.
          if (wrote === 0) return finish(new Error(`${file} could not be written whole: the disk took no more bytes.`));
          writeFrom(partsAfter(rest, wrote), at + wrote);
        });
      } catch (error) {
        finish(error);
      }
    };
    writeFrom(partsAfter(parts, 0), 0);
  });
}

/** What remains of `parts`, none empty, once their first `written` bytes are written. */
export function partsAfter(parts: readonly Uint8Array[], written: number): Uint8Array[] {
  const left: Uint8Array[] = [];
  for (const part of parts) {
    if (written >= part.byteLength) {
      written -= part.byteLength;
      continue;
    }
    left.push(written > 0 ? part.subarray(written) : part);
    written = 0;
  }
  return left;
}

/** Bytes being stored as a part (`writeBytesAside`). */
export interface BytesWriting {
  /** Once written, stores them as the part; rejects when they could not be written. */
  put(): Promise<void>;
  /** Removes them, written or not. */
  drop(): Promise<void>;
}

/** The suffix of the file that `writeBytesAside` writes before it is stored as the part. */
const WRITING = ".writing";

/** Writes `parts` into `file`, one after another. */
function writeParts(file: string, parts: readonly Uint8Array[]): void {
  const descriptor = openSync(file, "w");
  try {
    for (const part of parts) {
      // A write may take fewer bytes than it is given.
      for (let written = 0; written < part.byteLength; ) written += writeSync(descriptor, part, written);
    }
  } finally {
    closeSync(descriptor);
  }
}
