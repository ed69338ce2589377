import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { JoinedHash } from "../../src/cache/joined-hash.ts";

// The hash of many texts as of their join, without the join (the related lists' key of an
// archive's names, src/cache/related-cache.ts).

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function joinedHash(texts: readonly string[]): string {
  const hash = new JoinedHash();
  for (const text of texts) hash.add(text);
  return hash.hex();
}

describe("the hash of texts one after another", () => {
  test("is the hash of their join", () => {
    const texts = ["2024/03/budget.md", "\0", "/topics/ferries/", "\n", "", "\0\0"];
    expect(joinedHash(texts)).toBe(sha256(texts.join("")));
    expect(joinedHash([])).toBe(sha256(""));
  });

  test("as UTF-8, whatever the characters: accents, scripts, a pair of two units", () => {
    const texts = ["2024/03/café.md", "/topics/مدينة/", "/authors/李明/", "🚢 ferries", "é".repeat(5)];
    expect(joinedHash(texts)).toBe(sha256(texts.join("")));
    // A pair cut in two between two texts: each half alone, as each text is encoded on its own.
    expect(joinedHash(["\uD83D", "\uDEA2"])).toBe(sha256("\uFFFD\uFFFD"));
  });

  test("over more bytes than it gathers at once, and with a text longer than all of them", () => {
    // A million bytes are gathered before each update: these fill it many times, across its end,
    // with texts of characters of three bytes each.
    const many = Array.from({ length: 120_000 }, (_, at) => (at % 2 === 0 ? `/2019/0${at % 9}/article-${at}-ß/\n` : "港".repeat(at % 13)));
    expect(joinedHash(many)).toBe(sha256(many.join("")));
    // 1,576 bytes left when a text of 600 characters of three bytes each comes (when two bytes a
    // character are taken for the most, the text is cut short there).
    const atTheEnd = [...Array.from({ length: 1047 }, () => "x".repeat(1000)), "港".repeat(600), "end"];
    expect(joinedHash(atTheEnd)).toBe(sha256(atTheEnd.join("")));
    const long = ["start", "ü".repeat(700_000), "x".repeat(3_000_000), "end"];
    expect(joinedHash(long)).toBe(sha256(long.join("")));
  });

  test("tells texts apart by every character; measured, by where each ends too", () => {
    expect(joinedHash(["a/b", "\0"])).not.toBe(joinedHash(["a/c", "\0"]));
    expect(joinedHash(["ab"])).toBe(joinedHash(["a", "b"]));
    const measured = (texts: readonly string[]) => texts.reduce((hash, text) => hash.addMeasured(text), new JoinedHash()).hex();
    expect(measured(["ab", "c"])).not.toBe(measured(["a", "bc"]));
    expect(measured(["ab", "c"])).toBe(joinedHash(["2:ab", "1:c"]));
    expect(measured(["", "1:"])).not.toBe(measured(["0:1:"]));
  });
});
