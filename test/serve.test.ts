import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite } from "../src/build.ts";
import { bundleFile, IndexFileReader, readBundleFile, readEntry, readMeta } from "../src/search/pagefind-format.ts";
import { fixture, hashFiles, ROOT } from "./helpers/files.ts";
import { listFiles } from "./helpers/links.ts";
import { freePort } from "../src/bench/proc.ts";

// `broadsheet serve` on a copy of the basic fixture: each edit is saved as a writer would, then
// the served folder is compared with a fresh build of the edited articles.
let scratch: string;
let articlesDir: string;
let servedDir: string;
let server: ChildProcessWithoutNullStreams;
let log = "";

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-serve-"));
  articlesDir = path.join(scratch, "articles");
  servedDir = path.join(scratch, "served");
  await cp(fixture("basic"), articlesDir, { recursive: true });
  server = spawn(process.execPath, [path.join(ROOT, "bin", "broadsheet.js"), "serve", "--articles", articlesDir, "--output", servedDir, "--port", String(await freePort())], {
    cwd: ROOT,
    env: { ...process.env, CI: "1", NO_COLOR: "1" },
  });
  server.stdout.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
  server.stderr.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
  if (!(await until(() => log.includes("Server at"), 60_000))) throw new Error(`serve did not start:\n${log}`);
}, 60_000);

afterAll(async () => {
  server?.kill();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});


