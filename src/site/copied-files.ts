import { constants } from "node:fs";
import { copyFile, link, mkdir, unlink } from "node:fs/promises";
import path from "node:path";
import type { FilePage, Page } from "../archive/pages.ts";

/** Files copied at once: enough to keep the disk busy, few enough to stay within open-file limits. */
const AT_ONCE = 16;

/** A file page that is a copy of a file on disk. */
function isCopiedFile(page: Page): page is FilePage & Required<Pick<FilePage, "copyOf">> {
  return page.kind === "file" && page.copyOf !== undefined;
}

/**
 * Puts each of `pages` that is a copy of a file on disk (pictures' encodings) into `outputDir` at
 * its URL, without Eleventy, and returns the others, for Eleventy to render. A file that is never
 * rewritten is shared by a hard link, which costs neither time nor space; any other is copied (a
 * copy-on-write clone where the file system offers one), so that editing the original later
 * cannot change the published site.
 */
export async function placeCopiedFiles(pages: readonly Page[], outputDir: string): Promise<Page[]> {
  const copied = pages.filter(isCopiedFile);
  if (copied.length === 0) return [...pages];
  const targets = copied.map((page) => path.join(outputDir, ...page.url.split("/")));
  // Each folder once (a picture's ten encodings share one), before any file goes in.
  await eachAtOnce([...new Set(targets.map((target) => path.dirname(target)))], (folder) => mkdir(folder, { recursive: true }));
  await eachAtOnce(copied.map((page, index) => [page.copyOf, targets[index]!] as const), ([copyOf, target]) => place(copyOf, target));
  return pages.filter((page) => !isCopiedFile(page));
}

/** Runs `work` on every item, AT_ONCE at a time. */
async function eachAtOnce<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) await work(items[index]!);
  };
  await Promise.all(Array.from({ length: AT_ONCE }, worker));
}

async function place(copyOf: Required<FilePage>["copyOf"], target: string): Promise<void> {
  // A file already there (serve, writing over the site) is replaced, never written into: it may
  // be a hard link to the picture cache.
  await unlink(target).catch(() => {});
  if (copyOf.immutable) {
    try {
      await link(copyOf.file, target);
      return;
    } catch {
      // Another file system, or one without hard links: a copy does the same.
    }
  }
  await copyFile(copyOf.file, target, constants.COPYFILE_FICLONE);
}
