import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { filesBelow, pathInside } from "../src/files-below.ts";

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), "broadsheet-files-below-"));
  for (const file of ["a.md", "2020/03/b.md", "2020/03/deep/c.txt", ".git/HEAD", "skipped/d.md"]) {
    await mkdir(path.dirname(path.join(folder, file)), { recursive: true });
    await writeFile(path.join(folder, file), file);
  }
  await symlink(path.join(folder, "a.md"), path.join(folder, "2020", "linked.md"));
  await symlink(path.join(folder, "2020"), path.join(folder, "linked-folder"));
});

afterAll(() => rm(folder, { recursive: true, force: true }));

test("every file below a folder, with forward slashes; links listed, not followed", () => {
  expect(filesBelow(folder).sort()).toEqual([".git/HEAD", "2020/03/b.md", "2020/03/deep/c.txt", "2020/linked.md", "a.md", "linked-folder", "skipped/d.md"]);
});

test("folders skipped by name are not entered, and links left out when only regular files are asked for", () => {
  const files = filesBelow(folder, { skipFolder: (name) => name.startsWith(".") || name === "skipped", regularOnly: true });
  expect(files.sort()).toEqual(["2020/03/b.md", "2020/03/deep/c.txt", "a.md"]);
});

test("a listed file's path inside its folder is the one path.resolve gives", () => {
  for (const relative of filesBelow(folder)) expect(pathInside(folder, relative)).toBe(path.resolve(folder, relative));
  expect(pathInside(path.parse(folder).root, "a.md")).toBe(path.resolve(path.parse(folder).root, "a.md"));
});
