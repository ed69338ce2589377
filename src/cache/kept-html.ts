import { randomBytes } from "node:crypto";
import { isWellFormed, openingKey } from "../archive/related.ts";
import { BUCKETS } from "./article-cache.ts";
import type { BuildCache } from "./build-cache.ts";
import { LONG_TEXT, textDigest } from "./page-keys.ts";

/**
 * Where a rendered body is kept in the build cache, in the file of its bucket's bodies, with what
 * a build needs of it without reading it: what the page keys hash of it (its length and digest),
 * what the related lists' key hashes of it (its opening's key), and whether it may show a file
 * beside the articles, which the build rewrites with the pictures' encodings.
 */
export interface HtmlPlace {
  /** The file's token: each write of a bucket's bodies has its own. */
  token: string;
  /** Where its UTF-8 starts, after the token, and how many bytes. */
  at: number;
  bytes: number;
  /** Its length in UTF-16 units, and its digest as the page keys make it (page-keys.ts). */
  length: number;
  digest: string;
  opening: string;
  mayShowMedia: boolean;
}

const TOKEN_BYTES = 8;

/**
 * A rendered body that stays in the build cache until a page or a search record shows it. At
 * 100,000 articles the bodies are 311 million characters, about 420 MB of memory as strings, and a
 * one-body build needs a few hundred of them: every other article is hashed, sorted, listed and
 * linked by what the cache kept of it (`HtmlPlace`). Only long bodies, as the page keys hash them
 * (`LONG_TEXT`), are kept so: a key is the same whether the body is here or in memory.
 */
export class KeptHtml {
  constructor(
    private place: HtmlPlace,
    private readonly bucket: string,
    private readonly files: BodyFiles,
  ) {}

  get length(): number {
    return this.place.length;
  }

  get digest(): string {
    return this.place.digest;
  }

  /** The key of its opening, as related.ts's `termsKey` hashes it. */
  get opening(): string {
    return this.place.opening;
  }

  /** Whether it may show a file beside the articles (it holds `media/`). */
  get mayShowMedia(): boolean {
    return this.place.mayShowMedia;
  }

  /**
   * The body, read from the cache; its digest is checked, so that a body read is the body hashed.
   * When a file no longer holds it (damaged, or written meanwhile by a build with other settings),
   * none of the files is trusted: they are removed before the error is thrown, so that the next
   * build renders every body again rather than fail on the next damaged one.
   */
  text(): string {
    const bytes = this.files.read(this.bucket, this.place);
    const text = bytes?.toString("utf8");
    if (text === undefined || text.length !== this.place.length || textDigest(text) !== this.place.digest) {
      const file = this.files.describe(this.bucket);
      this.files.forgetAll();
      throw new Error(`${file} in the build cache no longer holds the rendered article body the build kept there (was it damaged, or written meanwhile by another build?). The rendered bodies the cache kept are removed, so that the next build renders them again: build again.`);
    }
    return text;
  }

  /** Kept at another place of the same body, once the bucket's file is written again. */
  moveTo(place: HtmlPlace): void {
    this.place = place;
  }
}

/** An article's rendered body as an entry of the cache stores it: as it is when short, else where it is kept. */
export type StoredHtml = string | HtmlPlace;

/**
 * The files of the articles' rendered bodies, one per bucket of the article cache
 * (article-cache.ts), each written whole with a token of its own that every place in it names: a
 * place whose token is not its file's is never read, and the body is rendered again.
 */
export class BodyFiles {
  /** Each bucket's file's token and length, once asked: undefined when it is missing or of another key. */
  private readonly files = new Map<string, { token: string; length: number } | undefined>();

  constructor(private readonly cache: BuildCache) {}

  /** Whether the body at `place` can be read: its bucket's file is the one it was written to, and whole. */
  holds(bucket: string, place: HtmlPlace): boolean {
    if (!this.files.has(bucket)) {
      const token = this.cache.readBytesAt(partOf(bucket), 0, TOKEN_BYTES)?.toString("hex");
      const length = this.cache.bytesLength(partOf(bucket));
      this.files.set(bucket, token === undefined || length === undefined ? undefined : { token, length });
    }
    const file = this.files.get(bucket);
    return file !== undefined && file.token === place.token && TOKEN_BYTES + place.at + place.bytes <= file.length;
  }

  /** Removes every bucket's file: none of their bodies is trusted any more. */
  forgetAll(): void {
    for (const bucket of BUCKETS) {
      this.cache.removeBytes(partOf(bucket));
      this.files.set(bucket, undefined);
    }
  }

  read(bucket: string, place: HtmlPlace): Buffer | undefined {
    return this.cache.readBytesAt(partOf(bucket), TOKEN_BYTES + place.at, place.bytes);
  }

  describe(bucket: string): string {
    return this.cache.bytesFileOf(partOf(bucket));
  }

  /**
   * Writes the bodies of a bucket's entries into its file, anew, and gives each long one as its
   * place there; the bodies kept at places in the file before are moved to their new places, so
   * that the model, which may be used after the build (serve), reads them still.
   */
  store(bucket: string, bodies: readonly (string | KeptHtml)[]): (StoredHtml | undefined)[] {
    const token = randomBytes(TOKEN_BYTES);
    const parts: Buffer[] = [token];
    const places: (StoredHtml | undefined)[] = [];
    let at = 0;
    for (const body of bodies) {
      // One no longer in the file (damaged) is left out: its entry is stored without it, to be rendered again.
      const text = typeof body === "string" ? body : readOrUndefined(body);
      if (text === undefined) {
        places.push(undefined);
        continue;
      }
      // A short body goes into its entry, as a text the page keys hash as it is; one with half a
      // character (a lone surrogate) too, which UTF-8 cannot hold.
      if (text.length < LONG_TEXT || !isWellFormed(text)) {
        places.push(text);
        continue;
      }
      const bytes = Buffer.from(text, "utf8");
      const place = {
        token: token.toString("hex"),
        at,
        bytes: bytes.length,
        length: text.length,
        digest: typeof body === "string" ? textDigest(text) : body.digest,
        opening: typeof body === "string" ? openingKey(text) : body.opening,
        mayShowMedia: text.includes("media/"),
      };
      parts.push(bytes);
      places.push(place);
      at += bytes.length;
    }
    this.cache.writeBytes(partOf(bucket), parts);
    this.files.set(bucket, { token: token.toString("hex"), length: TOKEN_BYTES + at });
    bodies.forEach((body, index) => {
      const place = places[index];
      if (body instanceof KeptHtml && place !== undefined && typeof place !== "string") body.moveTo(place);
    });
    return places;
  }
}

function readOrUndefined(body: KeptHtml): string | undefined {
  try {
    return body.text();
  } catch {
    return undefined;
  }
}

function partOf(bucket: string): string {
  return `article-html-${bucket}`;
}
