import { describe, expect, test } from "vitest";
import { buildArchive } from "../../src/archive/archive.ts";
import { buildPages, type ArchiveIndexPage, type ListPage } from "../../src/archive/pages.ts";
import { countByMonth } from "../../src/archive/timeline.ts";
import { defaultSettings } from "../../src/settings.ts";
import type { ArticleSource } from "../../src/articles/load.ts";
import { source } from "../helpers/articles.ts";

function archiveOf(sources: ArticleSource[], pageSize = 10) {
  const { archive, problems } = buildArchive(sources, { ...defaultSettings, pageSize, timeZone: "Europe/London" }, { drafts: false });
  expect(problems).toEqual([]);
  return archive;
}

const months = (counts: Record<number, number>) => Array.from({ length: 12 }, (_, index) => counts[index + 1] ?? 0);

describe("countByMonth", () => {
  const archive = archiveOf([
    source("a.md", "title: A\nauthor: Ada\ndate: 2019-03-01\ntopics: [Housing]"),
    source("b.md", "title: B\nauthor: Ada\ndate: 2019-03-28\ntopics: [Housing]"),
    source("c.md", "title: C\nauthor: Ada\ndate: 2019-11-01"),
    // 00:30 on 1 January 2022 in London: January, whatever the offset says.
    source("d.md", "title: D\nauthor: Grace\ndate: 2021-12-31T23:30:00-01:00", { timeZone: "Europe/London" }),
    source("e.md", "title: E\nauthor: Grace\ndate: 2022-01-20\ntopics: [Housing]"),
  ]);

  test("counts articles per month, every year of the span, years without articles too", () => {
    const timeline = countByMonth(archive.articles)!;
    expect(timeline.years.map((year) => [year.year, year.total, year.months])).toEqual([
      [2019, 3, months({ 3: 2, 11: 1 })],
      [2020, 0, months({})],
      [2021, 0, months({})],
      [2022, 2, months({ 1: 2 })],
    ]);
    expect(timeline.total).toBe(5);
    expect(timeline.first).toEqual({ year: 2019, month: 3 });
    expect(timeline.last).toEqual({ year: 2022, month: 1 });
  });

  test("the busiest month is the earliest of those with the most", () => {
    expect(countByMonth(archive.articles)!.busiest).toEqual({ year: 2019, month: 3, count: 2 });
  });

  test("articles in any order count as in the archive's, a month met again after another included", () => {
    const inOrder = countByMonth(archive.articles);
    const [e, d, c, b, a] = archive.articles;
    for (const order of [[...archive.articles].reverse(), [b!, c!, a!, e!, d!], [a!, e!, b!, d!, c!]]) expect(countByMonth(order)).toEqual(inOrder);
  });

  test("no articles, no timeline", () => {
    expect(countByMonth([])).toBeUndefined();
  });
});

describe("timelines on pages", () => {
  const archive = archiveOf(
    [
      source("a.md", "title: A\nauthor: Ada\ndate: 2019-03-01\ntopics: [Housing, Ferries]"),
      source("b.md", "title: B\nauthor: Ada\ndate: 2019-03-28\ntopics: [Housing, Ferries]"),
      source("c.md", "title: C\nauthor: Grace\ndate: 2020-06-01\ntopics: [Housing]"),
    ],
    2,
  );
  const pages = buildPages(archive);
  const list = (url: string) => pages.find((page): page is ListPage => page.kind === "list" && page.url === url)!;

  test("the archive index has the whole archive's", () => {
    const index = pages.find((page): page is ArchiveIndexPage => page.kind === "archive")!;
    expect(index.timeline?.total).toBe(3);
    expect(index.timeline?.years.map((year) => year.total)).toEqual([2, 1]);
  });

  test("a topic's or an author's first page has its own, when it spans more than one month", () => {
    expect(list("/topics/housing/").timeline?.years.map((year) => year.months)).toEqual([months({ 3: 2 }), months({ 6: 1 })]);
    expect(list("/topics/housing/page/2/").timeline).toBeUndefined();
    expect(list("/topics/ferries/").timeline).toBeUndefined();
    expect(list("/authors/ada/").timeline).toBeUndefined();
    expect(list("/authors/grace/").timeline).toBeUndefined();
    expect(list("/2019/").timeline).toBeUndefined();
  });
});
