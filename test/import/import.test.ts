import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { loadArticles } from "../../src/articles/load.ts";
import { loadSite } from "../../src/archive/load-site.ts";
import { displayPath } from "../../src/import/article-file.ts";
import { importClippings } from "../../src/import/import.ts";
import { formatProblem } from "../../src/problems.ts";
import { fixture } from "../helpers/files.ts";

const CLIPPINGS = fixture("clippings");
const from = (name: string) => displayPath(path.join(CLIPPINGS, name));

let articlesDir: string;
beforeEach(async () => {
  articlesDir = await mkdtemp(path.join(os.tmpdir(), "broadsheet-import-"));
});
afterEach(async () => {
  await rm(articlesDir, { recursive: true, force: true });
});

describe("importing the fixture clippings", () => {
  test("the clear ones become articles that build, with the right fields", async () => {
    const result = await importClippings({ inputs: [CLIPPINGS], articlesDir });
    expect(result.articles.map((article) => path.relative(articlesDir, article.file))).toEqual([
      "2023/central-library-to-open-on-sundays.md",
      "2024/council-says-no-to-mill-and-dock-street-tower-a-9-2-vote.md",
      "2024/old-bridge-to-close-for-six-weeks-of-repairs.md",
      "2024/winter-ferry-timetable-cut-to-four-crossings-a-day.md",
      "2024/covered-market-reopens-after-fire.md",
      "2024/free-school-meals-extended-to-every-primary-pupil.md",
    ]);
    expect(result.skipped).toBe(3);

    const { site, problems } = await loadSite({ articlesDir });
    expect(problems.map(formatProblem)).toEqual([]);
    expect(site!.archive.articles).toHaveLength(6);
    // The site model keeps no Markdown once bodies are rendered; the files are read back for it.
    const { sources } = await loadArticles(articlesDir, { timeZone: "UTC" });
    const article = (slug: string) => {
      const found = sources.find((candidate) => candidate.relativePath.endsWith(`/${slug}.md`))!;
      return { title: found.title, authors: found.authors, date: found.date.value.toISO(), summary: found.summary, body: found.body };
    };

    expect(article("council-says-no-to-mill-and-dock-street-tower-a-9-2-vote")).toEqual({
      title: 'Council says "no" to Mill & Dock Street tower: a 9–2 vote',
      authors: ["Margaret Ellison"],
      date: "2024-05-14T08:30:00.000Z",
      summary: "Councillors rejected the 24-storey tower by nine votes to two, after a meeting that ran past midnight.",
      body:
        "\nThe tower would have been the tallest building in the town, with 310 flats, a hotel and a public viewing deck on the top floor.\n\n" +
        "Planning officers had recommended approval, but councillors said the design did not respect the conservation area that begins across the street.\n\n" +
        "The developer has six months to appeal.\n",
    });
    expect(article("winter-ferry-timetable-cut-to-four-crossings-a-day")).toEqual({
      title: "Winter ferry timetable cut to four crossings a day",
      authors: ["Priya Nandakumar"],
      date: "2024-06-03T00:00:00.000Z",
      summary: "Islanders say the new timetable leaves them stranded after 6pm.",
      body:
        "\nThe operator confirmed on Monday that the last crossing will leave the mainland at 5.45pm from October.\n\n" +
        "“We were never asked,” said Agnes Moore, who chairs the island’s community council. “People work late shifts on the mainland. They will have to choose between their jobs and their homes.”\n\n" +
        "The operator said the change was needed to cut fuel costs.\n",
    });
    expect(article("free-school-meals-extended-to-every-primary-pupil")).toEqual({
      title: "Free school meals extended to every primary pupil",
      authors: ["Margaret Ellison", "Priya Nandakumar"],
      date: "2024-02-01T00:00:00.000Z",
      summary: "The county will pay for lunches at all 42 primary schools from September.",
      body:
        "\nThe scheme costs £3.1m a year. The money comes from three places:\n\n" +
        "- a grant from the national government,\n- savings from the school transport contract,\n- and a one-off payment from reserves.\n\n" +
        "Head teachers welcomed the news.\n",
    });
    expect(article("central-library-to-open-on-sundays")).toEqual({
      title: "Central library to open on Sundays",
      authors: ["Ann Lee", "Sam O'Neill", "Tom Price"],
      date: "2023-11-20T00:00:00.000Z",
      summary: "The library will open from 10am to 4pm every Sunday, starting in the new year, after a campaign by readers.",
      body:
        "\nThe changes, in order:\n\n1. Sunday opening from 7 January.\n2. Late opening on Thursdays until 8pm, which the campaign also asked for.\n3. A new study room on the first floor.\n\n" +
        "The council said the extra hours would be staffed by volunteers at first.\n",
    });
    expect(article("covered-market-reopens-after-fire")).toEqual({
      title: "Covered market reopens after fire",
      authors: ["Jane Doe"],
      date: "2024-03-05T21:15:00.000Z",
      summary: "The 1890s market hall has been rebuilt with its original iron roof.",
      body: "\nForty-one traders returned on Tuesday, eighteen months after the fire that destroyed the roof.\n\n#1 on the list of repairs was the clock, which now keeps time again.\n",
    });
    expect(article("old-bridge-to-close-for-six-weeks-of-repairs")).toEqual({
      title: "Old Bridge to close for six weeks of repairs",
      authors: ["Tom Price"],
      date: "2024-08-09T16:05:00.000Z",
      summary: "Engineers found cracks in two of the arches during a routine inspection.",
      body: "\nThe bridge will close to traffic from Monday. Pedestrians can still cross on the east footway.\n\nBuses will divert via the ring road.\n",
    });
  });

  test("the ambiguous ones are each reported, and nothing is written for them", async () => {
    const result = await importClippings({ inputs: ["no-byline.txt", "two-headlines.txt", "no-date.txt"].map((name) => path.join(CLIPPINGS, name)), articlesDir });
    expect(result.articles).toEqual([]);
    expect(result.skipped).toBe(3);
    expect(result.problems.map(formatProblem)).toEqual([
      `${from("no-byline.txt")}  has no byline, so nothing was written: no line with only the author's name was found above the headline. Name the author with --author "Full Name", or put the name on a line of its own above the headline.`,
      `${from("two-headlines.txt")}  has two lines that could be the headline, "Exclusive" and "Mayor to step down at the end of the year", so nothing was written. Name the headline with --title, or delete the line that is not the headline.`,
      `${from("no-date.txt")}  has no date, so nothing was written: there is no date line in the clipping and none at the start of the file name. Give one with --date 2024-05-14, add a line such as "14 May 2024" to the clipping, or name the file 2024-05-14-headline.txt.`,
    ]);
    expect(await readdir(articlesDir)).toEqual([]);
  });

  test("--author, --title and --date settle the ambiguous ones", async () => {
    const hinted = async (name: string, hints: { authors?: string[]; title?: string; date?: string }) =>
      (await importClippings({ inputs: [path.join(CLIPPINGS, name)], articlesDir, ...hints })).articles.map((article) => path.relative(articlesDir, article.file));
    expect(await hinted("no-byline.txt", { authors: ["Ann Lee"] })).toEqual(["2024/harbour-wall-to-be-raised-by-a-metre.md"]);
    expect(await hinted("two-headlines.txt", { title: "Mayor to step down at the end of the year" })).toEqual(["2024/mayor-to-step-down-at-the-end-of-the-year.md"]);
    expect(await hinted("no-date.txt", { date: "2024-03-01" })).toEqual(["2024/allotment-waiting-list-passes-500.md"]);
    expect((await loadSite({ articlesDir })).problems.map(formatProblem)).toEqual([]);
    const { sources } = await loadArticles(articlesDir, { timeZone: "UTC" });
    expect(sources.find((source) => source.relativePath === "2024/mayor-to-step-down-at-the-end-of-the-year.md")).toMatchObject({
      authors: ["Priya Nandakumar"],
      summary: "The mayor will not stand again, she told the Ledger on Friday.",
      body: "\nShe has led the council for eight years.\n",
    });
  });
});

