import { describe, expect, test } from "vitest";
import { ModelDigests } from "../../src/cache/page-keys.ts";
import { defaultSettings } from "../../src/settings.ts";
import { SITEMAP_LIMIT, sitemapFiles, type SitemapEntry } from "../../src/publish/sitemap.ts";

const settings = { ...defaultSettings, baseUrl: "https://news.example.org" };

/** `count` entries, one a day from 2001 on; every tenth without a date of its own, as a page may be. */
function entries(count: number): SitemapEntry[] {
  return Array.from({ length: count }, (_, index) => ({ url: `/articles/${index}/`, lastModified: index % 10 === 9 ? undefined : Date.UTC(2001, 0, 1) + index * 86_400_000 }));
}

/** The addresses a sitemap file lists, in order. */
function listed(xml: string): string[] {
  return [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map(([, url]) => url!);
}

// A build keeps a sitemap without rendering it while its `inputs` are unchanged (src/cache/page-keys.ts):
// what a file lists must be what its inputs hold.
describe("sitemap files are known by what they list", () => {
  test("one file: its entries", () => {
    const list = entries(10);
    const [file, ...others] = sitemapFiles(list, settings);
    expect(others).toEqual([]);
    expect(file!.url).toBe("/sitemap.xml");
    expect(listed(file!.render())).toEqual(list.map((entry) => `https://news.example.org${entry.url}`));
    expect(file!.render().match(/<lastmod>/g)).toHaveLength(9);
    // Known by its entries as data, not as the objects they are in.
    const inputs = (list: SitemapEntry[]) => sitemapFiles(list, settings)[0]!.inputs;
    expect(inputs(list.map((entry) => ({ ...entry })))).toEqual(file!.inputs);
    const otherwise = [
      list.map((entry, at) => (at === 3 ? { ...entry, url: "/articles/3b/" } : entry)),
      list.map((entry, at) => (at === 3 ? { ...entry, lastModified: entry.lastModified! + 1 } : entry)),
      list.map((entry, at) => (at === 3 ? { url: entry.url, lastModified: undefined } : entry)),
      list.map((entry, at) => (at === 9 ? { ...entry, lastModified: Date.UTC(2001, 0, 1) } : entry)),
      [...list.slice(0, 4), ...list.slice(5)],
      [...list.slice(0, 3), list[4]!, list[3]!, ...list.slice(5)],
      [...list, { url: "/articles/10/", lastModified: undefined }],
      // A character moved from the date to the address: the same text, run together.
      list.map((entry, at) => (at === 3 ? { url: `${entry.url}${String(entry.lastModified).slice(0, 1)}`, lastModified: Number(String(entry.lastModified).slice(1)) } : entry)),
      // A date before 1970.
      list.map((entry, at) => (at === 3 ? { ...entry, lastModified: -86_400_000 } : entry)),
    ];
    const seen = new Set([file!.inputs, ...otherwise.map(inputs)]);
    expect(seen.size).toBe(otherwise.length + 1);
  });

  test("more than one file may list: an index of the parts, each known by its own entries", () => {
    const list = entries(SITEMAP_LIMIT * 2 + 5);
    const [index, ...parts] = sitemapFiles(list, settings);
    expect(parts.map((part) => part.url)).toEqual(["/sitemaps/1.xml", "/sitemaps/2.xml", "/sitemaps/3.xml"]);
    expect(index!.inputs).toEqual(parts.map((part) => part.url));
    expect(listed(index!.render())).toEqual(parts.map((part) => `https://news.example.org${part.url}`));
    expect(parts.flatMap((part) => listed(part.render()))).toEqual(list.map((entry) => `https://news.example.org${entry.url}`));
    expect(parts.map((part) => listed(part.render()).length)).toEqual([SITEMAP_LIMIT, SITEMAP_LIMIT, 5]);

    // A page that changes its date changes its own part's inputs, and no other's.
    const changed = list.map((entry, at) => (at === SITEMAP_LIMIT + 7 ? { ...entry, lastModified: entry.lastModified! + 1000 } : entry));
    // And one that loses its date, in the last part.
    const undated = list.map((entry, at) => (at === 2 * SITEMAP_LIMIT + 1 ? { url: entry.url, lastModified: undefined } : entry));
    const digests = (files: ReturnType<typeof sitemapFiles>) => files.map((file) => new ModelDigests().of(file.inputs));
    const before = digests(sitemapFiles(list, settings));
    expect(digests(sitemapFiles(changed, settings)).map((digest, at) => digest === before[at])).toEqual([true, true, false, true]);
    expect(digests(sitemapFiles(undated, settings)).map((digest, at) => digest === before[at])).toEqual([true, true, true, false]);
  });
});
