import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildSite } from "../src/build.ts";
import { writeSyntheticArchive } from "../src/bench/synthetic.ts";
import { fixture, hashFiles, ROOT, runBroadsheet } from "./helpers/files.ts";

const BASIC = fixture("basic");

let scratch: string;
/** Hashes of a finished build of the basic archive in out/site, which no failed build may change. */
let before: Record<string, string>;
/** A synthetic archive big enough that a build can be stopped half-way. */
let corpus: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-failures-"));
  const site = path.join(scratch, "out", "site");
  corpus = path.join(scratch, "corpus", "articles");
  writeSyntheticArchive(corpus, 2000);
  await buildSite({ articlesDir: BASIC, outputDir: site });
  before = await hashFiles(site);
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("an interrupted build leaves the previous site as it was", () => {
  // Both at once, each over its own copy of the finished site, to keep the suite quick.
  test.concurrent.each([["SIGKILL"], ["SIGTERM"]] as const)("killed with %s once it has started writing", async (signal) => {
    const site = path.join(scratch, signal, "site");
    await cp(path.join(scratch, "out"), path.dirname(site), { recursive: true });
    const articlesBefore = await snapshot(corpus);
    const child = spawn(process.execPath, [path.join(ROOT, "bin", "broadsheet.js"), "build", "--articles", corpus, "--output", site, "--quiet"], {
      cwd: ROOT,
      env: { ...process.env, CI: "1" },
      stdio: "ignore",
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));

    // Stop it once the staging folder holds written pages: half a site exists beside the old one.
    const staging = await waitFor(async () => {
      const name = (await readdir(path.dirname(site))).find((entry) => entry.startsWith("site.building-"));
      return name && (await readdir(path.join(path.dirname(site), name))).length > 0 ? name : undefined;
    }, exited);
    expect(staging, "the build ended before it wrote anything").toBeDefined();
    child.kill(signal);
    const exit = await exited;

    expect(await hashFiles(site)).toEqual(before);
    expect(await snapshot(corpus)).toEqual(articlesBefore);
    const beside = await readdir(path.dirname(site));
    if (signal === "SIGKILL") {
      // Nothing can tidy up after SIGKILL: the half-written folder stays, named as what it is,
      // until the next build, which removes it since the process that wrote it has ended.
      expect(exit.signal).toBe("SIGKILL");
      expect(beside.filter((entry) => entry !== "site" && entry !== staging)).toEqual([]);
      const next = await runBroadsheet(["build", "--articles", corpus, "--output", site, "--quiet"]);
      expect(next.code).toBe(0);
      expect(await readdir(path.dirname(site))).toEqual(["site"]);
    } else {
      expect(exit.code).toBe(130);
      expect(beside).toEqual(["site"]);
    }
    // Two builds of 2,000 articles at once, and after SIGKILL a third: on a busy machine, minutes.
  }, 300_000);
});

describe("the articles folder is only read", () => {
  test("a build and a check leave every file, folder and modification time as it was", async () => {
    const articlesBefore = await snapshot(BASIC);
    expect(Object.keys(articlesBefore)).toContain("2024/new-year-budget.md");
    const again = path.join(scratch, "again");
    await buildSite({ articlesDir: BASIC, outputDir: again });
    const checked = await runBroadsheet(["check", "--articles", BASIC, "--quiet"]);
    expect(checked.code).toBe(0);
    expect(await snapshot(BASIC)).toEqual(articlesBefore);

    // Two builds of the same input are byte-identical, search index included.
    const hashes = await hashFiles(again);
    expect(Object.keys(hashes).filter((file) => file.startsWith("pagefind/")).length).toBeGreaterThan(5);
    expect(hashes).toEqual(before);
  });
});

/** Every entry below `folder`, hidden ones too: kind, size, modification time and content hash. */
async function snapshot(folder: string): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const info = await stat(file);
    const hash = entry.isFile() ? createHash("sha256").update(await readFile(file)).digest("hex") : "";
    entries[path.relative(folder, file).split(path.sep).join("/")] = `${entry.isDirectory() ? "folder" : "file"} ${info.size} ${info.mtimeMs} ${hash}`;
  }
  return entries;
}

/** Polls `check` until it returns a value, or `ended` settles first. */
async function waitFor<T>(check: () => Promise<T | undefined>, ended: Promise<unknown>): Promise<T | undefined> {
  let done = false;
  void ended.then(() => (done = true));
  while (!done) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return undefined;
}
