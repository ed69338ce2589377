import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { FileReuse, joinUnder } from "../../src/cache/reuse-files.ts";

const scratch = mkdtempSync(path.join(os.tmpdir(), "broadsheet-reuse-files-"));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test("a site's relative path joins its folder exactly as path.join joins them, whatever the path", () => {
  const files = [
    "index.html",
    "2024/03/budget/index.html",
    "pagefind/index/en_1a2b.pf_index",
    ".well-known/security.txt",
    "media/.hidden/a.png",
    "a/.../b",
    "a/..b/c",
    "",
    ".",
    "..",
    "./a",
    "a/./b",
    "a/../b",
    "a/..",
    "../outside",
    "/absolute",
    "a//b",
    "a/",
    "a\\b",
  ];
  for (const folder of ["/srv/site.building-1", "/"]) for (const file of files) expect(joinUnder(folder, file), `${folder} + ${file}`).toBe(path.join(folder, file));
});

test("a folder of the previous site is linked whole, named with its slash or not, but the folders left out", async () => {
  const previous = path.join(scratch, "site");
  const files = ["pagefind/pagefind.js", "pagefind/volumes/1/meta.pf_meta", "pagefind/words/en.txt", "index.html"];
  for (const file of files) {
    mkdirSync(path.dirname(path.join(previous, file)), { recursive: true });
    writeFileSync(path.join(previous, file), file);
  }
  for (const folder of ["pagefind/", "pagefind"]) {
    const staging = path.join(scratch, `staging-${folder.length}`);
    const reuse = new FileReuse(previous, staging);
    expect(reuse.reuseFolder(folder, ["pagefind/words"])).toBe(true);
    for (const file of ["pagefind/pagefind.js", "pagefind/volumes/1/meta.pf_meta"]) {
      // The same file, linked: not a copy.
      expect(readFileSync(path.join(staging, file), "utf8")).toBe(file);
      expect(statSync(path.join(staging, file)).ino).toBe(statSync(path.join(previous, file)).ino);
    }
    expect(existsSync(path.join(staging, "pagefind/words"))).toBe(false);
    expect(existsSync(path.join(staging, "index.html"))).toBe(false);
    expect(reuse.reuseFolder("missing/")).toBe(false);
  }
});

test("folders made ahead twice (the previous site's, then the pages to render) are all made, and those left empty all removed", async () => {
  const staging = path.join(scratch, "staging-ahead");
  const reuse = new FileReuse(path.join(scratch, "no-site"), staging);
  reuse.prepareFolders(["2024/03/kept/index.html", "2024/03/gone/index.html"]);
  reuse.prepareFolders(["page/2/index.html", "page/3/index.html", "2024/03/kept/index.html"]);
  await reuse.foldersReady();
  for (const folder of ["2024/03/kept", "2024/03/gone", "page/2", "page/3"]) expect(existsSync(path.join(staging, folder)), folder).toBe(true);
  for (const file of ["2024/03/kept/index.html", "page/2/index.html"]) writeFileSync(path.join(staging, file), file);
  await reuse.finishFolders(() => ["2024/03/kept/index.html", "page/2/index.html"]);
  // Empty folders of either call go, as a build from nothing leaves none.
  for (const folder of ["2024/03/gone", "page/3"]) expect(existsSync(path.join(staging, folder)), folder).toBe(false);
  for (const file of ["2024/03/kept/index.html", "page/2/index.html"]) expect(readFileSync(path.join(staging, file), "utf8")).toBe(file);
});

test("the folders of pages about to be written are made ahead, and never taken for folders to remove", async () => {
  const staging = path.join(scratch, "staging-written");
  const reuse = new FileReuse(path.join(scratch, "no-site"), staging);
  reuse.makeFoldersFor(["page/2/index.html", "2024/index.html"]);
  await reuse.foldersReady();
  for (const folder of ["page/2", "2024"]) expect(existsSync(path.join(staging, folder)), folder).toBe(true);
  writeFileSync(path.join(staging, "page/2/index.html"), "page 2");
  await reuse.finishFolders(() => ["page/2/index.html"]);
  expect(existsSync(path.join(staging, "2024"))).toBe(true);
});

test("folders that cannot be made fail where they are waited for, not before as an unhandled rejection", async () => {
  const blocked = path.join(scratch, "a-file");
  writeFileSync(blocked, "not a folder");
  const reuse = new FileReuse(path.join(scratch, "no-site"), path.join(blocked, "staging"));
  reuse.makeFoldersFor(["page/2/index.html"]);
  // The thread fails meanwhile; nobody waits for it yet.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await expect(reuse.foldersReady()).rejects.toThrow();
  await expect(reuse.finishFolders(() => ["page/2/index.html"])).rejects.toThrow();
});

test("folders are ready only once every thread making them has ended, the first one's many too", async () => {
  const staging = path.join(scratch, "staging-two-threads");
  const reuse = new FileReuse(path.join(scratch, "no-site"), staging);
  const many = Array.from({ length: 3000 }, (_, index) => `page/${index + 2}/index.html`);
  reuse.prepareFolders(many);
  reuse.makeFoldersFor(["2024/index.html"]);
  await reuse.foldersReady();
  for (const file of [...many, "2024/index.html"]) expect(existsSync(path.dirname(path.join(staging, file))), file).toBe(true);
});
