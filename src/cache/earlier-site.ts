import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, unlinkSync } from "node:fs";
import path from "node:path";
import { identity } from "./build-cache.ts";
import { joinUnder, outputFile } from "./reuse-files.ts";
import { VOCABULARY_FOLDER } from "../../layouts/assets/typos.js";
import { NEWEST_VOLUME, OLDER_VOLUMES } from "../archive/volumes.ts";
import { ASSETS_FOLDER } from "../package.ts";
import { WrittenKeys, type StoredWrittenKeys } from "./written-keys.ts";

/**
 * The site a build replaced, kept in the cache (`EARLIER_SITE`) with the key of every page it was
 * written with, to become the next build's staging folder: the pages whose key is the same stay
 * where they are, and only the others are removed and written or linked again, where a fresh
 * staging folder would have every file linked and every folder made, and the site it replaced
 * removed (figures in the README, "Speed and size").
 */
export interface StoredEarlierSite {
  /** The kept folder's identity (build-cache.ts) once it was in place: another folder there is not trusted. */
  identity: string;
  /**
   * The key of each page it holds ("" for one without a key, written every build), as the build
   * that wrote it recorded them: stored against the keys of the site that replaced it, or whole
   * when its pages are not that site's, in the same order (`WrittenKeys.storedAgainst`).
   */
  keys: StoredWrittenKeys;
  /** The key of each volume of its search index, by folder (src/search/index.ts). */
  search: ReadonlyMap<string, string>;
}

/** The kept site's folder, inside the cache of its output folder. */
export const EARLIER_SITE = "earlier-site";

/**
 * The folder of a site that a build writes whole, whatever the earlier site holds: the stylesheet
 * and scripts Eleventy copies. It is set aside before anything is written into the staging folder.
 */
const WRITTEN_WHOLE = ASSETS_FOLDER;

/** An earlier site taken to be a build's staging folder, until the build knows which of its pages stay. */
export class EarlierSite {
  /**
   * Whether each page of the build stays, by its place in the build's pages (`settle`): every
   * other file of the earlier site is gone once `settle` has run.
   */
  private staying = new Uint8Array();

  /** How many pages stay. */
  private stayingCount = 0;

  /** Files and folders of its search index set aside so far. */
  private setAsideCount = 0;

  /**
   * The volumes of its search index it still holds as this build makes them, by folder, with
   * their keys, once `placeSearch` has set aside the others; undefined before.
   */
  private searchHeld: ReadonlyMap<string, string> | undefined;

  /** Folders of pages set aside whole so far (`settle`). */
  private foldersSetAside = 0;

  private constructor(
    private readonly folder: string,
    private readonly stored: StoredEarlierSite,
    private readonly keys: WrittenKeys,
    private readonly aside: string,
  ) {}

  /**
   * Moves the earlier site kept at `kept` to `stagingDir`, and its folder written whole into
   * `aside`, a folder made for what is to be removed: undefined, with nothing moved, when the kept
   * folder is not the one `stored` describes (its keys stored against `site`'s, the site in the output
   * folder, by `WrittenKeys.storedAgainst`). Nothing may be written into the staging folder
   * before this: the earlier site's files share their contents with the site in the output folder.
   */
  static take(kept: string, stored: StoredEarlierSite | undefined, stagingDir: string, aside: string, site: WrittenKeys): EarlierSite | undefined {
    const keys = WrittenKeys.read(stored?.keys, site);
    if (stored === undefined || keys === undefined || identity(kept) !== stored.identity) return undefined;
    try {
      renameSync(kept, stagingDir);
    } catch {
      return undefined;
    }
    mkdirSync(aside);
    if (existsSync(path.join(stagingDir, WRITTEN_WHOLE))) renameSync(path.join(stagingDir, WRITTEN_WHOLE), path.join(aside, WRITTEN_WHOLE));
    return new EarlierSite(stagingDir, stored, keys, aside);
  }

  /** Whether the earlier site, as stored, holds the search volume in `folder` as made under `key`: asked before `placeSearch`. */
  holdsVolume(folder: string, key: string): boolean {
    return this.stored.search.get(folder) === key;
  }

