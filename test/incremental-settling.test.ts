import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { build } from "../src/index.ts";
import { buildSite } from "../src/build.ts";
import { writeSyntheticArchive } from "../src/bench/synthetic.ts";
import { hashFiles, SETTLED } from "./helpers/files.ts";

// The stamp trusts a file's status only once it was last changed more than 2 s before
// (src/cache/input-stamp.ts). An edit built at once is read, since its status is too new to trust;
// a build that ends after the file has settled, as the build read it, keeps the stamp for the
// next, which then finds nothing changed. These builds are held at their first phase for longer
// than a file takes to settle, as a build of a big archive takes that long anyway.

let scratch: string;
let articles: string;
let output: string;
let cache: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-settling-"));
  articles = path.join(scratch, "articles");
  output = path.join(scratch, "site");
  cache = path.join(scratch, "cache");
  writeSyntheticArchive(articles, 12);
  await writeFile(path.join(articles, "broadsheet.yml"), "title: The Settling Gazette\ntimeZone: Europe/London\nnow: 2026-12-01T00:00:00Z\n");
  await sleep(SETTLED);
}, 60_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const options = () => ({ articles, output, cache, pictureCache: path.join(scratch, "pictures") });

/** Holds this thread for `milliseconds`, as a build busy that long would. */
function busyFor(milliseconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

/** A build whose first phase ends only once `whileHeld` has run and the files it wrote have settled. */
function buildHeld(whileHeld: () => void = () => {}) {
  let held = false;
  return build({
    ...options(),
    onPhase: () => {
      if (held) return;
      held = true;
      whileHeld();
      busyFor(SETTLED);
    },
  });
}

async function expectSameAsClean(): Promise<void> {
  const clean = path.join(scratch, "clean");
  await rm(clean, { recursive: true, force: true });
  await buildSite({ articlesDir: articles, outputDir: clean, cache: false, pictureCache: path.join(scratch, "pictures") });
  expect(await hashFiles(output)).toEqual(await hashFiles(clean));
}

describe("an article file built at once after it was saved", { timeout: 120_000 }, () => {
  let edited: string;

  test("once it has settled as the build read it, the next build finds nothing changed", async () => {
    expect(await build(options())).toMatchObject({ written: true, unchanged: false });
    edited = path.join(articles, articleFiles()[3]!);
    const original = await readFile(edited, "utf8");
    await writeFile(edited, `${original}\nA closing paragraph about the night ferry.\n`);
    // At once: the file is too new for its status to be trusted, so the build reads it.
    expect(await buildHeld()).toMatchObject({ written: true, unchanged: false });
    const built = await hashFiles(output);
    expect(await build(options())).toMatchObject({ written: true, unchanged: true });
    expect(await hashFiles(output)).toEqual(built);
    await expectSameAsClean();
  });

  test("written again while the build read it, it is read again by the next build", async () => {
    const original = await readFile(edited, "utf8");
    await writeFile(edited, `${original}\nA line about the harbour lights.\n`);
    // Saved again once the build has read it, and settled before the build ends.
    expect(await buildHeld(() => writeFileSync(edited, `${original}\nA line about the harbour lights, and the quay.\n`))).toMatchObject({ written: true, unchanged: false });
    const again = await build(options());
    expect(again).toMatchObject({ written: true, unchanged: false });
    expect(await readFile(path.join(output, pageOf(edited)), "utf8")).toContain("harbour lights, and the quay");
    await expectSameAsClean();
    await sleep(SETTLED);
    expect(await build(options())).toMatchObject({ written: true, unchanged: true });
  });
});

/** The synthetic archive's article files, relative to its folder, in order. */
function articleFiles(): string[] {
  return readdirSync(articles, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".md"))
    .sort();
}

/** The page the synthetic article at `file` is published as (its year, month and file name). */
function pageOf(file: string): string {
  const [year, month, name] = path.relative(articles, file).split(path.sep);
  return path.join(year!, month!, name!.replace(/\.md$/, ""), "index.html");
}
