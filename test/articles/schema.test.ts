import { describe, expect, test } from "vitest";
import { validateFrontMatter, type FrontMatter } from "../../src/articles/schema.ts";
import { formatProblem } from "../../src/problems.ts";

const valid = { title: "Budget approved", author: "Jane Doe", date: "2020-04-27" };
// Lines as they would be in a file that writes the fields in this order after the opening `---`.
const LINES: Record<string, number> = { title: 2, author: 3, date: 4, topics: 5, summary: 6, updated: 7, draft: 8, slug: 9, auther: 10, tags: 11, image: 12 };

function validate(data: Record<string, unknown>): { frontMatter?: FrontMatter; messages: string[]; severities: string[] } {
  const { frontMatter, problems } = validateFrontMatter(data, "articles/a.md", { timeZone: "UTC" }, (field) => (Object.hasOwn(LINES, field) ? LINES[field] : undefined));
  return { frontMatter, messages: problems.map(formatProblem), severities: problems.map((problem) => problem.severity) };
}

describe("title", () => {
  test("missing", () => {
    const { author, date } = valid;
    expect(validate({ author, date })).toEqual({
      frontMatter: undefined,
      messages: ["articles/a.md:2  title: is missing. Add a line `title: Your headline` to the front matter."],
      severities: ["error"],
    });
  });

  test.each([[""], ["   "], ["\t\n "]])("empty or white space only: %j", (title) => {
    expect(validate({ ...valid, title }).messages).toEqual(["articles/a.md:2  title: is empty. Write the article's headline after `title:`."]);
  });

  test("empty value (`title:` with nothing after it)", () => {
    expect(validate({ ...valid, title: null }).messages).toEqual(["articles/a.md:2  title: is empty. Write the article's headline after `title:`."]);
  });

  test("a list", () => {
    expect(validate({ ...valid, title: ["a", "b"] }).messages).toEqual(['articles/a.md:2  title: must be text, not a list. Write the headline in quotes: title: "Your headline".']);
  });

  test("a number is accepted as text, since YAML reads `title: 1984` as a number", () => {
    expect(validate({ ...valid, title: 1984 }).frontMatter?.title).toBe("1984");
  });

  test("runs of white space are folded", () => {
    expect(validate({ ...valid, title: "  Budget \n  approved  " }).frontMatter?.title).toBe("Budget approved");
  });
});

describe("author", () => {
  test("a number is accepted as a name", () => {
    const result = validate({ ...valid, author: 42 });
    expect(result.messages).toEqual([]);
    expect(result.frontMatter?.authors).toEqual(["42"]);
  });

  test("a mapping is an error", () => {
    expect(validate({ ...valid, author: { name: "Jane Doe", email: "jane@example.org" } })).toEqual({
      frontMatter: undefined,
      messages: ["articles/a.md:3  author: must be a name, not a mapping (key: value pairs). Write each author as text: author: Jane Doe, or a list of names."],
      severities: ["error"],
    });
  });

  test("a mapping inside a list names the item", () => {
    expect(validate({ ...valid, author: ["Jane Doe", { name: "John" }] }).messages).toEqual([
      "articles/a.md:3  author: item 2 must be a name, not a mapping (key: value pairs). Write each author as text: author: Jane Doe, or a list of names.",
    ]);
  });

  test("a list with an empty entry is an error", () => {
    expect(validate({ ...valid, author: ["Jane Doe", ""] })).toEqual({
      frontMatter: undefined,
      messages: ["articles/a.md:3  author: item 2 is empty. Remove it or write a name."],
      severities: ["error"],
    });
  });

  test.each([[null], [""], ["  "], [[null]]])("an empty value or item is one message: %j", (author) => {
    const message = Array.isArray(author) ? "item 1 is empty. Remove it or write a name." : "is empty. Write the author's name after `author:`, or a list of names.";
    expect(validate({ ...valid, author }).messages).toEqual([`articles/a.md:3  author: ${message}`]);
  });

  test("an empty list", () => {
    expect(validate({ ...valid, author: [] }).messages).toEqual(["articles/a.md:3  author: is empty. Write the author's name after `author:`, or a list of names."]);
  });

  test("missing", () => {
    const { title, date } = valid;
    expect(validate({ title, date }).messages).toEqual(["articles/a.md:3  author: is missing. Add a line `author: Full Name` (or a list of names) to the front matter."]);
  });

  test("a list of names, folded and without repeats", () => {
    expect(validate({ ...valid, author: [" Jane   Doe", "John Roe", "Jane Doe"] }).frontMatter?.authors).toEqual(["Jane Doe", "John Roe"]);
  });
});

