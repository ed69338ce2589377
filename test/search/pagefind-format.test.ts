// The contract between Broadsheet and the installed Pagefind: every fact src/search/pagefind-format.ts
// states about Pagefind's private files, checked on a bundle the installed Pagefind writes, with
// the format module's own readers. When Pagefind is upgraded and this fails, the message names
// what changed; the fix belongs in pagefind-format.ts (README.md, "Upgrading Pagefind").
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { encode } from "cborg";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as pagefind from "pagefind";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadSite } from "../../src/archive/load-site.ts";
import { ASSETS_DIR, PACKAGE_ROOT } from "../../src/package.ts";
import { CborWriter } from "../../src/search/cbor.ts";
import { compactBundle, ORDER_SORT, orderValue } from "../../src/search/compact-bundle.ts";
import { searchRecord } from "../../src/search/index.ts";
import {
  BUNDLE_FILES,
  BUNDLE_FOLDERS,
  bundleFile,
  bundleFileNamer,
  encodeMetaPieces,
  ENTRY_FILE,
  filesListed,
  fragmentName,
  fragmentNumber,
  IndexFileReader,
  forEachVariant,
  numberingShift,
  readSpan,
  writeWordEntry,
  type NumberedPostings,
  isEntry,
  PAGEFIND_VERSION,
  pagefindHash,
  pinnedPagefindVersion,
  readBundleFile,
  readEntry,
  readFilterFile,
  readFragment,
  readMeta,
  readPostings,
  wasmFile,
  writeBundleFile,
  type Entry,
  type Fragment,
  type Meta,
  type PageEntry,
  type WordEntry,
} from "../../src/search/pagefind-format.ts";

const ARTICLES = fileURLToPath(new URL("../fixtures/search", import.meta.url));
// A record beside the fixture's articles: a word with and without diacritics, which Pagefind
// indexes as one word with a variant.
const CAFE = { url: "/cafe/", title: "The café by the ferry", text: "The café reopens. A cafe is a cafe." };

/** The installed Pagefind's package.json, found from the module `import "pagefind"` loads. */
async function installedPagefind(): Promise<{ version: string; folder: string }> {
  for (let folder = path.dirname(fileURLToPath(import.meta.resolve("pagefind"))); path.dirname(folder) !== folder; folder = path.dirname(folder)) {
    const file = path.join(folder, "package.json");
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(await readFile(file, "utf8")) as { name: string; version: string };
    if (manifest.name === "pagefind") return { version: manifest.version, folder };
  }
  throw new Error("The installed Pagefind's package.json was not found above the module `import \"pagefind\"` loads; run npm ci.");
}

let scratch: string;
/** What the installed Pagefind wrote, untouched. */
let bundle: string;
/** The records Pagefind was given, by URL: the fixture's articles as a build sends them, then CAFE. */
let records: { url: string; title: string; position: number; content: string; article?: { authors: string[]; topics: string[]; year: number } }[];
let entry: Entry;
let meta: Meta;
let installed: { version: string; folder: string };

beforeAll(async () => {
  installed = await installedPagefind();
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-pagefind-format-"));
  bundle = path.join(scratch, "pagefind");
  const { site } = await loadSite({ articlesDir: ARTICLES });
  const articles = site!.archive.articles;
  records = [
    ...articles.map((article, position) => ({
      url: `/article-${position}/`,
      title: article.title,
      position,
      content: searchRecord(article, site!, position),
      article: { authors: article.authors.map((author) => author.name), topics: article.topics.map((topic) => topic.name), year: article.date.value.year },
    })),
    {
      ...CAFE,
      position: articles.length,
      content: `<html lang="en"><body><article data-pagefind-body><h1>${CAFE.title}</h1><span data-pagefind-meta="title:${CAFE.title}"></span><span data-pagefind-sort="${ORDER_SORT}:${orderValue(articles.length)}"></span><p>${CAFE.text}</p></article></body></html>`,
    },
  ];
  const { index, errors } = await pagefind.createIndex({ forceLanguage: "en" });
  expect(errors).toEqual([]);
  // In reverse, so that Pagefind's numbering and the archive's order differ, as they may in a build.
  for (const record of [...records].reverse()) expect((await index!.addHTMLFile({ url: record.url, content: record.content })).errors).toEqual([]);
  expect((await index!.writeFiles({ outputPath: bundle })).errors).toEqual([]);
  await index!.deleteIndex();
  entry = await readEntry(bundle);
  meta = await readMeta(bundle, entry.languages.en!.hash);
});

