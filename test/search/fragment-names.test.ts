import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { NAMES_PER_GENERATION, renameFragments } from "../../src/search/fragment-names.ts";
import { bundleFile, type PageEntry } from "../../src/search/pagefind-format.ts";

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-fragment-names-"));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Two fragments, written where Pagefind wrote them, renamed into `bundle`. */
async function rename(bundle: string, oldNames: [string, string]): Promise<string[]> {
  await mkdir(path.join(bundle, "fragment"), { recursive: true });
  const files = await Promise.all(
    oldNames.map(async (name, page) => {
      const file = path.join(scratch, `${path.basename(bundle)}-shard-${page}`, bundleFile("fragment", name));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, `fragment ${page}`);
      return file;
    }),
  );
  const pages = oldNames.map((name): PageEntry => [name, 10, ""]);
  const renamed = (await renameFragments(bundle, "en", pages, files)).map(([name]) => name);
  // Each page's fragment is under its new name.
  expect(await Promise.all(renamed.map((name) => readFile(path.join(bundle, bundleFile("fragment", name)), "utf8")))).toEqual(["fragment 0", "fragment 1"]);
  return renamed;
}

test("two pages whose hashes share seven digits get the same names whether Pagefind saw them in one index or in two", async () => {
  // In one index Pagefind lengthens the second name; in two shards each keeps seven digits.
  const whole = await rename(path.join(scratch, "whole"), ["en_abcdef1", "en_abcdef12"]);
  const sharded = await rename(path.join(scratch, "sharded"), ["en_abcdef1", "en_abcdef1"]);
  expect(sharded).toEqual(whole);
  // Counted down to the last page, 0.
  expect(whole).toEqual([expect.stringMatching(/^en_[0-9a-f]{8}_1$/), expect.stringMatching(/^en_[0-9a-f]{8}_0$/)]);
});

test(`a changed page renames the fragments of its block of ${NAMES_PER_GENERATION}, counted from the oldest, and no others`, async () => {
  const count = 2 * NAMES_PER_GENERATION + 200;
  const pagefindNames = Array.from({ length: count }, (_, page) => `en_${(0x1000000 + page).toString(16)}`);
  const named = async (bundle: string, names: string[]) => {
    await mkdir(path.join(bundle, "fragment"), { recursive: true });
    const files = names.map((name) => path.join(scratch, "shard", bundleFile("fragment", name)));
    await mkdir(path.dirname(files[0]!), { recursive: true });
    await Promise.all(files.map((file, page) => writeFile(file, `fragment ${page}`)));
    return (await renameFragments(bundle, "en", names.map((name): PageEntry => [name, 10, ""]), files, { newestNumber: count - 1 + 7 })).map(([name]) => name);
  };
  const before = await named(path.join(scratch, "blocks-before"), pagefindNames);
  // The page numbered 800 (the newest is 1,206): its block is 500 to 999.
  const changed = count - 1 + 7 - 800;
  const after = await named(path.join(scratch, "blocks-after"), pagefindNames.map((name, page) => (page === changed ? "en_abcdef0" : name)));
  const generation = (name: string) => name.split("_")[1];
  const renamed = after.flatMap((name, page) => (name === before[page] ? [] : [Number(name.split("_")[2])]));
  expect(renamed).toEqual(Array.from({ length: NAMES_PER_GENERATION }, (_, offset) => 999 - offset));
  // Each block is named by one generation, and the next by another.
  expect(new Set(after.map(generation)).size).toBe(3);
  expect(generation(after[count - 1]!)).toBe(generation(after.find((name) => name.endsWith("_499"))!));
});

test("the same pages under other numbers, once older ones are gone, get other names; numbers below 0 are refused", async () => {
  const names = Array.from({ length: 299 }, (_, page) => `en_${(0x2000000 + page).toString(16)}`);
  const named = async (bundle: string, newestNumber: number) => {
    await mkdir(path.join(bundle, "fragment"), { recursive: true });
    const files = names.map((name) => path.join(scratch, "moved-shard", bundleFile("fragment", name)));
    await mkdir(path.dirname(files[0]!), { recursive: true });
    await Promise.all(files.map((file, page) => writeFile(file, `fragment ${page}`)));
    return (await renameFragments(bundle, "en", names.map((name): PageEntry => [name, 10, ""]), files, { newestNumber })).map(([name]) => name);
  };
  // Numbered 1,498 to 1,200, then, with 200 older articles deleted, 1,298 to 1,000: one block of
  // names both times, of the same pages in the same order. A name that meant one page before must
  // not mean another now.
  const before = await named(path.join(scratch, "moved-before"), 1498);
  const after = await named(path.join(scratch, "moved-after"), 1298);
  const taken = new Map(before.map((name, page) => [name, page]));
  for (const [page, name] of after.entries()) expect(taken.get(name) ?? page, name).toBe(page);
  await expect(named(path.join(scratch, "moved-refused"), 297)).rejects.toThrow(RangeError);
});
