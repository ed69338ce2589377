import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from "vitest";
import { loadSite } from "../src/archive/load-site.ts";
import { buildSite, type BuildResult } from "../src/build.ts";
import { ArchiveError, formatProblem, sortProblems } from "../src/problems.ts";
import { BUNDLE_FILES, fragmentNumber } from "../src/search/pagefind-format.ts";
import { fixture, hashFiles, runBroadsheet } from "./helpers/files.ts";
import { findBrokenLinks, listFiles } from "./helpers/links.ts";

const BASIC = fixture("basic");
const BAD_INPUT = fixture("bad-input");
/** Files as messages name them: relative to the working folder the build ran in. */
const shown = (folder: string) => path.relative(process.cwd(), folder).split(path.sep).join("/");

const PUBLISHED = [
  "2023/03/council-meets-in-public/index.html",
  "2023/06/cafe-opens-on-quay/index.html",
  "2023/11/template-text-in-a-body/index.html",
  "2024/01/new-year-budget/index.html",
  "2024/07/housing-plan-approved/index.html",
];
const DRAFT = "2024/08/unpublished-draft/index.html";

let scratch: string;
let site: string;
let archiveSite: string;
let draftSite: string;
let built: BuildResult;
let archiveBuilt: BuildResult;

// Builds share Eleventy's module state (the build plan), so they run one after another.
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-build-"));
  site = path.join(scratch, "site");
  archiveSite = path.join(scratch, "archive-site");
  draftSite = path.join(scratch, "draft-site");
  built = await buildSite({ articlesDir: BASIC, outputDir: site });
  archiveBuilt = await buildSite({ articlesDir: BASIC, outputDir: archiveSite, overrides: { basePath: "/archive/" } });
  await buildSite({ articlesDir: BASIC, outputDir: draftSite, drafts: true });
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function read(folder: string, file: string): Promise<string> {
  return readFile(path.join(folder, file), "utf8");
}

/** The text a reader sees: tags dropped, entities decoded. */
function textOf(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, "")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (_entity, code: string) => {
      const lower = code.toLowerCase();
      if (lower.startsWith("#x")) return String.fromCodePoint(parseInt(lower.slice(2), 16));
      if (lower.startsWith("#")) return String.fromCodePoint(Number(lower.slice(1)));
      return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " }[lower]!;
    })
    .replace(/\s+/g, " ");
}