describe("topics", () => {
  test("a single name becomes a list", () => {
    expect(validate({ ...valid, topics: "Housing" }).frontMatter?.topics).toEqual(["Housing"]);
  });

  test("repeated names are removed; other spellings are left for the archive to merge", () => {
    expect(validate({ ...valid, topics: ["Housing", "Transport", "Housing", " Housing "] }).frontMatter?.topics).toEqual(["Housing", "Transport"]);
    expect(validate({ ...valid, topics: ["Housing", "housing"] }).frontMatter?.topics).toEqual(["Housing", "housing"]);
  });

  test("an empty entry is a warning, and is dropped", () => {
    const result = validate({ ...valid, topics: ["Housing", ""] });
    expect(result.frontMatter?.topics).toEqual(["Housing"]);
    expect(result.messages).toEqual(["articles/a.md:5  topics: item 2 is empty. Remove it or write a name."]);
    expect(result.severities).toEqual(["warning"]);
  });

  test("absent or empty means no topics", () => {
    expect(validate(valid).frontMatter?.topics).toEqual([]);
    expect(validate({ ...valid, topics: null }).frontMatter?.topics).toEqual([]);
  });
});

describe("fields Broadsheet does not know", () => {
  test("a misspelt `auther` is a warning naming `author`", () => {
    const result = validate({ ...valid, auther: "Jane Doe" });
    expect(result.frontMatter).toBeDefined();
    expect(result.messages).toEqual(["articles/a.md:10  auther: is not a field Broadsheet knows, so it is ignored. Did you mean `author`? Rename it to author."]);
    expect(result.severities).toEqual(["warning"]);
  });

  test("`tags`, from other generators, is a warning naming `topics`", () => {
    const result = validate({ ...valid, tags: ["Housing"] });
    expect(result.frontMatter?.topics).toEqual([]);
    expect(result.messages).toEqual(["articles/a.md:11  tags: is not a field Broadsheet knows, so it is ignored. Did you mean `topics`? Rename it to topics."]);
    expect(result.severities).toEqual(["warning"]);
  });

  test("names of Object.prototype's properties are unknown fields too", () => {
    // Documents a bug: src/articles/schema.ts checks `field in FIELDS` and reads SYNONYMS[field]
    // through the prototype chain, so `toString:` passes silently and `Constructor:` suggests a function.
    expect(validate({ ...valid, toString: "x" }).messages).toEqual([
      "articles/a.md  toString: is not a field Broadsheet knows, so it is ignored. The fields are: title, author, date, topics, summary, updated, draft, slug, aliases, corrections, image.",
    ]);
    expect(validate({ ...valid, Constructor: "x" }).messages).toEqual([
      "articles/a.md  Constructor: is not a field Broadsheet knows, so it is ignored. The fields are: title, author, date, topics, summary, updated, draft, slug, aliases, corrections, image.",
    ]);
  });

  test("a name like no field lists the fields", () => {
    expect(validate({ ...valid, colour: "red" }).messages).toEqual([
      "articles/a.md  colour: is not a field Broadsheet knows, so it is ignored. The fields are: title, author, date, topics, summary, updated, draft, slug, aliases, corrections, image.",
    ]);
  });
});

describe("draft", () => {
  test.each([
    ["yes", 'articles/a.md:8  draft: must be true or false, not "yes".'],
    ["true", 'articles/a.md:8  draft: must be true or false, not "true".'],
    [1, "articles/a.md:8  draft: must be true or false, not 1."],
    [["true"], 'articles/a.md:8  draft: must be true or false, not ["true"].'],
  ])("%j is an error", (draft, message) => {
    expect(validate({ ...valid, draft })).toEqual({ frontMatter: undefined, messages: [message], severities: ["error"] });
  });

  test("true and false are read; absent is false", () => {
    expect(validate({ ...valid, draft: true }).frontMatter?.draft).toBe(true);
    expect(validate({ ...valid, draft: false }).frontMatter?.draft).toBe(false);
    expect(validate(valid).frontMatter?.draft).toBe(false);
  });
});

