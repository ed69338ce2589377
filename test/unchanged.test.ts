import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rename, rm, symlink, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { build } from "../src/index.ts";
import { modelOfBuiltSite, stampBuildInputs, unchangedBuild } from "../src/build.ts";
import { createEleventy, quietEleventy } from "../src/site/eleventy.ts";
import { writeSyntheticArchive } from "../src/bench/synthetic.ts";
import { fixture, hashFiles, ROOT, SETTLED } from "./helpers/files.ts";

// A build that finds every file as the last build left it says so and writes nothing; any change
// it must not miss (an edit, a new file, an article falling due) builds. The stamp trusts only
// files changed more than 2 s before, so the tests wait that long after each change.

let scratch: string;
let articles: string;
let output: string;
let cache: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-unchanged-"));
  articles = path.join(scratch, "articles");
  output = path.join(scratch, "site");
  cache = path.join(scratch, "cache");
  writeSyntheticArchive(articles, 12);
  await writeFile(path.join(articles, "broadsheet.yml"), "title: The Unchanged Gazette\ntimeZone: Europe/London\n");
  await writeFile(path.join(articles, "fact-sheet.txt"), "Ferry fares from 1 March.\n");
  await sleep(SETTLED);
}, 60_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const options = () => ({ articles, output, cache, pictureCache: path.join(scratch, "pictures") });

/** The text of the file named `name` the site in `site` publishes, in its folder under /media/. */
async function published(name: string, site = output): Promise<string> {
  const media = path.join(site, "media");
  const folder = readdirSync(media).find((hash) => readdirSync(path.join(media, hash)).includes(name))!;
  return readFile(path.join(media, folder, name), "utf8");
}

