import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { listMarkdownFiles, loadArticles, markdownFilesAmong, parseArticle } from "../../src/articles/load.ts";
import { stampInputs } from "../../src/cache/input-stamp.ts";
import { formatProblem } from "../../src/problems.ts";
import { bytes } from "../helpers/articles.ts";

const FILE = "articles/2020/budget.md";

function parse(input: Uint8Array | string) {
  const result = parseArticle(typeof input === "string" ? bytes(input) : input, FILE, "2020/budget.md", { timeZone: "UTC" });
  return { source: result.source, messages: result.problems.map(formatProblem), severities: result.problems.map((problem) => problem.severity) };
}

describe("parseArticle: bytes and line endings", () => {
  test("a byte-order mark and Windows line endings are valid", () => {
    const { source, messages } = parse("\uFEFF---\r\ntitle: Budget approved\r\nauthor: Jane Doe\r\ndate: 2020-04-27\r\n---\r\nFirst line.\r\nSecond line.\r\n");
    expect(messages).toEqual([]);
    expect(source).toMatchObject({ title: "Budget approved", authors: ["Jane Doe"], body: "First line.\nSecond line.\n", file: FILE, relativePath: "2020/budget.md" });
  });

  test("old Mac line endings are valid too", () => {
    expect(parse("---\rtitle: T\rauthor: A\rdate: 2020-04-27\r---\rBody.\r").source?.body).toBe("Body.\n");
  });

  test("bytes that are not UTF-8 are reported with the byte and its offset", () => {
    // "Café" saved as Latin-1: é is the single byte 0xE9.
    const latin1 = new Uint8Array([...bytes("---\ntitle: Caf"), 0xe9, ...bytes("\nauthor: A\ndate: 2020-04-27\n---\nBody.\n")]);
    expect(parse(latin1)).toEqual({ source: undefined, messages: [`${FILE}  is not UTF-8 text (byte 0xE9 at offset 14). Save the file as UTF-8.`], severities: ["error"] });
  });

  test("a UTF-8 sequence cut short is reported where it starts", () => {
    expect(parse(new Uint8Array([...bytes("ab"), 0xe2, 0x82])).messages).toEqual([`${FILE}  is not UTF-8 text (byte 0xE2 at offset 2). Save the file as UTF-8.`]);
  });
});

describe("parseArticle: front matter", () => {
  test.each([[""], ["\n\n  \n"], ["\uFEFF"]])("an empty file: %j", (text) => {
    expect(parse(text)).toEqual({
      source: undefined,
      messages: [`${FILE}  is empty. Write front matter (title, author, date) and a body, or delete the file.`],
      severities: ["error"],
    });
  });

  test("no front matter", () => {
    expect(parse("# Budget approved\n\nThe council approved the budget.\n").messages).toEqual([
      `${FILE}:1  has no front matter. Start the file with a line \`---\`, then \`title:\`, \`author:\` and \`date:\` lines, then another \`---\`.`,
    ]);
  });

  test("front matter that is never closed", () => {
    expect(parse("---\ntitle: Budget approved\nauthor: Jane Doe\ndate: 2020-04-27\n\nThe council approved the budget.\n").messages).toEqual([
      `${FILE}:1  has front matter that is never closed. Add a line \`---\` after the last field.`,
    ]);
  });

  // Documents a bug: the line is one too far down (src/articles/load.ts, the YAML error's line + 1).
  test("malformed YAML is reported at its line in the file", () => {
    expect(parse("---\ntitle: Budget: the final vote\nauthor: Jane Doe\ndate: 2020-04-27\n---\nBody.\n").messages).toEqual([
      `${FILE}:2  has front matter that is not valid YAML: bad indentation of a mapping entry. Fix that line; quote values that contain a colon.`,
    ]);
  });

  // The same bug as above.
  test("a repeated field is reported at the repeat's line", () => {
    expect(parse("---\ntitle: One\ntitle: Two\nauthor: Jane Doe\ndate: 2020-04-27\n---\nBody.\n").messages).toEqual([
      `${FILE}:3  has front matter that is not valid YAML: the field \`title\` is written a second time here. Keep one of them.`,
    ]);
  });

  test("front matter that is a list, not fields", () => {
    expect(parse("---\n- title\n- author\n---\nBody.\n").messages).toEqual([`${FILE}:2  has front matter that is not a list of fields. Write one \`name: value\` per line.`]);
  });

  test("a `---` rule in the body, after valid front matter, is body text", () => {
    const { source, messages } = parse("---\ntitle: T\nauthor: A\ndate: 2020-04-27\n---\nAbove the rule.\n\n---\n\nBelow the rule.\n");
    expect(messages).toEqual([]);
    expect(source?.body).toBe("Above the rule.\n\n---\n\nBelow the rule.\n");
  });

  test.each([["---\ntitle: T\nauthor: A\ndate: 2020-04-27\n---\n"], ["---\ntitle: T\nauthor: A\ndate: 2020-04-27\n---"], ["---\ntitle: T\nauthor: A\ndate: 2020-04-27\n---\n\n  \n"]])(
    "front matter only is valid, with a warning: %j",
    (text) => {
      const { source, messages, severities } = parse(text);
      expect(source?.title).toBe("T");
      expect(messages).toEqual([`${FILE}  has no body text. Write the article below the front matter.`]);
      expect(severities).toEqual(["warning"]);
    },
  );

  test("field problems carry the field's line in the file", () => {
    expect(parse("---\ntitle: T\nauther: A\nauthor: A\ndate: 2019-13-01\n---\nBody.\n").messages).toEqual([
      `${FILE}:3  auther: is not a field Broadsheet knows, so it is ignored. Did you mean \`author\`? Rename it to author.`,
      `${FILE}:5  date: "2019-13-01" is not a date: there is no month 13. Write it as 2019-12-01 or 2019-12-01T09:30:00+01:00.`,
    ]);
  });

  test("dates stay as written until the site time zone is applied", () => {
    const result = parseArticle(bytes("---\ntitle: T\nauthor: A\ndate: 2020-04-27 09:30\n---\nBody.\n"), FILE, "2020/budget.md", { timeZone: "Europe/Paris" });
    expect(result.source?.date.value.toISO()).toBe("2020-04-27T09:30:00.000+02:00");
  });
});

