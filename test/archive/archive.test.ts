import { DateTime } from "luxon";
import { describe, expect, test } from "vitest";
import { buildArchive } from "../../src/archive/archive.ts";
import { formatProblem } from "../../src/problems.ts";
import { defaultSettings, type Settings } from "../../src/settings.ts";
import { source } from "../helpers/articles.ts";

function settings(overrides: Partial<Settings> = {}): Settings {
  return { ...defaultSettings, ...overrides };
}

function build(sources: Parameters<typeof buildArchive>[0], siteSettings = settings(), drafts = false) {
  const { archive, problems } = buildArchive(sources, siteSettings, { drafts });
  return { archive, messages: problems.map(formatProblem) };
}

describe("order", () => {
  test("newest first; equal dates by date-time, then slug", () => {
    const { archive, messages } = build([
      source("old.md", "title: Old\nauthor: A\ndate: 2019-05-01"),
      source("zebra.md", "title: Zebra\nauthor: A\ndate: 2020-04-27"),
      source("apple.md", "title: Apple\nauthor: A\ndate: 2020-04-27"),
      source("evening.md", "title: Evening\nauthor: A\ndate: 2020-04-27T18:00:00Z"),
      source("morning.md", "title: Morning\nauthor: A\ndate: 2020-04-27T09:00:00Z"),
      source("new.md", "title: New\nauthor: A\ndate: 2021-01-01"),
    ]);
    expect(messages).toEqual([]);
    expect(archive.articles.map((article) => article.slug)).toEqual(["new", "evening", "morning", "apple", "zebra", "old"]);
  });

  test("the order does not depend on the order the files were read in", () => {
    const sources = [
      source("b.md", "title: B\nauthor: A\ndate: 2020-04-27"),
      source("a.md", "title: A\nauthor: A\ndate: 2020-04-27"),
      source("c.md", "title: C\nauthor: A\ndate: 2020-04-28"),
    ];
    const forwards = build(sources).archive.articles.map((article) => article.url);
    const backwards = build([...sources].reverse()).archive.articles.map((article) => article.url);
    expect(backwards).toEqual(forwards);
  });
});

describe("drafts", () => {
  const sources = [
    source("published.md", "title: Published\nauthor: A\ndate: 2020-01-01\ntopics: [Housing]"),
    source("draft.md", "title: Draft\nauthor: Dee Raft\ndate: 2020-02-01\ntopics: [Secret plans]\ndraft: true"),
  ];

  test("are left out, with their topics and authors", () => {
    const { archive } = build(sources);
    expect(archive.articles.map((article) => article.slug)).toEqual(["published"]);
    expect(archive.topics.map((topic) => topic.name)).toEqual(["Housing"]);
    expect(archive.authors.map((author) => author.name)).toEqual(["A"]);
    expect(archive.years.flatMap((year) => year.months.map((month) => month.url))).toEqual(["/2020/01/"]);
  });

  test("are published with `drafts: true`", () => {
    const { archive } = build(sources, settings(), true);
    expect(archive.articles.map((article) => [article.slug, article.draft])).toEqual([
      ["draft", true],
      ["published", false],
    ]);
    expect(archive.topics.map((topic) => topic.name)).toEqual(["Housing", "Secret plans"]);
  });
});

describe("scheduled articles", () => {
  const sources = [
    source("past.md", "title: Past\nauthor: A\ndate: 2020-01-01"),
    source("future.md", "title: Future\nauthor: A\ndate: 2020-06-01T09:00:00Z"),
  ];
  const now = DateTime.fromISO("2020-03-01T00:00:00Z", { zone: "UTC" });

  test("an article dated after now is not published yet, with a warning", () => {
    const { archive, problems } = buildArchive(sources, settings(), { drafts: false, now });
    expect(archive.articles.map((article) => article.slug)).toEqual(["past"]);
    expect(problems.map((problem) => [problem.severity, problem.file, problem.field])).toEqual([["warning", "articles/future.md", "date"]]);
  });

  test("drafts: true previews it", () => {
    expect(buildArchive(sources, settings(), { drafts: true, now }).archive.articles.map((article) => article.slug)).toEqual(["future", "past"]);
  });
});

