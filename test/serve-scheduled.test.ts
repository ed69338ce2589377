import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DateTime } from "luxon";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { loadSite } from "../src/archive/load-site.ts";
import { reviseServedSite, servedModel } from "../src/serve.ts";
import { fixture } from "./helpers/files.ts";

// Serve revises its model for an edit to an article's text. An article scheduled for later is
// not in that model; once it comes due, a whole build publishes it (on the home page, its
// topic's and author's pages, the feeds), so an edit then must build the whole site too.
let scratch: string;
let articlesDir: string;
const due = DateTime.now().plus({ days: 1 }).startOf("second");

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-serve-scheduled-"));
  articlesDir = path.join(scratch, "articles");
  await cp(fixture("basic"), articlesDir, { recursive: true });
  await writeFile(path.join(articlesDir, "2024", "scheduled-story.md"), `---\ntitle: A story scheduled for later\nauthor: Dee Raft\ndate: ${due.toUTC().toISO({ suppressMilliseconds: true })}\ntopics: [Housing]\n---\nThis story is published when its time comes.\n`);
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Saves a new title for one of the fixture's articles; its absolute path, as the watcher names it. */
async function retitle(title: string): Promise<string> {
  const file = path.join(articlesDir, "2024", "housing-plan-approved.md");
  await writeFile(file, (await readFile(file, "utf8")).replace(/^title: .*$/m, `title: ${title}`));
  return file;
}

describe("serve and an article scheduled for later", () => {
  test("an edit before the article is due is revised in place; one after it is due builds the whole site", async () => {
    const { site, sources } = await loadSite({ articlesDir, pictureCache: false });
    const served = servedModel(site!, sources!);
    expect(site!.archive.articles.map((article) => article.title)).not.toContain("A story scheduled for later");
    expect(served.due).toBe(due.toMillis());
    const options = { articlesDir, report: () => {} };

    expect(await reviseServedSite(served, [await retitle("Housing plan approved at last")], options)).toBeDefined();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(due.toMillis());
    expect(await reviseServedSite(served, [await retitle("Housing plan approved, at last")], options)).toBeUndefined();
  });

  test("with drafts shown, or a fixed time in the settings, nothing comes due", async () => {
    const drafts = await loadSite({ articlesDir, pictureCache: false, drafts: true });
    expect(servedModel(drafts.site!, drafts.sources!).due).toBeUndefined();
    const fixed = await loadSite({ articlesDir, pictureCache: false, overrides: { now: "2025-01-01" } });
    expect(servedModel(fixed.site!, fixed.sources!).due).toBeUndefined();
  });
});