describe("a build of an archive unchanged since the last build", { timeout: 120_000 }, () => {
  test("writes nothing and reports what the last build reported", async () => {
    const first = await build(options());
    expect(first).toMatchObject({ written: true, unchanged: false });
    const before = await hashFiles(output);
    const again = await build(options());
    expect(again).toEqual({ ...first, unchanged: true });
    expect(await hashFiles(output)).toEqual(before);
  });

  test("finds nothing changed when article files are saved again with the same bytes, and builds when a byte differs", async () => {
    const files = readdirSync(articles, { recursive: true, encoding: "utf8" })
      .filter((name) => name.endsWith(".md"))
      .sort()
      .map((name) => path.join(articles, name));
    const first = await build(options());
    // Saved again as they were, by an editor or a checkout: new times, the same bytes.
    for (const file of files.slice(0, 3)) await writeFile(file, await readFile(file));
    await sleep(SETTLED);
    const site = await hashFiles(output);
    expect(await build(options())).toEqual({ ...first, unchanged: true });
    expect(await build(options())).toEqual({ ...first, unchanged: true });
    expect(await hashFiles(output)).toEqual(site);
    // A byte changed, the size the same: built.
    const text = await readFile(files[1]!, "utf8");
    await writeFile(files[1]!, text.replace(/\.\s*$/, "!\n"));
    await sleep(SETTLED);
    expect(await build(options())).toMatchObject({ unchanged: false });
    expect(await build(options())).toMatchObject({ unchanged: true });
    // The settings saved as they were: their text is in the cache's key. Changed: built.
    const settings = path.join(articles, "broadsheet.yml");
    await writeFile(settings, await readFile(settings));
    await sleep(SETTLED);
    expect(await build(options())).toMatchObject({ unchanged: true });
    await writeFile(settings, `${await readFile(settings, "utf8")}# the same settings, and a comment\n`);
    await sleep(SETTLED);
    expect(await build(options())).toMatchObject({ unchanged: false });
    expect(await build(options())).toMatchObject({ unchanged: true });
    // A file beside the articles that no article refers to, changed: nothing the build reads.
    await writeFile(path.join(articles, "fact-sheet.txt"), "Ferry fares from 2 March.\n");
    await sleep(SETTLED);
    expect(await build(options())).toMatchObject({ unchanged: true });
  });

  test("finds nothing changed when a file no article refers to changed, or one it refers to was saved again, and builds when one it refers to changed, or a link on the way to it", async () => {
    const notes = path.join(articles, "notes");
    await mkdir(path.join(notes, "charts-2024"), { recursive: true });
    await mkdir(path.join(notes, "charts-2025"), { recursive: true });
    await writeFile(path.join(notes, "fares.txt"), "Adult fare: 4 pounds.\n");
    await writeFile(path.join(notes, "charts-2024", "tides.txt"), "High water at 06:12.\n");
    await writeFile(path.join(notes, "charts-2025", "tides.txt"), "High water at 07:40.\n");
    await symlink("charts-2024", path.join(notes, "charts"));
    await writeFile(path.join(notes, "crossing.md"), "---\ntitle: The crossing\nauthor: Mara Quinn\ndate: 2024-03-02\ntopics: [Harbour]\n---\nSee [the fares](fares.txt) and [the tides](charts/tides.txt).\n");
    await sleep(SETTLED);
    expect(await build(options())).toMatchObject({ unchanged: false });
    expect(await published("tides.txt")).toBe("High water at 06:12.\n");
    const first = await build(options());
    expect(first).toMatchObject({ unchanged: true });
    const site = await hashFiles(output);
    // Edited, not referred to: the same site.
    await writeFile(path.join(notes, "charts-2025", "tides.txt"), "High water at 07:41.\n");
    await writeFile(path.join(articles, "fact-sheet.txt"), "Ferry fares from 3 March.\n");
    await sleep(SETTLED);
    expect(await build(options())).toEqual(first);
    expect(await hashFiles(output)).toEqual(site);
    // Referred to, changed at the same size: built, and published with its new bytes.
    await writeFile(path.join(notes, "fares.txt"), "Adult fare: 5 pounds.\n");
    await sleep(SETTLED);
    expect(await build(options())).toMatchObject({ unchanged: false });
    expect(await published("fares.txt")).toBe("Adult fare: 5 pounds.\n");
    const built = await build(options());
    expect(built).toMatchObject({ unchanged: true });
    // Referred to, saved again with the same bytes: the same site.
    const again = await hashFiles(output);
    await writeFile(path.join(notes, "fares.txt"), await readFile(path.join(notes, "fares.txt")));
    await writeFile(path.join(notes, "charts", "tides.txt"), await readFile(path.join(notes, "charts", "tides.txt")));
    await sleep(SETTLED);
    expect(await build(options())).toEqual(built);
    expect(await hashFiles(output)).toEqual(again);
    // The link on the way to a file referred to, pointed elsewhere: built, with the other file.
    await rm(path.join(notes, "charts"));
    await symlink("charts-2025", path.join(notes, "charts"));
    await sleep(SETTLED);
    expect(await build(options())).toMatchObject({ unchanged: false });
    expect(await published("tides.txt")).toBe("High water at 07:41.\n");
    // A file no article refers to, renamed: no reference looks for either name, so the same site.
    const linked = await build(options());
    await rename(path.join(articles, "fact-sheet.txt"), path.join(articles, "fact-sheet-march.txt"));
    await sleep(SETTLED);
    expect(await build(options())).toEqual({ ...linked, unchanged: true });
  });

  test("builds when a file referred to through a link changed, the articles folder itself named through a link", async () => {
    const ferry = path.join(articles, "ferry");
    await mkdir(path.join(ferry, "times-winter"), { recursive: true });
    await writeFile(path.join(ferry, "times-winter", "sailings.txt"), "First sailing 07:15.\n");
    await symlink("times-winter", path.join(ferry, "times"));
    await writeFile(path.join(ferry, "timetable.md"), "---\ntitle: The winter timetable\nauthor: Mara Quinn\ndate: 2024-11-02\ntopics: [Harbour]\n---\nSee [the sailings](times/sailings.txt).\n");
    // The folder as the command line names it, through a link: its files' real paths are elsewhere.
    const linked = path.join(scratch, "articles-linked");
    await symlink(articles, linked);
    const throughLink = { ...options(), articles: linked, output: path.join(scratch, "site-linked"), cache: path.join(scratch, "cache-linked") };
    await sleep(SETTLED);
    expect(await build(throughLink)).toMatchObject({ unchanged: false });
    expect(await build(throughLink)).toMatchObject({ unchanged: true });
    await writeFile(path.join(ferry, "times-winter", "sailings.txt"), "First sailing 07:45.\n");
    await sleep(SETTLED);
    expect(await build(throughLink)).toMatchObject({ unchanged: false });
    expect(await published("sailings.txt", throughLink.output)).toBe("First sailing 07:45.\n");
  });

  test("finds nothing changed when the logo, a theme file and a page of the site's own are saved again with the same bytes, and builds when a byte of one differs", async () => {
    const branded = path.join(scratch, "branded");
    await cp(fixture("brand"), branded, { recursive: true });
    await sleep(SETTLED);
    const own = { ...options(), articles: branded, output: path.join(scratch, "site-branded"), cache: path.join(scratch, "cache-branded") };
    expect(await build(own)).toMatchObject({ unchanged: false });
    const first = await build(own);
    expect(first).toMatchObject({ unchanged: true });
    const site = await hashFiles(own.output);
    const saved = ["logo.svg", "theme/style.css", "theme/head.html", "pages/ueber-uns.md"].map((file) => path.join(branded, file));
    for (const file of saved) await writeFile(file, await readFile(file));
    await sleep(SETTLED);
    expect(await build(own)).toEqual(first);
    expect(await hashFiles(own.output)).toEqual(site);
    // A byte changed, the size the same: built, and published.
    const style = path.join(branded, "theme", "style.css");
    const text = await readFile(style, "utf8");
    const changed = text.replace(/;(?=[^;]*$)/, " ");
    expect(changed).not.toBe(text);
    await writeFile(style, changed);
    await sleep(SETTLED);
    expect(await build(own)).toMatchObject({ unchanged: false });
    expect(await readFile(path.join(own.output, "theme", "style.css"), "utf8")).toBe(changed);
  });

  test("builds after a build during which a theme file was written: the stylesheet it published is not the file's", async () => {
    const branded = path.join(scratch, "branded-during");
    await cp(fixture("brand"), branded, { recursive: true });
    const style = path.join(branded, "theme", "style.css");
    const text = await readFile(style, "utf8");
    await sleep(SETTLED);
    const own = { ...options(), articles: branded, output: path.join(scratch, "site-branded-during"), cache: path.join(scratch, "cache-branded-during") };
    expect(await build(own)).toMatchObject({ unchanged: false });
    // Changed, so that the next build renders the theme and reaches its search phase.
    await writeFile(style, `${text} `);
    await sleep(SETTLED);
    // Written once the build has written the theme into the new site, before it records its inputs.
    const rewritten = `${text}\n/* written during a build */\n`;
    let writtenDuring = false;
    const during = await build({
      ...own,
      onPhase: (phase) => {
        if (phase.name !== "search") return;
        writeFileSync(style, rewritten);
        writtenDuring = true;
      },
    });
    expect(during).toMatchObject({ unchanged: false });
    expect(writtenDuring).toBe(true);
    expect(await readFile(path.join(own.output, "theme", "style.css"), "utf8")).toBe(`${text} `);
    await sleep(SETTLED);
    // The stylesheet in the site is not the file's now: not found saved again, but changed.
    expect(await build(own)).toMatchObject({ unchanged: false });
    expect(await readFile(path.join(own.output, "theme", "style.css"), "utf8")).toBe(rewritten);
  });

  test("finds nothing changed when only hidden files changed: the articles folder's own Git repository, a file browser's notes", async () => {
    const first = await build(options());
    const site = await hashFiles(output);
    await mkdir(path.join(articles, ".git"), { recursive: true });
    await writeFile(path.join(articles, ".git", "index"), `an index written at ${Date.now()}\n`);
    await writeFile(path.join(articles, ".DS_Store"), "a file browser's notes\n");
    await sleep(SETTLED);
    expect(await build(options())).toEqual({ ...first, unchanged: true });
    await writeFile(path.join(articles, ".git", "index"), `an index written again at ${Date.now()}\n`);
    await rm(path.join(articles, ".DS_Store"));
    await sleep(SETTLED);
    expect(await build(options())).toEqual({ ...first, unchanged: true });
    expect(await hashFiles(output)).toEqual(site);
  });

  test("builds when an article changed, and then finds nothing changed again", async () => {
    const file = path.join(articles, readdirSync(articles, { recursive: true, encoding: "utf8" }).find((name) => name.endsWith(".md"))!);
    await writeFile(file, `${await readFile(file, "utf8")}\nA closing line about the lighthouse keeper.\n`);
    // Before the edit has settled (its time ahead of the clock, so that a slow build on a busy
    // machine cannot outlast the 2 s): it builds, and keeps no stamp it cannot trust.
    const later = new Date(Date.now() + 3_600_000);
    await utimes(file, later, later);
    expect(await build(options())).toMatchObject({ unchanged: false });
    expect(await build(options())).toMatchObject({ unchanged: false });
    const earlier = new Date(Date.now() - 60_000);
    await utimes(file, earlier, earlier);
    await sleep(SETTLED);
    expect(await build(options())).toMatchObject({ unchanged: false });
    const site = await hashFiles(output);
    expect(await build(options())).toMatchObject({ unchanged: true });
    expect(await hashFiles(output)).toEqual(site);
  });

  test("finds nothing changed when a file is added where no reference looks, and builds when one is added where a reference found none", async () => {
    const harbour = path.join(articles, "harbour");
    await mkdir(path.join(harbour, "plans-2026"), { recursive: true });
    await symlink("plans-2026", path.join(harbour, "plans"));
    await writeFile(path.join(harbour, "works.md"), "---\ntitle: The harbour works\nauthor: Mara Quinn\ndate: 2024-06-02\ntopics: [Harbour]\n---\nSee [the survey](survey.txt), [the plan](plans/wall.txt) and [the kerb](plans/kerb.txt).\n");
    await sleep(SETTLED);
    const missing = (report: { problems: { message: string }[] }) => report.problems.filter((problem) => /survey\.txt|wall\.txt|kerb\.txt/.test(problem.message)).length;
    const built = await build(options());
    expect(built).toMatchObject({ unchanged: false });
    expect(missing(built)).toBe(3);
    const site = await hashFiles(output);
    // Where no reference looks: an editor's backup, notes, a picture no article shows yet.
    await writeFile(path.join(harbour, "works.md~"), "an editor's backup\n");
    await writeFile(path.join(harbour, "survey-draft.txt"), "A draft of the survey.\n");
    await writeFile(path.join(harbour, "plans-2026", "quay.txt"), "The quay's plan.\n");
    await sleep(SETTLED);
    expect(await build(options())).toEqual({ ...built, unchanged: true });
    expect(await hashFiles(output)).toEqual(site);
    await rm(path.join(harbour, "works.md~"));
    await sleep(SETTLED);
    expect(await build(options())).toEqual({ ...built, unchanged: true });
    // Where a reference found none: built, and the file is published.
    await writeFile(path.join(harbour, "survey.txt"), "The survey of the harbour wall.\n");
    await sleep(SETTLED);
    const surveyed = await build(options());
    expect(surveyed).toMatchObject({ unchanged: false });
    expect(missing(surveyed)).toBe(2);
    expect(await published("survey.txt")).toBe("The survey of the harbour wall.\n");
    // In a folder a link could lead to, but does not: the same site. The link pointed there: built.
    await mkdir(path.join(harbour, "plans-2027"));
    await writeFile(path.join(harbour, "plans-2027", "wall.txt"), "The wall, raised a metre.\n");
    await sleep(SETTLED);
    expect(await build(options())).toEqual({ ...surveyed, unchanged: true });
    await rm(path.join(harbour, "plans"));
    await symlink("plans-2027", path.join(harbour, "plans"));
    await sleep(SETTLED);
    const planned = await build(options());
    expect(planned).toMatchObject({ unchanged: false });
    expect(missing(planned)).toBe(1);
    expect(await published("wall.txt")).toBe("The wall, raised a metre.\n");
    // Made where a path through the link leads: built, and published.
    await writeFile(path.join(harbour, "plans-2027", "kerb.txt"), "The kerb, in granite.\n");
    await sleep(SETTLED);
    const kerbed = await build(options());
    expect(kerbed).toMatchObject({ unchanged: false });
    expect(missing(kerbed)).toBe(0);
    expect(await published("kerb.txt")).toBe("The kerb, in granite.\n");
    await rm(harbour, { recursive: true });
  });

  test("builds when a file is made or removed where a reference led out of the articles folder through a link: its problem is another", async () => {
    const beyond = path.join(scratch, "pictures-beyond");
    await mkdir(beyond);
    const harbour = path.join(articles, "harbour-beyond");
    await mkdir(harbour);
    await symlink(beyond, path.join(harbour, "pictures"));
    await writeFile(path.join(harbour, "pier.md"), "---\ntitle: The pier at dawn\nauthor: Mara Quinn\ndate: 2024-06-03\ntopics: [Harbour]\n---\nSee [the pier](pictures/pier.txt).\n");
    await sleep(SETTLED);
    const about = (report: { problems: { message: string }[] }) => report.problems.filter((problem) => problem.message.includes("pier.txt")).map((problem) => (problem.message.includes("outside the articles folder") ? "outside" : "missing"));
    const built = await build(options());
    expect(about(built)).toEqual(["missing"]);
    const again = await build(options());
    expect(again).toMatchObject({ unchanged: true });
    expect(about(again)).toEqual(["missing"]);
    // Made out there: a build from nothing says the path leads outside, and so must this one.
    await writeFile(path.join(beyond, "pier.txt"), "The pier, rebuilt in 1890.\n");
    await sleep(SETTLED);
    const made = await build(options());
    expect(made).toMatchObject({ unchanged: false });
    expect(about(made)).toEqual(["outside"]);
    expect(await build(options())).toEqual({ ...made, unchanged: true });
    // Removed again: missing again.
    await rm(path.join(beyond, "pier.txt"));
    await sleep(SETTLED);
    const removed = await build(options());
    expect(removed).toMatchObject({ unchanged: false });
    expect(about(removed)).toEqual(["missing"]);
    await rm(harbour, { recursive: true });
  });

  test("builds when the output folder is not the one built", async () => {
    await build(options());
    expect(await build(options())).toMatchObject({ unchanged: true });
    await rm(output, { recursive: true });
    expect(await build(options())).toMatchObject({ unchanged: false });
    expect(Object.keys(await hashFiles(output))).toContain("index.html");
  });

  test("reports the archive's problems again, but not the addresses the build before it lost", async () => {
    const file = readdirSync(articles, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".md")).sort()[1]!;
    await rm(path.join(articles, file));
    await sleep(SETTLED);
    const built = await build(options());
    const lost = (report: { problems: { message: string }[] }) => report.problems.filter((problem) => /published by the site this build replaces/.test(problem.message));
    expect(lost(built).length).toBeGreaterThan(0);
    const again = await build(options());
    expect(again.unchanged).toBe(true);
    expect(lost(again)).toEqual([]);
    expect(again.problems).toEqual(built.problems.filter((problem) => !lost(built).includes(problem)));
  });

  test("builds when a scheduled article falls due, and publishes it", async () => {
    const due = new Date(Date.now() + SETTLED + 3_000);
    const stamp = due.toISOString().replace(/\.\d+Z$/, "Z");
    await mkdir(path.join(articles, "later"), { recursive: true });
    await writeFile(path.join(articles, "later", "due-soon.md"), `---\ntitle: "Due soon"\nauthor: Mara Quinn\ndate: ${stamp}\ntopics: [Harbour]\n---\nThe ferry timetable for the winter.\n`);
    await sleep(SETTLED);
    const scheduled = await build(options());
    expect(scheduled.problems.map((problem) => problem.message).join("\n")).toMatch(/is in the future, so the article is scheduled/);
    expect(await build(options())).toMatchObject({ unchanged: true });
    await sleep(Math.max(0, due.getTime() - Date.now() + 100));
    const published = await build(options());
    expect(published).toMatchObject({ unchanged: false, articles: scheduled.articles + 1 });
  });
});

