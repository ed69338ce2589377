import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DateTime } from "luxon";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { loadSite } from "../../src/archive/load-site.ts";
import { displayPath } from "../../src/import/article-file.ts";
import { writeNewArticle } from "../../src/import/new-article.ts";
import { formatProblem } from "../../src/problems.ts";

let articlesDir: string;
beforeEach(async () => {
  articlesDir = await mkdtemp(path.join(os.tmpdir(), "broadsheet-new-"));
});
afterEach(async () => {
  await rm(articlesDir, { recursive: true, force: true });
});

// 23:30 in London on 31 December is already 1 January in Auckland.
const NOW = DateTime.fromISO("2024-12-31T23:30:00Z");

describe("writeNewArticle", () => {
  test("writes YYYY/slug.md dated today in the site time zone, with quoted front matter", async () => {
    await writeFile(path.join(articlesDir, "broadsheet.yml"), "timeZone: Pacific/Auckland\n");
    const result = await writeNewArticle({ title: 'Budget: the "real" cost', authors: ["Jane Doe", "Ann Lee"], topics: ["City Hall"], articlesDir, now: NOW });
    expect(result).toEqual({ file: displayPath(path.join(articlesDir, "2025", "budget-the-real-cost.md")), problems: [] });
    expect(await readFile(path.join(articlesDir, "2025", "budget-the-real-cost.md"), "utf8")).toBe(
      "---\ntitle: 'Budget: the \"real\" cost'\nauthor: [Jane Doe, Ann Lee]\ndate: 2025-01-01\ntopics: [City Hall]\n---\n\nWrite the article here.\n",
    );
    expect((await loadSite({ articlesDir })).problems.map(formatProblem)).toEqual([]);
  });

  test("never overwrites: a second article of the same headline gets -2 and a warning", async () => {
    await writeNewArticle({ title: "Same", authors: ["Jane Doe"], articlesDir, now: NOW });
    const second = await writeNewArticle({ title: "Same", authors: ["Jane Doe"], articlesDir, now: NOW });
    expect(second.file).toBe(displayPath(path.join(articlesDir, "2024", "same-2.md")));
    expect(second.problems.map(formatProblem)).toEqual([
      `${displayPath(path.join(articlesDir, "2024", "same-2.md"))}  is the new article's file, because ${displayPath(path.join(articlesDir, "2024", "same.md"))} already exists. Rename it if you meant another name.`,
    ]);
  });

  test("without an author nothing is written", async () => {
    const result = await writeNewArticle({ title: "Headline", authors: [], articlesDir, now: NOW });
    expect(result.file).toBeUndefined();
    expect(result.problems.map(formatProblem)).toEqual(['--author  is missing. Name the author: broadsheet new "Headline" --author "Jane Doe" (repeat --author for each author).']);
  });
});
