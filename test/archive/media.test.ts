import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { ANSWERED_OTHERWISE, MediaFiles, whereLeads } from "../../src/archive/media.ts";

let scratch: string;
let articles: string;
let beyond: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-media-"));
  articles = path.join(scratch, "articles");
  beyond = path.join(scratch, "beyond");
  await mkdir(path.join(articles, "2024"), { recursive: true });
  await mkdir(beyond);
  await symlink(beyond, path.join(articles, "pictures"));
});

afterAll(() => rm(scratch, { recursive: true, force: true }));

test("a path that leads out of the folder through a link is read as the lookup found it, not as it leads when read", async () => {
  const media = new MediaFiles(articles);
  const looked = path.join(articles, "pictures", "pier.txt");
  expect(media.lookup("2024/pier.md", "../pictures/pier.txt")).toEqual({ missing: true });
  // Made after the lookup, before the build records what it read: the record keeps the answer
  // the build reported, so that the next build finds the path leads elsewhere now.
  await writeFile(path.join(beyond, "pier.txt"), "The pier.\n");
  expect(media.pathsRead().beyond).toEqual([[looked, "nowhere"]]);
  expect(whereLeads(looked, await realpath(articles))).toBe("outside");
  // Looked up again, it is found outside: two answers, which no later lookup matches.
  expect(media.lookup("2024/quay.md", "../pictures/pier.txt")).toEqual({ outside: true });
  expect(media.pathsRead().beyond).toEqual([[looked, ANSWERED_OTHERWISE]]);
  const again = new MediaFiles(articles);
  again.lookup("2024/pier.md", "../pictures/pier.txt");
  expect(again.pathsRead()).toMatchObject({ sought: [], beyond: [[looked, "outside"]] });
});
