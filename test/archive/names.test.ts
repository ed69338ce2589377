import { describe, expect, test } from "vitest";
import { cleanName, mostUsedSpelling, nameKey } from "../../src/archive/names.ts";

describe("nameKey", () => {
  test("spellings that differ in case, spacing or separators share a key", () => {
    const keys = ["Social media", "social-media", "SOCIAL  MEDIA", "social_media", " Social\tMedia ", "social\u2013media"].map(nameKey);
    expect(new Set(keys)).toEqual(new Set(["social media"]));
  });

  test("composed and decomposed accents share a key", () => {
    expect(nameKey("Caf\u00e9")).toBe(nameKey("Cafe\u0301"));
  });

  test("compatibility forms share a key with the plain letters", () => {
    expect(nameKey("\uFF21rts")).toBe(nameKey("Arts"));
  });

  test("symbols that carry meaning keep names apart", () => {
    expect(nameKey("C++")).not.toBe(nameKey("C"));
    expect(nameKey("C#")).not.toBe(nameKey("C"));
    expect(nameKey("Q&A")).not.toBe(nameKey("QA"));
  });

  test("accents are not folded: Café and Cafe are different names", () => {
    expect(nameKey("Café")).not.toBe(nameKey("Cafe"));
  });
});

describe("cleanName", () => {
  test("folds runs of white space and trims, keeping case", () => {
    expect(cleanName("  SOCIAL \n  MEDIA ")).toBe("SOCIAL MEDIA");
  });

  test("composes accents so that one spelling is stored one way", () => {
    expect(cleanName("Cafe\u0301")).toBe("Caf\u00e9");
  });
});

describe("mostUsedSpelling", () => {
  test("the most used spelling wins", () => {
    expect(mostUsedSpelling(new Map([["city hall", 1], ["City Hall", 3], ["CITY HALL", 2]]))).toBe("City Hall");
  });

  test("ties go to the spelling that sorts first by code point, whatever the order seen", () => {
    expect(mostUsedSpelling(new Map([["b", 2], ["a", 2], ["c", 1]]))).toBe("a");
    expect(mostUsedSpelling(new Map([["city hall", 1], ["City Hall", 1]]))).toBe("City Hall");
    expect(mostUsedSpelling(new Map([["City Hall", 1], ["city hall", 1]]))).toBe("City Hall");
  });
});