  /**
   * Sets aside the files of each search volume of this build's index that it does not hold as the
   * build makes it (not those of the volumes inside the newest one's folder), and the word lists
   * unless `keepVocabulary`: they are merged again or linked from the output folder, as new
   * files. Before the index writes anything. The volumes held are from then on all it is said to
   * hold (`holds`): the index removes any volume folder beyond its own, and may write the word
   * lists anew.
   */
  placeSearch(volumes: readonly { folder: string; key: string; held: boolean }[], keepVocabulary: boolean): void {
    const own = (folder: string) => {
      const names = readdirSync(joinUnder(this.folder, folder));
      return folder === NEWEST_VOLUME ? names.filter((name) => name !== OLDER_VOLUMES && name !== VOCABULARY_FOLDER) : names;
    };
    const moves = volumes.flatMap(({ folder, held }) => (!held && existsSync(joinUnder(this.folder, folder)) ? own(folder).map((name) => path.join(folder, name)) : []));
    if (!keepVocabulary && existsSync(joinUnder(this.folder, `${NEWEST_VOLUME}${VOCABULARY_FOLDER}`))) moves.push(`${NEWEST_VOLUME}${VOCABULARY_FOLDER}`);
    for (const file of moves) renameSync(joinUnder(this.folder, file), path.join(this.aside, `search-${this.setAsideCount++}`));
    this.searchHeld = new Map(volumes.filter(({ held }) => held).map(({ folder, key }) => [folder, key]));
  }

  /**
   * What the earlier site holds now, before `settle`: its pages as stored, and its search volumes
   * as stored or, once placed (`placeSearch`), those it still holds. Its word lists are taken to
   * be held only with every volume of a build's index (`placeVolumes` in build.ts), which is then
   * the index they were made from; with any volume not held, they are not.
   */
  get holds(): StoredEarlierSite {
    return this.searchHeld === undefined ? this.stored : { ...this.stored, search: this.searchHeld };
  }

