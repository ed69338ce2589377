import { createHash, randomBytes } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ImageOptions, ImageStat } from "@11ty/eleventy-img";
import type { Metadata } from "sharp";
import type { MediaFile } from "./media.ts";

/** Where encoded pictures are kept between builds, relative to the working folder; safe to delete. */
export const PICTURE_CACHE = ".cache/broadsheet/images";

/** In the picture cache: the hashes of the files beside the articles, so that an unchanged picture is not read (see content-hashes.ts). */
export const FILE_HASHES = "file-hashes.json";

/** The widths a picture is encoded at, those below its own; its own width too, up to the last. */
export const PICTURE_WIDTHS = [400, 800, 1200, 1600, 2000] as const;

/**
 * The most pixels a picture may have. A larger one is most likely a decompression bomb, a small
 * file that would take gigabytes to decode; no photograph on a news page needs more.
 */
export const MAX_PIXELS = 100_000_000;

/** Encoder settings: part of every cached file's name, so a change re-encodes everything. */
const ENCODING = {
  sharpOptions: { limitInputPixels: MAX_PIXELS, failOn: "truncated" },
  sharpJpegOptions: { quality: 78, progressive: true },
  sharpPngOptions: { compressionLevel: 9, palette: true },
  sharpWebpOptions: { quality: 74, effort: 4 },
  sharpAvifOptions: { quality: 55, effort: 2 },
};

/** A picture encoded at several widths, for `<picture>`, `srcset` and `sizes`. */
export interface Picture {
  /** Of the largest encoding, which keeps the picture's proportions. */
  width: number;
  height: number;
  /** The formats to offer, most compact first; the last is the one every browser shows. */
  sources: { type: string; candidates: PictureFile[] }[];
  /** The largest encoding in the last format: what the picture's own URL serves. */
  largest: PictureFile;
}

/** One encoding of a picture, kept in the cache and published at `url`. */
export interface PictureFile {
  /** Site URL without the base path: `/media/Xy3…/boats-800.webp`. */
  url: string;
  /** The file in the cache. */
  cached: string;
  width: number;
  height: number;
  bytes: number;
}

/** A picture that cannot be shown, and why, in words for the person who put it there. */
export class PictureError extends Error {
  override name = "PictureError";
}

/** Formats that are copied as they are: a vector scales itself, and a re-encoded GIF loses its frames. */
const COPIED = new Set(["svg", "gif"]);
/** Formats browsers show, encoded in their own format (and WebP beside JPEG and PNG). */
const ENCODED: Record<string, string[]> = { jpeg: ["webp", "jpeg"], png: ["webp", "png"], webp: ["webp"], heif: ["avif"] };

/**
 * What the cache keeps beside a picture's encodings, written once they all are: enough to publish
 * the picture again without decoding, or even reading, it.
 */
interface CacheRecord {
  /** Shown as it is (SVG, GIF): nothing is encoded. */
  copied?: true;
  width: number;
  height: number;
  widths: number[];
  formats: string[];
}

const RECORD = "picture.json";

type Encoders = { sharp: typeof import("sharp").default; Image: typeof import("@11ty/eleventy-img").default };
let encoders: Promise<Encoders> | undefined;

/** sharp and eleventy-img, loaded when a picture is first met: they take a third of a second to load, which an archive without pictures need not wait for. */
function loadEncoders(): Promise<Encoders> {
  encoders ??= Promise.all([import("sharp"), import("@11ty/eleventy-img")]).then(([sharp, image]) => ({ sharp: sharp.default, Image: image.default }));
  return encoders;
}

/**
 * Names a picture's folder in the cache (and its encodings' URLs): a hash of the file's bytes, the
 * encoder settings and the encoder's version, so that anything that would change an encoding
 * changes the name, and a cache can never hand out an encoding made otherwise.
 */
async function cacheId(file: MediaFile): Promise<string> {
  const { sharp } = await loadEncoders();
  const encoder = { ENCODING, PICTURE_WIDTHS, MAX_PIXELS, sharp: sharp.versions };
  return createHash("sha256").update(file.hash).update(JSON.stringify(encoder)).digest("hex").slice(0, 16);
}

/**
 * Encodes one picture at the widths below its own into `cacheDir`, or leaves it undefined when it
 * is copied as it is (SVG, GIF). A picture encoded before (the same bytes, the same settings) is
 * taken from the cache as it is, without decoding it. Throws a PictureError for a file that is not
 * a picture a browser can show, is cut short, or is too large to decode safely.
 */