describe("listMarkdownFiles", () => {
  test("finds .md and .markdown files in code-point order, skipping hidden folders and other files", async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), "broadsheet-list-"));
    try {
      for (const file of ["b.md", "A.md", "2020/c.markdown", "2020/notes.txt", ".drafts/hidden.md", "2020/.hidden.md", "node_modules/x/readme.md"]) {
        await mkdir(path.dirname(path.join(folder, file)), { recursive: true });
        await writeFile(path.join(folder, file), "");
      }
      // A link is no article file of the archive: only the file it names is. No folder is listed through a link.
      await symlink(path.join(folder, "b.md"), path.join(folder, "2020", "linked.md"));
      await symlink(path.join(folder, "2020"), path.join(folder, "2021"));
      expect(await listMarkdownFiles(folder)).toEqual(["2020/c.markdown", "A.md", "b.md"]);
      // A build with the cache takes the list from its stamp's walk of the folder: the same files.
      expect(markdownFilesAmong(stampInputs([folder]).regularFiles.get(folder) ?? [])).toEqual(["2020/c.markdown", "A.md", "b.md"]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe("loadArticles", () => {
  test("reads the files a stamp listed; one removed since is left out with a warning, and no failure", async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), "broadsheet-listed-"));
    try {
      await writeFile(path.join(folder, "kept.md"), "---\ntitle: Kept\nauthor: A\ndate: 2020-04-27\n---\nBody.\n");
      // A folder the stamp listed, now a file.
      await writeFile(path.join(folder, "gone"), "");
      // Made after the stamp: the next build's, whose stamp finds it.
      await writeFile(path.join(folder, "made-since.md"), "---\ntitle: New\nauthor: A\ndate: 2020-04-28\n---\nBody.\n");
      const { sources, problems } = await loadArticles(folder, { timeZone: "UTC" }, undefined, ["kept.md", "removed.md", "gone/inside.md", "notes.txt"]);
      expect(sources.map((source) => source.relativePath)).toEqual(["kept.md"]);
      expect(problems.map((problem) => [problem.severity, path.resolve(problem.file), problem.message])).toEqual(
        ["gone/inside.md", "removed.md"].map((file) => ["warning", path.join(folder, file), "was removed while the archive was being built, after the build had listed it, so this build leaves it out. Build again."]),
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
