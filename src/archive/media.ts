import { readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { error, type Problem } from "../problems.ts";
import type { FilePage } from "./pages.ts";
import { ContentHashes } from "./content-hashes.ts";
import { encodePicture, PictureError, type Picture } from "./pictures.ts";
import { isHiddenPath } from "../files-below.ts";

/** A file beside the articles (a picture, a PDF, a recording) that an article refers to. */
export interface MediaFile {
  /** The file's real path on disk, inside the articles folder. */
  source: string;
  /** Its path inside the articles folder, with forward slashes: `2024/harbour-fire/boats.jpg`. */
  relativePath: string;
  /** Site URL without the base path: `/media/3f2a9c01b7de/boats.jpg`. */
  url: string;
  /** Hex SHA-256 of the file's bytes. */
  hash: string;
  bytes: number;
  /** The articles (their files, as messages name them) that show it as a picture. */
  shownBy: string[];
  /** Its encodings at several widths, once encoded; none for a file shown as it is (SVG, GIF) or only linked to. */
  picture?: Picture;
}

/**
 * What became of a reference to a file beside an article. A file in a hidden folder, or hidden
 * itself, is not read: no build reads hidden entries, nor watches them for changes (files-below.ts).
 */
export type MediaLookup = { file: MediaFile } | { missing: true } | { outside: true } | { hidden: true };

/** Where a path looked up leads, as far as a lookup's answer goes: to no file, out of the articles folder, or inside it. */
export type PathLeads = "nowhere" | "outside" | "inside";

/** A path two lookups in one build found leading to different places: no later lookup is the same. */
export const ANSWERED_OTHERWISE = "answered otherwise";

/** Where the lookups of one path found it led (`PathLeads`), or `ANSWERED_OTHERWISE`. */
export type RecordedLeads = PathLeads | typeof ANSWERED_OTHERWISE;

/**
 * Where the absolute path `looked` leads, past every link, for the articles folder whose real
 * path is `realRoot`: a path that led out of the folder through a link (`MediaFiles.pathsRead`'s
 * `beyond`) is answered again as it leads now.
 */
export function whereLeads(looked: string, realRoot: string): PathLeads {
  let real: string;
  try {
    real = realpathSync(looked);
  } catch {
    return "nowhere";
  }
  return real.startsWith(realRoot + path.sep) ? "inside" : "outside";
}

/** How many hex digits of the content hash name a file's folder: enough that no two files meet. */
const HASH_LENGTH = 12;

/**
 * The files beside the articles that the site publishes: only those an article refers to, each at
 * `/media/<hash of its bytes>/<its name>`. The address changes when the file does, so a browser or
 * CDN may keep it forever; the same file referred to from two articles is published once.
 * One instance belongs to one build (or one `serve`), which owns its list.
 */
export class MediaFiles {
  readonly #root: string;
  readonly #realRoot: string | undefined;
  readonly #byPath = new Map<string, MediaFile>();
  readonly #byUrl = new Map<string, MediaFile>();
  /** The files shown as pictures that encodePictures has seen, encoded or not (SVG, GIF). */
  readonly #looked = new Set<MediaFile>();
  /**
   * Paths inside the folder looked up that led to no file there (missing, a folder, or out through
   * a link), relative, with where the lookup found each led (`ANSWERED_OTHERWISE` when two
   * lookups of one path found otherwise).
   */
  readonly #notFound = new Map<string, RecordedLeads>();

  readonly #hashes: ContentHashes;

  /** `hashes` remembers the files' hashes between builds; by default each file is read and hashed. */
  constructor(articlesDir: string, hashes = new ContentHashes()) {
    this.#root = path.resolve(articlesDir);
    this.#hashes = hashes;
    try {
      this.#realRoot = realpathSync(this.#root);
    } catch {
      this.#realRoot = undefined;
    }
  }

  /**
   * The file that `target` (a decoded path, relative to the article's own file `from`, both with
   * forward slashes) names. A path that leaves the articles folder, directly or through a
   * symbolic link, is refused before anything outside is read.
   */
  lookup(from: string, target: string, shownBy?: string): MediaLookup {
    const found = this.#find(from, target);
    if ("file" in found && shownBy !== undefined && !found.file.shownBy.includes(shownBy)) found.file.shownBy.push(shownBy);
    return found;
  }

  #find(from: string, target: string): MediaLookup {
    const relativePath = path.posix.normalize(path.posix.join(path.posix.dirname(from), target));
    if (relativePath === ".." || relativePath.startsWith("../") || path.posix.isAbsolute(relativePath) || target.includes("\0")) return { outside: true };
    if (isHiddenPath(relativePath)) return { hidden: true };
    const known = this.#byPath.get(relativePath);
    if (known) return { file: known };
    if (this.#realRoot === undefined) return { missing: true };
    // Whatever the answer, a file made at this path, or on the way to it, may change it.
    const notFound = <T extends MediaLookup>(answer: T): T => {
      const leads = "outside" in answer ? "outside" : "missing" in answer ? "nowhere" : "inside";
      const before = this.#notFound.get(relativePath);
      this.#notFound.set(relativePath, before === undefined || before === leads ? leads : ANSWERED_OTHERWISE);
      return answer;
    };
    let real: string;
    try {
      real = realpathSync(path.join(this.#root, relativePath));
    } catch {
      return notFound({ missing: true });
    }
    if (!real.startsWith(this.#realRoot + path.sep)) return notFound({ outside: true });
    // Reached through a link into a hidden folder: as hidden as the folder.
    if (isHiddenPath(path.relative(this.#realRoot, real).split(path.sep).join("/"))) return notFound({ hidden: true });
    if (!statSync(real).isFile()) return notFound({ missing: true });
    const { hash, bytes } = this.#hashes.hash(real);
    const url = `/media/${hash.slice(0, HASH_LENGTH)}/${safeName(path.posix.basename(relativePath))}`;
    const file = this.#byUrl.get(url) ?? { source: real, relativePath, url, hash, bytes, shownBy: [] };
    this.#byPath.set(relativePath, file);
    this.#byUrl.set(url, file);
    return { file };
  }

  /**
   * Every path inside the articles folder that the lookups so far depend on, absolute, as the
   * folder is named: the files found, by each path that leads to each (the path looked up, and its
   * real path taken into the folder), with the hash of its bytes as looked up; the paths looked up
   * that found no file (`sought`), with where each would really be; and every folder on the way to
   * any of them (one may be a link). A file made anywhere else in the folder changes no answer.
   * A path that leads out of the folder through a link is not among them (no stamp of the
   * folder sees a file made or removed out there): it is in `beyond`, by where its lookups found
   * it led.
   */
  pathsRead(): { folders: string[]; files: Map<string, string>; sought: string[]; beyond: [path: string, leads: RecordedLeads][] } {
    const folders = new Set<string>();
    const files = new Map<string, string>();
    const sought = new Set<string>();
    const beyond: [string, RecordedLeads][] = [];
    const onTheWay = (inside: string) => {
      for (let at = path.posix.dirname(inside); at !== "."; at = path.posix.dirname(at)) folders.add(path.join(this.#root, at));
    };
    for (const [relativePath, file] of this.#byPath) {
      onTheWay(relativePath);
      // By the path looked up, and by its real path taken into the folder as named (as a stamp
      // names it): the two differ when the way to the file, or to the folder, passes through a link.
      files.set(path.join(this.#root, relativePath), file.hash);
      if (this.#realRoot !== undefined) files.set(path.join(this.#root, path.relative(this.#realRoot, file.source)), file.hash);
    }
    for (const [relativePath, leads] of this.#notFound) {
      onTheWay(relativePath);
      // Where the path would really be: the path itself, unless a link is on the way.
      const place = this.#realPlace(relativePath);
      if (place === undefined) {
        // Where the lookup found it led, not where it leads now: a file made out there since is
        // then what the next build finds changed.
        if (this.#realRoot !== undefined) beyond.push([path.join(this.#root, relativePath), leads]);
        continue;
      }
      onTheWay(place);
      sought.add(path.join(this.#root, place));
    }
    beyond.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { folders: [...folders].sort(), files, sought: [...sought].sort(), beyond };
  }

  /**
   * Where a path that found no file would really be, inside the folder (forward slashes): its
   * nearest folder that is there, by its real path (past any link), with the rest of the path.
   * A file made there, through a link on the way, is what the path would then find. Undefined
   * when that folder is outside the articles folder.
   */
  #realPlace(relativePath: string): string | undefined {
    let rest = "";
    for (let at = relativePath; ; at = path.posix.dirname(at)) {
      const name = at === "." ? "" : at;
      try {
        const real = realpathSync(path.join(this.#root, name));
        if (real !== this.#realRoot && !real.startsWith(this.#realRoot + path.sep)) return undefined;
        const inside = path.relative(this.#realRoot!, real).split(path.sep).join("/");
        return [inside, rest].filter((part) => part !== "").join("/");
      } catch {
        if (name === "") return undefined;
        rest = rest === "" ? path.posix.basename(at) : `${path.posix.basename(at)}/${rest}`;
      }
    }
  }

  /** Every file referred to so far, once each, in the order first referred to. */
  files(): MediaFile[] {
    return [...this.#byUrl.values()];
  }

  /** Whether a file is shown as a picture that has not been encoded: an edit under serve referred to it first. */
  hasUnencodedPictures(): boolean {
    return this.files().some((file) => file.shownBy.length > 0 && !this.#looked.has(file));
  }

  /**
   * Encodes every file shown as a picture at several widths, into `cacheDir` (see pictures.ts).
   * A file that cannot be shown is an error for each article that shows it.
   */
  async encodePictures(cacheDir: string): Promise<Problem[]> {
    const problems: Problem[] = [];
    await Promise.all(
      this.files()
        .filter((file) => file.shownBy.length > 0)
        .map(async (file) => {
          this.#looked.add(file);
          try {
            file.picture = await encodePicture(file, cacheDir);
          } catch (cause) {
            if (!(cause instanceof PictureError)) throw cause;
            const shown = path.relative(process.cwd(), file.source).split(path.sep).join("/");
            for (const article of file.shownBy) problems.push(error(article, `shows the picture ${shown}, which ${cause.message}`));
          }
        }),
    );
    return problems;
  }

  /**
   * The pages that copy each file referred to into the site. A picture's own URL serves its
   * largest encoding, without the camera's metadata, so a link to it or a feed's enclosure still
   * works; its other encodings are published beside it.
   */
  pages(): FilePage[] {
    return this.files().flatMap((file): FilePage[] => {
      const picture = file.picture;
      // The content hash and the encoding say what the bytes are, so a build can reuse the file.
      if (picture === undefined) return [copyPage(file.url, file.source, false, file.hash)];
      const encodings = picture.sources.flatMap((source) => source.candidates);
      return [
        copyPage(file.url, picture.largest.cached, true, [file.hash, picture.largest.cached]),
        ...encodings.map((encoding) => copyPage(encoding.url, encoding.cached, true, [file.hash, encoding.cached])),
      ];
    });
  }
}

/** A page that is the bytes of a file on disk. */
function copyPage(url: string, file: string, immutable: boolean, inputs: unknown): FilePage {
  return { kind: "file", url, render: () => readFileSync(file), copyOf: { file, immutable }, inputs };
}

/** A file name as a URL path segment: spaces and other characters a URL cannot hold become `-`. */
function safeName(name: string): string {
  const cleaned = name.normalize("NFC").replace(/[^\p{L}\p{N}._-]+/gu, "-").replace(/^[.-]+/, "");
  return cleaned === "" ? "file" : cleaned;
}
