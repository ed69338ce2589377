import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { closestWord, editDistance, lengthsIn, parseVocabulary, vocabularyFileFor } from "../../layouts/assets/typos.js";
import { countClass, textOf, vocabularyFiles, WordCounter, wordsOf, writeVocabulary } from "../../src/search/vocabulary.ts";

describe("the archive's words", () => {
  test("are the letters of the text Pagefind indexes, in lower case, tags and references read", () => {
    expect(wordsOf(textOf("<h1>Ferry fares&nbsp;rise</h1><p data-x=\"hidden words\">Caf&eacute; &amp; caf&#233;, 2024's <b>R&#xE9;sum&#233;</b></p>"))).toEqual(["ferry", "fares", "rise", "caf", "café", "résumé"]);
    expect(wordsOf(textOf("<script>var secret = 1</script><style>.x{}</style>Harbour"))).toEqual(["harbour"]);
  });

  test("are counted once per article, every word however rare", () => {
    const counter = new WordCounter();
    counter.add("<title>Herons return</title><h1>Herons return</h1><p>Herons nest. A rare heronry.</p>");
    counter.add("<title>Ferry fares</title><h1>Ferry fares</h1><p>The herons watch the ferry.</p>");
    expect(Object.fromEntries(counter.articles)).toEqual({ herons: 2, return: 1, nest: 1, rare: 1, heronry: 1, ferry: 1, fares: 1, the: 1, watch: 1 });
  });

  test("include the metadata Pagefind searches, such as an author's name, but not a picture's address", () => {
    const counter = new WordCounter();
    counter.add(`<h1>Inclusivity</h1><span data-pagefind-meta="authors:Frances Carden, Zo&quot;e Brontë"></span><span data-pagefind-meta="image:/media/lighthouse-photo.webp"></span><p>Text.</p>`);
    expect([...counter.articles.keys()].sort()).toEqual(["brontë", "carden", "frances", "inclusivity", "text"]);
  });

  test("go in one list per typed length, each with every word within the length's allowance of edits", () => {
    const files = vocabularyFiles(new Map([["pier", 1], ["piers", 3], ["harbour", 40], ["harbours", 700], ["reconstruction", 2]]));
    const words = (length: number) => [...parseVocabulary(files.find(({ file }) => file === vocabularyFileFor(length))!.text).keys()];
    expect(words(4)).toEqual(["pier", "piers"]);
    expect(words(7)).toEqual(["harbour", "harbours"]);
    expect(words(9)).toEqual(["harbour", "harbours"]);
    expect(words(15)).toEqual(["reconstruction"]);
    expect(words(40)).toEqual(["reconstruction"]);
    expect(lengthsIn(8)).toEqual({ shortest: 6, longest: 10 });
    expect(parseVocabulary(files[0]!.text).get("piers")).toBe(countClass(3));
  });

  test("are written gzipped into the bundle, and lists no longer written are removed", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "broadsheet-vocabulary-"));
    try {
      await writeVocabulary(dir, new Map([["harbour", 2]]));
      const text = gunzipSync(await readFile(path.join(dir, vocabularyFileFor(7)))).toString();
      expect(parseVocabulary(text)).toEqual(new Map([["harbour", 1]]));
      expect((await readdir(path.join(dir, "vocabulary"))).length).toBe(12);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("finding the word meant", () => {
  const words = new Map([["harbour", 5], ["harbours", 2], ["ferry", 6], ["fairy", 1], ["ferries", 3], ["heron", 2], ["herons", 2], ["library", 4]]);

  test("counts a letter changed, left out, added, or two swapped as one edit", () => {
    expect(editDistance("harbour", "harbour")).toBe(0);
    expect(editDistance("harbuor", "harbour")).toBe(1);
    expect(editDistance("harbor", "harbour")).toBe(1);
    expect(editDistance("jarbour", "harbour")).toBe(1);
    expect(editDistance("harboura", "harbour")).toBe(1);
    expect(editDistance("hrabuor", "harbour")).toBe(2);
    expect(editDistance("ferry", "library", 1)).toBe(2);
  });

  test("takes the fewest edits, then the word in most articles, typos in the first letter too", () => {
    expect(closestWord("harbuor", words)).toBe("harbour");
    expect(closestWord("jarbour", words)).toBe("harbour");
    expect(closestWord("fery", words)).toBe("ferry");
    expect(closestWord("ferru", words)).toBe("ferry");
    expect(closestWord("librray", words)).toBe("library");
  });

  test("allows one edit in words of up to seven letters, two in longer ones, and corrects no word shorter than four", () => {
    expect(closestWord("hrebns", words)).toBeUndefined();
    expect(closestWord("hrabuors", words)).toBe("harbours");
    expect(closestWord("fry", new Map([["ferry", 1], ["fly", 1]]))).toBeUndefined();
  });

  test("leaves a word the archive has as it is", () => {
    expect(closestWord("herons", words)).toBeUndefined();
  });
});
