import { describe, expect, test } from "vitest";
import { loadSite } from "../../src/archive/load-site.ts";
import { formatProblem } from "../../src/problems.ts";
import { fixture } from "../helpers/files.ts";

describe("loadSite on the basic fixture", () => {
  test("models the archive with no problems", async () => {
    const { site, problems } = await loadSite({ articlesDir: fixture("basic") });
    expect(problems.map(formatProblem)).toEqual([]);
    expect(site?.settings).toMatchObject({ title: "The Basic Gazette", timeZone: "Europe/London", pageSize: 2 });
    expect(site?.archive.articles.map((article) => article.url)).toEqual([
      "/2024/07/housing-plan-approved/",
      "/2024/01/new-year-budget/",
      "/2023/11/template-text-in-a-body/",
      "/2023/06/cafe-opens-on-quay/",
      "/2023/03/council-meets-in-public/",
    ]);
  });

  test("a summary not written is the first paragraph, as plain text", async () => {
    const { site } = await loadSite({ articlesDir: fixture("basic") });
    const article = site!.archive.articles.find((candidate) => candidate.slug === "housing-plan-approved")!;
    expect(article.summary).toBe("The plan for 600 homes was approved on the first day of July. See also the café story.");
  });

  test("every article page's description is its article's summary", async () => {
    // Pages are built before the bodies are rendered; a summary taken from the body must still reach the page.
    const { site } = await loadSite({ articlesDir: fixture("basic") });
    const pages = site!.pages.filter((page) => page.kind === "article");
    expect(pages).toHaveLength(5);
    expect(pages.map((page) => [page.url, page.description])).toEqual(pages.map((page) => [page.url, page.article.summary]));
    for (const page of pages) expect(page.description, page.url).not.toBe("");
  });

  test("a settings file named on the command line is read instead of the folder's", async () => {
    const { problems } = await loadSite({ articlesDir: fixture("basic"), settingsFile: `${fixture("bad-settings")}/broadsheet.yml` });
    expect(problems.map((problem) => problem.field)).toEqual(["timeZone"]);
  });

  test("a missing articles folder is one error", async () => {
    const { site, problems } = await loadSite({ articlesDir: fixture("no-such-scenario") });
    expect(site).toBeUndefined();
    expect(problems.map((problem) => problem.message)).toEqual(["is not a folder. Create it and put Markdown articles in it, or name the folder with --articles DIR."]);
  });
});
