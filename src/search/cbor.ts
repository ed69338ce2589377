// CBOR's major types.
const MAJOR_UINT = 0;
const MAJOR_NEGATIVE = 1;
const MAJOR_TEXT = 3;
const MAJOR_ARRAY = 4;

/**
 * Steps through CBOR items with definite lengths, the only kind it reads. Data that is not what
 * the caller expects is reported by the caller's `fail`, which turns a problem ("an array was
 * expected at byte 12") into the error to throw.
 */
export class CborReader {
  position = 0;
  /** The argument of the head `head` read last. */
  private argument = 0;
  private readonly view: DataView;

  constructor(
    readonly data: Uint8Array,
    private readonly fail: (problem: string) => Error,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  /** The data is not what was expected: `problem` says how. */
  formatError(problem: string): Error {
    return this.fail(problem);
  }

  get atEnd(): boolean {
    return this.position >= this.data.length;
  }

  arrayLength(): number {
    const start = this.position;
    if (this.head() !== MAJOR_ARRAY) throw this.fail(`an array was expected at byte ${start}`);
    return this.argument;
  }

  /** A whole number, negative or not. */
  integer(): number {
    const start = this.position;
    const major = this.head();
    if (major === MAJOR_UINT) return this.argument;
    if (major === MAJOR_NEGATIVE) return -1 - this.argument;
    throw this.fail(`a number was expected at byte ${start}`);
  }

  /** Where a text item's UTF-8 bytes start and end, without decoding them. */
  textBytes(): [start: number, end: number] {
    const at = this.position;
    if (this.head() !== MAJOR_TEXT) throw this.fail(`a text was expected at byte ${at}`);
    const start = this.position;
    this.position += this.argument;
    if (this.position > this.data.length) throw this.fail("it ends in the middle of an item");
    return [start, this.position];
  }

  /** Steps over one whole item, whatever it holds. */
  skip(): void {
    const major = this.head();
    const argument = this.argument;
    if (major === 2 || major === MAJOR_TEXT) this.position += argument;
    else if (major === MAJOR_ARRAY) for (let item = 0; item < argument; item++) this.skip();
    else if (major === 5) for (let item = 0; item < 2 * argument; item++) this.skip();
    else if (major === 6) this.skip();
    if (this.position > this.data.length) throw this.fail("it ends in the middle of an item");
  }

  /**
   * Reads an item's head: returns its major type, and leaves its argument (a value, a length or a
   * count) in `argument`. Not returned as a pair: a merge reads a head for every word location of
   * every shard, and making a pair for each cost a sixth of merging the words of 10,000 articles.
   */
  private head(): number {
    if (this.position >= this.data.length) throw this.fail("it ends in the middle of an item");
    const initial = this.data[this.position++]!;
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (info < 24) {
      this.argument = info;
      return major;
    }
    const start = this.position;
    if (info === 24) this.position += 1;
    else if (info === 25) this.position += 2;
    else if (info === 26) this.position += 4;
    else if (info === 27) this.position += 8;
    else throw this.fail(`byte ${start - 1} starts an item of indefinite length`);
    if (this.position > this.data.length) throw this.fail("it ends in the middle of an item");
    if (info === 24) this.argument = this.view.getUint8(start);
    else if (info === 25) this.argument = this.view.getUint16(start);
    else if (info === 26) this.argument = this.view.getUint32(start);
    else this.argument = Number(this.view.getBigUint64(start));
    return major;
  }
}

// A word may begin with U+FEFF, which Pagefind keeps inside words: stripped as a byte order mark,
// two words ("ferri" and "\uFEFFferri") would read as one.
const textDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** UTF-8 bytes as text; bytes that are not UTF-8 are an error, as they would be to Pagefind. */
export function utf8(bytes: Uint8Array): string {
  return textDecoder.decode(bytes);
}

/** Writes CBOR items into one growing buffer, in the shortest forms (as Pagefind does). */
export class CborWriter {
  private buffer = new Uint8Array(1024);
  private length = 0;

  arrayHeader(count: number): this {
    return this.head(MAJOR_ARRAY, count);
  }

  uint(value: number): this {
    return this.head(MAJOR_UINT, value);
  }

  /** Bytes that are CBOR already, such as items copied from another file. */
  raw(bytes: Uint8Array): this {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }

  /**
   * The bytes of `data` from `start` to `end`, CBOR already: a page of a word, copied for each
   * page of each word of a merge, without a view made of each.
   */
  rawRange(data: Uint8Array, start: number, end: number): this {
    this.reserve(end - start);
    const { buffer } = this;
    let at = this.length;
    for (let from = start; from < end; from++) buffer[at++] = data[from]!;
    this.length = at;
    return this;
  }

  /** What has been written, as a copy; the writer starts again empty. */
  take(): Uint8Array {
    const written = this.buffer.slice(0, this.length);
    this.length = 0;
    return written;
  }

  private head(major: number, argument: number): this {
    this.reserve(5);
    const bytes = this.buffer;
    let at = this.length;
    if (argument < 24) bytes[at++] = (major << 5) | argument;
    else if (argument < 0x100) {
      bytes[at++] = (major << 5) | 24;
      bytes[at++] = argument;
    } else if (argument < 0x10000) {
      bytes[at++] = (major << 5) | 25;
      bytes[at++] = argument >> 8;
      bytes[at++] = argument & 0xff;
    } else {
      bytes[at++] = (major << 5) | 26;
      bytes[at++] = argument >>> 24;
      bytes[at++] = (argument >> 16) & 0xff;
      bytes[at++] = (argument >> 8) & 0xff;
      bytes[at++] = argument & 0xff;
    }
    this.length = at;
    return this;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(2 * this.buffer.length, this.length + bytes));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}

/** The CBOR header of an array of `length` items, in its shortest form. */
export function arrayHeader(length: number): Uint8Array {
  return new CborWriter().arrayHeader(length).take();
}
