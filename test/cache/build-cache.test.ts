import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, readdir, rm, truncate } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, test } from "vitest";
import { BuildCache, partsAfter } from "../../src/cache/build-cache.ts";

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-build-cache-"));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

test("bytes stored under a key come back whole, at a multiple of 8 in their buffer, only under that key", async () => {
  const output = path.join(scratch, "site");
  const cache = BuildCache.open(scratch, output, { settings: "first" });
  cache.writeBytes("numbers", [Uint8Array.of(1, 2, 3), new Uint8Array(new Uint32Array([7, 8]).buffer)]);
  const read = cache.readBytes("numbers")!;
  expect([...read]).toEqual([1, 2, 3, 7, 0, 0, 0, 8, 0, 0, 0]);
  expect(read.byteOffset % 8).toBe(0);
  // Another key: settings changed since.
  expect(BuildCache.open(scratch, output, { settings: "second" }).readBytes("numbers")).toBeUndefined();
  expect(cache.readBytes("missing")).toBeUndefined();
  // Cut short inside the key: not read.
  const [file] = (await readdir(cache.folder)).filter((name) => name.startsWith("numbers"));
  await truncate(path.join(cache.folder, file!), 10);
  expect(cache.readBytes("numbers")).toBeUndefined();
});

test("bytes written aside are the part only once put, as writeBytes stores them; dropped, they leave nothing", async () => {
  const output = path.join(scratch, "aside");
  const cache = BuildCache.open(scratch, output, { settings: "first" });
  cache.writeBytes("terms", [Uint8Array.of(9)]);
  const big = new Uint8Array(new Float32Array(300_000).fill(1.5).buffer);
  const writing = cache.writeBytesAside("terms", [Uint8Array.of(1, 2, 3), big]);
  // Until put, a build reads the part as it was.
  expect([...cache.readBytes("terms")!]).toEqual([9]);
  await writing.put();
  const stored = cache.readBytes("terms")!;
  cache.writeBytes("same", [Uint8Array.of(1, 2, 3), big]);
  expect(Buffer.from(stored).equals(Buffer.from(cache.readBytes("same")!))).toBe(true);
  // Dropped after put, the part stays; another dropped before put, nothing of it is left.
  await writing.drop();
  expect(cache.readBytes("terms")!.byteLength).toBe(3 + big.byteLength);
  await cache.writeBytesAside("terms", [Uint8Array.of(4)]).drop();
  expect(cache.readBytes("terms")!.byteLength).toBe(3 + big.byteLength);
  expect((await readdir(cache.folder)).filter((name) => name.startsWith("terms"))).toEqual(["terms.bin"]);
});

test("bytes written aside in thousands of parts, empty ones among them, are stored whole and in order, as writeBytes stores them", async () => {
  const cache = BuildCache.open(scratch, path.join(scratch, "many-parts"), { settings: "first" });
  // More parts than one system call takes (IOV_MAX, 1,024 on Linux).
  const parts = Array.from({ length: 3000 }, (_, index) => (index % 7 === 0 ? new Uint8Array(0) : Uint8Array.of(index % 251, index % 13)));
  parts.push(new Uint8Array(new Float32Array(500_000).fill(2.5).buffer));
  const writing = cache.writeBytesAside("terms", parts);
  await writing.put();
  cache.writeBytes("same", parts);
  expect(Buffer.from(cache.readBytes("terms")!).equals(Buffer.from(cache.readBytes("same")!))).toBe(true);
  expect(cache.readBytes("terms")!.byteLength).toBe(parts.reduce((sum, part) => sum + part.byteLength, 0));
});

