import { renameSync } from "node:fs";
import { copyFile, link, rename, rm } from "node:fs/promises";
import path from "node:path";
import { contentHash, forEachFile, PARTIAL } from "./bundle-files.ts";
import { bundleFile, fragmentName, pagefindHash, type PageEntry } from "./pagefind-format.ts";

/**
 * Pagefind names each page's fragment (the title, text and metadata a result shows) by seven hex
 * digits of its content hash, and the metadata every search fetches lists every page by that
 * name: at 10,000 articles, 46 kB of the metadata's 93 kB, as random digits do not compress.
 * Counted names ("en_4035217e_12") compress to a quarter of that; decimal numbers compress
 * better than shorter base-36 ones. They start with a generation, a hash of all of Pagefind's
 * names (content hashes) in order: a build that changes any page renames every fragment, so that
 * a browser or CDN never pairs a new index with a fragment it kept from an older build, and a
 * build that changes nothing names them the same. The generation is made of the first seven digits
 * of each of Pagefind's names: Pagefind adds digits to a name only when it collides with another
 * in the same index, and the generation must not depend on how the pages were split into shards.
 */
const GENERATION_LENGTH = 8;

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
  const oldNames = pages.map(([name]) => name);
  const taken = new Set(oldNames);
  let names: string[];
  let attempt = 0;
  do {
    const generation = contentHash(Buffer.from(`${attempt++}\n${language}\n${oldNames.map(pagefindHash).join("\n")}`)).slice(0, GENERATION_LENGTH);
    names = pages.map((_, page) => fragmentName(language, generation, newestNumber - page));
  } while (names.some((name) => taken.has(name)));

  const fragmentFile = (name: string) => path.join(bundleDir, bundleFile("fragment", name));
  if (move) await moveAll(names.map((name, page) => [fragmentFiles[page]!, fragmentFile(name)]));
  else await forEachFile(names, (name, page) => linkInPlace(fragmentFiles[page]!, fragmentFile(name)));
  return pages.map(([, words, group, ...rest], page): PageEntry => [names[page]!, words, group, ...rest]);
}

/** Moves per turn of the event loop, so that a thread moving a volume's fragments still answers. */
const MOVES_PER_TURN = 500;

/**
 * Moves each file to its new name, replacing what has that name; across file systems, copies it.
 * Synchronously, a slice at a time: a rename through Node's promise API cost several times the
 * CPU of the system call itself, and there is one per article.
 */
async function moveAll(moves: [from: string, to: string][]): Promise<void> {
  for (let start = 0; start < moves.length; start += MOVES_PER_TURN) {
    for (const [from, to] of moves.slice(start, start + MOVES_PER_TURN)) {
      try {
        renameSync(from, to);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
        await linkInPlace(from, to);
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Gives the file a second name, or where the file system has no hard links a copy, made under a
 * temporary name and renamed into place: a copy cut short by a stop is never taken for the
 * fragment, and a name that is there already (under serve, after an edit is undone) is replaced.
 */
async function linkInPlace(from: string, to: string): Promise<void> {
  const staged = `${to}${PARTIAL}`;
  await rm(staged, { force: true });
  try {
    await link(from, staged);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw error;
    await copyFile(from, staged);
  }
  await rename(staged, to);
}
