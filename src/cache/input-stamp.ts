import { createHash } from "node:crypto";
import { lstatSync, statSync, type BigIntStats } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { fileStatus, isSettled } from "../archive/content-hashes.ts";
import { filesBelow, pathInside } from "../files-below.ts";

/** Every file a build reads, stamped without reading one. */
export interface InputStamp {
  /** SHA-256 of each file's path and identity, in path order; equal stamps, unchanged files. */
  digest: string;
  /** Whether every file was last changed long enough ago for its times to tell any later change. */
  settled: boolean;
  /**
   * The status of each file that was settled (see `fileStatus`), by absolute path: a file whose
   * status is the one it had when an earlier build read it has the bytes it had then.
   */
  files: Map<string, string>;
  /** The status of each file stamped that was too new to trust (see `files`), by absolute path. */
  unsettled: Map<string, string>;
  /**
   * The regular files (not links) below each root folder, by the folder's absolute path: relative
   * to it, with forward slashes, hidden ones left out, in no particular order. The build that
   * takes the stamp finds its articles among them (`loadArticles`): at 100,000 articles a second
   * walk of the folder cost it a third of a second.
   */
  regularFiles: Map<string, string[]>;
}

/**
 * Stamps every file below `roots` (folders or files; a missing one is stamped as missing) but
 * hidden ones (`isHiddenPath`), which no build reads, by its path, device, inode, size, and
 * modification and change times in nanoseconds, the way Git and Bazel tell that a file is
 * unchanged without reading it. Any write moves the change time, and no tool sets it back; a file
 * renamed, added or removed changes the list. At 100,000 articles this costs a walk of the folder
 * and a stat a file, about a second, where reading them costs a minute.
 */
export function stampInputs(roots: readonly string[]): InputStamp {
  const digest = createHash("sha256");
  const files = new Map<string, string>();
  const unsettled = new Map<string, string>();
  const regularFiles = new Map<string, string[]>();
  const stamp = (file: string, info: BigIntStats | undefined) => {
    if (info === undefined) {
      digest.update(`${file}\0missing\n`);
      return;
    }
    const status = fileStatus(info);
    if (isSettled(info)) files.set(file, status);
    else unsettled.set(file, status);
    digest.update(`${file}\0${status}\n`);
  };
  for (const root of [...new Set(roots.map((root) => path.resolve(root)))].sort()) {
    const info = statOrUndefined(root);
    if (info === undefined || !info.isDirectory()) {
      stamp(root, info);
      continue;
    }
    // Hidden entries are read by no build (`isHiddenPath`): a folder's own Git repository, an
    // editor's swap files, a file browser's notes on the folder.
    const hidden = (name: string) => name.startsWith(".");
    const regular: string[] = [];
    const paths = filesBelow(root, { skipFolder: hidden, skipFile: hidden, onRegularFile: (relative) => regular.push(relative) })
      .map((relative) => pathInside(root, relative))
      .sort();
    for (const file of paths) stamp(file, statEntry(file));
    regularFiles.set(root, regular);
  }
  return { digest: digest.digest("hex"), settled: unsettled.size === 0, files, unsettled, regularFiles };
}

/** The thread's script: `stampInputs` of its `workerData`, posted back. */
const STAMP_WORKER = new URL("./stamp-worker.js", import.meta.url);

/**
 * `stampInputs` on a thread of its own, for a caller with other work meanwhile (src/build.ts,
 * `stampBuildInputsReadingAhead`); on this thread when that thread fails. `script` is the thread's
 * (tests give one that fails).
 */
export function stampInputsOnThread(roots: readonly string[], script: URL = STAMP_WORKER): Promise<InputStamp> {
  return new Promise<InputStamp>((resolve, reject) => {
    const worker = new Worker(script, { workerData: roots });
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`The thread stamping the build's inputs stopped with code ${code} before it posted the stamp.`)));
  }).catch(() => stampInputs(roots));
}

/** The files whose status differs between two stamps, or that only one of them has. */
export function filesChangedSince(before: InputStamp, after: InputStamp | undefined): string[] {
  if (after === undefined || after.digest === before.digest) return [];
  const files = new Set([...before.files.keys(), ...after.files.keys(), ...before.unsettled.keys(), ...after.unsettled.keys()]);
  // A file settled in one stamp and not in the other counts as changed. The statuses of files too
  // new to trust are compared as well, so that a file made since the first stamp counts, however new.
  return [...files].filter((file) => before.files.get(file) !== after.files.get(file) || before.unsettled.get(file) !== after.unsettled.get(file)).sort();
}

/**
 * An entry below a root as the stamp knows it: a file, or a link to one, by the file's status; a
 * link to a folder by its own. No build lists a folder through a link: a reference that finds a
 * file through one finds it at its real path, which the stamp knows as that file's (src/build.ts,
 * `shapingOf`). By the folder's status, every file made or removed there would change the link's.
 */
function statEntry(file: string): BigIntStats | undefined {
  const info = statOrUndefined(file);
  if (!info?.isDirectory()) return info;
  try {
    return lstatSync(file, { bigint: true });
  } catch {
    return undefined;
  }
}

function statOrUndefined(file: string): BigIntStats | undefined {
  try {
    return statSync(file, { bigint: true });
  } catch {
    return undefined;
  }
}
