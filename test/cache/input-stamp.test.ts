import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, test } from "vitest";
import { Worker } from "node:worker_threads";
import { filesChangedSince, stampInputs, stampInputsOnThread } from "../../src/cache/input-stamp.ts";

/** How long a file's status takes to be trusted (src/archive/content-hashes.ts), and a little more. */
const SETTLED = 2200;

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), "broadsheet-stamp-"));
  for (const file of ["articles/2020/03/budget.md", "articles/.hidden/notes.md", "articles/.git/index", "articles/2020/.DS_Store", "broadsheet.yml"]) {
    await mkdir(path.dirname(path.join(folder, file)), { recursive: true });
    await writeFile(path.join(folder, file), file);
  }
  await symlink(path.join(folder, "broadsheet.yml"), path.join(folder, "articles", "settings-link.yml"));
});

afterAll(() => rm(folder, { recursive: true, force: true }));

test("a stamp names every file below its folders but hidden ones, links too, by the path a build reads it at", { timeout: 15_000 }, async () => {
  const articles = path.join(folder, "articles");
  const roots = [articles, path.join(folder, "broadsheet.yml"), path.join(folder, "missing")];
  // Left long enough for their times to tell a later change: the stamp trusts no newer file.
  await sleep(SETTLED);
  const before = stampInputs(roots);
  expect([...before.files.keys()].sort()).toEqual(["2020/03/budget.md", "settings-link.yml"].map((relative) => path.resolve(articles, relative)).concat(path.join(folder, "broadsheet.yml")).sort());
  expect(stampInputs(roots).digest).toBe(before.digest);
  // No build reads a hidden file: Git rewriting its index, or a file browser its notes, changes no input.
  for (const hidden of ["articles/.git/index", "articles/2020/.DS_Store", "articles/.hidden/notes.md"]) await writeFile(path.join(folder, hidden), "rewritten");
  await writeFile(path.join(folder, "articles/.git/ORIG_HEAD"), "new");
  expect(stampInputs(roots).digest).toBe(before.digest);
  await writeFile(path.join(articles, "2020", "03", "budget.md"), "edited");
  const after = stampInputs(roots);
  expect(after.digest).not.toBe(before.digest);
  expect(filesChangedSince(before, after)).toEqual([path.resolve(articles, "2020/03/budget.md")]);
  // A file made since, however new, is changed too: serve queues it for Eleventy, which would not
  // see it otherwise. One too new to trust in both stamps, its status the same, is not.
  await writeFile(path.join(articles, "2020", "03", "ferry.md"), "new");
  const made = stampInputs(roots);
  expect(filesChangedSince(before, made)).toEqual(["2020/03/budget.md", "2020/03/ferry.md"].map((relative) => path.resolve(articles, relative)));
  expect(filesChangedSince(after, made)).toEqual([path.resolve(articles, "2020/03/ferry.md")]);
});

test("a link to a folder is stamped as the link, not as the folder it leads to: a file made there changes the folder, not the link", { timeout: 15_000 }, async () => {
  const articles = path.join(folder, "linked");
  await mkdir(path.join(articles, "plans-2026"), { recursive: true });
  await mkdir(path.join(articles, "plans-2027"), { recursive: true });
  await symlink("plans-2026", path.join(articles, "plans"));
  await sleep(SETTLED);
  const before = stampInputs([articles]);
  const link = path.join(articles, "plans");
  expect([...before.files.keys()]).toEqual([link]);
  await writeFile(path.join(articles, "plans-2026", "wall.txt"), "made in the folder the link leads to");
  await sleep(SETTLED);
  const made = stampInputs([articles]);
  expect(made.files.get(link)).toBe(before.files.get(link));
  await rm(link);
  await symlink("plans-2027", link);
  await sleep(SETTLED);
  expect(filesChangedSince(made, stampInputs([articles]))).toEqual([link]);
});

test("the stamp taken on a thread of its own is the one taken on this thread", async () => {
  // Every file settled, so that both stamps trust the same ones.
  await sleep(SETTLED);
  const roots = [path.join(folder, "articles"), path.join(folder, "broadsheet.yml")];
  const worker = new Worker(new URL("../../src/cache/stamp-worker.js", import.meta.url), { workerData: roots });
  const posted = await new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  const here = stampInputs(roots);
  expect(here.files.size).toBeGreaterThan(0);
  expect(posted).toEqual(here);
  expect(await stampInputsOnThread(roots)).toEqual(here);
});

test("a thread that fails, by an error or by ending without a stamp, leaves the stamp to this thread", async () => {
  await sleep(SETTLED);
  const roots = [path.join(folder, "articles"), path.join(folder, "broadsheet.yml")];
  const here = stampInputs(roots);
  // The script given is the one run: one that posts a stamp of its own is heard.
  const posting = path.join(folder, "posting-stamp.mjs");
  await writeFile(posting, 'import { parentPort } from "node:worker_threads";\nparentPort.postMessage({ digest: "posted" });\n');
  expect(await stampInputsOnThread(roots, pathToFileURL(posting))).toEqual({ digest: "posted" });
  const failing = { throws: 'throw new Error("the disk went away");\n', ends: "process.exit(3);\n" };
  for (const [how, script] of Object.entries(failing)) {
    const file = path.join(folder, `failing-stamp-${how}.mjs`);
    await writeFile(file, script);
    expect(await stampInputsOnThread(roots, pathToFileURL(file)), how).toEqual(here);
  }
});
