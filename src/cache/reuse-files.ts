import { copyFileSync, linkSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { rmdir } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import path from "node:path";

/** Makes the folders it is given, in order, and ends. */
const MAKE_FOLDERS = `
const { mkdirSync } = require("node:fs");
const { workerData } = require("node:worker_threads");
for (const folder of workerData) mkdirSync(folder, { recursive: true });
`;

/** A part of a path that is empty, `.` or `..`: `/a`, `a//b`, `./a`, `a/..`, ``. */
const NOT_NORMAL = /(?:^|\/)\.{0,2}(?:\/|$)/;

/**
 * `folder` (as path.resolve gives it) and `file`, a relative path of the site's own such as
 * `2024/03/budget/index.html`, joined as path.join joins them, without its normalising: that made
 * a gigabyte of strings for the garbage collector at 100,000 articles. A path normalising would
 * change (a `.` or `..` part, an empty one) goes through path.join.
 */
export function joinUnder(folder: string, file: string): string {
  return path.sep === "/" && !folder.endsWith("/") && !NOT_NORMAL.test(file) ? `${folder}/${file}` : path.join(folder, file);
}

/** The file a page's URL is written to, relative to the site's folder, as Eleventy writes it. */
export function outputFile(url: string): string {
  return (url.endsWith("/") ? `${url}index.html` : url).slice(1);
}

/**
 * Puts files of the previous site into the staging folder of the next, under the same names: a
 * hard link each, so a file is neither read nor copied, and the previous site stays whole until
 * the new one replaces it. Nothing is ever written into a linked file: a page that changed is
 * written by Eleventy as a new file, so the previous site's copy is never touched.
 */
export class FileReuse {
  private readonly folders = new Set<string>();
  /** Folders made ahead that the build may leave empty (`prepareFolders`). */
  private readonly prepared = new Set<string>();
  /** The making of every folder made ahead. */
  private preparing: Promise<void> = Promise.resolve();
  linked = 0;

  private readonly from: string;
  private readonly to: string;

  constructor(from: string, to: string) {
    // Resolved, as joinUnder takes them.
    this.from = path.resolve(from);
    this.to = path.resolve(to);
  }

  /**
   * Starts making, in the staging folder, the folders of `files` (relative): the previous site's
   * pages, most of which the build will link, while this thread models the site (at 10,000
   * articles, making 10,000 folders one by one took 1.7 s of the build). `finishFolders` removes
   * those the build then leaves empty.
   */
  prepareFolders(files: Iterable<string>): void {
    for (const folder of this.startMaking(files)) this.prepared.add(folder);
  }

  /** Starts making the folders of `files` (relative), which the build is about to write: none is left empty. */
  makeFoldersFor(files: Iterable<string>): void {
    this.startMaking(files);
  }

  /** Makes the folders of `files` not made yet, on a thread of their own; returns them. */
  private startMaking(files: Iterable<string>): Set<string> {
    const folders = new Set<string>();
    for (const file of files) {
      const folder = joinUnder(this.to, path.dirname(file));
      if (!this.folders.has(folder)) folders.add(folder);
    }
    if (folders.size === 0) return folders;
    // On a thread of its own: on the file system's shared threads, the folders and the build's
    // reading of its articles held each other up.
    const worker = new Worker(MAKE_FOLDERS, { eval: true, workerData: [...folders].sort() });
    const made = new Promise<void>((resolve, reject) => {
      worker.once("error", reject);
      worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`Making the staging folder's folders stopped with code ${code}.`))));
    }).then(() => {
      for (const folder of folders) this.folders.add(folder);
    });
    // Every thread ends before the folders count as ready, even when one has failed: whoever then
    // removes the staging folder must not race one still making folders in it.
    this.preparing = Promise.allSettled([this.preparing, made]).then((outcomes) => {
      for (const outcome of outcomes) if (outcome.status === "rejected") throw outcome.reason;
    });
    // A failure is heard where the folders are waited for (`foldersReady`, `finishFolders`); until then it is not unhandled.
    this.preparing.catch(() => {});
    return folders;
  }

  /** Waits for the folders being made (`prepareFolders`, `makeFoldersFor`), so that files can be linked into them. */
  async foldersReady(): Promise<void> {
    await this.preparing;
  }

  /**
   * Removes the folders made ahead that none of `files` (relative: every file of this build) went
   * into, deepest first: a build from nothing has no empty folder. `files` lists them when asked.
   */
  async finishFolders(files: () => Iterable<string>): Promise<void> {
    await this.preparing;
    // None made ahead, none to remove: walking every file's folders took 0.2 s at 100,000
    // articles, and listing the files 0.1 s.
    if (this.prepared.size === 0) return;
    const used = new Set<string>();
    for (const file of files()) {
      for (let folder = joinUnder(this.to, path.dirname(file)); folder.length > this.to.length && !used.has(folder); folder = path.dirname(folder)) used.add(folder);
    }
    for (const folder of [...this.prepared].filter((folder) => !used.has(folder)).sort().reverse()) {
      await rmdir(folder).catch(() => {
        // Not empty after all: a file this build wrote went into it.
      });
    }
  }

  /** Links `file` (relative) into the staging folder; false when the previous site has no such file. */
  reuse(file: string): boolean {
    const target = joinUnder(this.to, file);
    const folder = path.dirname(target);
    if (!this.folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
    }
    try {
      linkSync(joinUnder(this.from, file), target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return false;
      // A file system without hard links (some network and FAT ones) gets copies.
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EXDEV" && code !== "EMLINK") throw error;
      try {
        copyFileSync(joinUnder(this.from, file), target);
      } catch (copyError) {
        if ((copyError as NodeJS.ErrnoException).code === "ENOENT") return false;
        throw copyError;
      }
    }
    this.linked++;
    return true;
  }

  /**
   * Links every file below `folder` (relative), but those below the folders `except`; false,
   * with none of them linked, when the previous site lacks any of them.
   */
  reuseFolder(folder: string, except: readonly string[] = []): boolean {
    let files: string[];
    const skipped = except.map((skip) => path.normalize(skip + "/"));
    const inside = this.from + path.sep;
    try {
      // Resolved: a folder named with a slash at its end (`pagefind/`) would be its files' parent as named.
      files = readdirSync(path.resolve(this.from, folder), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map(({ parentPath, name }) => (parentPath.startsWith(inside) ? `${parentPath.slice(inside.length)}${path.sep}${name}` : path.relative(this.from, path.join(parentPath, name))))
        .filter((file) => !skipped.some((skip) => (file + path.sep).startsWith(skip)));
    } catch {
      return false;
    }
    const before = this.linked;
    for (const [index, file] of files.entries()) {
      if (this.reuse(file)) continue;
      // Taken back, so that nothing is ever written into a file the previous site shares.
      for (const linked of files.slice(0, index)) rmSync(joinUnder(this.to, linked), { force: true });
      this.linked = before;
      return false;
    }
    // Counted as files of the search index, not as pages.
    this.linked = before;
    return files.length > 0;
  }
}
