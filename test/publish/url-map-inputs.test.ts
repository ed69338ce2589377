import { describe, expect, test } from "vitest";
import type { Archive, Article } from "../../src/archive/archive.ts";
import { urlMapFile, type UrlMap } from "../../src/publish/vanished-urls.ts";

// A build keeps the URL map (/urls.json) without rendering it while its `inputs` are unchanged
// (src/cache/page-keys.ts): they must change whenever what it lists does. The builds that keep or
// write it are in test/incremental.test.ts.

type Listed = Pick<Article, "url" | "relativePath" | "title" | "aliases">;

const articles: Listed[] = [
  { url: "/2024/03/budget/", relativePath: "2024/03/budget.md", title: "The budget", aliases: [] },
  { url: "/2024/02/ferry/", relativePath: "2024/02/ferry.md", title: "Ferry strike ends", aliases: ["/news/ferry/"] },
  { url: "/2023/12/quay/", relativePath: "2023/12/quay.md", title: "Café on the quay", aliases: ["/a/", "/b/"] },
];

const mapOf = (listed: readonly Listed[], redirects: readonly string[] = ["/old/"]) => urlMapFile({ articles: listed } as unknown as Archive, redirects);

describe("the URL map is known by what it lists", () => {
  test("the same articles and redirects, in other objects: the same inputs, and the map it renders", () => {
    const map = mapOf(articles);
    const again = mapOf(structuredClone(articles), ["/old/"]);
    expect(again.inputs).toEqual(map.inputs);
    expect((JSON.parse(map.render() as string) as UrlMap).articles.map((entry) => entry.file)).toEqual(articles.map((article) => article.relativePath));
  });

  test("any change to what it lists changes them", () => {
    const changed = (at: number, change: Partial<Listed>) => articles.map((article, index) => (index === at ? { ...article, ...change } : article));
    const otherwise = [
      mapOf(changed(0, { url: "/2024/03/budget-2/" })),
      mapOf(changed(0, { relativePath: "2024/03/budget-2.md" })),
      mapOf(changed(1, { title: "Ferry strike ended" })),
      mapOf(changed(1, { aliases: [] })),
      mapOf(changed(2, { aliases: ["/a/"] })),
      mapOf(changed(2, { aliases: ["/b/", "/a/"] })),
      // An alias moved to the next article: the same texts in the same order, counted otherwise.
      mapOf([articles[0]!, { ...articles[1]!, aliases: ["/news/ferry/", "/a/"] }, { ...articles[2]!, aliases: ["/b/"] }]),
      // Characters moved from one field to the next: the same text, run together.
      mapOf(changed(0, { url: "/2024/03/budget/2024", relativePath: "/03/budget.md" })),
      mapOf([articles[1]!, articles[0]!, articles[2]!]),
      mapOf(articles.slice(1)),
      mapOf(articles, []),
      mapOf(articles, ["/old/", "/older/"]),
      mapOf(articles, ["/other/"]),
    ].map((map) => map.inputs);
    expect(new Set([mapOf(articles).inputs, ...otherwise]).size).toBe(otherwise.length + 1);
  });

  test("an article's aliases are told from the next article's address, file and title", () => {
    const [budget, ferry] = articles as [Listed, Listed];
    const two = mapOf([budget, { ...ferry, aliases: [] }]);
    const one = mapOf([{ ...budget, aliases: [ferry.url, ferry.relativePath, ferry.title] }]);
    expect(one.inputs).not.toEqual(two.inputs);
  });
});
