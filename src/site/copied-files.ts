import { constants } from "node:fs";
import { copyFile, link, mkdir } from "node:fs/promises";
import path from "node:path";
import type { FilePage, Page } from "../archive/pages.ts";

/** Files copied at once: enough to keep the disk busy, few enough to stay within open-file limits. */
const AT_ONCE = 16;

/** A file page that is a copy of a file on disk. */
export function isCopiedFile(page: Page): page is FilePage & Required<Pick<FilePage, "copyOf">> {
  return page.kind === "file" && page.copyOf !== undefined;
}

/**
 * Puts each file page that is a copy of a file on disk into `outputDir` at its URL, without
 * Eleventy. A file that is never rewritten is shared by a hard link, which costs neither time nor
 * space; any other is copied (a copy-on-write clone where the file system offers one), so that
 * editing the original later cannot change the published site.
 */
export async function writeCopiedFiles(pages: readonly (FilePage & Required<Pick<FilePage, "copyOf">>)[], outputDir: string): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < pages.length; index = next++) {
      const page = pages[index]!;
      const target = path.join(outputDir, ...page.url.split("/"));
      await mkdir(path.dirname(target), { recursive: true });
      await place(page.copyOf, target);
    }
  };
  await Promise.all(Array.from({ length: AT_ONCE }, worker));
}

async function place(copyOf: Required<FilePage>["copyOf"], target: string): Promise<void> {
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
