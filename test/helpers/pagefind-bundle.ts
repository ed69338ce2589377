import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import * as pagefind from "pagefind";
import { expect } from "vitest";
import { ORDER_SORT, orderValue } from "../../src/search/compact-bundle.ts";

/**
 * Has Pagefind write a bundle of one page per story into `bundle`, as a build does: story N is at
 * `/story-N/`, and `positions[N]` (by default N) is its place in the archive's order.
 */
export async function writePagefindBundle(bundle: string, stories: string[], { first = 0, positions = stories.map((_, number) => first + number) } = {}): Promise<void> {
  const { index } = await pagefind.createIndex({ forceLanguage: "en" });
  await Promise.all(
    stories.map((story, offset) => {
      const number = first + offset;
      const tags = `<span data-pagefind-filter="year:${2020 + (number % 3)}"></span><span data-pagefind-sort="${ORDER_SORT}:${orderValue(positions[offset]!)}"></span>`;
      return index!.addHTMLFile({ url: `/story-${number}/`, content: `<html lang="en"><body><h1>${story}</h1>${tags}<p>${story} ${story}</p></body></html>` });
    }),
  );
  expect((await index!.writeFiles({ outputPath: bundle })).errors).toEqual([]);
  await index!.deleteIndex();
}

/** Every file of a bundle, by its path, with its bytes. */
export async function bundleContents(bundle: string): Promise<Record<string, Buffer>> {
  const files = (await readdir(bundle, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  return Object.fromEntries(await Promise.all(files.map(async (entry) => [path.relative(bundle, path.join(entry.parentPath, entry.name)), await readFile(path.join(entry.parentPath, entry.name))])));
}
