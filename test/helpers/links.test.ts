import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { findBrokenLinks } from "./links.ts";

// The link checker guards every build test; these make sure it can fail.
let site: string;

beforeAll(async () => {
  site = await mkdtemp(path.join(os.tmpdir(), "broadsheet-links-"));
  const files: Record<string, string> = {
    "index.html": `<a href="/news/a/">a</a> <a href="/news/a/#top">top</a> <a href="/news/a/#nowhere">bad fragment</a>
      <a href="/news/missing/">missing</a> <a href="/elsewhere/">outside base</a> <a href='/news/a'>no slash</a>
      <img src="/news/img.png"> <link href=/news/style.css rel=stylesheet> <form action="/news/search/"></form>
      <a href="https://example.org/x">external</a> <a href="mailto:a@example.org">mail</a> <a href="#local">local</a>
      <a href="http://localhost:8080/news/a/">canonical</a> <a href="http://localhost:8080/news/gone/">canonical gone</a>
      <a href="a/?x=1&amp;y=2">relative with query</a> <a href="../news/a/">relative up</a>
      <p id="local">Text mentioning href="/news/in-text/" is not a link.</p>
      <script>const url = '<a href="/news/in-script/">';</script><!-- <a href="/news/in-comment/"> -->`,
    "a/index.html": `<h1 id="top">A</h1><a href="../">home</a> <a href="b.html">sibling file</a>`,
    "a/b.html": "<p>b</p>",
    "img.png": "",
  };
  for (const [file, html] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(site, file)), { recursive: true });
    await writeFile(path.join(site, file), html);
  }
});

afterAll(async () => {
  await rm(site, { recursive: true, force: true });
});

test("finds every kind of broken internal link, and only those", async () => {
  const broken = await findBrokenLinks(site, { basePath: "/news/", origin: "http://localhost:8080" });
  expect(broken.map(({ page, link, reason }) => `${page} ${link}: ${reason}`)).toEqual([
    "index.html /elsewhere/: is outside the base path /news/",
    "index.html /news/a: leads to a, which was not written",
    'index.html /news/a/#nowhere: leads to a/index.html, which has no element with id "nowhere"',
    "index.html /news/missing/: leads to missing/index.html, which was not written",
    "index.html /news/search/: leads to search/index.html, which was not written",
    "index.html /news/style.css: leads to style.css, which was not written",
    "index.html http://localhost:8080/news/gone/: leads to gone/index.html, which was not written",
  ]);
});

test("fragments can be left unchecked", async () => {
  const broken = await findBrokenLinks(site, { basePath: "/news/", fragments: false });
  expect(broken.map((link) => link.link)).not.toContain("/news/a/#nowhere");
});