describe("topics and authors", () => {
  test("spellings merge into one topic, labelled with the most used spelling", () => {
    const { archive } = build([
      source("a.md", "title: A\nauthor: A\ndate: 2020-01-01\ntopics: [Social media]"),
      source("b.md", "title: B\nauthor: A\ndate: 2020-01-02\ntopics: [social-media]"),
      source("c.md", "title: C\nauthor: A\ndate: 2020-01-03\ntopics: [SOCIAL  MEDIA]"),
      source("d.md", "title: D\nauthor: A\ndate: 2020-01-04\ntopics: [Social media]"),
    ]);
    expect(archive.topics).toHaveLength(1);
    expect(archive.topics[0]).toMatchObject({
      name: "Social media",
      slug: "social-media",
      url: "/topics/social-media/",
      spellings: [
        { spelling: "Social media", count: 2 },
        { spelling: "SOCIAL MEDIA", count: 1 },
        { spelling: "social-media", count: 1 },
      ],
    });
    expect(archive.topics[0]!.articles.map((article) => article.slug)).toEqual(["d", "c", "b", "a"]);
    for (const article of archive.articles) expect(article.topics).toEqual([{ name: "Social media", slug: "social-media", url: "/topics/social-media/" }]);
  });

  test("two spellings of one topic in one article count once on that article", () => {
    const { archive } = build([source("a.md", "title: A\nauthor: A\ndate: 2020-01-01\ntopics: [Housing, housing, HOUSING]")]);
    expect(archive.articles[0]!.topics.map((topic) => topic.url)).toEqual(["/topics/housing/"]);
    expect(archive.topics[0]!.articles).toHaveLength(1);
  });

  test("C++ and C are different topics", () => {
    const { archive } = build([source("a.md", "title: A\nauthor: A\ndate: 2020-01-01\ntopics: [C++, C]")]);
    expect(archive.topics.map((topic) => [topic.name, topic.url])).toEqual([
      ["C", "/topics/c/"],
      ["C++", "/topics/c-plus-plus/"],
    ]);
  });

  test("a topic written as a slug reads as words", () => {
    const { archive } = build([source("a.md", "title: A\nauthor: A\ndate: 2020-01-01\ntopics: [content-strategy]")]);
    expect(archive.topics.map((topic) => [topic.name, topic.url])).toEqual([["Content strategy", "/topics/content-strategy/"]]);
  });

  test("a non-ASCII topic gets a transliterated URL and keeps its name", () => {
    const { archive } = build([source("a.md", "title: A\nauthor: A\ndate: 2020-01-01\ntopics: [Café culture, 東京]")]);
    expect(archive.topics.map((topic) => [topic.name, topic.url])).toEqual([
      ["Café culture", "/topics/cafe-culture/"],
      ["東京", "/topics/東京/"],
    ]);
  });

  test("settings merge aliases into a topic and relabel it", () => {
    const siteSettings = settings({
      topics: { "Social media": { label: "Social Media", aliases: ["socials", "Twitter"] } },
      authors: { "Jane Doe": { label: "Jane A. Doe", aliases: ["J. Doe"] } },
    });
    const { archive, messages } = build(
      [
        source("a.md", "title: A\nauthor: J. Doe\ndate: 2020-01-01\ntopics: [socials]"),
        source("b.md", "title: B\nauthor: Jane Doe\ndate: 2020-01-02\ntopics: [Twitter, social-media]"),
        source("c.md", "title: C\nauthor: JANE DOE\ndate: 2020-01-03\ntopics: [Housing]"),
      ],
      siteSettings,
    );
    expect(messages).toEqual([]);
    expect(archive.topics.map((topic) => [topic.name, topic.url, topic.articles.length])).toEqual([
      ["Housing", "/topics/housing/", 1],
      ["Social Media", "/topics/social-media/", 2],
    ]);
    expect(archive.authors.map((author) => [author.name, author.url, author.articles.length])).toEqual([["Jane A. Doe", "/authors/jane-a-doe/", 3]]);
    expect(archive.articles.find((article) => article.slug === "b")!.topics.map((topic) => topic.name)).toEqual(["Social Media"]);
  });

  test("an article with two authors is listed under both", () => {
    const { archive } = build([source("a.md", "title: A\nauthor: [Ada Lovelace, Grace Hopper]\ndate: 2020-01-01")]);
    expect(archive.authors.map((author) => [author.name, author.url, author.articles.map((article) => article.slug)])).toEqual([
      ["Ada Lovelace", "/authors/ada-lovelace/", ["a"]],
      ["Grace Hopper", "/authors/grace-hopper/", ["a"]],
    ]);
  });

  test("two names that would share a URL are told apart, with a warning", () => {
    const { archive, messages } = build([source("a.md", "title: A\nauthor: A\ndate: 2020-01-01\ntopics: [C plus plus, C++]")]);
    expect(archive.topics.map((topic) => [topic.name, topic.url])).toEqual([
      ["C plus plus", "/topics/c-plus-plus/"],
      ["C++", "/topics/c-plus-plus-2/"],
    ]);
    expect(messages).toEqual([
      'settings topics  "C++" and "C plus plus" would share the URL /topics/c-plus-plus/, so "C++" is at /topics/c-plus-plus-2/. Merge them with an alias in broadsheet.yml, or rename one.',
    ]);
  });
});

