import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DateTime } from "luxon";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ROOT, runBroadsheet } from "../helpers/files.ts";

let articlesDir: string;
beforeEach(async () => {
  articlesDir = await mkdtemp(path.join(os.tmpdir(), "broadsheet-cli-"));
});
afterEach(async () => {
  await rm(articlesDir, { recursive: true, force: true });
});

/** A file in the articles folder as the command prints it: relative to the repository root it runs in. */
const inArticles = (...parts: string[]) => path.relative(ROOT, path.join(articlesDir, ...parts)).split(path.sep).join("/");

describe("broadsheet import", () => {
  test("imports a folder: one line per article, the skipped ones as errors, exit 1", async () => {
    const { code, stdout, stderr } = await runBroadsheet(["import", "test/fixtures/clippings", "--articles", articlesDir]);
    expect(code).toBe(1);
    expect(stdout.split("\n")[0]).toBe(`test/fixtures/clippings/2023-11-20-library-hours.txt → ${inArticles("2023", "central-library-to-open-on-sundays.md")}`);
    expect(stdout.trim().split("\n").at(-1)).toBe(`Imported 6 of 9 clippings into ${articlesDir}/; 3 clippings skipped, see above.`);
    expect(stderr.split("\n").slice(0, 2)).toEqual([
      "3 errors:",
      `  test/fixtures/clippings/no-byline.txt  has no byline, so nothing was written: no line with only the author's name was found above the headline. Name the author with --author "Full Name", or put the name on a line of its own above the headline.`,
    ]);
    expect((await readdir(path.join(articlesDir, "2024"))).length).toBe(5);
  });

  test("--dry-run prints each article and writes nothing", async () => {
    const { code, stdout } = await runBroadsheet(["import", "test/fixtures/clippings/school-meals.txt", "--articles", articlesDir, "--dry-run", "--topic", "Schools", "--topic", "Food"]);
    expect(code).toBe(0);
    expect(stdout).toContain(`test/fixtures/clippings/school-meals.txt → ${inArticles("2024", "free-school-meals-extended-to-every-primary-pupil.md")} (dry run, not written):\n    ---\n    title: Free school meals extended to every primary pupil\n`);
    expect(stdout).toContain("    topics: [Schools, Food]\n");
    expect(stdout.trim().split("\n").at(-1)).toBe(`Would import 1 of 1 clipping into ${articlesDir}/. Nothing was written.`);
    expect(await readdir(articlesDir)).toEqual([]);
  });

  test("--author and --title settle one clipping", async () => {
    const { code } = await runBroadsheet(["import", "test/fixtures/clippings/two-headlines.txt", "--articles", articlesDir, "--title", "Mayor to step down at the end of the year"]);
    expect(code).toBe(0);
    expect(existsSync(path.join(articlesDir, "2024", "mayor-to-step-down-at-the-end-of-the-year.md"))).toBe(true);
  });
});

describe("broadsheet new", () => {
  test("writes the article dated today and prints its path", async () => {
    const before = DateTime.utc().toISODate();
    const { code, stdout, stderr } = await runBroadsheet(["new", "Harbour: a “new” wall", "--author", "Ann Lee", "--topic", "Harbour", "--articles", articlesDir]);
    const after = DateTime.utc().toISODate();
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const file = stdout.trim();
    expect(file).toMatch(/\/\d{4}\/harbour-a-new-wall\.md$/);
    const text = await readFile(path.resolve(ROOT, file), "utf8");
    expect([before, after].map((date) => `---\ntitle: 'Harbour: a “new” wall'\nauthor: Ann Lee\ndate: ${date}\ntopics: [Harbour]\n---\n\nWrite the article here.\n`)).toContain(text);
  });

  test("without --author it says how to name one and writes nothing", async () => {
    const { code, stderr } = await runBroadsheet(["new", "Headline", "--articles", articlesDir]);
    expect(code).toBe(1);
    expect(stderr).toBe('1 error:\n  --author  is missing. Name the author: broadsheet new "Headline" --author "Jane Doe" (repeat --author for each author).\n');
    expect(await readdir(articlesDir)).toEqual([]);
  });
});
