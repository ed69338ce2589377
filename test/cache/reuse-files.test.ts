import path from "node:path";
import { expect, test } from "vitest";
import { under } from "../../src/cache/reuse-files.ts";

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
  for (const folder of ["/srv/site.building-1", "/"]) for (const file of files) expect(under(folder, file), `${folder} + ${file}`).toBe(path.join(folder, file));
});
