import { expect, test } from "vitest";
import { loadSite, type SiteModel } from "../../src/archive/load-site.ts";
import type { Page } from "../../src/archive/pages.ts";
import { pageKeys } from "../../src/cache/page-keys.ts";
import { formatProblem } from "../../src/problems.ts";
import type { Settings } from "../../src/settings.ts";
import { fixture } from "../helpers/files.ts";

/** The basic fixture's site, modelled afresh: every object its own. */
async function basicSite(overrides: Partial<Settings> = {}): Promise<SiteModel> {
  const { site, problems } = await loadSite({ articlesDir: fixture("basic"), pictureCache: false, overrides });
  expect(problems.filter((problem) => problem.severity === "error").map(formatProblem)).toEqual([]);
  return site!;
}

function keysByUrl(site: SiteModel, globalKey = "key"): Map<string, string | undefined> {
  const { keys } = pageKeys(site, globalKey);
  return new Map(site.pages.map((page, index) => [page.url, keys[index]]));
}
const articlePage = (site: SiteModel, slug: string) => site.pages.find((page): page is Page & { kind: "article" } => page.kind === "article" && page.article.slug === slug)!;

test("the same site modelled twice gives every page the same key; another global key gives every page another", async () => {
  const [first, second] = [await basicSite(), await basicSite()];
  const keys = keysByUrl(first);
  // Every page has a key, files made by code the key cannot see into too (by their content).
  for (const page of first.pages) expect(keys.get(page.url), page.url).toMatch(/^[\w+/]{27}=$/);
  expect(keysByUrl(second)).toEqual(keys);
  const others = keysByUrl(first, "other key");
  for (const [url, key] of keys) if (key !== undefined) expect(others.get(url), url).not.toBe(key);
});

test("a page's key changes with anything its template can reach, however deep or long, and only its own and those that reach it", async () => {
  const site = await basicSite();
  const before = keysByUrl(site);
  const budget = articlePage(site, "new-year-budget");
  // Deep: a date inside the article, read by its page, the listings that show it and its neighbours.
  const changed = (change: () => void) => {
    change();
    const after = keysByUrl(site);
    return [...before].filter(([url, key]) => after.get(url) !== key).map(([url]) => url);
  };
  const dated = changed(() => {
    budget.article.date = { ...budget.article.date, value: budget.article.date.value.plus({ minutes: 1 }) };
  });
  expect(dated).toContain(budget.url);
  expect(dated).toContain("/");
  // An article's page reaches its article, its neighbours and its related ones: those that do not
  // reach the one changed keep their keys.
  const reaches = (page: Page & { kind: "article" }) => [page.article, page.newer, page.older, ...page.related].includes(budget.article);
  const articlePages = site.pages.filter((page): page is Page & { kind: "article" } => page.kind === "article");
  expect(articlePages.filter((page) => !reaches(page)).length).toBeGreaterThan(0);
  for (const page of articlePages) expect(dated.includes(page.url), page.url).toBe(reaches(page));
  // Long: a change at the end of a body longer than the texts hashed on their own.
  budget.article.html = `<p>${"Rates rise. ".repeat(1000)}</p>`;
  const long = keysByUrl(site).get(budget.url);
  budget.article.html = `<p>${"Rates rise. ".repeat(1000)}!</p>`;
  expect(keysByUrl(site).get(budget.url)).not.toBe(long);
});

test("an edited body changes the keys of the pages that show the article, not of a year's other pages or the indexes that only count it", async () => {
  // A page per article, so that 2023's listing has pages without the article edited.
  const site = await basicSite({ pageSize: 1 });
  const before = keysByUrl(site);
  const cafe = site.archive.articles.find((article) => article.slug === "cafe-opens-on-quay")!;
  cafe.html = "<p>The café opened on the quay, and a second one next door.</p>";
  const after = keysByUrl(site);
  const changed = new Set([...before].filter(([url, key]) => after.get(url) !== key).map(([url]) => url));
  const yearPages = site.pages.filter((page): page is Page & { kind: "list" } => page.kind === "list" && page.listing === "year" && page.url.startsWith("/2023/"));
  expect(yearPages.length).toBeGreaterThan(2);
  for (const page of yearPages) expect(changed.has(page.url), page.url).toBe(page.articles.includes(cafe));
  for (const index of ["/archive/", "/topics/", "/authors/"]) expect(changed.has(index), index).toBe(false);
  expect(changed.has(cafe.url)).toBe(true);
});

test("a file that names no inputs is keyed by its content, rendered once for the key and handed back to be written", async () => {
  const site = await basicSite();
  const robots = site.pages.find((page): page is Page & { kind: "file" } => page.kind === "file" && page.url === "/robots.txt")!;
  const feed = site.pages.find((page) => page.kind === "file" && page.inputs !== undefined)!;
  let renders = 0;
  const text = robots.render() as string;
  robots.render = () => (renders++, text);
  const { keys, contents } = pageKeys(site, "key");
  expect(renders).toBe(1);
  expect(contents.get(robots)).toBe(text);
  // A file with inputs is not rendered for its key: a feed, the sitemap, the map of addresses.
  expect(contents.has(feed)).toBe(false);
  for (const url of ["/sitemap.xml", "/urls.json"]) {
    const file = site.pages.find((page): page is Page & { kind: "file" } => page.kind === "file" && page.url === url)!;
    file.render = () => {
      throw new Error(`${url} was rendered for its key`);
    };
  }
  expect(pageKeys(site, "key").keys).toEqual(keys);
  const key = keys[site.pages.indexOf(robots)];
  robots.render = () => `${text}`;
  expect(pageKeys(site, "key").keys[site.pages.indexOf(robots)]).toBe(key);
  robots.render = () => `${text}# another line\n`;
  expect(pageKeys(site, "key").keys[site.pages.indexOf(robots)]).not.toBe(key);
});

test("a page that leads back to itself or holds code or a class's instance gets no key, and the others theirs", async () => {
  const site = await basicSite();
  const before = keysByUrl(site);
  const budget = articlePage(site, "new-year-budget");
  const loop: { self?: unknown } = {};
  loop.self = loop;
  (budget as unknown as { extra: unknown }).extra = loop;
  const cafe = articlePage(site, "cafe-opens-on-quay");
  (cafe as unknown as { extra: unknown }).extra = new (class Counter {
    count = 1;
  })();
  const after = keysByUrl(site);
  expect(after.get(budget.url)).toBeUndefined();
  expect(after.get(cafe.url)).toBeUndefined();
  for (const [url, key] of after) if (url !== budget.url && url !== cafe.url) expect(key, url).toBe(before.get(url));
});

test("short values nested in different shapes give different keys, and equal ones the same, whatever objects hold them", async () => {
  const site = await basicSite();
  const budget = articlePage(site, "new-year-budget");
  const keyWith = (extra: unknown) => {
    (budget as unknown as { extra: unknown }).extra = extra;
    return keysByUrl(site).get(budget.url);
  };
  const shapes = [[[1], 2], [[1, 2]], [1, [2]], { a: { b: 1 }, c: 2 }, { a: { b: 1, c: 2 } }, { a: "{1:b=n1;" }, ["a", ["b"]], [["a"], "b"], [{}], [[]], [""], []];
  const keys = shapes.map(keyWith);
  expect(new Set(keys).size).toBe(shapes.length);
  // Short objects are described, not known by identity: a copy has the same key.
  expect(keyWith(structuredClone(shapes[3]))).toBe(keys[3]);
});
