import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync, type BigIntStats } from "node:fs";
import path from "node:path";

/** Changed when what is kept changes, so that an older file is read as empty. */
const FORMAT = 1;

/**
 * A file whose status changed this recently is not trusted to be told apart from a later write by
 * its status: a write in the same tick of the file system's clock would leave its times as they were.
 */
const SETTLED_NANOSECONDS = 2_000_000_000n;

/** A file's device, inode, size, and modification and change times in nanoseconds: equal, the same bytes. */
export function fileStatus(status: BigIntStats): string {
  return `${status.dev}:${status.ino}:${status.size}:${status.mtimeNs}:${status.ctimeNs}`;
}

/** Whether the file's status last changed long enough ago for its times to tell any later write. */
export function isSettled(status: BigIntStats): boolean {
  const settledBefore = BigInt(Date.now()) * 1_000_000n - SETTLED_NANOSECONDS;
  return status.ctimeNs < settledBefore && status.mtimeNs < settledBefore;
}

interface Remembered {
  /** The file's device, inode, size, and modification and change times, in nanoseconds. */
  status: string;
  hash: string;
}

/**
 * The SHA-256 of files, remembered between builds by each file's status (device, inode, size,
 * modification and change time), so that a build reads a large file (a picture) only when it
 * changed. Every write to a file sets its change time to the moment of writing, and no tool can
 * set it back (copying with times kept, `touch -d` and unpacking archives set the modification
 * time only), so a file whose status is as remembered has the bytes it had: the way Bazel and Git
 * decide that a file is unchanged. The file they are kept in is safe to delete.
 */
export class ContentHashes {
  readonly #file: string | undefined;
  readonly #remembered: Map<string, Remembered>;
  readonly #used = new Map<string, Remembered>();

  /** Remembers in `file`, or nowhere when it is undefined (every file is read and hashed). */
  constructor(file?: string) {
    this.#file = file;
    this.#remembered = new Map(file === undefined ? [] : readRemembered(file));
  }

  /** The hex SHA-256 of the file's bytes and its size, read only when it changed since it was hashed. */
  hash(file: string): { hash: string; bytes: number } {
    const before = statSync(file, { bigint: true });
    const status = fileStatus(before);
    const remembered = this.#remembered.get(file);
    if (remembered?.status === status) {
      this.#used.set(file, remembered);
      return { hash: remembered.hash, bytes: Number(before.size) };
    }
    const bytes = readFileSync(file);
    const hash = createHash("sha256").update(bytes).digest("hex");
    // Written to while being read, or so recently that a second write could go unseen: not kept.
    const after = statSync(file, { bigint: true });
    if (fileStatus(after) === status && isSettled(after)) this.#used.set(file, { status, hash });
    return { hash, bytes: bytes.length };
  }

  /**
   * Keeps what this build hashed for the next, with what earlier builds hashed of files that are
   * still there (another archive built in the same folder shares the file); whole or not at all,
   * and only when it changed.
   */
  save(): void {
    if (this.#file === undefined) return;
    const kept = new Map(this.#used);
    for (const [file, entry] of this.#remembered) if (!kept.has(file) && existsSync(file)) kept.set(file, entry);
    const unchanged = kept.size === this.#remembered.size && [...kept].every(([file, entry]) => this.#remembered.get(file) === entry);
    if (unchanged) return;
    mkdirSync(path.dirname(this.#file), { recursive: true });
    const temporary = `${this.#file}.${process.pid}-${randomBytes(4).toString("hex")}`;
    writeFileSync(temporary, JSON.stringify({ format: FORMAT, files: Object.fromEntries(kept) }));
    renameSync(temporary, this.#file);
  }
}

function readRemembered(file: string): [string, Remembered][] {
  try {
    const kept = JSON.parse(readFileSync(file, "utf8")) as { format?: number; files?: Record<string, Remembered> };
    return kept.format === FORMAT && kept.files ? Object.entries(kept.files) : [];
  } catch {
    return [];
  }
}
