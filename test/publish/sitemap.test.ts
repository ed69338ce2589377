import { describe, expect, test } from "vitest";
import { ModelDigests } from "../../src/cache/page-keys.ts";
import { defaultSettings } from "../../src/settings.ts";
import { SITEMAP_LIMIT, sitemapFiles, type SitemapEntry } from "../../src/publish/sitemap.ts";

const settings = { ...defaultSettings, baseUrl: "https://news.example.org" };

/** `count` entries, one a day from 2001 on. */
function entries(count: number): SitemapEntry[] {
  return Array.from({ length: count }, (_, index) => ({ url: `/articles/${index}/`, lastModified: Date.UTC(2001, 0, 1) + index * 86_400_000 }));
}

/** The addresses a sitemap file lists, in order. */
function listed(xml: string): string[] {
  return [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map(([, url]) => url!);
}

// A build keeps a sitemap without rendering it while its `inputs` are unchanged (src/cache/page-keys.ts):
// what a file lists must be what its inputs hold.
describe("sitemap files are known by what they list", () => {
  test("one file: its entries", () => {
    const list = entries(3);
    const [file, ...others] = sitemapFiles(list, settings);
    expect(others).toEqual([]);
    expect(file!.url).toBe("/sitemap.xml");
    expect(file!.inputs).toBe(list);
    expect(listed(file!.render())).toEqual(list.map((entry) => `https://news.example.org${entry.url}`));
  });

  test("more than one file may list: an index of the parts, each known by its own entries", () => {
    const list = entries(SITEMAP_LIMIT * 2 + 5);
    const [index, ...parts] = sitemapFiles(list, settings);
    expect(parts.map((part) => part.url)).toEqual(["/sitemaps/1.xml", "/sitemaps/2.xml", "/sitemaps/3.xml"]);
    expect(index!.inputs).toEqual(parts.map((part) => part.url));
    expect(listed(index!.render())).toEqual(parts.map((part) => `https://news.example.org${part.url}`));
    for (const part of parts) expect(listed(part.render())).toEqual((part.inputs as SitemapEntry[]).map((entry) => `https://news.example.org${entry.url}`));
    expect(parts.flatMap((part) => part.inputs)).toEqual(list);

    // A page that changes its date changes its own part's inputs, and no other's.
    const changed = list.map((entry, at) => (at === SITEMAP_LIMIT + 7 ? { ...entry, lastModified: entry.lastModified! + 1000 } : entry));
    const digests = (files: ReturnType<typeof sitemapFiles>) => files.map((file) => new ModelDigests().of(file.inputs));
    const [before, after] = [digests(sitemapFiles(list, settings)), digests(sitemapFiles(changed, settings))];
    expect(after.map((digest, at) => digest === before[at])).toEqual([true, true, false, true]);
  });
});