describe("URLs", () => {
  test("/YYYY/MM/slug/ from the file name", () => {
    const { archive } = build([source("2020/budget-approved.md", "title: A\nauthor: A\ndate: 2020-04-27")]);
    expect(archive.articles[0]).toMatchObject({ slug: "budget-approved", url: "/2020/04/budget-approved/" });
  });

  test("a date prefix in the file name is not part of the slug", () => {
    const { archive } = build([source("2020/2020-04-27-foo.md", "title: A\nauthor: A\ndate: 2020-04-27")]);
    expect(archive.articles[0]).toMatchObject({ slug: "foo", url: "/2020/04/foo/" });
  });

  test("a `slug:` field wins over the file name, and is made a slug", () => {
    const { archive } = build([source("2020/whatever.md", "title: A\nauthor: A\ndate: 2020-04-27\nslug: Budget Approved!")]);
    expect(archive.articles[0]!.url).toBe("/2020/04/budget-approved/");
  });

  test("the year and month are those of the site time zone", () => {
    const timeZone = "America/Los_Angeles";
    const { archive } = build([source("2020/new-year.md", "title: A\nauthor: A\ndate: 2020-01-01T01:00:00+00:00", { timeZone })], settings({ timeZone }));
    expect(archive.articles[0]!.url).toBe("/2019/12/new-year/");
    expect(archive.years.map((year) => [year.url, year.months.map((month) => month.url)])).toEqual([["/2019/", ["/2019/12/"]]]);
  });

  test("two articles with the same URL are one error naming both files", () => {
    const { archive, messages } = build([
      source("2020/budget.md", "title: A\nauthor: A\ndate: 2020-04-01"),
      source("2020/other.md", "title: B\nauthor: A\ndate: 2020-04-20\nslug: budget"),
    ]);
    expect(messages).toEqual([
      "articles/2020/other.md:5  slug: has the same URL as articles/2020/budget.md: /2020/04/budget/. Give one of them a different `slug:` or file name.",
    ]);
    expect(archive.articles.map((article) => article.file)).toEqual(["articles/2020/budget.md"]);
  });

  test("a name with no letters or digits for a URL is an error", () => {
    expect(build([source("2020/!!!.md", "title: A\nauthor: A\ndate: 2020-04-01")]).messages).toEqual([
      "articles/2020/!!!.md  The file name has no letters or digits to make a URL from. Add `slug: some-words` to the front matter, or rename the file.",
    ]);
  });
});

describe("calendar", () => {
  test("years and months newest first, only those with articles", () => {
    const { archive } = build([
      source("a.md", "title: A\nauthor: A\ndate: 2019-03-01"),
      source("b.md", "title: B\nauthor: A\ndate: 2019-11-01"),
      source("c.md", "title: C\nauthor: A\ndate: 2019-11-15"),
      source("d.md", "title: D\nauthor: A\ndate: 2021-06-01"),
    ]);
    expect(archive.years.map((year) => [year.url, year.articles.length, year.months.map((month) => [month.url, month.articles.length])])).toEqual([
      ["/2021/", 1, [["/2021/06/", 1]]],
      [
        "/2019/",
        3,
        [
          ["/2019/11/", 2],
          ["/2019/03/", 1],
        ],
      ],
    ]);
  });
});
