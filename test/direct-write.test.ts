import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loadSite } from "../src/archive/load-site.ts";
import { placeCopiedFiles } from "../src/site/copied-files.ts";
import { writePagesDirectly } from "../src/site/direct-write.ts";
import { createEleventy, quietEleventy } from "../src/site/eleventy.ts";
import { fixture, hashFiles } from "./helpers/files.ts";

// A build from the cache that renders a few pages writes them without Eleventy, by the same
// template (src/site/direct-write.ts). Here every page of a site, of every kind the fixtures make
// (articles, listings, feeds, sitemaps, redirects, the site's own pages, pictures' encodings,
// hostile and non-ASCII names), is written both ways: the two folders must be the same, byte for byte.

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-direct-write-"));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

test.each(["basic", "brand", "links", "pictures", "related", "headlines", "adversarial/hostile", "adversarial/file-name-spaces-non-ascii", "adversarial/same-slug-different-months"])(
  "every page of %s, written without Eleventy, is the page Eleventy writes",
  { timeout: 120_000 },
  async (scenario) => {
    const folder = path.join(scratch, scenario);
    const { site, problems } = await loadSite({ articlesDir: fixture(scenario), pictureCache: path.join(scratch, "pictures") });
    expect(site, problems.map((problem) => problem.message).join("\n")).toBeDefined();

    const byEleventy = path.join(folder, "eleventy");
    const eleventy = createEleventy(byEleventy, { model: async () => site! });
    quietEleventy(eleventy);
    await eleventy.write();

    // As the build does it: copies of files placed first, the rest written by the template.
    const direct = path.join(folder, "direct");
    const rendered = await placeCopiedFiles(site!.pages, direct);
    await writePagesDirectly(direct, { ...site!, pages: rendered });

    const written = await hashFiles(direct);
    // A file for each page, and the stylesheet and scripts.
    expect(Object.keys(written).length).toBeGreaterThan(site!.pages.length);
    expect(written).toEqual(await hashFiles(byEleventy));
    // The scripts go into the site; the type declarations beside them, for the compiler, do not.
    expect(Object.keys(written)).toEqual(expect.arrayContaining(["assets/style.css", "assets/search.js", "assets/typos.js"]));
    expect(Object.keys(written).filter((file) => file.endsWith(".d.ts"))).toEqual([]);
  },
);
