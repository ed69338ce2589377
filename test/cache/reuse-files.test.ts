import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { FileReuse } from "../../src/cache/reuse-files.ts";

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-reuse-files-"));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

test("files linked on a thread of their own share the previous site's files, in folders made as needed; those it lacks are named", async () => {
  const previous = path.join(scratch, "site");
  const staging = path.join(scratch, "site.building");
  const files = ["index.html", "2024/03/budget/index.html", "topics/harbour/page/2/index.html"];
  for (const file of files) {
    await mkdir(path.dirname(path.join(previous, file)), { recursive: true });
    await writeFile(path.join(previous, file), `page ${file}`);
  }
  const reuse = new FileReuse(previous, staging);
  // One folder made ahead, as a build does for the previous site's pages; the others are made by the links.
  reuse.prepareFolders(["index.html"]);
  const missing = await reuse.reuseAll([...files, "2024/03/removed-by-hand/index.html"]);
  expect(missing).toEqual(["2024/03/removed-by-hand/index.html"]);
  expect(reuse.linked).toBe(files.length);
  for (const file of files) {
    expect(await readFile(path.join(staging, file), "utf8")).toBe(`page ${file}`);
    // The same file, not a copy: the previous site stays whole and nothing was read.
    expect((await stat(path.join(staging, file))).ino).toBe((await stat(path.join(previous, file))).ino);
  }
  expect(existsSync(path.join(staging, "2024/03/removed-by-hand"))).toBe(false);
  await reuse.linksDone();
});
