import { cp, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadSite } from "../../src/archive/load-site.ts";
import { buildSite } from "../../src/build.ts";
import { ArchiveError, formatProblem, sortProblems, type Problem } from "../../src/problems.ts";
import { findVanishedUrls } from "../../src/publish/vanished-urls.ts";
import { fixture, hashFiles, runBroadsheet } from "../helpers/files.ts";

let scratch: string;
/** A copy of the links fixture, edited by the tests as a writer would. */
let articles: string;
/** The site built from the fixture as it was, which the edited archive's builds replace. */
let published: string;
/** What messages call a path: relative to the working folder. */
const shown = (file: string) => path.relative(process.cwd(), file).split(path.sep).join("/");

async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(path.join(articles, file), "utf8");
  if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}`);
  await writeFile(path.join(articles, file), text.replace(from, to));
}

/** Messages with the scratch folders' names taken out, so that they can be compared whole. */
function messages(problems: readonly Problem[]): string[] {
  return problems.map((problem) => formatProblem(problem).replaceAll(shown(articles), "articles").replaceAll(shown(scratch), "scratch"));
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-vanished-"));
  articles = path.join(scratch, "articles");
  published = path.join(scratch, "published");
  await cp(fixture("links"), articles, { recursive: true });
  await buildSite({ articlesDir: articles, outputDir: published });
  // The writer corrects a date and a slug, drops an alias, and deletes an article.
  await edit("2024/ferry-timetable-changes.md", "date: 2024-11-02\n", "date: 2024-10-28\n");
  await edit("2024/ferry-timetable-changes.md", "aliases: [/p/1077/]\n", "");
  await edit("2025/sea-wall-repairs.md", "date: 2025-03-05\n", "date: 2025-03-05\nslug: sea-wall-mended\n");
  await unlink(path.join(articles, "2025/fish-market-reopens.md"));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const EXPECTED = [
  "articles/2024/ferry-timetable-changes.md  aliases: /p/1077/ was published by the site this build replaces, and this build has no page there: it was an alias of this article, and is no longer in its `aliases:`. Put it back to keep the old address working: add `aliases: [/p/1077/]` to its front matter.",
  "articles/2024/ferry-timetable-changes.md:4  date: /2024/11/ferry-timetable-changes/ was published by the site this build replaces, and this build has no page there: the article's date changed from November 2024 to October 2024, so it is now at /2024/10/ferry-timetable-changes/. If the change is meant, keep the old address working: add `aliases: [/2024/11/ferry-timetable-changes/]` to its front matter.",
  "articles/2025/sea-wall-repairs.md:5  slug: /2025/03/sea-wall-repairs/ was published by the site this build replaces, and this build has no page there: the article's slug changed from \"sea-wall-repairs\" to \"sea-wall-mended\", so it is now at /2025/03/sea-wall-mended/. If the change is meant, keep the old address working: add `aliases: [/2025/03/sea-wall-repairs/]` to its front matter.",
];

describe("a build over the previous site", () => {
  test("reports each published address it would lose, the article that moved and the alias that keeps it; the site is still built", async () => {
    const output = path.join(scratch, "warned");
    await cp(published, output, { recursive: true });
    const result = await buildSite({ articlesDir: articles, outputDir: output });
    // Sorted as the command line prints them: by file, then line.
    expect(messages(sortProblems(result.problems))).toEqual([
      ...EXPECTED,
      // Deleted: nothing in the archive has its file, title or slug. Named by the map's line in the old sitemap.
      'scratch/warned/sitemap.xml:4  /2025/02/fish-market-reopens/ was published by the site this build replaces, and this build has no page there: no article of this build was there ("Fish market reopens on the quay", 2025/fish-market-reopens.md); it was deleted, made a draft, or moved with a new file name, title and slug. If another article takes its place, add `aliases: [/2025/02/fish-market-reopens/]` to that article\'s front matter.',
      "scratch/warned/sitemap.xml:17  /2025/02/ was published by the site this build replaces, and this build has no page there; listing pages go when no article belongs in them any more. Nothing needs doing unless other sites link here.",
      "scratch/warned/sitemap.xml:19  /2024/11/ was published by the site this build replaces, and this build has no page there; listing pages go when no article belongs in them any more. Nothing needs doing unless other sites link here.",
    ]);
    expect(result.problems.every((problem) => problem.severity === "warning")).toBe(true);
    expect(JSON.parse(await readFile(path.join(output, "urls.json"), "utf8")).articles.map((entry: { url: string }) => entry.url)).toContain("/2025/03/sea-wall-mended/");
  });

  test("with strictUrls each lost article address is an error, and the previous site is left as it was", async () => {
    const output = path.join(scratch, "strict");
    await cp(published, output, { recursive: true });
    const before = await hashFiles(output);
    const failure = await buildSite({ articlesDir: articles, outputDir: output, strictUrls: true }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ArchiveError);
    const problems = (failure as ArchiveError).problems;
    expect(messages(problems.filter((problem) => problem.severity === "error"))).toEqual([
      ...EXPECTED,
      expect.stringContaining("scratch/strict/sitemap.xml:4  /2025/02/fish-market-reopens/ was published"),
    ]);
    // A month left empty is no one's mistake: a warning still.
    expect(problems.filter((problem) => problem.severity === "warning")).toHaveLength(2);
    expect(await hashFiles(output)).toEqual(before);
  });

  test("an alias that keeps the old address settles it", async () => {
    const output = path.join(scratch, "kept");
    await cp(published, output, { recursive: true });
    const kept = path.join(scratch, "kept-articles");
    await cp(articles, kept, { recursive: true });
    const file = path.join(kept, "2025/sea-wall-repairs.md");
    await writeFile(file, (await readFile(file, "utf8")).replace("slug: sea-wall-mended\n", "slug: sea-wall-mended\naliases: [/2025/03/sea-wall-repairs/]\n"));
    const result = await buildSite({ articlesDir: kept, outputDir: output });
    expect(result.problems.map((problem) => problem.message).join("\n")).not.toContain("/2025/03/sea-wall-repairs/");
    expect(await readFile(path.join(output, "2025/03/sea-wall-repairs/index.html"), "utf8")).toContain('content="0; url=/2025/03/sea-wall-mended/"');
  });
});

describe("a build that starts empty, given the published sitemap", () => {
  test("the command line's --previous-sitemap and --strict-urls: without the URL map, a moved article is found by its slug", async () => {
    const saved = path.join(scratch, "saved");
    await mkdir(saved);
    await cp(path.join(published, "sitemap.xml"), path.join(saved, "sitemap.xml"));
    const output = path.join(scratch, "ci", "site");
    const run = await runBroadsheet(["build", "--articles", articles, "--output", output, "--previous-sitemap", path.join(saved, "sitemap.xml"), "--strict-urls"]);
    expect(run.code).toBe(1);
    const lines = run.stderr.split("\n").map((line) => line.trim().replaceAll(shown(articles), "articles").replaceAll(shown(scratch), "scratch"));
    // Found by its slug, in another month.
    expect(lines).toContain(EXPECTED[1]);
    // A new slug with no map is not guessed: the old address is named in the old sitemap.
    expect(lines).toContain(
      "scratch/saved/sitemap.xml:3  /2025/03/sea-wall-repairs/ was published by the site this build replaces, and this build has no page there: no article of this build was there; it was deleted, made a draft, or moved with a new file name, title and slug. If another article takes its place, add `aliases: [/2025/03/sea-wall-repairs/]` to that article's front matter.",
    );
    expect(run.stderr).toContain("nothing was written");
  });

  test("a sitemap index is followed into its parts, which sit beside it", async () => {
    const saved = path.join(scratch, "index");
    await mkdir(path.join(saved, "sitemaps"), { recursive: true });
    const urls = (await readFile(path.join(published, "sitemap.xml"), "utf8")).split("\n").filter((line) => line.startsWith("<url>"));
    const part = (lines: string[]) => `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${lines.join("\n")}\n</urlset>\n`;
    await writeFile(path.join(saved, "sitemaps/1.xml"), part(urls.slice(0, 10)));
    await writeFile(path.join(saved, "sitemaps/2.xml"), part(urls.slice(10)));
    await writeFile(
      path.join(saved, "sitemap.xml"),
      `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n<sitemap><loc>http://localhost:8080/sitemaps/1.xml</loc></sitemap>\n<sitemap><loc>http://localhost:8080/sitemaps/2.xml</loc></sitemap>\n</sitemapindex>\n`,
    );
    const { site } = await loadSite({ articlesDir: articles });
    const problems = findVanishedUrls(site!, { articlesDir: articles, outputDir: path.join(scratch, "nowhere"), previousSitemap: path.join(saved, "sitemap.xml") });
    expect(messages(problems).map((line) => line.split("  ")[0])).toEqual([
      // In the order the parts list them: sea-wall-repairs (its new slug not guessed), the deleted fish market, the ferry found by its slug, two months.
      "scratch/index/sitemaps/1.xml:3",
      "scratch/index/sitemaps/1.xml:4",
      "articles/2024/ferry-timetable-changes.md:4",
      "scratch/index/sitemaps/2.xml:7",
      "scratch/index/sitemaps/2.xml:9",
    ]);
  });

  test("a previous sitemap that is not there is an error, not a silent pass", async () => {
    const { site } = await loadSite({ articlesDir: articles });
    const missing = path.join(scratch, "no-such", "sitemap.xml");
    expect(messages(findVanishedUrls(site!, { articlesDir: articles, outputDir: path.join(scratch, "nowhere"), previousSitemap: missing }))).toEqual([
      "scratch/no-such/sitemap.xml  --previous-sitemap: is not there. Give --previous-sitemap the sitemap.xml of the site this build replaces, such as one saved from the live site.",
    ]);
  });

  test("a first build, with nothing before it, reports nothing", async () => {
    const { site } = await loadSite({ articlesDir: articles });
    expect(findVanishedUrls(site!, { articlesDir: articles, outputDir: path.join(scratch, "nowhere") })).toEqual([]);
  });
});