export async function encodePicture(file: MediaFile, cacheDir: string): Promise<Picture | undefined> {
  const id = await cacheId(file);
  const name = path.posix.basename(file.url).replace(/\.[^.]*$/, "");
  const cached = readRecord(path.join(cacheDir, id));
  if (cached?.copied) return undefined;
  const stats = cached && cachedEncodings(cacheDir, id, name, cached);
  if (stats) return pictureOf(stats, cached.formats);

  const { sharp } = await loadEncoders();
  let metadata: Metadata;
  try {
    metadata = await sharp(file.source, { limitInputPixels: false }).metadata();
  } catch (cause) {
    throw new PictureError(`is not a picture: its bytes are no image format (a JPEG, PNG, WebP, AVIF, GIF or SVG) but perhaps a web page or a document saved under a picture's name. Save the picture itself in its place.`, { cause });
  }
  const format = metadata.format === "heif" && metadata.compression !== "av1" ? "heic" : metadata.format;
  const width = metadata.autoOrient?.width ?? metadata.width;
  const height = metadata.autoOrient?.height ?? metadata.height;
  if (COPIED.has(format)) {
    await writeRecord(path.join(cacheDir, id), { copied: true, width, height, widths: [], formats: [] });
    return undefined;
  }
  const formats = ENCODED[format];
  if (formats === undefined) {
    throw new PictureError(`is a ${format.toUpperCase()} picture, a format browsers do not show. Save it as JPEG (for photographs) or PNG (for drawings and screenshots) and refer to that file.`);
  }
  if (width * height > MAX_PIXELS) {
    throw new PictureError(
      `is ${width.toLocaleString("en")} × ${height.toLocaleString("en")} pixels, more than the ${MAX_PIXELS / 1_000_000} million pixels Broadsheet decodes (a picture that large is most likely made to exhaust memory). Resize it to at most ${PICTURE_WIDTHS.at(-1)} pixels wide.`,
    );
  }
  const largest = Math.min(width, PICTURE_WIDTHS.at(-1)!);
  const widths = [...PICTURE_WIDTHS.filter((candidate) => candidate < largest), largest];
  const options: ImageOptions = {
    ...ENCODING,
    widths,
    formats,
    minimumThreshold: 1,
    outputDir: cacheDir,
    urlPath: "/media/",
    // eleventy-img remembers results in memory by path and size; under serve an edited picture keeps both.
    sourceHash: file.hash,
    filenameFormat: (_hash, _src, outputWidth, outputFormat) => `${id}/${name}-${outputWidth}.${extension(outputFormat)}`,
  };
  const encoded = await encode(file, cacheDir, id, options);
  await writeRecord(path.join(cacheDir, id), { width, height, widths, formats });
  return pictureOf(encoded, formats);
}

const extension = (format: string) => (format === "jpeg" ? "jpg" : format);

function pictureOf(stats: Record<string, ImageStat[]>, formats: readonly string[]): Picture {
  const sources = formats.map((outputFormat) => ({
    type: `image/${outputFormat}`,
    candidates: (stats[outputFormat] ?? []).map((stat) => ({ url: stat.url, cached: stat.outputPath, width: stat.width, height: stat.height, bytes: stat.size })),
  }));
  const biggest = sources.at(-1)!.candidates.at(-1)!;
  return { width: biggest.width, height: biggest.height, sources, largest: biggest };
}

function readRecord(folder: string): CacheRecord | undefined {
  try {
    return JSON.parse(readFileSync(path.join(folder, RECORD), "utf8")) as CacheRecord;
  } catch {
    return undefined;
  }
}

/** Written last, and whole or not at all: a build stopped half-way leaves no record of encodings it did not finish. */
async function writeRecord(folder: string, record: CacheRecord): Promise<void> {
  await mkdir(folder, { recursive: true });
  const temporary = path.join(folder, `${RECORD}.${process.pid}-${randomBytes(4).toString("hex")}`);
  await writeFile(temporary, JSON.stringify(record));
  await rename(temporary, path.join(folder, RECORD));
}

/**
 * The encodings a record lists, when every one is in the cache still (a file of them deleted by
 * hand is made again). eleventy-img checks this too, but remembers for the life of the process
 * that a file was missing, so a second build in one process (serve, the bench) would encode
 * everything again.
 */
function cachedEncodings(cacheDir: string, id: string, name: string, { widths, formats, width, height }: CacheRecord): Record<string, ImageStat[]> | undefined {
  const stats: Record<string, ImageStat[]> = {};
  for (const format of formats) {
    stats[format] = [];
    for (const outputWidth of widths) {
      const filename = `${id}/${name}-${outputWidth}.${extension(format)}`;
      const outputPath = path.join(cacheDir, filename);
      let size: number;
      try {
        size = statSync(outputPath).size;
      } catch {
        return undefined;
      }
      if (size === 0) return undefined;
      // eleventy-img's rounding of the height, so that cached and fresh encodings say the same.
      const outputHeight = outputWidth === width ? height : Math.floor((outputWidth * height) / width);
      const url = `/media/${filename}`;
      stats[format].push({ format, width: outputWidth, height: outputHeight, url, sourceType: `image/${format}`, srcset: `${url} ${outputWidth}w`, filename, outputPath, size });
    }
  }
  return stats;
}

/** Encodes a picture with eleventy-img; a failure leaves nothing of it in the cache. */
async function encode(file: MediaFile, cacheDir: string, id: string, options: ImageOptions): Promise<Record<string, ImageStat[]>> {
  const { Image } = await loadEncoders();
  try {
    return await Image(file.source, options);
  } catch (cause) {
    // Some encodings may be written before another fails; kept, the next build would take them for
    // good ones. Others may still be being written as the folder is removed, which then fails as
    // not empty (1 run in 3 of test/pictures.test.ts): removed again until it is gone, and an
    // encoding that ends after that finds no folder to write into.
    await rm(path.join(cacheDir, id), { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    const reason = String((cause as Error)?.message ?? cause);
    if (/premature end|truncated|unexpected end|not enough data|corrupt|bad huffman|IDAT|read error/i.test(reason)) {
      throw new PictureError(`is cut short: the file ends before the picture does, most likely because it was copied or uploaded only in part. Copy the picture again from where it came from.`, { cause });
    }
    throw new PictureError(`could not be read as a picture (${reason.split("\n")[0]}). Open it in an image editor and save it again as JPEG or PNG.`, { cause });
  }
}

/** The smallest encoding every browser shows: enough for a thumbnail. */
export function smallestEncoding(picture: Picture): PictureFile {
  return picture.sources.at(-1)!.candidates[0]!;
}
