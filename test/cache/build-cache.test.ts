import { mkdtemp, readdir, rm, truncate } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { BuildCache } from "../../src/cache/build-cache.ts";

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
