// A gzip file made of pieces compressed on their own, so that a piece a build has compressed
// before is not compressed again. Zopfli, the strongest compressor, spent 1.4 s of a one-article
// build at 10,000 articles on the search index's metadata, most of which no edit changes.
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";

/** Compresses one piece as raw Deflate, its last block marked final (what a compressor writes for a whole file). */
export type Deflate = (piece: Uint8Array) => Promise<Uint8Array>;

// gzip's header, no name nor time: Deflate, slowest compression, Unix.
const GZIP_HEADER = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3);
// An empty stored block, not final, after the 3 bits of its header: it ends a piece on a byte's
// edge, so that the next piece's bits can follow it as they are (what zlib's sync flush writes).
const ALIGNING_BLOCK = Uint8Array.of(0, 0, 0xff, 0xff);
// An empty block of fixed codes, final: it ends the stream after the last piece.
const FINAL_EMPTY_BLOCK = Uint8Array.of(0x03, 0x00);

/**
 * One gzip file of the pieces, one after another: each piece is compressed by `deflate` on its
 * own (it cannot refer back to the pieces before it), or taken from `kept`, by a hash of its
 * bytes, if it was before. The same pieces give the same bytes, with or without `kept`; the
 * pieces as compressed come back by their hashes, for the next call's `kept`.
 */
