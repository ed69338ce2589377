import { describe, expect, test } from "vitest";
import { buildArchive } from "../../src/archive/archive.ts";
import { buildPages } from "../../src/archive/pages.ts";
import { formatProblem } from "../../src/problems.ts";
import { planRedirects, renderRedirectsFile } from "../../src/publish/redirects.ts";
import { defaultSettings, type Settings } from "../../src/settings.ts";
import { source } from "../helpers/articles.ts";

/** Plans the redirects of an archive of inline articles; the settings file does not exist. */
function plan(articles: [string, string][], settings: Partial<Settings> = {}) {
  const { archive, problems } = buildArchive(
    articles.map(([file, frontMatter]) => source(file, frontMatter)),
    { ...defaultSettings, ...settings },
    { drafts: false },
  );
  expect(problems).toEqual([]);
  const planned = planRedirects(archive, buildPages(archive), "no-such/broadsheet.yml");
  return { redirects: planned.redirects.map((redirect) => `${redirect.from} → ${redirect.to}${redirect.feedOnly ? " (feed)" : ""}`), messages: planned.problems.map(formatProblem) };
}

describe("planRedirects", () => {
  test("each alias leads to its article, sorted by old path", () => {
    expect(plan([["2024/a.md", "title: A\nauthor: Ann\ndate: 2024-05-01\naliases: [/p/2, /old/a.html]"]])).toEqual({
      redirects: ["/old/a.html → /2024/05/a/", "/p/2/ → /2024/05/a/"],
      messages: [],
    });
  });

  test("an alias may not take a page's address, written any way a host would read it, nor a file Broadsheet writes", () => {
    const { messages } = plan([
      ["2024/a.md", "title: A\nauthor: Ann\ndate: 2024-05-01\naliases: [/2024/05/b/index.html, /topics/, /feed.xml, /urls.json, /_redirects, /assets/style.css, /2024/05/a/]"],
      ["2024/b.md", "title: B\nauthor: Ann\ndate: 2024-05-02"],
    ]);
    expect(messages.map((message) => message.replace(/^articles\/2024\/a\.md:5 {2}aliases: /, ""))).toEqual([
      "/2024/05/b/index.html is the address of the article articles/2024/b.md, which this build writes; an alias cannot take the place of a page. Remove the alias, or give that page another address.",
      "/topics/ is the address of the topics page /topics/, which this build writes; an alias cannot take the place of a page. Remove the alias, or give that page another address.",
      "/feed.xml is the address of the file /feed.xml, which this build writes; an alias cannot take the place of a page. Remove the alias, or give that page another address.",
      "/urls.json is the address of the URL map /urls.json, which this build writes; an alias cannot take the place of a page. Remove the alias, or give that page another address.",
      // Read as a folder, /_redirects/, which cannot be where a file is.
      "/_redirects/ is the address of the redirects file /_redirects, which this build writes; an alias cannot take the place of a page. Remove the alias, or give that page another address.",
      "/assets/style.css is inside /assets/, which holds Broadsheet's own files. Remove the alias; no article was ever there.",
      "/2024/05/a/ is the address the page already has, so it needs no alias. Remove it.",
    ]);
  });

  test("a topic renamed in the settings keeps its old spellings' pages, and their feeds in _redirects", () => {
    const planned = plan([["2024/a.md", "title: A\nauthor: Ann\ndate: 2024-05-01\ntopics: [Harbour news]"]], {
      topics: { Waterfront: { label: "Waterfront", aliases: ["Harbour news", "harbour-news", "/sections/harbour"] } },
    });
    expect(planned).toEqual({
      redirects: ["/sections/harbour/ → /topics/waterfront/", "/topics/harbour-news/ → /topics/waterfront/", "/topics/harbour-news/feed.xml → /topics/waterfront/feed.xml (feed)"],
      messages: [],
    });
  });

  test("_redirects is written under the base path, with non-ASCII paths escaped", () => {
    expect(renderRedirectsFile([{ from: "/café/", to: "/2024/05/a/", title: "A", file: "a.md", field: "aliases" }], { basePath: "/news/" })).toBe(
      "# Old addresses and the pages they now lead to, for Netlify and Cloudflare Pages. Written by Broadsheet.\n/news/caf%C3%A9/ /news/2024/05/a/ 301\n",
    );
  });
});
