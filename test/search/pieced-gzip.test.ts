import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { serialize } from "node:v8";
import { constants, deflateRawSync, gunzipSync, gzipSync, inflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compressPieces } from "../../src/search/bundle-files.ts";
import { blockEdges, DeflateFormatError, gzipPieces, openEnded } from "../../src/search/pieced-gzip.ts";

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-pieced-gzip-"));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Text that compresses as the metadata does: names that repeat but for their numbers, with word counts that do not. */
function piece(from: number, count: number): Buffer {
  return Buffer.from(Array.from({ length: count }, (_, offset) => `en_4035217e_${from + offset}:${Math.imul(from + offset, 2654435761) >>> 22};`).join(""));
}

const deflateWithZlib = (options: object) => async (data: Uint8Array) => deflateRawSync(data, options);

describe("a Deflate stream made to be followed", () => {
  test.each([
    ["stored", { level: 0 }],
    ["fixed codes", { strategy: constants.Z_FIXED }],
    ["dynamic codes", { level: 9 }],
    ["several blocks", { level: 1, memLevel: 1 }],
  ])("with %s, another stream after it unpacks to both texts", (_, options) => {
    const first = piece(0, 3000);
    const second = piece(3000, 10);
    const stream = Buffer.concat([openEnded(deflateRawSync(first, options)), openEnded(deflateRawSync(second, options)), Uint8Array.of(0x03, 0x00)]);
    expect(inflateRawSync(stream).equals(Buffer.concat([first, second]))).toBe(true);
  });

  test("a stream cut short is refused, not read past its end", () => {
    const whole = deflateRawSync(piece(0, 500), { level: 9 });
    expect(() => blockEdges(whole.subarray(0, whole.length - 10))).toThrow(DeflateFormatError);
    expect(blockEdges(whole).end).toBeLessThanOrEqual(whole.length * 8);
  });
});

describe("gzip in pieces", () => {
  const pieces = [piece(0, 400), piece(400, 400), Buffer.alloc(0), piece(800, 5)];

  test("unpacks, as gzip, to the pieces one after another", async () => {
    const { gzip } = await gzipPieces(pieces, deflateWithZlib({ level: 9 }));
    expect(gunzipSync(gzip).equals(Buffer.concat(pieces))).toBe(true);
  });

  test("compresses only the pieces it was not given compressed, and gives the same bytes", async () => {
    const deflated: number[] = [];
    const deflate = async (data: Uint8Array) => {
      deflated.push(data.length);
      return deflateRawSync(data, { level: 9 });
    };
    const first = await gzipPieces(pieces, deflate);
    expect(deflated).toHaveLength(3);
    deflated.length = 0;
    const edited = [pieces[0]!, piece(400, 401), pieces[3]!];
    const again = await gzipPieces(edited, deflate, first.compressed);
    // Only the edited piece.
    expect(deflated).toEqual([edited[1]!.length]);
    expect(again.gzip.equals((await gzipPieces(edited, deflate)).gzip)).toBe(true);
    expect(gunzipSync(again.gzip).equals(Buffer.concat(edited))).toBe(true);
  });
});

describe("the metadata, compressed by Zopfli in pieces", () => {
  const pieces = [piece(0, 300), piece(300, 300), piece(600, 20)];

  test("a second build with the kept pieces writes the same bytes as a build without", async () => {
    const kept = { file: path.join(scratch, "kept"), key: "code 1" };
    const alone = await compressPieces(pieces);
    expect(gunzipSync(alone).equals(Buffer.concat(pieces))).toBe(true);
    expect((await compressPieces(pieces, kept)).equals(alone)).toBe(true);
    expect((await compressPieces(pieces, kept)).equals(alone)).toBe(true);
  });

  test("in pieces the size of a metadata's blocks, it is still smaller than zlib's strongest of the whole", async () => {
    const blocks = Array.from({ length: 20 }, (_, block) => piece(block * 500, 500));
    expect((await compressPieces(blocks)).length).toBeLessThan(gzipSync(Buffer.concat(blocks), { level: 9 }).length);
  });

  test("kept pieces are used as they are, not compressed again", async () => {
    const file = path.join(scratch, "kept-by-zlib");
    // Pieces compressed otherwise (by zlib, quickly), kept under the code's key: a build that
    // compressed them again would write Zopfli's bytes instead.
    const { gzip, compressed } = await gzipPieces(pieces, deflateWithZlib({ level: 1 }));
    await writeFile(file, serialize({ key: "code 1", compressed }));
    expect((await compressPieces(pieces, { file, key: "code 1" })).equals(gzip)).toBe(true);
  });

  test("kept pieces that do not unpack to their text, or kept by other code, are compressed again", async () => {
    const alone = await compressPieces(pieces);
    const file = path.join(scratch, "spoilt");
    const { compressed } = await gzipPieces(pieces, deflateWithZlib({ level: 1 }));
    // Each kept piece's bytes swapped with another's: every key is right, the file is not.
    const keys = [...compressed.keys()];
    const spoilt = new Map(keys.map((key, index) => [key, compressed.get(keys[(index + 1) % keys.length]!)!]));
    await writeFile(file, serialize({ key: "code 1", compressed: spoilt }));
    expect((await compressPieces(pieces, { file, key: "code 1" })).equals(alone)).toBe(true);
    // Pieces another compressor made (zlib's, here) are not taken for Zopfli's.
    await writeFile(file, serialize({ key: "code 0", compressed }));
    expect((await compressPieces(pieces, { file, key: "code 1" })).equals(alone)).toBe(true);
  });
});