export async function gzipPieces(pieces: readonly Uint8Array[], deflate: Deflate, kept?: ReadonlyMap<string, Uint8Array>): Promise<{ gzip: Buffer; compressed: Map<string, Uint8Array> }> {
  const parts: Uint8Array[] = [GZIP_HEADER];
  const compressed = new Map<string, Uint8Array>();
  let length = 0;
  let checksum = 0;
  for (const piece of pieces) {
    if (piece.length === 0) continue;
    const key = createHash("sha256").update(piece).digest("base64");
    const part = compressed.get(key) ?? kept?.get(key) ?? openEnded(await deflate(piece));
    compressed.set(key, part);
    parts.push(part);
    length += piece.length;
    checksum = crc32(piece, checksum);
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(checksum >>> 0, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  return { gzip: Buffer.concat([...parts, FINAL_EMPTY_BLOCK, trailer]), compressed };
}

/**
 * A raw Deflate stream changed so that another can follow it: its final block marked not final,
 * and an empty stored block after it to end it on a byte's edge.
 */
export function openEnded(deflated: Uint8Array): Uint8Array {
  const { lastBlock, end } = blockEdges(deflated);
  const bytes = new Uint8Array(Math.ceil((end + 3) / 8) + ALIGNING_BLOCK.length);
  bytes.set(deflated.subarray(0, Math.ceil(end / 8)));
  // The bits after the stream's end, where the stored block's header goes: all zero.
  if (end % 8 !== 0) bytes[end >> 3]! &= (1 << (end % 8)) - 1;
  bytes[lastBlock >> 3]! &= ~(1 << (lastBlock % 8));
  bytes.set(ALIGNING_BLOCK, bytes.length - ALIGNING_BLOCK.length);
  return bytes;
}

/** A Deflate stream that is not whole or not valid. */
export class DeflateFormatError extends Error {
  constructor(problem: string) {
    super(`Not a whole Deflate stream: ${problem}.`);
    this.name = "DeflateFormatError";
  }
}

// What follows each length code (257 on) and distance code: the base and the extra bits (RFC 1951, 3.2.5).
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DISTANCE_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
// The order in which a dynamic block gives the lengths of its code lengths' code.
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** A canonical Huffman code, as decoded: how many codes of each length, and the symbols in code order. */
interface Huffman {
  counts: Uint16Array;
  symbols: Uint16Array;
}

function huffman(lengths: ArrayLike<number>): Huffman {
  const counts = new Uint16Array(16);
  for (let symbol = 0; symbol < lengths.length; symbol++) counts[lengths[symbol]!]!++;
  counts[0] = 0;
  const offsets = new Uint16Array(16);
  for (let length = 1; length < 15; length++) offsets[length + 1] = offsets[length]! + counts[length]!;
  const symbols = new Uint16Array(lengths.length);
  for (let symbol = 0; symbol < lengths.length; symbol++) if (lengths[symbol]) symbols[offsets[lengths[symbol]!]!++] = symbol;
  return { counts, symbols };
}

const FIXED_LITERALS = huffman(Array.from({ length: 288 }, (_, symbol) => (symbol < 144 ? 8 : symbol < 256 ? 9 : symbol < 280 ? 7 : 8)));
const FIXED_DISTANCES = huffman(new Array<number>(30).fill(5));

/**
 * Where the stream's last block starts and where the stream ends, in bits, found by reading every
 * block through (after puff.c, zlib's reference decoder); the data itself is not kept.
 */
export function blockEdges(data: Uint8Array): { lastBlock: number; end: number } {
  let position = 0;
  const bit = () => {
    if (position >= data.length * 8) throw new DeflateFormatError("it ends inside a block");
    const value = (data[position >> 3]! >> (position & 7)) & 1;
    position++;
    return value;
  };
  const bits = (count: number) => {
    let value = 0;
    for (let index = 0; index < count; index++) value |= bit() << index;
    return value;
  };
  const decode = ({ counts, symbols }: Huffman) => {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let length = 1; length < 16; length++) {
      code |= bit();
      const count = counts[length]!;
      if (code < first + count) return symbols[index + code - first]!;
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw new DeflateFormatError("a code is not in its block's table");
  };
  for (;;) {
    const start = position;
    const final = bit();
    const type = bits(2);
    if (type === 0) {
      position = (position + 7) & ~7;
      const length = bits(16);
      if ((bits(16) ^ 0xffff) !== length) throw new DeflateFormatError("a stored block's length is not checked by its complement");
      position += length * 8;
      if (position > data.length * 8) throw new DeflateFormatError("it ends inside a stored block");
    } else if (type === 1 || type === 2) {
      const [literals, distances] = type === 1 ? [FIXED_LITERALS, FIXED_DISTANCES] : dynamicCodes(bits, decode);
      for (let symbol = decode(literals); symbol !== 256; symbol = decode(literals)) {
        if (symbol < 256) continue;
        if (symbol > 285) throw new DeflateFormatError("a length code is out of range");
        bits(LENGTH_EXTRA[symbol - 257]!);
        const distance = decode(distances);
        if (distance > 29) throw new DeflateFormatError("a distance code is out of range");
        bits(DISTANCE_EXTRA[distance]!);
      }
    } else {
      throw new DeflateFormatError("a block is of the reserved type 3");
    }
    if (final) return { lastBlock: start, end: position };
  }
}

/** A dynamic block's codes for literals and lengths, and for distances, read from its header. */
function dynamicCodes(bits: (count: number) => number, decode: (code: Huffman) => number): [Huffman, Huffman] {
  const literalCount = bits(5) + 257;
  const distanceCount = bits(5) + 1;
  const codeLengthCount = bits(4) + 4;
  const codeLengthLengths = new Uint8Array(19);
  for (let index = 0; index < codeLengthCount; index++) codeLengthLengths[CODE_LENGTH_ORDER[index]!] = bits(3);
  const codeLengths = huffman(codeLengthLengths);
  const lengths = new Uint8Array(literalCount + distanceCount);
  for (let index = 0; index < lengths.length; ) {
    const symbol = decode(codeLengths);
    if (symbol < 16) {
      lengths[index++] = symbol;
      continue;
    }
    if (symbol === 16 && index === 0) throw new DeflateFormatError("a length repeats before the first");
    const repeated = symbol === 16 ? lengths[index - 1]! : 0;
    const times = symbol === 16 ? 3 + bits(2) : symbol === 17 ? 3 + bits(3) : 11 + bits(7);
    if (index + times > lengths.length) throw new DeflateFormatError("code lengths run past their count");
    lengths.fill(repeated, index, index + times);
    index += times;
  }
  return [huffman(lengths.subarray(0, literalCount)), huffman(lengths.subarray(literalCount))];
}
