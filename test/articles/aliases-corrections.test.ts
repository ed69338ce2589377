import { describe, expect, test } from "vitest";
import { readAlias } from "../../src/articles/aliases.ts";
import { validateFrontMatter } from "../../src/articles/schema.ts";
import { formatProblem } from "../../src/problems.ts";

const valid = { title: "Pier reopens", author: "Ann Lee", date: "2024-05-01" };
const LINES: Record<string, number> = { aliases: 5, corrections: 6 };

function validate(data: Record<string, unknown>) {
  const { frontMatter, problems } = validateFrontMatter({ ...valid, ...data }, "articles/a.md", { timeZone: "Europe/London" }, (field) => LINES[field]);
  return { frontMatter, messages: problems.map(formatProblem) };
}

describe("aliases", () => {
  test.each([
    ["/2019/05/12/old-slug.html", "/2019/05/12/old-slug.html"],
    ["/p/123/", "/p/123/"],
    ["/p/123", "/p/123/"],
    ["/old-section/story/", "/old-section/story/"],
    ["/caf%C3%A9/menu", "/café/menu/"],
    ["//not-a-host-but-doubled", undefined],
    ["/a//b/", "/a/b/"],
    ["/", "/"],
  ])("%s is read as %s", (input, path) => {
    const read = readAlias(input);
    expect(read.ok ? read.path : undefined).toBe(path);
  });

  test("one alias or a list; the paths come through in order", () => {
    expect(validate({ aliases: "/p/1" }).frontMatter?.aliases).toEqual(["/p/1/"]);
    expect(validate({ aliases: ["/p/1", "/old/story.html"] }).frontMatter?.aliases).toEqual(["/p/1/", "/old/story.html"]);
    expect(validate({}).frontMatter?.aliases).toEqual([]);
  });

  test("a full address to another host is refused, with the path it would be here", () => {
    expect(validate({ aliases: ["https://old.example.com/stories/x.html"] }).messages).toEqual([
      'articles/a.md:5  aliases: item 1 "https://old.example.com/stories/x.html" is a full address, and an alias must be a path on this site: a static site can answer only for its own host. If the old address was on this site, write the path alone: /stories/x.html. A redirect from another host must be set up on that host.',
    ]);
  });

  test("a path that leaves the site is refused, however it is written", () => {
    for (const alias of ["../outside/", "/a/../../etc/", "/a/%2e%2e/b/"]) {
      expect(validate({ aliases: alias }).messages[0], alias).toMatch(/has a \. or \.\. part, which leads out of/);
    }
  });

  test("a relative path, a query, a space and a mapping each say what to write instead", () => {
    expect(validate({ aliases: ["p/1/", "/story.php?id=3", "/old story/", { from: "/x/" }] }).messages).toEqual([
      'articles/a.md:5  aliases: item 1 "p/1/" does not start with /. An alias is a path from the site\'s root: write /p/1/.',
      'articles/a.md:5  aliases: item 2 "/story.php?id=3" has a query or fragment (? or #), which a static host ignores when it picks a file. Write the path alone: /story.php.',
      'articles/a.md:5  aliases: item 3 "/old story/" has a space, backslash or control character, which no address can hold. Write the old path from the site\'s root, such as /2019/05/12/old-slug.html or /p/123/.',
      "articles/a.md:5  aliases: item 4 must be a path, not a mapping (key: value pairs). Write the old path from the site's root, such as /2019/05/12/old-slug.html or /p/123/.",
    ]);
  });

  test("the same alias twice is a warning, kept once", () => {
    const result = validate({ aliases: ["/p/1", "/p/1/"] });
    expect(result.messages).toEqual(["articles/a.md:5  aliases: item 2 repeats /p/1/. Remove the second one."]);
    expect(result.frontMatter?.aliases).toEqual(["/p/1/"]);
  });
});

describe("corrections", () => {
  test("read oldest first, dates in the site time zone, text folded", () => {
    const result = validate({
      corrections: [
        { date: "2024-06-02T09:00:00Z", text: "Second  correction." },
        { date: "2024-05-02", text: "First correction." },
      ],
    });
    expect(result.messages).toEqual([]);
    expect(result.frontMatter?.corrections.map((correction) => [correction.date.value.toISO(), correction.date.hasTime, correction.text])).toEqual([
      ["2024-05-02T00:00:00.000+01:00", false, "First correction."],
      ["2024-06-02T10:00:00.000+01:00", true, "Second correction."],
    ]);
  });

  test("each malformed item is one message naming it", () => {
    expect(
      validate({
        corrections: [{ date: "2024-06-02" }, "Wrong day.", { date: "2024-04-20", text: "Too early." }, { date: "2024-13-01", text: "x" }, { date: "2024-06-03", text: "x", by: "Ed" }, { text: "No date." }],
      }).messages,
    ).toEqual([
      'articles/a.md:6  corrections: item 1 has no text. Say what was corrected: text: "An earlier version gave the wrong date for the vote."',
      'articles/a.md:6  corrections: item 2 must be a mapping with a date and a text, not a string. Write each correction as an item of the list: `- { date: 2024-05-02, text: "An earlier version gave the wrong date for the vote." }`.',
      "articles/a.md:6  corrections: item 3: date 2024-04-20 is before the article was published (2024-05-01), and a correction comes after. Write the day the correction was made.",
      'articles/a.md:6  corrections: item 4: date "2024-13-01" is not a date: there is no month 13. Write it as 2019-12-01 or 2019-12-01T09:30:00+01:00.',
      "articles/a.md:6  corrections: item 5 has `by`, which a correction does not have. A correction has only `date` and `text`.",
      "articles/a.md:6  corrections: item 6 has no date. Add the day the correction was made: date: 2024-05-02.",
    ]);
  });

  test("a single mapping instead of a list", () => {
    expect(validate({ corrections: { date: "2024-06-02", text: "x" } }).messages).toEqual([
      'articles/a.md:6  corrections: must be a list of corrections, not a mapping (key: value pairs). Write each correction as an item of the list: `- { date: 2024-05-02, text: "An earlier version gave the wrong date for the vote." }`.',
    ]);
  });
});
