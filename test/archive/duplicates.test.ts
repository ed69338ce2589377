import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { buildArchive } from "../../src/archive/archive.ts";
import { findNearDuplicates, findSingleUseTopics, normaliseText } from "../../src/archive/duplicates.ts";
import { renderArticles } from "../../src/archive/render.ts";
import { loadSite } from "../../src/archive/load-site.ts";
import { formatProblem } from "../../src/problems.ts";
import { defaultSettings } from "../../src/settings.ts";
import { source } from "../helpers/articles.ts";
import { runBroadsheet } from "../helpers/files.ts";

const OPENING = "The council approved the budget for next year by a single vote on Tuesday.";

function archiveOf(...articles: [string, string, string?][]) {
  const sources = articles.map(([relativePath, frontMatter, body], index) =>
    source(relativePath, `${frontMatter}\nauthor: Jane Doe\ndate: 2024-01-${String(index + 1).padStart(2, "0")}`, { body: body ?? `Body of ${relativePath}, different in every article.\n` }),
  );
  const { archive } = buildArchive(sources, defaultSettings, { drafts: false });
  renderArticles(archive, new Set(), defaultSettings);
  return archive;
}

describe("findNearDuplicates", () => {
  test("the same headline, up to case, punctuation and spacing, is reported on the later file", () => {
    const archive = archiveOf(["2024/b.md", "title: Budget approved!"], ["2024/a.md", "title: budget   APPROVED"], ["2024/c.md", "title: Budget rejected"]);
    expect(findNearDuplicates(archive).map(formatProblem)).toEqual([
      'articles/2024/b.md  title: has the same headline as articles/2024/a.md: "Budget approved!". If it is the same article, delete one; else reword one of the headlines.',
    ]);
  });

  test("the same first paragraph under different headlines is reported", () => {
    const archive = archiveOf(["2024/a.md", "title: One", `## Heading\n\n${OPENING}\n`], ["2024/b.md", "title: Two", `“${OPENING.toUpperCase()}”\n\nMore.\n`]);
    expect(findNearDuplicates(archive).map(formatProblem)).toEqual([
      "articles/2024/b.md  begins with the same paragraph as articles/2024/a.md. If it is the same article, delete one; else rewrite one of the openings.",
    ]);
  });

  test("a copy with the same headline and paragraph is reported once; its -2 name comes second", () => {
    const archive = archiveOf(["2024/budget-2.md", "title: Budget", OPENING], ["2024/budget.md", "title: Budget", OPENING]);
    expect(findNearDuplicates(archive).map((problem) => problem.file)).toEqual(["articles/2024/budget-2.md"]);
  });

  test("short first paragraphs are not compared", () => {
    expect(findNearDuplicates(archiveOf(["a.md", "title: One", "Updated.\n"], ["b.md", "title: Two", "Updated.\n"]))).toEqual([]);
  });

  // How fast it is belongs to the bench (`npm run bench`), not to a timed assertion here.
  test("finds nothing among 20,000 articles that only share a pattern", () => {
    const articles = Array.from({ length: 20_000 }, (_, index) => ({ title: `Headline ${index}`, file: `f${index}.md`, relativePath: `f${index}.md`, opening: `Paragraph number ${index} of the archive, long enough.` }));
    expect(findNearDuplicates({ articles: articles as never })).toEqual([]);
  });
});

describe("findSingleUseTopics", () => {
  test("lists each topic that only one article has, with its file", () => {
    const archive = archiveOf(["a.md", "title: One\ntopics: [Housing, Ferries]"], ["b.md", "title: Two\ntopics: [housing]"]);
    expect(findSingleUseTopics(archive)).toEqual([{ topic: "Ferries", file: "articles/a.md" }]);
  });
});

describe("helpers", () => {
  test("normaliseText folds case, punctuation, quotes and spacing", () => {
    expect(normaliseText("  “Council: ‘No’ to  Tower!” ")).toBe("council no to tower");
  });
});

describe("broadsheet check", () => {
  let articlesDir: string;
  beforeEach(async () => {
    articlesDir = await mkdtemp(path.join(os.tmpdir(), "broadsheet-check-"));
    await mkdir(path.join(articlesDir, "2024"));
    const write = (name: string, title: string, topics: string, body: string) =>
      writeFile(path.join(articlesDir, "2024", name), `---\ntitle: ${title}\nauthor: Jane Doe\ndate: 2024-01-01\ntopics: [${topics}]\n---\n\n${body}\n`);
    await write("a.md", "Budget approved", "Money, Council", OPENING);
    await write("b.md", "Budget approved.", "Money", "Another opening paragraph that is long enough to compare.");
    await write("c.md", "Ferry cut", "Ferries", OPENING);
  });
  afterEach(async () => {
    await rm(articlesDir, { recursive: true, force: true });
  });

  test("reports near-duplicates and topics used once as warnings, and exits 0", async () => {
    const site = await loadSite({ articlesDir });
    expect(site.problems).toEqual([]);
    const { code, stdout, stderr } = await runBroadsheet(["check", "--articles", articlesDir]);
    expect(code).toBe(0);
    const file = (name: string) => path.relative(path.resolve("."), path.join(articlesDir, "2024", name)).split(path.sep).join("/");
    expect(stderr).toBe(
      [
        "2 warnings:",
        `  ${file("b.md")}  title: has the same headline as ${file("a.md")}: "Budget approved.". If it is the same article, delete one; else reword one of the headlines.`,
        `  ${file("c.md")}  begins with the same paragraph as ${file("a.md")}. If it is the same article, delete one; else rewrite one of the openings.`,
        "1 warning: 2 topics are used by one article only. Check each is not a misspelling of another topic; merge spellings with an alias in broadsheet.yml:",
        `  ${file("a.md")}  Council`,
        `  ${file("c.md")}  Ferries`,
        "",
      ].join("\n"),
    );
    expect(stdout).toBe("3 articles checked: 0 errors, 3 warnings.\n");
  });
});
