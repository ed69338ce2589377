import slugifyLatin from "@sindresorhus/slugify";
import { describe, expect, test } from "vitest";
import { nameKey } from "../../src/archive/names.ts";
import { slugify } from "../../src/archive/slug.ts";

describe("slugify", () => {
  test("spellings of one name share a slug", () => {
    expect(new Set(["Social media", "social-media", "SOCIAL  MEDIA", "social_media"].map(slugify))).toEqual(new Set(["social-media"]));
  });

  test("symbols that carry meaning are spelled out, keeping names apart", () => {
    expect(slugify("C++")).toBe("c-plus-plus");
    expect(slugify("C")).toBe("c");
    expect(slugify("C#")).toBe("c-sharp");
    expect(slugify("Q&A")).toBe("q-and-a");
  });

  test.each([
    ["Café", "cafe"],
    ["Cafe\u0301", "cafe"],
    ["Café culture", "cafe-culture"],
    ["Zoë Okafor", "zoe-okafor"],
    ["Straße", "strasse"],
    ["Москва", "moskva"],
    ["Ελλάδα", "ellada"],
    ["2024 budget", "2024-budget"],
  ])("Latin and transliterable scripts: %s → %s", (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  test.each([
    ["東京", "東京"],
    ["日本語のテキスト", "日本語のテキスト"],
    ["北京 news", "北京-news"],
    ["한국", "한국"],
    ["שלום", "שלום"],
  ])("scripts without a transliteration keep their letters: %s → %s", (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  test.each([["!!!"], [""], ["   "], ["🎉"], ["— · —"]])("text with no letters or digits gives an empty slug: %j", (name) => {
    expect(slugify(name)).toBe("");
  });

  test.each([["ሰላም"], ["ქართული"], ["Հայերեն"], ["தமிழ்"], ["ᏣᎳᎩ"], ["a 🎉"], ["½"], ["x\u0301"]])("never empty for a name with letters or digits: %j", (name) => {
    expect(slugify(name)).not.toBe("");
  });

  test("slugs are URL path segments: no slash, no white space, no leading or trailing hyphen", () => {
    for (const name of ["a/b", " a b ", "-a-", "a?b#c", "東京/大阪", "..", "%20"]) {
      expect(slugify(name)).toMatch(/^[^/\s?#]*$/);
      expect(slugify(name)).not.toMatch(/^-|-$/);
    }
  });

  test("names that share a key share a slug", () => {
    const spellings = ["Social media", "social-media", "SOCIAL  MEDIA", "Cafe\u0301", "Café"];
    for (const a of spellings) for (const b of spellings) if (nameKey(a) === nameKey(b)) expect(slugify(a)).toBe(slugify(b));
  });

  test("a slug already is its own slug, as the transliterator makes it", () => {
    const words = ["a", "0", "budget", "2024", "x1y2", "ss", "ae", "and", "plus", "nbsp", "i", "abc123def"];
    for (const first of words) {
      for (const second of ["", ...words]) {
        const slug = second === "" ? first : `${first}-${second}`;
        expect(slugify(slug)).toBe(slug);
        expect(slugifyLatin(slug)).toBe(slug);
      }
    }
  });
});
