import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadSite, type SiteModel, type SiteRequest } from "../../src/archive/load-site.ts";
import type { FilePage } from "../../src/archive/pages.ts";
import { reviseArticle } from "../../src/archive/update.ts";
import { parseArticle } from "../../src/articles/load.ts";
import { fixture } from "../helpers/files.ts";

// The corrections feed (/corrections/feed.xml) names each corrected article by its title. Under
// serve, a new title of a corrected article must be written there too, as a whole build writes it.
const FILE = "2024/lighthouse-keeper-retires.md";
const FEED = "/corrections/feed.xml";
let scratch: string;
let request: SiteRequest;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-review-corrections-feed-"));
  await cp(fixture("links"), path.join(scratch, "articles"), { recursive: true });
  request = { articlesDir: path.join(scratch, "articles"), pictureCache: false };
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const feedOf = (site: SiteModel) => String((site.pages.find((page) => page.url === FEED) as FilePage).render());

describe("reviseArticle and the corrections feed", () => {
  test("a new title of a corrected article is written to the corrections feed, as a whole build writes it", async () => {
    const served = await loadSite(request);
    const site = served.site!;
    // What the whole build that serve started from wrote.
    const written = feedOf(site);
    const previous = served.sources!.find((source) => source.relativePath === FILE)!;
    const file = path.join(request.articlesDir, FILE);
    const text = (await readFile(file, "utf8")).replace("title: Lighthouse keeper retires after forty years", "title: Keeper of Gull Point light retires");
    await writeFile(file, text);
    const revised = parseArticle(new TextEncoder().encode(text), FILE, FILE, site.settings).source!;

    const revision = reviseArticle(site, previous, revised)!;
    const fresh = (await loadSite(request)).site!;
    expect(feedOf(fresh)).toContain("Correction: Keeper of Gull Point light retires");
    // Serve writes only the revision's pages: the feed as it was written, unless it is among them.
    const servedFeed = revision.pages.some((page) => page.url === FEED) ? feedOf(site) : written;
    expect(servedFeed).toBe(feedOf(fresh));
  });
});
