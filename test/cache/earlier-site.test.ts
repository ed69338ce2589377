import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { identity } from "../../src/cache/build-cache.ts";
import { EarlierSite, keepEarlierSite, type StoredEarlierSite } from "../../src/cache/earlier-site.ts";
import { WrittenKeys } from "../../src/cache/written-keys.ts";

// The site a build replaced, as the next build's staging folder: what stays, what goes, and when
// it is not trusted at all. The builds that use it are in test/incremental.test.ts.

let scratch: string;
let kept: string;

beforeEach(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), "broadsheet-earlier-site-"));
  kept = path.join(scratch, "cache", "earlier-site");
});

afterEach(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes `files` (relative path → text) into `root`. */
function writeFiles(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}

/** Every file below `root`, relative, sorted. */
function filesIn(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** A site kept as `keepEarlierSite` keeps one, with its record. */
function keptSite(files: Record<string, string>, keys: Record<string, string>, search: Record<string, string> = {}): StoredEarlierSite {
  const replaced = path.join(scratch, "replaced");
  writeFiles(replaced, files);
  mkdirSync(path.dirname(kept), { recursive: true });
  const keptIdentity = keepEarlierSite(replaced, kept);
  expect(keptIdentity).toBeDefined();
  return { identity: keptIdentity!, keys: WrittenKeys.of(Object.keys(keys), Object.values(keys)).stored, search: new Map(Object.entries(search)) };
}

/** The keys of the site in the output folder: the kept sites here store their own whole, not against these (test/cache/written-keys.test.ts). */
const siteKeys = WrittenKeys.of([], []);

describe("the earlier site", () => {
  test("is taken as the staging folder, its stylesheet and scripts set aside", () => {
    const stored = keptSite({ "index.html": "home", "assets/style.css": "css", "assets/logo.svg": "logo" }, { "/": "k1", "/assets/logo.svg": "k2" });
    const staging = path.join(scratch, "site.building");
    const aside = path.join(scratch, "site.removing");
    expect(EarlierSite.take(kept, stored, staging, aside, siteKeys)).toBeDefined();
    expect(existsSync(kept)).toBe(false);
    expect(filesIn(staging)).toEqual(["index.html"]);
    expect(filesIn(aside)).toEqual(["assets/logo.svg", "assets/style.css"]);
  });

  test("its keys stored against the site's are read with them, and not taken with another site's", () => {
    const urls = ["/", "/2024/03/budget/", "/2024/03/ferry/"];
    const site = WrittenKeys.of(urls, ["home-2", "budget-1", "ferry-2"]);
    const stored = keptSite({ "index.html": "home", "2024/03/budget/index.html": "budget", "2024/03/ferry/index.html": "ferry" }, {});
    const against = { ...stored, keys: WrittenKeys.of(urls, ["home-1", "budget-1", "ferry-1"]).storedAgainst(site) };
    const staging = path.join(scratch, "site.building");
    // With another site's keys, of fewer pages, they do not hold: nothing is moved.
    expect(EarlierSite.take(kept, against, staging, path.join(scratch, "aside-1"), WrittenKeys.of(urls.slice(0, 1), ["home-2"]))).toBeUndefined();
    expect(filesIn(kept)).toHaveLength(3);
    expect(existsSync(staging)).toBe(false);
    const earlier = EarlierSite.take(kept, against, staging, path.join(scratch, "aside-2"), site)!;
    earlier.settle(urls, ["home-3", "budget-1", "ferry-1"]);
    expect(urls.filter((_, place) => earlier.stays(place))).toEqual(["/2024/03/budget/", "/2024/03/ferry/"]);
    expect(filesIn(staging)).toEqual(["2024/03/budget/index.html", "2024/03/ferry/index.html"]);
  });

  test("is not taken when it is another folder than the one recorded, or there is no record", () => {
    const stored = keptSite({ "index.html": "home" }, { "/": "k1" });
    const staging = path.join(scratch, "site.building");
    expect(EarlierSite.take(kept, { ...stored, identity: `${stored.identity}0` }, staging, path.join(scratch, "aside-1"), siteKeys)).toBeUndefined();
    expect(EarlierSite.take(kept, undefined, staging, path.join(scratch, "aside-2"), siteKeys)).toBeUndefined();
    expect(filesIn(kept)).toEqual(["index.html"]);
    expect(existsSync(staging)).toBe(false);
    expect(identity(kept)).toBe(stored.identity);
  });

  test("keeps the pages whose key is the one they were written with, and removes every other file and the folders left empty", () => {
    const stored = keptSite(
      {
        "index.html": "home",
        "2024/03/budget/index.html": "budget",
        "2024/03/ferry/index.html": "ferry",
        "2024/04/gone/index.html": "gone",
        "sitemap.xml": "map",
        "assets/logo.svg": "logo",
      },
      { "/": "home-1", "/2024/03/budget/": "budget-1", "/2024/03/ferry/": "ferry-1", "/2024/04/gone/": "gone-1", "/sitemap.xml": "", "/assets/logo.svg": "logo-1" },
    );
    const staging = path.join(scratch, "site.building");
    const earlier = EarlierSite.take(kept, stored, staging, path.join(scratch, "aside"), siteKeys)!;
    // The home page changed, the budget stayed, the ferry is new, the sitemap has no key, the logo was set aside.
    const urls = ["/", "/2024/03/budget/", "/2024/03/ferry/", "/sitemap.xml", "/assets/logo.svg", "/2024/05/new/"];
    earlier.settle(urls, ["home-2", "budget-1", "ferry-1", undefined, "logo-1", "new-1"]);
    expect(urls.filter((_, place) => earlier.stays(place))).toEqual(["/2024/03/budget/", "/2024/03/ferry/"]);
    expect(earlier.pagesKept).toBe(2);
    expect(filesIn(staging)).toEqual(["2024/03/budget/index.html", "2024/03/ferry/index.html"]);
    expect(existsSync(path.join(staging, "2024", "04"))).toBe(false);
  });

  test("with pages added and removed among many that stay, keeps each page that stays wherever it moved, and removes the folder of one the build no longer has", () => {
    const files: Record<string, string> = {};
    const keys: Record<string, string> = {};
    for (let number = 0; number < 150; number++) {
      files[`2024/${number}/index.html`] = `article ${number}`;
      keys[`/2024/${number}/`] = `key-${number}`;
    }
    files["2023/12/gone/index.html"] = "gone";
    keys["/2023/12/gone/"] = "gone-1";
    const stored = keptSite(files, keys);
    const staging = path.join(scratch, "site.building");
    const earlier = EarlierSite.take(kept, stored, staging, path.join(scratch, "aside"), siteKeys)!;
    // A new article among them, one moved from the end to the start, the gone one's folder emptied.
    const urls = Object.keys(keys).filter((url) => url !== "/2023/12/gone/");
    urls.splice(10, 0, "/2024/new/");
    urls.unshift(urls.pop()!);
    earlier.settle(urls, urls.map((url) => keys[url] ?? "new-1"));
    expect(earlier.pagesKept).toBe(150);
    expect(urls.filter((_, place) => !earlier.stays(place))).toEqual(["/2024/new/"]);
    expect(filesIn(staging)).toEqual(Object.keys(files).filter((file) => !file.includes("gone")).sort());
    expect(existsSync(path.join(staging, "2023"))).toBe(false);
  });

  test("sets aside whole, in one move, a folder none of whose pages stay, and removes the rest file by file", () => {
    // A new article changes every page of the home listing.
    const listing = Array.from({ length: 20 }, (_, index) => `/page/${index + 2}/`);
    const files: Record<string, string> = { "index.html": "home", "2024/index.html": "year", "2024/03/budget/index.html": "budget", "2024/page/2/index.html": "year 2", "pagefind/pagefind-entry.json": "{}" };
    const keys: Record<string, string> = { "/": "home-1", "/2024/": "year-1", "/2024/03/budget/": "budget-1", "/2024/page/2/": "year-2-1" };
    for (const url of listing) {
      files[`${url.slice(1)}index.html`] = url;
      keys[url] = `${url}-1`;
    }
    const stored = keptSite(files, keys, { "pagefind/": "newest-1" });
    const staging = path.join(scratch, "site.building");
    const aside = path.join(scratch, "aside");
    const earlier = EarlierSite.take(kept, stored, staging, aside, siteKeys)!;
    // Every listing page and the year's changed; the budget stays; the search index is not a page.
    earlier.settle(["/", "/2024/", "/2024/03/budget/", "/2024/page/2/", ...listing], ["home-2", "year-2", "budget-1", "year-2-2", ...listing.map((url) => `${url}-2`)]);
    expect(filesIn(staging)).toEqual(["2024/03/budget/index.html", "pagefind/pagefind-entry.json"]);
    // The listing's folder and the year's pages' went whole; the year's own page went by itself.
    expect(readdirSync(aside).sort()).toEqual(["pages-0", "pages-1"]);
    expect(filesIn(aside)).toHaveLength(21);
    expect(existsSync(path.join(staging, "2024"))).toBe(true);
  });

  test("sets aside the search volumes it does not hold as the build makes them, but not the older volumes inside the newest's folder, nor the word lists when asked to keep them", () => {
    const bundle = { "pagefind-entry.json": "{}", "fragment/en_1.pf_fragment": "f", "index/en_1.pf_index": "i" };
    const files = Object.fromEntries([
      ...Object.entries(bundle).map(([file, text]) => [`pagefind/${file}`, text]),
      ...Object.entries(bundle).map(([file, text]) => [`pagefind/volumes/1/${file}`, text]),
      ...Object.entries(bundle).map(([file, text]) => [`pagefind/volumes/2/${file}`, text]),
      ["pagefind/vocabulary/5.txt.gz", "words"],
    ]);
    const stored = keptSite(files, {}, { "pagefind/": "newest-1", "pagefind/volumes/1/": "oldest-1", "pagefind/volumes/2/": "middle-1" });
    const staging = path.join(scratch, "site.building");
    const earlier = EarlierSite.take(kept, stored, staging, path.join(scratch, "aside"), siteKeys)!;
    expect(earlier.holdsVolume("pagefind/volumes/1/", "oldest-1")).toBe(true);
    expect(earlier.holdsVolume("pagefind/", "newest-2")).toBe(false);
    expect(earlier.holds).toBe(stored);
    earlier.placeSearch(
      [
        { folder: "pagefind/", key: "newest-2", held: false },
        { folder: "pagefind/volumes/1/", key: "oldest-1", held: true },
        { folder: "pagefind/volumes/2/", key: "middle-2", held: false },
      ],
      true,
    );
    // What it holds now, for a build that keeps it again: the volume left, and its pages.
    expect(earlier.holds.search).toEqual(new Map([["pagefind/volumes/1/", "oldest-1"]]));
    expect(earlier.holds.keys).toBe(stored.keys);
    expect(filesIn(staging)).toEqual(["pagefind/vocabulary/5.txt.gz", ...Object.keys(bundle).map((file) => `pagefind/volumes/1/${file}`).sort()]);
    earlier.placeSearch([{ folder: "pagefind/volumes/1/", key: "oldest-1", held: true }], false);
    expect(filesIn(staging)).toEqual(Object.keys(bundle).map((file) => `pagefind/volumes/1/${file}`).sort());
  });

  test("once placed, it holds only the build's volumes it was found to hold: not one the build's index has no more, which the index removes", () => {
    const files = { "pagefind/pagefind-entry.json": "{}", "pagefind/volumes/1/pagefind-entry.json": "{}", "pagefind/volumes/2/pagefind-entry.json": "{}" };
    const stored = keptSite(files, {}, { "pagefind/": "newest-1", "pagefind/volumes/1/": "oldest-1", "pagefind/volumes/2/": "middle-1" });
    const earlier = EarlierSite.take(kept, stored, path.join(scratch, "site.building"), path.join(scratch, "aside"), siteKeys)!;
    earlier.placeSearch(
      [
        { folder: "pagefind/", key: "newest-1", held: true },
        { folder: "pagefind/volumes/1/", key: "oldest-1", held: true },
      ],
      true,
    );
    expect(earlier.holds.search).toEqual(new Map([["pagefind/", "newest-1"], ["pagefind/volumes/1/", "oldest-1"]]));
  });
});
