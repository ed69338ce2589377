import { copyFileSync, linkSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";

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
  linked = 0;

  constructor(
    private readonly from: string,
    private readonly to: string,
  ) {}

  /** Links `file` (relative) into the staging folder; false when the previous site has no such file. */
  reuse(file: string): boolean {
    const target = path.join(this.to, file);
    const folder = path.dirname(target);
    if (!this.folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
    }
    try {
      linkSync(path.join(this.from, file), target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return false;
      // A file system without hard links (some network and FAT ones) gets copies.
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EXDEV" && code !== "EMLINK") throw error;
      try {
        copyFileSync(path.join(this.from, file), target);
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
    try {
      files = readdirSync(path.join(this.from, folder), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(this.from, path.join(entry.parentPath, entry.name)))
        .filter((file) => !except.some((skipped) => (file + path.sep).startsWith(path.normalize(skipped + "/"))));
    } catch {
      return false;
    }
    const before = this.linked;
    for (const [index, file] of files.entries()) {
      if (this.reuse(file)) continue;
      // Taken back, so that nothing is ever written into a file the previous site shares.
      for (const linked of files.slice(0, index)) rmSync(path.join(this.to, linked), { force: true });
      this.linked = before;
      return false;
    }
    // Counted as files of the search index, not as pages.
    this.linked = before;
    return files.length > 0;
  }
}
