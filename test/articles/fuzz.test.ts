import fc from "fast-check";
import yaml from "js-yaml";
import { describe, expect, test } from "vitest";
import { parseArticle } from "../../src/articles/load.ts";
import { FIELDS } from "../../src/articles/schema.ts";
import { buildArchive } from "../../src/archive/archive.ts";
import { slugify } from "../../src/archive/slug.ts";
import { defaultSettings } from "../../src/settings.ts";

const FILE = "articles/fuzz.md";
const encoder = new TextEncoder();

const text = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.constantFrom("", " ", "---", "...", "2019-02-30", "2020-04-27", "2001-12-14t21:59:43.10-05:00", "true", "null", "~", "[a, b", "a: b", "# x", "'", '"', "|", ">", "&a", "*a", "!!binary x", "@", "`", "\t", "東京", "Café"),
);
const key = fc.oneof(fc.constantFrom(...Object.keys(FIELDS), "tags", "auther", "authors", "layout", "permalink", "Title", "toString", "__proto__"), fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }));
const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), text, fc.array(text, { maxLength: 4 }));

/** A front-matter line, written one of the ways people write YAML, or do not quite. */
const entry = fc.tuple(key, value, fc.constantFrom("json", "plain", "dump", "list")).map(([name, data, style]) => {
  switch (style) {
    case "json":
      return `${name}: ${JSON.stringify(data) ?? ""}`;
    case "plain":
      // An object can have a "toString" key that is not a function, which String() throws on.
      return `${name}: ${typeof data === "string" ? data : typeof data === "object" && data !== null ? JSON.stringify(data) : String(data)}`;
    case "list":
      return `${name}:\n${(Array.isArray(data) ? data : [data]).map((item) => `  - ${typeof item === "string" ? item : JSON.stringify(item)}`).join("\n")}`;
    default:
      try {
        return yaml.dump({ [name]: data }).trimEnd();
      } catch {
        return `${name}: ${JSON.stringify(data)}`;
      }
  }
});

const article = fc
  .record({
    entries: fc.array(entry, { maxLength: 8 }),
    // The three required fields, often valid, so that validation past the parser is reached too.
    required: fc.oneof(fc.constant(["title: A headline", "author: Jane Doe", "date: 2020-04-27"]), fc.subarray(["title: A headline", "author: Jane Doe", "date: 2020-04-27"])),
    body: fc.oneof(text, fc.string({ unit: "grapheme", maxLength: 200 }), fc.constantFrom("", "\n---\n", "Body.\n\n---\n\nMore.", "{{ x }} {% include 'a' %}")),
    bom: fc.boolean(),
    crlf: fc.boolean(),
    close: fc.constantFrom("---", "...", "", "--- "),
  })
  .map(({ entries, required, body, bom, crlf, close }) => {
    const file = `${bom ? "\uFEFF" : ""}---\n${[...required, ...entries].join("\n")}\n${close}\n${body}`;
    return crlf ? file.replace(/\n/g, "\r\n") : file;
  });

describe("parseArticle never throws", () => {
  test("for random front matter and bodies: a source without errors, or at least one error", () => {
    fc.assert(
      fc.property(article, (file) => {
        const result = parseArticle(encoder.encode(file), FILE, "fuzz.md", { timeZone: "Europe/London" });
        const errors = result.problems.filter((problem) => problem.severity === "error");
        if (result.source) {
          expect(errors).toEqual([]);
          expect(result.source.title).not.toBe("");
          expect(result.source.authors.length).toBeGreaterThan(0);
          expect(result.source.date.value.isValid).toBe(true);
        } else {
          expect(errors.length).toBeGreaterThan(0);
        }
        for (const problem of result.problems) {
          expect(problem.file).toBe(FILE);
          expect(problem.message).toMatch(/\S/);
        }
      }),
      { numRuns: 1500 },
    );
  });

  test("for random bytes", () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), article.map((file) => encoder.encode(file))), fc.nat(), (bytes, at) => {
        // Corrupt one byte, so that text is often almost, but not quite, UTF-8.
        const corrupted = Uint8Array.from(bytes);
        if (corrupted.length > 0) corrupted[at % corrupted.length] = 0x80 + (at % 0x80);
        for (const input of [bytes, corrupted]) {
          const result = parseArticle(input, FILE, "fuzz.md", { timeZone: "UTC" });
          expect(result.source !== undefined || result.problems.some((problem) => problem.severity === "error")).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("slugify", () => {
  const anyText = fc.oneof(
    fc.string({ unit: "binary", maxLength: 20 }),
    fc.string({ unit: "grapheme", maxLength: 20 }),
    fc.string({ unit: "grapheme-composite", maxLength: 20 }),
    fc.string({ unit: fc.constantFrom("C", "+", "#", "&", "-", " ", "_", "é", "\u0301", "東", "ሀ", "ა", "🎉", "½", "²", "ǅ", "ß", "İ", "\u200d", "٣"), maxLength: 12 }),
  );

  test('is "" only for text with no letter or digit', () => {
    fc.assert(
      fc.property(anyText, (name) => {
        if (slugify(name) === "") expect(name).not.toMatch(/[\p{L}\p{N}]/u);
      }),
      { numRuns: 3000 },
    );
  });

  test("is a URL path segment: no slash, ? or #, no white space, no hyphen at either end", () => {
    fc.assert(
      fc.property(anyText, (name) => {
        const slug = slugify(name);
        expect(slug).not.toMatch(/[/?#\s]|^-|-$/u);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("placing an article", () => {
  const name = fc.oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }), fc.constantFrom("!!!", "—", "🎉", "2020-04-27-", "Café crème — notes", "東京", "..."));

  test("gives it a URL with a non-empty slug, or reports an error; it never throws", () => {
    fc.assert(
      fc.property(name.filter((file) => !/[/\\\0]/.test(file)), fc.option(name), (file, slug) => {
        const written = slug === null ? "" : `slug: ${JSON.stringify(slug)}\n`;
        const result = parseArticle(encoder.encode(`---\ntitle: T\nauthor: A\ndate: 2020-04-27\n${written}---\nBody.\n`), `articles/2020/${file}.md`, `2020/${file}.md`, { timeZone: "UTC" });
        if (!result.source) return;
        const { archive, problems } = buildArchive([result.source], defaultSettings, { drafts: false });
        for (const article of archive.articles) expect(article.url).toMatch(/^\/2020\/04\/[^/?#\s]+\/$/u);
        expect(archive.articles.length + problems.filter((problem) => problem.severity === "error").length).toBe(1);
      }),
      { numRuns: 1000 },
    );
  });
});
