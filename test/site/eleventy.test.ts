import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loadSite, type SiteModel } from "../../src/archive/load-site.ts";
import type { Page } from "../../src/archive/pages.ts";
import { createEleventy, quietEleventy } from "../../src/site/eleventy.ts";
import { fixture } from "../helpers/files.ts";

let scratch: string;
let site: SiteModel;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-eleventy-"));
  site = (await loadSite({ articlesDir: fixture("basic") })).site!;
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

test("two Eleventy runs in one process each render their own plan", async () => {
  const [first, second] = [path.join(scratch, "first"), path.join(scratch, "second")];
  const pageOf = (url: string) => site.pages.find((page) => page.url === url)!;
  const runs = [createEleventy(first, { model: async () => ({ ...site, pages: [pageOf("/"), pageOf("/feed.xml")] }) }), createEleventy(second, { model: async () => ({ ...site, pages: [pageOf("/robots.txt")] }) })];
  for (const eleventy of runs) quietEleventy(eleventy);
  await Promise.all(runs.map((eleventy) => eleventy.write()));
  expect((await readdir(first)).sort()).toEqual(["assets", "feed.xml", "index.html"]);
  expect((await readdir(second)).sort()).toEqual(["assets", "robots.txt"]);
});

test("a run that writes fewer pages than its model holds fails, saying so", async () => {
  // A page Eleventy is told not to write (permalink false) stands for any page it leaves out.
  const unwritten = { kind: "file", url: false, render: () => "" } as unknown as Page;
  const eleventy = createEleventy(path.join(scratch, "short"), { model: async () => ({ ...site, pages: [site.pages[0]!, unwritten] }) });
  quietEleventy(eleventy);
  await expect(eleventy.write()).rejects.toThrow(/Eleventy wrote [01] of the 2 pages of the archive; the site would be missing pages/);
});