  /**
   * Leaves in the staging folder the pages whose key is the one the earlier site wrote them with
   * (the build's pages by their URLs, `urls`, and their `keys`, in the site's order),
   * and removes every other file it holds, with the folders that held nothing else: a page that
   * changed is then written as a new file, never into one the site in the output folder shares.
   * When many pages go (`STAYING_PER_REMOVED`), a folder none of whose pages stay, other than the
   * search index's, goes aside whole, to be removed after the build: a new article changes every
   * page of the listings (`/page/N/`, 10,000 folders at 100,000 articles), and removing their
   * files one by one took 1.2 to 3.2 s of the build, their entries read back from the disk, where
   * Eleventy made their folders anew in 0.36 s (and wrote the new files in 0.9 s, against 1.5 s
   * into the old folders).
   */
  settle(urls: readonly string[], keys: readonly (string | undefined)[]): void {
    // Where each page is in the earlier site, by place, when its pages are this build's in the same order (an edit).
    const places = this.keys.inOrder(urls) ? undefined : this.keys.placesOf(urls);
    const earlierCount = this.keys.size;
    /** By the earlier site's places: whether the page stays, and whether this build has it at all. */
    const stays = new Uint8Array(earlierCount);
    const stillHad = new Uint8Array(earlierCount).fill(places ? 0 : 1);
    this.staying = new Uint8Array(urls.length);
    this.stayingCount = 0;
    urls.forEach((url, index) => {
      const place = places ? places[index]! : index;
      if (place < 0) return;
      stillHad[place] = 1;
      const key = keys[index];
      if (key === undefined || this.keys.keyAt(place) !== key || writtenWhole(url)) return;
      this.staying[index] = 1;
      stays[place] = 1;
      this.stayingCount++;
    });
    const earlierUrls = this.keys.urls();
    const leaving: number[] = [];
    stays.forEach((stay, place) => stay === 0 && leaving.push(place));
    const wholeFolders = leaving.length * STAYING_PER_REMOVED > this.stayingCount ? this.foldersLeaving(leaving.map((place) => earlierUrls[place]!), urls.filter((_, index) => this.staying[index] === 1)) : new Set<string>();
    for (const folder of wholeFolders) {
      try {
        renameSync(joinUnder(this.folder, folder), path.join(this.aside, `pages-${this.foldersSetAside++}`));
      } catch (error) {
        // Gone already, as a file may be (the folder written whole is set aside when the site is taken).
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }
    for (const place of leaving) {
      const file = outputFile(earlierUrls[place]!);
      if (wholeFolders.size > 0 && insideAny(file, wholeFolders)) continue;
      const target = joinUnder(this.folder, file);
      try {
        unlinkSync(target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
      // A page this build no longer has leaves no empty folder behind, as a build from nothing would not.
      if (stillHad[place] === 0) removeEmptyFolders(path.dirname(target), this.folder);
    }
  }

  /**
   * The outermost folders (relative) that hold files of `leaving` pages and no page that stays:
   * every file in them goes. Never the search index's, which holds no pages and may stay.
   */
  private foldersLeaving(leaving: readonly string[], staying: readonly string[]): Set<string> {
    // Each folder that holds a page that stays, marked up from the page until a folder is met that is marked already.
    const holdsStaying = new Set<string>([""]);
    for (const url of staying) {
      for (let folder = parentOf(outputFile(url)); !holdsStaying.has(folder); folder = parentOf(folder)) holdsStaying.add(folder);
    }
    const whole = new Set<string>();
    for (const url of leaving) {
      let folder = parentOf(outputFile(url));
      if (holdsStaying.has(folder)) continue;
      while (!holdsStaying.has(parentOf(folder))) folder = parentOf(folder);
      if (!isSearchFolder(folder)) whole.add(folder);
    }
    return whole;
  }

  /** Whether the page at `place` in the build's pages stays as the earlier site wrote it (after `settle`). */
  stays(place: number): boolean {
    return this.staying[place] === 1;
  }

  /** Pages that stayed. */
  get pagesKept(): number {
    return this.stayingCount;
  }
}

/**
 * Keeps `replaced`, the site a build has just replaced, at `kept` for the next build; its
 * identity there, or undefined when it cannot be moved (another file system, a folder in the way):
 * the caller then removes it.
 */
export function keepEarlierSite(replaced: string, kept: string): string | undefined {
  try {
    renameSync(replaced, kept);
  } catch {
    return undefined;
  }
  return identity(kept);
}

/**
 * `settle` looks for folders to set aside whole only when more than one page in this many of those
 * that stay is removed: finding them means marking the folder of every page that stays, about a
 * microsecond each (0.13 s for 165,000 at 100,000 articles), where removing a file one by one took
 * 70 to 300 µs.
 */
const STAYING_PER_REMOVED = 100;

/** The folder (relative, `a/b`) that holds `file` (`a/b/index.html`); "" for the site's own folder. */
function parentOf(file: string): string {
  const slash = file.lastIndexOf("/");
  return slash < 0 ? "" : file.slice(0, slash);
}

/** Whether `file` (relative) is below one of `folders`. */
function insideAny(file: string, folders: ReadonlySet<string>): boolean {
  for (let folder = parentOf(file); folder !== ""; folder = parentOf(folder)) if (folders.has(folder)) return true;
  return false;
}

/** Whether `folder` (relative) is the search index's or inside it. */
function isSearchFolder(folder: string): boolean {
  return `${folder}/`.startsWith(NEWEST_VOLUME);
}

/** Whether the page at `url` is in the folder set aside (the logo, in `/assets/`): it is never where the earlier site had it. */
function writtenWhole(url: string): boolean {
  return url.startsWith(`/${WRITTEN_WHOLE}/`);
}

/** Removes `folder` and each parent up to `root` (not included) while they are empty. */
function removeEmptyFolders(folder: string, root: string): void {
  for (let current = folder; current.length > root.length && current.startsWith(root); current = path.dirname(current)) {
    try {
      rmdirSync(current);
    } catch {
      // Not empty, or gone: its parents hold it or something else.
      return;
    }
  }
}
