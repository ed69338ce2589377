import { createHash } from "node:crypto";
import { readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import type { FilePage } from "./pages.ts";

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
}

/** What became of a reference to a file beside an article. */
export type MediaLookup = { file: MediaFile } | { missing: true } | { outside: true };

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

  constructor(articlesDir: string) {
    this.#root = path.resolve(articlesDir);
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
  lookup(from: string, target: string): MediaLookup {
    const relativePath = path.posix.normalize(path.posix.join(path.posix.dirname(from), target));
    if (relativePath === ".." || relativePath.startsWith("../") || path.posix.isAbsolute(relativePath) || target.includes("\0")) return { outside: true };
    const known = this.#byPath.get(relativePath);
    if (known) return { file: known };
    if (this.#realRoot === undefined) return { missing: true };
    let real: string;
    try {
      real = realpathSync(path.join(this.#root, relativePath));
    } catch {
      return { missing: true };
    }
    if (!real.startsWith(this.#realRoot + path.sep)) return { outside: true };
    if (!statSync(real).isFile()) return { missing: true };
    const bytes = readFileSync(real);
    const hash = createHash("sha256").update(bytes).digest("hex");
    const url = `/media/${hash.slice(0, HASH_LENGTH)}/${safeName(path.posix.basename(relativePath))}`;
    const file = this.#byUrl.get(url) ?? { source: real, relativePath, url, hash, bytes: bytes.length };
    this.#byPath.set(relativePath, file);
    this.#byUrl.set(url, file);
    return { file };
  }

  /** Every file referred to so far, once each, in the order first referred to. */
  files(): MediaFile[] {
    return [...this.#byUrl.values()];
  }

  /** The pages that copy each file referred to into the site. */
  pages(): FilePage[] {
    return this.files().map((file) => ({ kind: "file", url: file.url, render: () => readFileSync(file.source) }));
  }
}

/** A file name as a URL path segment: spaces and other characters a URL cannot hold become `-`. */
function safeName(name: string): string {
  const cleaned = name.normalize("NFC").replace(/[^\p{L}\p{N}._-]+/gu, "-").replace(/^[.-]+/, "");
  return cleaned === "" ? "file" : cleaned;
}
