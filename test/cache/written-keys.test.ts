import { deserialize, serialize } from "node:v8";
import { describe, expect, test } from "vitest";
import { WrittenKeys, type StoredWrittenKeys } from "../../src/cache/written-keys.ts";

// The keys a site's pages were written with, as the build cache stores them (two texts, not a
// map). The builds that use them are in test/incremental.test.ts.

/** As the cache writes the part and reads it back. */
function storedAndRead(keys: WrittenKeys): WrittenKeys | undefined {
  return WrittenKeys.read(deserialize(serialize(keys.stored)) as StoredWrittenKeys);
}

/** The keys of `whole` stored whole, as the cache stores them. */
function storedWhole(keys: WrittenKeys): StoredWrittenKeys & { urls: string; urlEnds: Uint32Array } {
  const { stored } = keys;
  if (!("urls" in stored)) throw new Error("stored against another site's keys");
  return stored;
}

describe("the keys a site was written with", () => {
  const urls = ["/", "/2024/03/budget/", "/topics/ferries/", "/media/a\0b\nc.pdf", "/feed.xml"];
  const keys = ["k-home", "k-budget", "", "k-file", "k-feed"];

  test("read back as stored, each key by its page's place when the pages are in the same order", () => {
    const read = storedAndRead(WrittenKeys.of(urls, keys))!;
    expect(read.size).toBe(5);
    expect(read.urls()).toEqual(urls);
    expect(read.keysOf([...urls])).toEqual(keys);
    expect(read.allIn([...urls])).toBe(true);
  });

  test("by URL when the pages are not: a page it does not hold has no key, and one it holds that is gone is told", () => {
    const read = storedAndRead(WrittenKeys.of(urls, keys))!;
    expect(read.keysOf(["/feed.xml", "/2025/", "/"])).toEqual(["k-feed", undefined, "k-home"]);
    expect(read.allIn(["/2025/", ...urls])).toBe(true);
    expect(read.allIn(urls.filter((url) => url !== "/topics/ferries/"))).toBe(false);
    expect(read.allIn([...urls.slice(1), "/2025/"])).toBe(false);
  });

  test("an empty site", () => {
    const read = storedAndRead(WrittenKeys.of([], []))!;
    expect(read.size).toBe(0);
    expect(read.keysOf([])).toEqual([]);
    expect(read.keysOf(["/"])).toEqual([undefined]);
  });

  test("what does not hold together is not read: as if no site had been written", () => {
    const stored = storedWhole(WrittenKeys.of(urls, keys));
    expect(WrittenKeys.read(undefined)).toBeUndefined();
    expect(WrittenKeys.read({ ...stored, urls: stored.urls.slice(1) })).toBeUndefined();
    expect(WrittenKeys.read({ ...stored, keyEnds: stored.keyEnds.slice(1) })).toBeUndefined();
    expect(WrittenKeys.read({ ...stored, urlEnds: Uint32Array.from([3, 2, ...stored.urlEnds.slice(2)]) })).toBeUndefined();
    expect(WrittenKeys.read({ ...stored, urlEnds: [...stored.urlEnds] } as unknown as StoredWrittenKeys)).toBeUndefined();
    expect(WrittenKeys.read(new Map(urls.map((url, index) => [url, keys[index]!])) as unknown as StoredWrittenKeys)).toBeUndefined();
  });

  test("another site's with the same pages stored as they differ, read back with that site's", () => {
    const site = storedAndRead(WrittenKeys.of(urls, keys))!;
    const earlierKeys = ["k-home", "k-budget-0", "", "k-file", "k-feed-0"];
    const stored = deserialize(serialize(WrittenKeys.of(urls, earlierKeys).storedAgainst(site))) as StoredWrittenKeys;
    expect(stored).toEqual({ places: Uint32Array.from([1, 4]), keys: "k-budget-0k-feed-0", keyEnds: Uint32Array.from([10, 18]) });
    const read = WrittenKeys.read(stored, site)!;
    expect(read.urls()).toEqual(urls);
    expect(read.keysOf([...urls])).toEqual(earlierKeys);
    expect(read.keysOf(["/feed.xml"])).toEqual(["k-feed-0"]);
    // The site's own keys are as they were.
    expect(site.keysOf([...urls])).toEqual(keys);
    // Without the site's keys, or with a site's of fewer pages, they are not read.
    expect(WrittenKeys.read(stored)).toBeUndefined();
    expect(WrittenKeys.read(stored, WrittenKeys.of(urls.slice(0, 4), keys.slice(0, 4)))).toBeUndefined();
  });

  test("another site's with other pages stored whole", () => {
    const site = WrittenKeys.of(urls, keys);
    const stored = WrittenKeys.of(urls.slice(1), keys.slice(1)).storedAgainst(site);
    expect("urls" in stored).toBe(true);
    expect(WrittenKeys.read(stored, site)!.keysOf(urls)).toEqual([undefined, ...keys.slice(1)]);
  });

  test("out of order, each page's key is the one it was written with wherever it moved, and none for a page new", () => {
    // A site of 400 pages, changed as builds change it: pages added, removed, moved near and far.
    const before = Array.from({ length: 400 }, (_, place) => `/page/${place}/`);
    const written = WrittenKeys.of(before, before.map((url) => `key of ${url}`));
    const after = [...before];
    after.splice(10, 0, "/a-new-article/");
    after.splice(50, 1);
    after.splice(100, 40);
    after.splice(5, 0, ...after.splice(300, 1));
    after.splice(350, 0, ...after.splice(20, 1));
    after.push("/page/400/");
    [after[200], after[201]] = [after[201]!, after[200]!];
    const expected = after.map((url) => (before.includes(url) ? `key of ${url}` : undefined));
    expect(written.keysOf(after)).toEqual(expected);
    expect(written.keysOf([...after].reverse())).toEqual([...expected].reverse());
    expect(written.keysOf(["/nowhere/", ...before.slice(1)])).toEqual([undefined, ...before.slice(1).map((url) => `key of ${url}`)]);
    // Every page written is still there but those removed; each asked again of the same list, as a build asks.
    expect(written.allIn(after)).toBe(false);
    expect(written.keysOf(after)).toEqual(expected);
    const everyPage = [...after, ...before.filter((url) => !after.includes(url))].reverse();
    expect(written.allIn(everyPage)).toBe(true);
    expect(written.allIn(everyPage)).toBe(true);
    expect(written.allIn(everyPage.slice(1))).toBe(false);
    expect(written.allIn([...everyPage.slice(1), everyPage[1]!])).toBe(false);
  });

  test("a site's keys with the pages of another read from the cache store its URLs as it did; with other pages, as they are", () => {
    const read = storedAndRead(WrittenKeys.of(urls, keys))!;
    const edited = ["k-home", "k-budget-edited", "", "k-file", "k-feed"];
    const same = storedWhole(WrittenKeys.of([...urls], edited, read));
    expect(same.urls).toBe(storedWhole(read).urls);
    expect(same.urlEnds).toBe(storedWhole(read).urlEnds);
    expect(storedAndRead(WrittenKeys.of([...urls], edited, read))!.keysOf([...urls])).toEqual(edited);
    const added = [...urls, "/2024/03/ferry/"];
    const other = storedWhole(WrittenKeys.of(added, [...edited, "k-ferry"], read));
    expect(other.urls).toBe(added.join(""));
    expect(storedAndRead(WrittenKeys.of(added, [...edited, "k-ferry"], read))!.urls()).toEqual(added);
  });

  test("URLs of one-byte characters are stored so, where joined with a wider one's they were not", () => {
    // Cut from a text with a wider character, a URL of one-byte characters is held with two.
    const wide = "/2024/03/a-ferry/\u2014".slice(0, -1);
    const stored = storedWhole(WrittenKeys.of([wide, "/"], ["k1", "k2"]));
    expect(serialize(stored.urls).length).toBeLessThan(serialize([wide, "/"].join("")).length);
    expect(WrittenKeys.read(deserialize(serialize(stored)) as StoredWrittenKeys)!.urls()).toEqual([wide, "/"]);
    expect(storedWhole(WrittenKeys.of(["/caf\u00e9/", "/\u2014/"], ["k1", "k2"])).urls).toBe("/caf\u00e9//\u2014/");
  });
});