describe("writing files", () => {
  test("an existing file is never overwritten: the new one gets -2 and a warning", async () => {
    const clipping = path.join(CLIPPINGS, "school-meals.txt");
    const existing = path.join(articlesDir, "2024", "free-school-meals-extended-to-every-primary-pupil.md");
    await mkdir(path.dirname(existing), { recursive: true });
    await writeFile(existing, "kept");
    const result = await importClippings({ inputs: [clipping, clipping], articlesDir });
    expect(result.articles.map((article) => path.basename(article.file))).toEqual([
      "free-school-meals-extended-to-every-primary-pupil-2.md",
      "free-school-meals-extended-to-every-primary-pupil-3.md",
    ]);
    expect(await readFile(existing, "utf8")).toBe("kept");
    expect(result.problems.map(formatProblem)[0]).toBe(
      `${from("school-meals.txt")}  would have become ${displayPath(existing)}, which already exists, so it is ${displayPath(path.join(articlesDir, "2024", "free-school-meals-extended-to-every-primary-pupil-2.md"))}. If it is the same article, delete one of them.`,
    );
    expect(result.problems.map((problem) => problem.severity)).toEqual(["warning", "warning"]);
  });

  test("a dry run returns the text and writes nothing", async () => {
    const result = await importClippings({ inputs: [path.join(CLIPPINGS, "2024-05-14-tower-rejected.txt")], articlesDir, dryRun: true, topics: ["Housing"] });
    expect(result.articles[0]!.text).toBe(
      [
        "---",
        `title: 'Council says "no" to Mill & Dock Street tower: a 9–2 vote'`,
        "author: Margaret Ellison",
        "date: 2024-05-14T09:30:00+01:00",
        "topics: [Housing]",
        "summary: Councillors rejected the 24-storey tower by nine votes to two, after a meeting that ran past midnight.",
        "---",
        "",
        "The tower would have been the tallest building in the town, with 310 flats, a hotel and a public viewing deck on the top floor.",
        "",
        "Planning officers had recommended approval, but councillors said the design did not respect the conservation area that begins across the street.",
        "",
        "The developer has six months to appeal.",
        "",
      ].join("\n"),
    );
    expect(await readdir(articlesDir)).toEqual([]);
  });

  test("--date that is not a date stops the import before anything is read", async () => {
    const result = await importClippings({ inputs: [CLIPPINGS], articlesDir, date: "14/05/2024" });
    expect(result.problems.map(formatProblem)).toEqual(['--date  "14/05/2024" is not a date. Write it as 2024-05-14 or 2024-05-14T09:30:00+01:00.']);
  });

  test("a path that does not exist is reported", async () => {
    const result = await importClippings({ inputs: [path.join(CLIPPINGS, "missing.txt")], articlesDir });
    expect(result.problems.map(formatProblem)).toEqual([`${from("missing.txt")}  is not a file or folder. Check the path.`]);
  });
});