describe("date, updated, summary and slug", () => {
  test("missing date", () => {
    const { title, author } = valid;
    expect(validate({ title, author }).messages).toEqual([
      "articles/a.md:4  date: is missing. Add a line `date: 2020-04-27` to the front matter. Write it as 2019-12-01 or 2019-12-01T09:30:00+01:00.",
    ]);
  });

  test("impossible date", () => {
    expect(validate({ ...valid, date: "2019-13-01" }).messages).toEqual([
      'articles/a.md:4  date: "2019-13-01" is not a date: there is no month 13. Write it as 2019-12-01 or 2019-12-01T09:30:00+01:00.',
    ]);
  });

  test("an update before the date is a warning, and is ignored", () => {
    const result = validate({ ...valid, updated: "2019-01-01" });
    expect(result.frontMatter?.updated).toBeUndefined();
    expect(result.messages).toEqual(["articles/a.md:7  updated: 2019-01-01 is before the article's date, so it is ignored. Correct it to the date of the last correction."]);
    expect(result.severities).toEqual(["warning"]);
  });

  test("a summary that is not text", () => {
    expect(validate({ ...valid, summary: ["one"] }).messages).toEqual(['articles/a.md:6  summary: must be text, not a list. Write it in quotes: summary: "One sentence."']);
  });

  test("an empty slug", () => {
    expect(validate({ ...valid, slug: "" }).messages).toEqual(["articles/a.md:9  slug: must be text, such as `slug: budget-2024`. Remove it to use the file name."]);
  });

  test("every problem is reported at once, not only the first", () => {
    const result = validate({ title: "", author: { name: "x" }, date: "2019-02-30", draft: "no", auther: "x" });
    expect(result.messages).toEqual([
      "articles/a.md:10  auther: is not a field Broadsheet knows, so it is ignored. Did you mean `author`? Rename it to author.",
      "articles/a.md:2  title: is empty. Write the article's headline after `title:`.",
      "articles/a.md:3  author: must be a name, not a mapping (key: value pairs). Write each author as text: author: Jane Doe, or a list of names.",
      'articles/a.md:4  date: "2019-02-30" is not a date: February 2019 has 28 days. Write it as 2019-12-01 or 2019-12-01T09:30:00+01:00.',
      'articles/a.md:8  draft: must be true or false, not "no".',
    ]);
  });
});

describe("image", () => {
  test("a mapping with src, alt, caption and credit", () => {
    const image = { src: "harbour/boats.jpg", alt: "Boats at the quay", caption: "Dawn after the fire.", credit: "Jane Roe" };
    const result = validate({ ...valid, image });
    expect(result.messages).toEqual([]);
    expect(result.frontMatter?.image).toEqual(image);
  });

  test("a path alone is accepted, with a warning that it has no alt text", () => {
    const result = validate({ ...valid, image: "boats.jpg" });
    expect(result.frontMatter?.image).toEqual({ src: "boats.jpg", alt: "" });
    expect(result.messages).toEqual([
      "articles/a.md:12  image: has no alt text, so a reader who cannot see the picture learns nothing from it. Write it as src: and alt: lines indented under image:, with alt: saying what the picture shows.",
    ]);
    expect(result.severities).toEqual(["warning"]);
  });

  test("an https:// address is used as it is", () => {
    expect(validate({ ...valid, image: { src: "https://images.example.org/boats.jpg", alt: "Boats" } }).frontMatter?.image?.src).toBe("https://images.example.org/boats.jpg");
  });

  test("a mapping without alt is a warning naming the fix", () => {
    const result = validate({ ...valid, image: { src: "boats.jpg", caption: "Boats." } });
    expect(result.messages).toEqual(["articles/a.md:12  image: has no alt text, so a reader who cannot see the picture learns nothing from it. Add alt: under image:, saying what the picture shows."]);
    expect(result.frontMatter?.image).toEqual({ src: "boats.jpg", alt: "", caption: "Boats.", credit: undefined });
  });

  test("bad shapes are errors that say how to write it", () => {
    expect(validate({ ...valid, image: ["a.jpg", "b.jpg"] }).messages).toEqual([
      "articles/a.md:12  image: must be a picture's path or address, or src, alt, caption and credit, not a list. Write image: harbour/boats.jpg, or src:, alt:, caption: and credit: lines indented under image:.",
    ]);
    expect(validate({ ...valid, image: { alt: "Boats" } }).messages).toEqual([
      "articles/a.md:12  image: has no src: the picture's path, relative to the article's file, or its https:// address. Add src: under image:.",
    ]);
    expect(validate({ ...valid, image: { src: "a.jpg", alt: ["x"] } }).messages).toEqual(['articles/a.md:12  image: alt must be text, not a list. Write it in quotes: alt: "…".']);
    expect(validate({ ...valid, image: { src: "javascript:alert(1)", alt: "x" } }).messages).toEqual([
      "articles/a.md:12  image: javascript:alert(1) is neither a path beside the article nor an https:// address. Write the picture's path relative to the article's file, or its full https:// address.",
    ]);
    expect(validate({ ...valid, image: { src: "javascript:alert(1)", alt: "x" } }).frontMatter).toBeUndefined();
  });

  test("an unknown key in the mapping is a warning with the key meant", () => {
    expect(validate({ ...valid, image: { src: "a.jpg", alt: "A", credits: "Jane Roe" } }).messages).toEqual([
      "articles/a.md:12  image: credits is not part of an image, so it is ignored. Did you mean `credit`? An image has src, alt, caption, credit.",
    ]);
  });

  test("picture: and cover: are taken for image:", () => {
    expect(validate({ ...valid, picture: "a.jpg" }).messages[0]).toContain("Did you mean `image`?");
  });
});