describe("build of the basic archive", () => {
  test("reports no problems and counts its pages", () => {
    expect(built.problems).toEqual([]);
    expect(built.site.archive.articles).toHaveLength(5);
    expect(built.pagesWritten).toBe(built.site.pages.length);
  });

  test("one page per published article at /YYYY/MM/slug/, and none for the draft", async () => {
    const articlePages = (await listFiles(site)).filter((file) => /^\d{4}\/\d{2}\/(?!page\/)[^/]+\/index\.html$/.test(file));
    expect(articlePages).toEqual(PUBLISHED);
    expect(existsSync(path.join(site, DRAFT))).toBe(false);
  });

  test("drafts: true publishes the draft, with its author and topic", async () => {
    for (const file of [...PUBLISHED, DRAFT, "authors/dee-raft/index.html", "topics/secret-plans/index.html"]) {
      expect(existsSync(path.join(draftSite, file)), file).toBe(true);
    }
    for (const file of ["authors/dee-raft/index.html", "topics/secret-plans/index.html"]) {
      expect(existsSync(path.join(site, file)), file).toBe(false);
    }
    expect(await read(draftSite, DRAFT)).toContain("An unpublished draft");
  });

  test("the article's date is placed in the site time zone (Europe/London)", () => {
    // 2023-12-31T23:30:00-01:00 is 00:30 on 1 January in London.
    expect(existsSync(path.join(site, "2024/01/new-year-budget/index.html"))).toBe(true);
  });

  test("the home page is paginated two to a page", () => {
    for (const file of ["index.html", "page/2/index.html", "page/3/index.html"]) expect(existsSync(path.join(site, file)), file).toBe(true);
    expect(existsSync(path.join(site, "page/4/index.html"))).toBe(false);
    expect(existsSync(path.join(site, "page/1/index.html"))).toBe(false);
  });

  test("the topic spelt four ways has one page, labelled with the most used spelling", async () => {
    const topics = (await readdir(path.join(site, "topics"), { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(topics.sort()).toEqual(["cafe-culture", "city-hall", "housing"]);
    expect(textOf(await read(site, "topics/city-hall/index.html"))).toContain("City Hall");
    // Five articles, two to a page.
    expect(existsSync(path.join(site, "topics/city-hall/page/3/index.html"))).toBe(true);
    expect(existsSync(path.join(site, "topics/city-hall/page/4/index.html"))).toBe(false);
  });

  test("the non-ASCII topic has a transliterated URL and keeps its name", async () => {
    expect(textOf(await read(site, "topics/cafe-culture/index.html"))).toContain("Café culture");
  });

  test("author pages, including both authors of a shared article", async () => {
    for (const file of ["authors/index.html", "authors/ada-lovelace/index.html", "authors/grace-hopper/index.html"]) {
      expect(existsSync(path.join(site, file)), file).toBe(true);
    }
    const names = (await readdir(path.join(site, "authors"), { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(names.sort()).toEqual(["ada-lovelace", "grace-hopper"]);
  });

  test("archive, year and month pages, search and 404", () => {
    for (const file of [
      "archive/index.html",
      "2023/index.html",
      "2023/page/2/index.html",
      "2024/index.html",
      "2023/03/index.html",
      "2023/06/index.html",
      "2023/11/index.html",
      "2024/01/index.html",
      "2024/07/index.html",
      "search/index.html",
      "topics/index.html",
      "404.html",
    ]) {
      expect(existsSync(path.join(site, file)), file).toBe(true);
    }
  });

  test("template syntax in an article body is printed as text", async () => {
    const html = await read(site, "2023/11/template-text-in-a-body/index.html");
    expect(html).toContain("{{ page.url }}");
    expect(html).toContain("{% raw %}{{ budget.total }}{% endraw %}");
    expect(html).toContain("{% include &quot;/etc/passwd&quot; %}");
    expect(html).not.toContain("root:");
  });

  test('a title with " & < is escaped in the page, and reads as written', async () => {
    const html = await read(site, "2023/11/template-text-in-a-body/index.html");
    expect(html).not.toContain("<and why>");
    expect(html).not.toContain('"Who pays?"');
    expect(textOf(html)).toContain('Q&A: "Who pays?" <and why> the budget matters');
  });

  test("a .md link became the linked article's URL, keeping its fragment", async () => {
    expect(await read(site, "2024/01/new-year-budget/index.html")).toContain('href="/2023/03/council-meets-in-public/#the-vote"');
    expect(await read(site, "2024/07/housing-plan-approved/index.html")).toContain('href="/2023/06/cafe-opens-on-quay/"');
    expect(await read(archiveSite, "2024/01/new-year-budget/index.html")).toContain('href="/archive/2023/03/council-meets-in-public/#the-vote"');
  });

  test("the search index holds the published articles, and the draft only with drafts: true", async () => {
    const pageCount = async (folder: string) => JSON.parse(await read(folder, "pagefind/pagefind-entry.json")).languages.en.page_count as number;
    expect(await pageCount(site)).toBe(5);
    expect(await pageCount(draftSite)).toBe(6);
  });

  test("rendered a few pages per Eleventy run and indexed a few articles per Pagefind index, as big archives are, the site is byte-identical", async () => {
    const sliced = path.join(scratch, "sliced-site");
    const slicedBuilt = await buildSite({ articlesDir: BASIC, outputDir: sliced, pagesPerRun: 7, pagesPerSearchShard: 2 });
    expect(slicedBuilt.pagesWritten).toBeGreaterThan(7 * 3);
    expect(await hashFiles(sliced)).toEqual(await hashFiles(site));
    await rm(sliced, { recursive: true });
  });

  test("in volumes of two articles, counted from the oldest, the index numbers its pages across them from the oldest, with the search code in the newest alone", async () => {
    const volumed = path.join(scratch, "volumes-site");
    onTestFinished(() => rm(volumed, { recursive: true, force: true }));
    await buildSite({ articlesDir: BASIC, outputDir: volumed, overrides: { searchVolume: 2 }, pagesPerSearchShard: 3 });
    const volumes = ["pagefind/", "pagefind/volumes/2/", "pagefind/volumes/1/"];
    const entries = await Promise.all(volumes.map(async (folder) => JSON.parse(await read(volumed, `${folder}pagefind-entry.json`)).languages.en as { page_count: number }));
    // Five pages: the newest volume holds the one left over.
    expect(entries.map((entry) => entry.page_count)).toEqual([1, 2, 2]);
    const fragmentNumbers = await Promise.all(volumes.map(async (folder) => (await readdir(path.join(volumed, folder, "fragment"))).map((name) => fragmentNumber(path.basename(name, BUNDLE_FILES.fragment.extension))).sort()));
    expect(fragmentNumbers).toEqual([[4], [2, 3], [0, 1]]);
    expect(existsSync(path.join(volumed, "pagefind/pagefind.js"))).toBe(true);
    expect(existsSync(path.join(volumed, "pagefind/volumes/1/pagefind.js"))).toBe(false);
    expect(existsSync(path.join(volumed, "pagefind/shards.partial"))).toBe(false);
    const searchPage = await read(volumed, "search/index.html");
    expect(searchPage).toContain('data-older-bundles="/pagefind/volumes/2/ /pagefind/volumes/1/"');
    expect(searchPage).toContain('data-newest-scope="the newest article, since July 1, 2024"');
  });

  test("zero broken internal links with base path /", async () => {
    expect(await findBrokenLinks(site, { basePath: "/", origin: built.site.settings.baseUrl })).toEqual([]);
  });

  test("zero broken internal links with base path /archive/", async () => {
    expect(archiveBuilt.site.settings.basePath).toBe("/archive/");
    expect(await findBrokenLinks(archiveSite, { basePath: "/archive/", origin: archiveBuilt.site.settings.baseUrl })).toEqual([]);
  });

  test("with base path /archive/ every root-relative link starts with it", async () => {
    const outside: string[] = [];
    for (const file of (await listFiles(archiveSite)).filter((name) => name.endsWith(".html"))) {
      for (const [, value] of (await read(archiveSite, file)).matchAll(/\s(?:href|src|action)="(\/[^"]*)"/g)) {
        if (!value!.startsWith("/archive/") && !value!.startsWith("//")) outside.push(`${file}: ${value}`);
      }
    }
    expect(outside).toEqual([]);
  });

  test("the drafts build has no broken links either", async () => {
    expect(await findBrokenLinks(draftSite)).toEqual([]);
  });
});

describe("build of an archive with errors", () => {
  let output: string;
  let before: Record<string, string>;
  let failure: unknown;

  beforeAll(async () => {
    output = path.join(scratch, "kept");
    await buildSite({ articlesDir: BASIC, outputDir: output });
    before = await hashFiles(output);
    failure = await buildSite({ articlesDir: BAD_INPUT, outputDir: output }).then(
      () => undefined,
      (error: unknown) => error,
    );
  });

  test("rejects with an ArchiveError listing every problem", () => {
    expect(failure).toBeInstanceOf(ArchiveError);
    const dir = shown(BAD_INPUT);
    // The malformed-yaml line is 2 (title: Budget: the final vote); the loader currently says 3, see test/articles/load.test.ts.
    expect((failure as ArchiveError).problems.map(formatProblem)).toEqual([
      `${dir}/2021/same-url.md  slug: has the same URL as ${dir}/2021/other-name.md: /2021/05/same-url/. Give one of them a different \`slug:\` or file name.`,
      `${dir}/author-mapping.md:3  author: must be a name, not a mapping (key: value pairs). Write each author as text: author: Jane Doe, or a list of names.`,
      `${dir}/empty.md  is empty. Write front matter (title, author, date) and a body, or delete the file.`,
      `${dir}/impossible-date.md:4  date: "2019-02-30" is not a date: February 2019 has 28 days. Write it as 2019-12-01 or 2019-12-01T09:30:00+01:00.`,
      `${dir}/malformed-yaml.md:2  has front matter that is not valid YAML: bad indentation of a mapping entry. Fix that line; quote values that contain a colon.`,
      `${dir}/missing-title.md  title: is missing. Add a line \`title: Your headline\` to the front matter.`,
    ]);
  });

  test("the error's message says how many problems stop the build", () => {
    expect((failure as Error).message.split("\n")[0]).toBe("6 problems stop the build:");
  });

  test("leaves the previous output byte-identical, with nothing half-written beside it", async () => {
    expect(Object.keys(before).length).toBeGreaterThan(20);
    expect(await hashFiles(output)).toEqual(before);
    expect((await readdir(scratch)).sort()).toEqual(["archive-site", "draft-site", "kept", "site"]);
  });
});

describe("command line", () => {
  test.concurrent("check on an archive with errors exits 1 and lists every problem", async () => {
    const { code, stdout, stderr } = await runBroadsheet(["check", "--articles", "test/fixtures/bad-input"]);
    expect(code).toBe(1);
    const expected = sortProblems((await loadSite({ articlesDir: "test/fixtures/bad-input" })).problems).map(formatProblem);
    expect(expected.map((line) => line.split(/[: ]/)[0])).toEqual(
      ["2021/same-url.md", "author-mapping.md", "empty.md", "impossible-date.md", "malformed-yaml.md", "missing-title.md"].map((file) => `test/fixtures/bad-input/${file}`),
    );
    expect(stderr).toBe(`6 errors:\n${expected.map((line) => `  ${line}\n`).join("")}`);
    expect(stdout).toBe("2 articles read: 6 errors, 0 warnings.\n");
  });

  test.concurrent("check on an archive with warnings only exits 0 and shows the warning", async () => {
    const { code, stdout, stderr } = await runBroadsheet(["check", "--articles", "test/fixtures/warnings-only"]);
    expect(code).toBe(0);
    expect(stderr).toBe(
      "1 warning:\n  test/fixtures/warnings-only/misspelt-field.md:5  tags: is not a field Broadsheet knows, so it is ignored. Did you mean `topics`? Rename it to topics.\n",
    );
    expect(stdout).toBe("2 articles checked: 0 errors, 1 warning.\n");
  });

  test.concurrent("check with an unknown time zone exits 1 and names it", async () => {
    const { code, stderr } = await runBroadsheet(["check", "--articles", "test/fixtures/bad-settings"]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      '1 error:\n  test/fixtures/bad-settings/broadsheet.yml:2  timeZone: "Mars/Olympus" is not a time zone. Use an IANA name such as Europe/London, America/New_York or UTC.\n',
    );
  });

  test.concurrent("build on an archive with errors exits 1 and writes nothing", async () => {
    const output = path.join(await mkdtemp(path.join(os.tmpdir(), "broadsheet-cli-")), "site");
    try {
      const { code, stderr } = await runBroadsheet(["build", "--articles", "test/fixtures/bad-input", "--output", output, "--quiet"]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^6 errors stop the build; nothing was written:\n/);
      expect(existsSync(output)).toBe(false);
      expect(await readdir(path.dirname(output))).toEqual([]);
    } finally {
      await rm(path.dirname(output), { recursive: true, force: true });
    }
  });

  test.concurrent("the built site is byte-identical whatever the machine's time zone", async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), "broadsheet-tz-"));
    try {
      const zones = ["Pacific/Auckland", "America/Los_Angeles"];
      // Both at once, so that an edit to the layouts made meanwhile cannot tell them apart.
      const results = await Promise.all(
        zones.map((zone) => runBroadsheet(["build", "--articles", "test/fixtures/basic", "--output", path.join(parent, zone.replace("/", "-")), "--quiet"], { TZ: zone })),
      );
      for (const result of results) expect(result).toMatchObject({ code: 0, stderr: "" });
      const [auckland, losAngeles] = await Promise.all(zones.map((zone) => hashFiles(path.join(parent, zone.replace("/", "-")))));
      expect(Object.keys(auckland!)).toContain("2024/01/new-year-budget/index.html");
      expect(losAngeles).toEqual(auckland);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});

describe("build of an archive with nothing published yet", () => {
  let output: string;

  beforeAll(async () => {
    output = await mkdtemp(path.join(os.tmpdir(), "broadsheet-unpublished-"));
    await buildSite({ articlesDir: fixture("only-drafts"), outputDir: output });
  });

  afterAll(async () => {
    if (output) await rm(output, { recursive: true, force: true });
  });

  test("the search page says there is nothing to search yet, rather than that search failed", async () => {
    const html = await read(output, "search/index.html");
    expect(textOf(html)).toContain("Nothing has been published yet, so there is nothing to search.");
    expect(html).not.toContain("search.js");
    expect(await findBrokenLinks(output)).toEqual([]);
  });
});