describe("topics", () => {
  beforeEach(async () => {
    await mkdir(path.join(articlesDir, "2023"), { recursive: true });
    await writeFile(path.join(articlesDir, "2023", "old.md"), "---\ntitle: Old\nauthor: A B\ndate: 2023-01-01\ntopics: [Ferries, City Hall, Schools]\n---\n\nText.\n");
  });

  test("the archive's topics named in the text are proposed, not added", async () => {
    const result = await importClippings({ inputs: [path.join(CLIPPINGS, "ferry-timetable-cut.txt")], articlesDir, topics: ["Transport"] });
    expect(result.articles[0]).toMatchObject({ foundTopics: [], topicsAccepted: false });
    const meals = await importClippings({ inputs: [path.join(CLIPPINGS, "school-meals.txt")], articlesDir, topics: ["Transport"] });
    expect(meals.articles[0]).toMatchObject({ foundTopics: ["Schools"], topicsAccepted: false });
    expect(meals.articles[0]!.text).toContain("topics: [Transport]\n");
  });

  test("--accept-topics adds them", async () => {
    const result = await importClippings({ inputs: [path.join(CLIPPINGS, "school-meals.txt")], articlesDir, acceptTopics: true });
    expect(result.articles[0]!.text).toContain("topics: [Schools]\n");
    expect(existsSync(path.join(articlesDir, "2024", "free-school-meals-extended-to-every-primary-pupil.md"))).toBe(true);
  });
});