describe("the model of a site unchanged since its build (serve's, reopened)", { timeout: 120_000 }, () => {
  test("renders the very site in the output folder, bodies in memory, and writes nothing to the folder or the cache", async () => {
    await build(options());
    const request = { articlesDir: articles, outputDir: output, cache };
    const stamp = stampBuildInputs(request)!;
    expect(unchangedBuild(request, stamp)).toBeDefined();
    const [siteBefore, cacheBefore] = [await hashFiles(output), await hashFiles(cache)];
    const { site, sources, problems } = (await modelOfBuiltSite(request, stamp))!;
    expect(await hashFiles(output)).toEqual(siteBefore);
    expect(await hashFiles(cache)).toEqual(cacheBefore);
    expect(problems).toEqual((await build(options())).problems);
    expect(sources.map((source) => source.relativePath).sort()).toEqual(readdirSync(articles, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".md")).map((name) => name.split(path.sep).join("/")).sort());
    // Rendered by Eleventy, as serve's runs render it, the model makes every page in place. Its
    // bodies are its own: with the cache's files of them gone, every body is still there.
    for (const kept of readdirSync(cache, { recursive: true, encoding: "utf8" }).filter((name) => /article-html-[0-9a-f]{2}\.bin$/.test(name))) await rm(path.join(cache, kept));
    const rendered = path.join(scratch, "rendered");
    const eleventy = createEleventy(rendered, { model: async () => site });
    quietEleventy(eleventy);
    await eleventy.write();
    const inPlace = Object.entries(siteBefore).filter(([file]) => !file.startsWith("pagefind/"));
    expect(Object.entries(await hashFiles(rendered))).toEqual(inPlace);
  });

  test("is none when the site in place is no longer the inputs' by the time it is made (the settings saved meanwhile): serve builds then", async () => {
    await build(options());
    const request = { articlesDir: articles, outputDir: output, cache };
    const stamp = stampBuildInputs(request)!;
    expect(unchangedBuild(request, stamp)).toBeDefined();
    const settingsFile = path.join(articles, "broadsheet.yml");
    const settings = await readFile(settingsFile, "utf8");
    await writeFile(settingsFile, settings.replace("The Unchanged Gazette", "The Changed Gazette"));
    try {
      expect(await modelOfBuiltSite(request, stamp)).toBeUndefined();
    } finally {
      await writeFile(settingsFile, settings);
    }
  });
});

