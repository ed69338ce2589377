import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite, type BuildResult } from "../src/build.ts";
import { formatProblem } from "../src/problems.ts";
import { fixture } from "./helpers/files.ts";
import { findBrokenLinks, listFiles } from "./helpers/links.ts";

const PICTURES = fixture("pictures");
const shown = (file: string) => path.relative(process.cwd(), path.join(PICTURES, file)).split(path.sep).join("/");

let scratch: string;
let site: string;
let built: BuildResult;

// Builds share Eleventy's module state, so they run one after another.
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-pictures-"));
  site = path.join(scratch, "site");
  built = await buildSite({ articlesDir: PICTURES, outputDir: site });
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const read = (file: string) => readFile(path.join(site, file), "utf8");
const articleHtml = (slug: string) => read(`2024/05/${slug}/index.html`);

describe("files beside the articles", () => {
  test("each file an article refers to is published once, at /media/<hash>/<name>, with its bytes", async () => {
    const media = (await listFiles(site)).filter((file) => file.startsWith("media/"));
    expect(media.map((file) => file.replace(/^media\/[0-9a-f]{12}\//, "")).sort()).toEqual(["boats.jpg", "diagram.png", "map.svg", "report.pdf"].sort());
    for (const file of media) {
      const name = path.posix.basename(file);
      expect(readFileSync(path.join(site, file)).equals(readFileSync(path.join(PICTURES, "2024/harbour-fire", name))), file).toBe(true);
    }
  });

  test("files nobody refers to are not published, nor what a link outside the folder names", async () => {
    const files = await listFiles(site);
    expect(files.some((file) => file.endsWith("unused.jpg"))).toBe(false);
    expect(files.some((file) => file.endsWith("passwd") || file.endsWith("outside.json") || file.endsWith("package.json"))).toBe(false);
  });

  test("Markdown images and links, raw <img src> and <a href> point at the published files", async () => {
    const html = await articleHtml("harbour-fire");
    expect(html).toMatch(/<img src="\/media\/[0-9a-f]{12}\/boats\.jpg"/);
    expect(html).toMatch(/<a href="\/media\/[0-9a-f]{12}\/report\.pdf\?download=1">the report<\/a>/);
    expect(html).toMatch(/<img src="\/media\/[0-9a-f]{12}\/map\.svg" alt="Map of the wall"/);
    expect(html).toMatch(/<img src="\/media\/[0-9a-f]{12}\/diagram\.png" alt="Diagram of the burnt section"/);
    expect(html).toMatch(/<a href="\/media\/[0-9a-f]{12}\/report\.pdf">the same report<\/a>/);
    expect(await findBrokenLinks(site)).toEqual([]);
  });

  test("a file that is not there, or outside the articles folder, is reported with its line and shown as text", async () => {
    const file = shown("2024/broken-references.md");
    expect(built.problems.filter((problem) => problem.file === file).map(formatProblem)).toEqual([
      `${file}:8  shows the image harbour-fire/lost.jpg, but there is no such file beside the article; the image's description is shown instead. Put the file at that path, relative to the article's own file, or correct the path.`,
      `${file}:10  refers to ../../etc/passwd, which is outside the articles folder, so it is not published and nothing there was read. Copy the file beside the article and refer to it by a path inside the articles folder.`,
      `${file}:10  refers to outside.json, which is outside the articles folder, so it is not published and nothing there was read. Copy the file beside the article and refer to it by a path inside the articles folder.`,
      `${file}:12  links to the file harbour-fire/missing.pdf, but there is no such file beside the article; the link's text is shown instead. Put the file at that path, relative to the article's own file, or correct the path.`,
    ]);
    const html = await articleHtml("broken-references");
    expect(html).toContain("<p>A lost photo</p>");
    expect(html).not.toContain("passwd</a>");
    expect(html).toContain("Read the secrets and the manifest.");
  });
});
