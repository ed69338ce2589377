import { linkSync, renameSync } from "node:fs";
import { contentHash, linkInto } from "./bundle-files.ts";
import { bundleFileNamer, fragmentName, pagefindHash, type PageEntry } from "./pagefind-format.ts";

/**
 * Pagefind names each page's fragment (the title, text and metadata a result shows) by seven hex
 * digits of its content hash, and the metadata every search fetches lists every page by that
 * name: at 10,000 articles, 46 kB of the metadata's 93 kB, as random digits do not compress.
 * Counted names ("en_4035217e_12") compress to a quarter of that; decimal numbers compress
 * better than shorter base-36 ones. They start with a generation, a hash of Pagefind's names
 * (content hashes) in order and of their numbers, for every `NAMES_PER_GENERATION` pages counted
 * from the oldest: a build that changes a page renames every fragment of its block, so that a
 * browser or CDN never pairs a new index with a fragment it kept from an older build, and leaves
 * the other blocks' names as they were (and the metadata's pieces that list them,
 * compact-bundle.ts). The generation is made of the first seven digits of each of Pagefind's
 * names: Pagefind adds digits to a name only when it collides with another in the same index, and
 * the generation must not depend on how the pages were split into shards.
 */
const GENERATION_LENGTH = 8;

/** Pages named by one generation: the block of numbers from a multiple of it. */
export const NAMES_PER_GENERATION = 500;

/**
 * Gives each page's fragment, `fragmentFiles[page]`, its counted name in `bundleDir` and returns
 * the pages renamed. The first page, the newest, is numbered `newestNumber` and the others count
 * down from it: the search page orders results from several volumes by the number, which counts
 * the archive's pages from the oldest (archive/volumes.ts). With `move`, the fragments are moved (shards Pagefind wrote
 * elsewhere, removed after the merge: one system call per fragment instead of four, at 100,000
 * articles 300,000 fewer); without, they stay under their old names as well, for the caller to
 * remove once the metadata no longer lists them.
 */
export async function renameFragments(
  bundleDir: string,
  language: string,
  pages: PageEntry[],
  fragmentFiles: string[],
  { newestNumber = pages.length - 1, move = false }: { newestNumber?: number; move?: boolean } = {},
): Promise<PageEntry[]> {
  if (!Number.isInteger(newestNumber) || newestNumber < pages.length - 1) throw new RangeError(`newestNumber must be a whole number of at least ${pages.length - 1} (the pages count down to 0 or more), not ${newestNumber}.`);
  const oldNames = pages.map(([name]) => name);
  const taken = new Set(oldNames);
  const names: string[] = [];
  // The pages of a block are consecutive: counting down, the page numbered a multiple of the
  // block's size is its last.
  for (let first = 0; first < pages.length; ) {
    const end = Math.min(pages.length, first + ((newestNumber - first) % NAMES_PER_GENERATION) + 1);
    // The block's numbers with its pages: the same pages under other numbers (after older
    // articles were deleted) must not take names that meant other pages before.
    const block = `${newestNumber - first}\n${oldNames.slice(first, end).map(pagefindHash).join("\n")}`;
    let attempt = 0;
    let blockNames: string[];
    do {
      const generation = contentHash(Buffer.from(`${attempt++}\n${language}\n${block}`)).slice(0, GENERATION_LENGTH);
      blockNames = Array.from({ length: end - first }, (_, offset) => fragmentName(language, generation, newestNumber - first - offset));
    } while (blockNames.some((name) => taken.has(name)));
    names.push(...blockNames);
    first = end;
  }

  const fragmentFile = bundleFileNamer(bundleDir, "fragment");
  const renames = names.map((name, page): [string, string] => [fragmentFiles[page]!, fragmentFile(name)]);
  // Across file systems a move is a copy; a link that fails for another reason than a missing
  // file (a name there already, under serve; a file system without hard links) is made in place.
  if (move) await placeAll(renames, renameSync, (code) => code === "EXDEV");
  else await placeAll(renames, linkSync, (code) => code !== "ENOENT");
  return pages.map(([, words, group, ...rest], page): PageEntry => [names[page]!, words, group, ...rest]);
}

/** Files placed per turn of the event loop, so that a thread placing a volume's fragments still answers. */
const PLACED_PER_TURN = 500;

/**
 * Gives each file its new name by `place` (a rename, or a link into a new bundle, which has none
 * of the names yet), or where it fails with a code `inPlace` accepts, by `linkInto`: a link, or
 * where the file system has no hard links a copy, made under a temporary name and renamed into
 * place, so that a copy cut short by a stop is never taken for the fragment, and a name that is
 * there already (under serve, after an edit is undone) is replaced. Synchronously, a slice at a
 * time: a rename through Node's promise API cost several times the CPU of the system call itself,
 * `linkInto` makes three, and there is one per article.
 */
async function placeAll(renames: [from: string, to: string][], place: (from: string, to: string) => void, inPlace: (code: string | undefined) => boolean): Promise<void> {
  for (let start = 0; start < renames.length; start += PLACED_PER_TURN) {
    for (const [from, to] of renames.slice(start, start + PLACED_PER_TURN)) {
      try {
        place(from, to);
      } catch (error) {
        if (!inPlace((error as NodeJS.ErrnoException).code)) throw error;
        await linkInto(from, to);
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}