test("a build from the command line that finds nothing changed loads none of the modules that model, index or render a site", { timeout: 120_000 }, async () => {
  const folder = await mkdtemp(path.join(os.tmpdir(), "broadsheet-unchanged-imports-"));
  try {
    const archive = path.join(folder, "articles");
    writeSyntheticArchive(archive, 5);
    await sleep(SETTLED);
    // The command line as a user runs it (the compiled code), each module it imports recorded.
    const buildRecording = (record: string) => {
      const built = spawnSync(process.execPath, ["--import", path.join(ROOT, "test", "helpers", "record-imports.mjs"), path.join(ROOT, "bin", "broadsheet.js"), "build", "--articles", archive, "--output", path.join(folder, "site")], { cwd: folder, encoding: "utf8", env: { ...process.env, RECORD_IMPORTS: path.join(folder, record) } });
      expect(built.status, built.stderr).toBe(0);
      return { said: built.stdout, imported: readFileSync(path.join(folder, record), "utf8").split("\n") };
    };
    const modelling = ["/dist/src/archive/load-site.js", "/dist/src/search/index.js", "/dist/src/publish/vanished-urls.js", "/dist/src/cache/related-cache.js", "/dist/src/site/eleventy.js"];
    const loaded = (imported: string[]) => modelling.filter((module) => imported.some((url) => url.endsWith(module)));
    const first = buildRecording("first.txt");
    expect(loaded(first.imported)).toEqual(modelling);
    const again = buildRecording("again.txt");
    expect(again.said).toContain("Nothing changed");
    expect(loaded(again.imported)).toEqual([]);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