test("bytes read aside are the bytes readBytes gives, once read, whether taken at once or later", async () => {
  const output = path.join(scratch, "read-aside");
  const cache = BuildCache.open(scratch, output, { settings: "first" });
  const big = Uint8Array.from({ length: 3 << 20 }, (_, index) => index % 251);
  cache.writeBytes("terms", [Uint8Array.of(5, 6, 7), big]);
  const expected = Buffer.from(cache.readBytes("terms")!);
  // Taken at once: waited for.
  expect(Buffer.from((await cache.readBytesAside("terms").take())!).equals(expected)).toBe(true);
  // Read meanwhile: taken from memory, though the file is gone by then.
  const reading = cache.readBytesAside("terms");
  await sleep(100);
  cache.removeBytes("terms");
  const taken = (await reading.take())!;
  expect(Buffer.from(taken).equals(expected)).toBe(true);
  expect(taken.byteOffset % 8).toBe(0);
  expect(await cache.readBytesAside("terms").take()).toBeUndefined();
  // Read while this thread is busy, not only once it is free again: the file's bytes as they were
  // when the read began, though rewritten in place before this thread lets the read's news in.
  cache.writeBytes("terms", [Uint8Array.of(5, 6, 7), big]);
  const file = (await readdir(cache.folder)).find((name) => name.startsWith("terms"))!;
  const whileBusy = cache.readBytesAside("terms");
  const busyUntil = Date.now() + 300;
  while (Date.now() < busyUntil);
  const rewritten = readFileSync(path.join(cache.folder, file));
  rewritten.fill(9, rewritten.length - big.length);
  writeFileSync(path.join(cache.folder, file), rewritten);
  expect(Buffer.from((await whileBusy.take())!).equals(expected)).toBe(true);
  // Dropped, they are let go: nothing is taken after.
  cache.writeBytes("terms", [Uint8Array.of(5, 6, 7)]);
  const dropped = cache.readBytesAside("terms");
  dropped.drop();
  expect(await dropped.take()).toBeUndefined();
  // Stored under another key, they are not this cache's.
  BuildCache.open(scratch, output, { settings: "second" }).writeBytes("terms", [Uint8Array.of(1)]);
  expect(await cache.readBytesAside("terms").take()).toBeUndefined();
});

test("parts read one after another into one buffer come back as written, their arrays of numbers copied out of it", () => {
  const output = path.join(scratch, "parts");
  const cache = BuildCache.open(scratch, output, { settings: "first" });
  const big = { numbers: Float64Array.from({ length: 5000 }, (_, index) => index + 0.5), text: "harbour ".repeat(5000) };
  const small = { numbers: Uint32Array.of(7, 8, 9), bytes: Buffer.from("quay"), view: new DataView(Uint8Array.of(1, 2, 3, 4).buffer) };
  cache.write("big", big);
  cache.write("small", small);
  BuildCache.open(scratch, output, { settings: "second" }).write("stale", small);
  const read: [string, unknown][] = [];
  // The second read of `big` goes into the buffer `small` was read into, after it.
  cache.readEach(["big", "small", "missing", "stale", "big"], (value, name) => read.push([name, value]));
  expect(read.map(([name]) => name)).toEqual(["big", "small", "missing", "stale", "big"]);
  expect(read[0]![1]).toEqual(big);
  expect(read[1]![1]).toEqual(small);
  expect(read[2]![1]).toBeUndefined();
  expect(read[3]![1]).toBeUndefined();
  expect(read[4]![1]).toEqual(big);
});

test("what remains of parts after a write that took only some of their bytes: none empty, the first cut where the write stopped", () => {
  const parts = [Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3, 4, 5), Uint8Array.of(6)];
  const remains = (written: number) => partsAfter(parts, written).map((part) => [...part]);
  expect(remains(0)).toEqual([[1, 2], [3, 4, 5], [6]]);
  expect(remains(1)).toEqual([[2], [3, 4, 5], [6]]);
  expect(remains(2)).toEqual([[3, 4, 5], [6]]);
  expect(remains(4)).toEqual([[5], [6]]);
  expect(remains(6)).toEqual([]);
});

test("a part removed is gone, whatever key it was stored under, and the others stay", async () => {
  const output = path.join(scratch, "removed");
  const cache = BuildCache.open(scratch, output, { settings: "first" });
  cache.write("kept", { lists: [1, 2] });
  BuildCache.open(scratch, output, { settings: "older" }).write("stale", "from another key");
  const before = await readdir(cache.folder);
  cache.remove("stale");
  cache.remove("never-written");
  expect(await readdir(cache.folder)).toEqual(before.filter((name) => !name.startsWith("stale")));
  expect(cache.read("kept")).toEqual({ lists: [1, 2] });
});