/** Waits until `done()` holds, for at most `milliseconds`; says whether it came to hold. */
async function until(done: () => boolean, milliseconds: number): Promise<boolean> {
  for (let waited = 0; waited < milliseconds; waited += 50) {
    if (done()) return true;
    if (server.exitCode !== null) throw new Error(`serve ended with code ${server.exitCode}:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return done();
}

/** How many files each build so far wrote; Eleventy says so when a build is done. */
function filesWritten(): number[] {
  return [...log.matchAll(/Wrote (\d+) files?/g)].map((match) => Number(match[1]));
}

/**
 * Saves a new version of an article and waits until serve has rebuilt. The file watcher starts a
 * moment after the server says it is watching, so a save it missed is saved again.
 */
async function edit(relativePath: string, change: (text: string) => string): Promise<number[]> {
  const file = path.join(articlesDir, relativePath);
  const edited = change(await readFile(file, "utf8"));
  const builds = filesWritten().length;
  for (let attempt = 1; filesWritten().length === builds; attempt++) {
    if (attempt > 10) throw new Error(`serve did not rebuild after ${relativePath} was saved ten times. It said:\n${log}`);
    await writeFile(file, edited);
    await until(() => filesWritten().length > builds, 2000);
  }
  return filesWritten();
}

/** Every word in a Pagefind bundle's index. */
async function indexedWords(bundle: string): Promise<string[]> {
  const { chunks } = await readMeta(bundle, (await readEntry(bundle)).languages.en!.hash);
  const words: string[] = [];
  for (const [, , hash] of chunks) {
    const file = path.join(bundle, bundleFile("index", hash));
    const reader = new IndexFileReader(await readBundleFile(file), file);
    for (let word = reader.next(); word; word = reader.next()) words.push(word.text);
  }
  return words;
}

/**
 * Every file of the served site but the search index, against a fresh build of the same articles;
 * with `relatedAsBefore`, pages are compared without their lists of related articles, which serve
 * leaves as chosen before an edit to an article's text.
 */
async function compareWithFreshBuild(relatedAsBefore = false): Promise<{ served: Record<string, string>; fresh: Record<string, string> }> {
  const freshDir = path.join(scratch, `fresh-${Date.now()}`);
  await buildSite({ articlesDir, outputDir: freshDir });
  const contents = async (folder: string) => {
    const files: Record<string, string> = {};
    // The search index is never listed: under serve it is being written again meanwhile.
    const entries = (await readdir(folder, { withFileTypes: true })).filter((entry) => entry.name !== "pagefind");
    const names = await Promise.all(entries.map(async (entry) => (entry.isDirectory() ? (await listFiles(path.join(folder, entry.name))).map((name) => `${entry.name}/${name}`) : [entry.name])));
    for (const file of names.flat()) {
      const text = await readFile(path.join(folder, file), "utf8");
      files[file] = relatedAsBefore ? text.replace(/<nav class="related"[^]*?<\/nav>/, "") : text;
    }
    return files;
  };
  return { served: await contents(servedDir), fresh: await contents(freshDir) };
}

/** Files of the served site, the search index left out. */
async function siteFiles(): Promise<number> {
  return (await listFiles(servedDir)).filter((file) => !file.startsWith("pagefind/")).length;
}

describe("serve", () => {
  test("serve starts from a build as build makes it (from the build cache), so its own first run renders no page", async () => {
    expect(filesWritten()[0]).toBe(0);
    expect(await siteFiles()).toBeGreaterThan(20);
  });

  test("an edit to an article's text renders only the pages that show it, as a full build would but for related articles", async () => {
    const written = await edit("2024/housing-plan-approved.md", (text) =>
      text.replace(/^title: .*$/m, 'title: "Housing plan approved <at last> & in full"').replace(/\n\n/, "\n\nA new opening sentence about the plan and its quokka.\n\n"),
    );
    expect(written.at(-1)).toBeLessThan((await siteFiles()) / 2);
    const { served, fresh } = await compareWithFreshBuild(true);
    expect(served).toEqual(fresh);
    expect(await readFile(path.join(servedDir, "2024/07/housing-plan-approved/index.html"), "utf8")).toContain("<h1>Housing plan approved &lt;at last> &amp; in full</h1>");
    // The search index is written again once the writer pauses.
    let indexed: string[] = [];
    for (let waited = 0; waited < 30_000 && !indexed.includes("quokka"); waited += 250) {
      indexed = await indexedWords(path.join(servedDir, "pagefind")).catch(() => []);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(indexed).toContain("quokka");
  });

  test("an edit that moves an article to another topic builds the whole site again, and removes the pages it did away with", async () => {
    const written = await edit("2023/council-meets-in-public.md", (text) => text.replace(/^topics: .*$/m, "topics: [Transparency, Weather]"));
    expect(written.at(-1)).toBeGreaterThan((await siteFiles()) / 2);
    const { served, fresh } = await compareWithFreshBuild();
    expect(Object.keys(fresh)).toContain("topics/weather/index.html");
    expect(served).toEqual(fresh);
  });

  test("an edit that shows a picture for the first time publishes it encoded, as a full build does", async () => {
    const builds = filesWritten().length;
    await cp(path.join(fixture("pictures"), "2024", "harbour-fire", "boats.jpg"), path.join(articlesDir, "2024", "boats.jpg"));
    // A new file beside the articles is no article: the whole site is built again, without it.
    await until(() => filesWritten().length > builds, 20_000);
    await edit("2024/housing-plan-approved.md", (text) => text.replace(/\n\n/, "\n\n![Boats at the quay](boats.jpg)\n\n"));
    const { served, fresh } = await compareWithFreshBuild();
    expect(served).toEqual(fresh);
    expect(served["2024/07/housing-plan-approved/index.html"]).toMatch(/<picture><source type="image\/webp" srcset="[^"]*boats-400\.webp 400w/);

    // A later whole build replaces the encodings rather than write over them: they share their
    // bytes with the picture cache, which every later build publishes.
    const encoding = path.join(servedDir, Object.keys(served).find((file) => file.endsWith("boats-400.webp"))!);
    const before = await stat(encoding);
    expect(before.nlink).toBeGreaterThan(1);
    const written = await edit("2023/council-meets-in-public.md", (text) => text.replace(/^topics: .*$/m, "topics: [Transparency, Harbour]"));
    expect(written.at(-1)).toBeGreaterThan((await siteFiles()) / 2);
    const after = await stat(encoding);
    expect({ ino: after.ino, mtimeMs: after.mtimeMs }).toEqual({ ino: before.ino, mtimeMs: before.mtimeMs });
  });

  test("an edit to the text of an article that shows an encoded picture renders only its pages, the picture still encoded", async () => {
    const written = await edit("2024/housing-plan-approved.md", (text) => text.replace("![Boats at the quay](boats.jpg)", "![Boats at the quay, moored](boats.jpg)"));
    expect(written.at(-1)).toBeLessThan((await siteFiles()) / 2);
    const { served, fresh } = await compareWithFreshBuild(true);
    expect(served).toEqual(fresh);
    expect(served["2024/07/housing-plan-approved/index.html"]).toMatch(/<picture><source type="image\/webp" srcset="[^"]*boats-400\.webp 400w[^]*alt="Boats at the quay, moored"/);
  });

  test("an edit that takes the picture out builds the whole site again, which no longer publishes the picture", async () => {
    const written = await edit("2024/housing-plan-approved.md", (text) => text.replace("![Boats at the quay, moored](boats.jpg)", ""));
    expect(written.at(-1)).toBeGreaterThan((await siteFiles()) / 2);
    const { served, fresh } = await compareWithFreshBuild();
    expect(served).toEqual(fresh);
    expect(Object.keys(served).filter((file) => file.includes("boats"))).toEqual([]);
  });

  test("a build into the folder serve wrote into does not trust the build cache's record of it", async () => {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill();
    await exited;
    // The same cache as serve's: the default, in the working folder both run in.
    await buildSite({ articlesDir, outputDir: servedDir });
    const clean = path.join(scratch, "clean-after-serve");
    await buildSite({ articlesDir, outputDir: clean, cache: false });
    expect(await hashFiles(servedDir)).toEqual(await hashFiles(clean));
  });
});