afterAll(async () => {
  await pagefind.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("the version", () => {
  test("the installed Pagefind is the version package.json pins, and writes it into its bundle", () => {
    expect(installed.version, `Pagefind ${installed.version} is installed (${installed.folder}), package.json pins ${PAGEFIND_VERSION}: run npm ci`).toBe(PAGEFIND_VERSION);
    expect(entry.version, `${ENTRY_FILE}'s version`).toBe(installed.version);
    expect(meta.items[0], "the metadata's first item, its version").toBe(installed.version);
  });

  test("the version Broadsheet knows is the one its package.json pins", async () => {
    const manifest = JSON.parse(await readFile(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { dependencies: { pagefind: string } };
    expect(PAGEFIND_VERSION).toBe(manifest.dependencies.pagefind);
  });

  test("a pin that is not one exact version is refused, with what to write", async () => {
    const file = path.join(scratch, "package.json");
    await writeFile(file, JSON.stringify({ dependencies: { pagefind: "^1.6.0" } }));
    expect(() => pinnedPagefindVersion(file)).toThrow(`${file}: dependencies.pagefind is "^1.6.0", not one exact version.`);
  });
});

describe("the files of a bundle", () => {
  test("a bundle's files are named in a folder as joined to it, whatever the kind and the folder", () => {
    for (const dir of ["/srv/site/pagefind", "/", "site", "", "./site/../site/"]) {
      for (const kind of Object.keys(BUNDLE_FILES) as (keyof typeof BUNDLE_FILES)[]) {
        expect(bundleFileNamer(dir, kind)("en_4035217e_12"), `${kind} in "${dir}"`).toBe(path.join(dir, bundleFile(kind, "en_4035217e_12")));
      }
    }
  });

  test(`${ENTRY_FILE} is a version and one language, with its metadata's hash, its search code and its page count`, async () => {
    const raw: unknown = JSON.parse(await readFile(path.join(bundle, ENTRY_FILE), "utf8"));
    expect(isEntry(raw), `${ENTRY_FILE}: ${JSON.stringify(raw)}`).toBe(true);
    expect(Object.keys(entry.languages), "languages").toEqual(["en"]);
    expect(entry.languages.en!.page_count, "page_count").toBe(records.length);
    expect(existsSync(path.join(bundle, wasmFile(entry.languages.en!.wasm))), `the search code ${wasmFile(entry.languages.en!.wasm)}`).toBe(true);
  });

  test("the metadata, index, filter and fragment files are where and as named as the format says, and no others", async () => {
    for (const folder of BUNDLE_FOLDERS) expect(existsSync(path.join(bundle, folder)), `the folder ${folder}/`).toBe(true);
    const onDisk = (
      await Promise.all(
        ["", ...BUNDLE_FOLDERS].map(async (folder) =>
          (await readdir(path.join(bundle, folder), { withFileTypes: true })).filter((file) => file.isFile() && (folder !== "" || file.name.includes(".pf_"))).map((file) => path.join(folder, file.name)),
        ),
      )
    ).flat();
    expect(onDisk.sort(), "files of the index on disk").toEqual(filesListed(entry.languages.en!.hash, meta).sort());
  });

  test("files are named by their language and a content hash of at least seven digits; pagefindHash keeps seven", () => {
    const names = [...meta.pages.map(([name]) => name), ...meta.chunks.map(([, , hash]) => hash), ...meta.filters.map(([, hash]) => hash)];
    for (const name of names) {
      expect(name, "a file's name").toMatch(/^en_[0-9a-f]{7,}$/);
      expect(pagefindHash(name)).toBe(name.slice(0, 10));
    }
    expect(entry.languages.en!.hash, "the metadata's name").toMatch(/^en_[0-9a-f]+$/);
  });

  test("every file of the index, and the search code, is gzipped and starts with Pagefind's signature", async () => {
    const files = [...filesListed(entry.languages.en!.hash, meta), wasmFile(entry.languages.en!.wasm)];
    for (const file of files) await expect(readBundleFile(path.join(bundle, file)), file).resolves.toBeInstanceOf(Buffer);
  });
});

describe("the metadata", () => {
  test("has the version, pages, index files, filter files, sorts and fields, and nothing more", () => {
    expect(meta.items.length, "items of the metadata").toBe(6);
    expect(meta.pages.length, "pages").toBe(records.length);
    for (const [name, words, group] of meta.pages) {
      expect(words, `${name}'s word count`).toBeGreaterThan(0);
      expect(group, `${name}'s fragment group`).toBe("");
    }
    expect(meta.chunks.length, "index files").toBeGreaterThan(0);
    expect(meta.fields, "fields, from data-pagefind-meta").toEqual(["authors", "date", "datetime", "title", "topics"]);
  });

  test("written in pieces, it is Pagefind's metadata, its pages cut where their names' generation changes", async () => {
    const pages = Array.from({ length: 7 }, (_, page): PageEntry => [fragmentName("en", page < 3 ? "0000aaaa" : "0000bbbb", 10 - page), 20 + page, ""]);
    const lists = { pages, chunks: meta.chunks, filters: meta.filters, sorts: [], fields: meta.fields };
    const pieces = encodeMetaPieces(meta, lists);
    // Before the pages, two runs of pages, after the pages.
    expect(pieces).toHaveLength(4);
    const written = path.join(scratch, "meta-in-pieces");
    await mkdir(path.join(written, "fragment"), { recursive: true });
    await writeBundleFile(path.join(written, bundleFile("meta", "en_pieces")), Buffer.concat(pieces), 9);
    const read = await readMeta(written, "en_pieces");
    expect({ ...read, file: undefined }).toEqual({ ...meta, ...lists, items: [meta.items[0], pages, meta.chunks, meta.filters, [], meta.fields], file: undefined });
    expect(pieces[1]).toEqual(Buffer.concat(pages.slice(0, 3).map((page) => encode(page))));
  });

  test("a data-pagefind-sort lists every page, by number, in the order of its values", async () => {
    const sort = meta.sorts.find(([name]) => name === ORDER_SORT);
    expect(sort, `the sort "${ORDER_SORT}"`).toBeDefined();
    const urls = await pageUrls();
    expect(sort![1].map((page) => urls[page]), `pages in the order of "${ORDER_SORT}"`).toEqual(records.map((record) => record.url));
  });

  test("each filter's file lists its values with their pages, by number", async () => {
    expect(meta.filters.map(([name]) => name), "filters").toEqual(["author", "topic", "year"]);
    const urls = await pageUrls();
    const articles = records.filter((record) => record.article);
    for (const [name, hash] of meta.filters) {
      const values = await readFilterFile(path.join(bundle, bundleFile("filter", hash)), name);
      const expected: Record<string, string[]> = {};
      for (const { url, article } of articles) for (const value of name === "year" ? [String(article!.year)] : article![name === "author" ? "authors" : "topics"]) (expected[value] ??= []).push(url);
      const found = Object.fromEntries(values.map(([value, pages]) => [value, pages.map((page) => urls[page]!).sort()]));
      expect(found, `the values of the filter "${name}"`).toEqual(Object.fromEntries(Object.entries(expected).map(([value, pages]) => [value, pages.sort()])));
    }
  });
});

describe("the word index", () => {
  test("index files hold their words sorted by UTF-8 bytes, one file after another in the metadata's order", async () => {
    const keys = (await indexWords()).map((word) => Buffer.from(word.key));
    expect(keys.length, "words").toBeGreaterThan(0);
    expect(keys.every((key, index) => index === 0 || Buffer.compare(keys[index - 1]!, key) < 0), "words in byte order across the files").toBe(true);
  });

  test("a word's pages are numbered from the page before, with their locations; a spelling with diacritics is a variant", async () => {
    const urls = await pageUrls();
    const words = await indexWords();
    const pagesOf = (word: WordEntry | undefined, pages = word?.pages) => (pages ? readPostings(pages, word!.file).pages.map((page) => urls[page]) : undefined);
    const ferry = words.find((word) => word.text === "ferri");
    const withFerry = (await readFragments()).filter((fragment) => /\bferr(y|ies)\b/i.test(fragment.content)).map((fragment) => fragment.url);
    expect(withFerry.length, "pages that say ferry").toBeGreaterThan(1);
    expect(pagesOf(ferry)?.sort(), 'the pages of "ferri", stem of "ferry"').toEqual(withFerry.sort());
    for (const word of words) {
      const postings = readPostings(word.pages, word.file);
      postings.pages.forEach((page, index) => {
        expect(page, `"${word.text}" is on a page the metadata lists`).toBeLessThan(records.length);
        // [number, locations, meta locations]; a word found only in metadata has no locations.
        expect(postings.fields[index], `the fields of a page of "${word.text}"`).toBe(3);
      });
    }
    const cafe = words.find((word) => word.text === "cafe");
    const variants: Record<string, (string | undefined)[]> = {};
    forEachVariant(cafe!.variants, cafe!.file, (key, _item, pages) => (variants[Buffer.from(key).toString()] = readPostings(pages, cafe!.file).pages.map((page) => urls[page])));
    expect(variants, 'the variants of "cafe"').toEqual({ café: [CAFE.url] });
  });
});

describe("merging a word's pages", () => {
  /** The word written as a merge writes it, its pages (and its variants') numbered by `pageNumbers`, copied whole or not. */
  function written(word: WordEntry, pageNumbers: Uint32Array, copyWhole: boolean): Buffer {
    const part = (span: NumberedPostings["span"]): NumberedPostings => ({ span, pageNumbers, shift: copyWhole ? numberingShift(pageNumbers) : undefined, file: word.file });
    const variants: { textItem: Uint8Array; pages: NumberedPostings[] }[] = [];
    forEachVariant(word.variants, word.file, (_key, textItem, pages) => variants.push({ textItem, pages: [part(readSpan(pages, word.file))] }));
    const writer = new CborWriter();
    writeWordEntry(writer, word.textItem, [part(word.postings)], variants);
    return Buffer.from(writer.take());
  }

  test("Pagefind writes a word's pages in order and in CBOR's shortest form, so that a merge copies them whole", async () => {
    const words = await indexWords();
    expect(words.filter((word) => word.postings.count > 1).length, "words on several pages").toBeGreaterThan(5);
    for (const word of words) expect(word.postings.inOrder, `the pages of "${word.text}"`).toBe(true);
  });

  test("pages copied whole are, byte for byte, the pages renumbered one by one", async () => {
    const words = await indexWords();
    const pages = (await pageUrls()).length;
    for (const shift of [0, 1, 23, 70_000]) {
      const pageNumbers = Uint32Array.from({ length: pages }, (_, page) => page + shift);
      expect(numberingShift(pageNumbers)).toBe(shift);
      for (const word of words) expect(written(word, pageNumbers, true).equals(written(word, pageNumbers, false)), `"${word.text}", shifted by ${shift}`).toBe(true);
    }
    // A numbering that is no shift is never copied whole.
    expect(numberingShift(Uint32Array.of(0, 2, 3))).toBeUndefined();
  });

  /** `parts` (each a CBOR array of pages, with the numbering of its file) written as one word's pages, copied whole where they can be or (`copyWhole` false) never. */
  function writtenParts(parts: [data: number[], pageNumbers: number[]][], copyWhole = true): Buffer {
    const writer = new CborWriter();
    const numbered = parts.map(([data, numbers]): NumberedPostings => {
      const pageNumbers = Uint32Array.from(numbers);
      return { span: readSpan(Uint8Array.from(data), "test"), pageNumbers, shift: copyWhole ? numberingShift(pageNumbers) : undefined, file: "test" };
    });
    writeWordEntry(writer, Uint8Array.of(0x61, 0x61), numbered, []);
    return Buffer.from(writer.take());
  }

  // ["a", pages, []], pages written as the bytes given.
  const word = (...pages: number[]) => Buffer.from([0x83, 0x61, 0x61, ...pages, 0x80]);
  // [page 0 with a location at 5, page 2 (2 more) with none].
  const TWO_PAGES = [0x82, 0x82, 0x00, 0x81, 0x05, 0x82, 0x02, 0x80];
  const SHIFT_10 = [10, 11, 12];

  test("pages not in CBOR's shortest form, or out of order, are written again one by one", () => {
    const expected = word(0x82, 0x82, 0x0a, 0x81, 0x05, 0x82, 0x02, 0x80);
    expect(writtenParts([[TWO_PAGES, SHIFT_10]])).toEqual(expected);
    expect(readSpan(Uint8Array.from(TWO_PAGES), "test").inOrder).toBe(true);
    const cases = {
      // The second page's head in two bytes where one would do.
      "a long head": [0x82, 0x82, 0x00, 0x81, 0x05, 0x98, 0x02, 0x02, 0x80],
      // Its number so.
      "a long number": [0x82, 0x82, 0x00, 0x81, 0x05, 0x82, 0x18, 0x02, 0x80],
      // The same pages in reverse: page 2, then page 0 (-2).
      "pages out of order": [0x82, 0x82, 0x02, 0x80, 0x82, 0x21, 0x81, 0x05],
    };
    for (const [what, data] of Object.entries(cases)) {
      expect(readSpan(Uint8Array.from(data), "test").inOrder, what).toBe(false);
      expect(writtenParts([[data, SHIFT_10]]), what).toEqual(expected);
      expect(writtenParts([[data, SHIFT_10]], false), what).toEqual(expected);
    }
  });

  test("pages copied whole from several files follow on from each other; a file of no pages adds none; a page numbered as the one before stays", () => {
    // The second file's page 1 (with a location at 7) is page 14.
    const second: [number[], number[]] = [[0x81, 0x82, 0x01, 0x81, 0x07], [13, 14]];
    const expected = word(0x83, 0x82, 0x0a, 0x81, 0x05, 0x82, 0x02, 0x80, 0x82, 0x02, 0x81, 0x07);
    expect(writtenParts([[TWO_PAGES, SHIFT_10], second])).toEqual(expected);
    expect(writtenParts([[TWO_PAGES, SHIFT_10], second], false)).toEqual(expected);
    expect(writtenParts([[[0x80], [0, 1]], [TWO_PAGES, SHIFT_10], [[0x80], [20]], second])).toEqual(expected);
    const twice = [0x82, 0x82, 0x01, 0x81, 0x05, 0x82, 0x00, 0x80];
    expect(writtenParts([[twice, SHIFT_10]])).toEqual(word(0x82, 0x82, 0x0b, 0x81, 0x05, 0x82, 0x00, 0x80));
    expect(writtenParts([[twice, SHIFT_10]])).toEqual(writtenParts([[twice, SHIFT_10]], false));
  });

  test("a page the file's metadata does not list is an error, whether its pages could be copied whole or not", () => {
    // Page 0, then page 5 of a file of three pages.
    const beyond = [0x82, 0x82, 0x00, 0x81, 0x05, 0x82, 0x05, 0x80];
    expect(readSpan(Uint8Array.from(beyond), "test").inOrder).toBe(true);
    expect(() => writtenParts([[beyond, SHIFT_10]])).toThrow(/a word is on page 5, which the metadata does not list/);
    expect(() => writtenParts([[beyond, SHIFT_10]], false)).toThrow(/a word is on page 5, which the metadata does not list/);
  });
});

describe("fragments", () => {
  test("each page's fragment is JSON with the url, content and metadata the search page shows", async () => {
    const fragments = await readFragments();
    for (const record of records) {
      const fragment = fragments.find(({ url }) => url === record.url);
      expect(fragment, `the fragment of ${record.url}`).toBeDefined();
      expect(fragment!.meta.title, `${record.url}: meta.title`).toBe(record.title);
      expect(fragment!.content.length, `${record.url}: content`).toBeGreaterThan(0);
      if (record.article) expect(Object.keys(fragment!.meta).sort(), `${record.url}: meta`).toEqual(meta.fields);
    }
  });

  test("the search page reads from a result's id the number the counted fragment names carry", async () => {
    // Compacted as the oldest volume's is, counting down to 0, and as a newer volume's, counting down from a higher number.
    // (Both within one block of names, so of one generation: fragment-names.ts.)
    for (const newestNumber of [undefined, 10_200]) {
      const compacted = path.join(scratch, `compacted-${newestNumber ?? "oldest"}`);
      await cp(bundle, compacted, { recursive: true });
      await compactBundle(compacted, { newestNumber });
      const { pages } = await readMeta(compacted, (await readEntry(compacted)).languages.en!.hash);
      const numbers = pages.map((_, page) => (newestNumber ?? pages.length - 1) - page);
      const generation = pages[0]![0].split("_")[1]!;
      expect(
        pages.map(([name]) => name),
        "the counted names",
      ).toEqual(numbers.map((number) => fragmentName("en", generation, number)));
      const archiveNumber = await searchPageArchiveNumber();
      const ids = [...pages.map(([name]) => name), ...meta.pages.map(([name]) => name), "en_abc", "en_12ab"];
      for (const id of ids) expect(archiveNumber({ id }), `search.js's archiveNumber of "${id}"`).toBe(fragmentNumber(id) ?? -1);
      expect(pages.map(([name]) => fragmentNumber(name)), "the numbers of the counted names").toEqual(numbers);
      expect(numbers.at(-1), "the last page's number").toBe(newestNumber === undefined ? 0 : newestNumber - pages.length + 1);
    }
  });
});

/** Each page's URL, by number, from its fragment. */
async function pageUrls(): Promise<string[]> {
  return (await readFragments()).map(({ url }) => url);
}

async function readFragments(): Promise<Fragment[]> {
  return Promise.all(meta.pages.map(([name]) => readFragment(path.join(bundle, bundleFile("fragment", name)))));
}

/** Every word of the bundle's index, file after file. */
async function indexWords(): Promise<WordEntry[]> {
  const words: WordEntry[] = [];
  for (const [, , hash] of meta.chunks) {
    const file = path.join(bundle, bundleFile("index", hash));
    const reader = new IndexFileReader(await readBundleFile(file), file);
    for (let word = reader.next(); word; word = reader.next()) words.push(word);
  }
  return words;
}

/**
 * `archiveNumber` from layouts/assets/search.js, the function that orders results newest first
 * by the number in their id, taken from the script's own source: the script runs in the browser
 * and is served as it is, so it cannot import `fragmentNumber`.
 */
async function searchPageArchiveNumber(): Promise<(result: { id: string }) => number> {
  const script = path.join(ASSETS_DIR, "search.js");
  const source = /^function archiveNumber\(result\) \{\n[\s\S]*?\n\}$/m.exec(await readFile(script, "utf8"))?.[0];
  if (!source) throw new Error(`${script} has no function archiveNumber(result) any more: make fragmentNumber (src/search/pagefind-format.ts) read a result's id as the search page now does, and this test take that code.`);
  return new Function(`${source}\nreturn archiveNumber;`)() as (result: { id: string }) => number;
}
