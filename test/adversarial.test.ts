import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Parser from "rss-parser";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadSite, type SiteRequest } from "../src/archive/load-site.ts";
import { articleHtml } from "../src/archive/archive.ts";
import { buildSite } from "../src/build.ts";
import { formatProblem, sortProblems } from "../src/problems.ts";
import { searchRecord } from "../src/search/index.ts";
import { fixture, runBroadsheet } from "./helpers/files.ts";
import { listFiles } from "./helpers/links.ts";

/** A case's folder, as messages name it: relative to the working folder. */
const folder = (scenario: string) => path.relative(process.cwd(), fixture(`adversarial/${scenario}`)).split(path.sep).join("/");
const DATE_FIX = "Write it as 2019-12-01 or 2019-12-01T09:30:00+01:00.";

/** Everything `loadSite` says about one case, as `check` would print it, in order. */
async function report(scenario: string, request: Partial<SiteRequest> = {}) {
  const result = await loadSite({ articlesDir: fixture(`adversarial/${scenario}`), ...request });
  const problems = sortProblems(result.problems);
  return { site: result.site, messages: problems.map(formatProblem), severities: problems.map((problem) => problem.severity) };
}

describe("broken input gets one clear message per problem", () => {
  // Each case: its folder, then every line the user sees, exactly. A case with only warnings builds.
  const cases: [scenario: string, expected: (dir: string) => string[]][] = [
    ["yaml-unclosed-quote", (dir) => [`${dir}/2021/unclosed-quote.md:2  has front matter that is not valid YAML: the quote " that opens this value is never closed. Add the closing " at the end of the value.`]],
    ["yaml-bad-indentation", (dir) => [`${dir}/2021/bad-indentation.md:7  has front matter that is not valid YAML: bad indentation of a mapping entry. Indent this line with as many spaces as the lines it belongs with.`]],
    ["yaml-tabs", (dir) => [`${dir}/2021/tab-indented.md:6  has front matter that is not valid YAML: this line is indented with a tab, and YAML allows only spaces. Indent it with spaces.`]],
    ["front-matter-not-closed", (dir) => [`${dir}/2021/not-closed.md:1  has front matter that is never closed. Add a line \`---\` after the last field.`]],
    ["not-utf8", (dir) => [`${dir}/2021/latin-1.md  is not UTF-8 text (byte 0xE9 at offset 14). Save the file as UTF-8.`]],
    ["empty-file", (dir) => [`${dir}/2021/empty.md  is empty. Write front matter (title, author, date) and a body, or delete the file.`]],
    ["front-matter-only", (dir) => [`${dir}/2021/headline-only.md  has no body text. Write the article below the front matter.`]],
    [
      "title-missing-empty-blank",
      (dir) => [
        `${dir}/2021/blank-title.md:2  title: is empty. Write the article's headline after \`title:\`.`,
        `${dir}/2021/empty-title.md:2  title: is empty. Write the article's headline after \`title:\`.`,
        `${dir}/2021/no-title.md  title: is missing. Add a line \`title: Your headline\` to the front matter.`,
      ],
    ],
    ["author-object", (dir) => [`${dir}/2021/author-mapping.md:3  author: must be a name, not a mapping (key: value pairs). Write each author as text: author: Jane Doe, or a list of names.`]],
    [
      "authors-empty-entry",
      (dir) => [`${dir}/2021/empty-author.md:3  author: item 2 is empty. Remove it or write a name.`, `${dir}/2021/null-author.md:3  author: item 2 is empty. Remove it or write a name.`],
    ],
    ["topics-duplicates-empty", (dir) => [`${dir}/2021/repeated-topics.md:5  topics: item 4 is empty. Remove it or write a name.`]],
    [
      "impossible-dates",
      (dir) => [
        `${dir}/2019/february-30.md:4  date: "2019-02-30" is not a date: February 2019 has 28 days. ${DATE_FIX}`,
        `${dir}/2019/month-13.md:5  date: "2019-13-01" is not a date: there is no month 13. ${DATE_FIX}`,
      ],
    ],
    [
      "scheduled",
      (dir) => [`${dir}/2999/far-future.md:4  date: 2999-01-01T09:00:00Z is in the future, so the article is scheduled and not published until then. Build with --drafts to preview it.`],
    ],
    [
      "misspelt-fields",
      (dir) => [
        `${dir}/2021/auther.md  author: is missing. Add a line \`author: Full Name\` (or a list of names) to the front matter.`,
        `${dir}/2021/auther.md:3  auther: is not a field Broadsheet knows, so it is ignored. Did you mean \`author\`? Rename it to author.`,
        `${dir}/2021/tags.md:5  tags: is not a field Broadsheet knows, so it is ignored. Did you mean \`topics\`? Rename it to topics.`,
      ],
    ],
    [
      "same-slug-same-month",
      (dir) => [`${dir}/2021/opinion/budget.md  slug: has the same URL as ${dir}/2021/news/budget.md: /2021/03/budget/. Give one of them a different \`slug:\` or file name.`],
    ],
    [
      "empty-slug",
      (dir) => [
        `${dir}/2021/!!!.md  The file name has no letters or digits to make a URL from. Add \`slug: some-words\` to the front matter, or rename the file.`,
        `${dir}/2021/exclaimed.md:5  slug: "!!!" has no letters or digits to make a URL from. Write a slug with letters or digits.`,
      ],
    ],
    ["body-rule", () => []],
    ["bom-crlf", () => []],
    ["author-number", () => []],
    ["date-forms", () => []],
    ["same-slug-different-months", () => []],
    ["file-name-spaces-non-ascii", () => []],
  ];

  test.each(cases)("%s", async (scenario, expected) => {
    const { site, messages, severities } = await report(scenario);
    expect(messages).toEqual(expected(folder(scenario)));
    // The site is modelled exactly when no problem is an error.
    expect(site !== undefined).toBe(!severities.includes("error"));
  });

  test("the fixtures hold the bytes they are named for", async () => {
    const windows = await readFile(fixture("adversarial/bom-crlf/2021/saved-on-windows.md"));
    expect([...windows.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(windows.includes("\r\n")).toBe(true);
    expect((await readFile(fixture("adversarial/not-utf8/2021/latin-1.md")))[14]).toBe(0xe9);
    expect((await readFile(fixture("adversarial/yaml-tabs/2021/tab-indented.md"), "utf8")).includes("\n\t- Budget")).toBe(true);
  });

  test("a `---` rule after the front matter is body text, and so is a second front-matter block", async () => {
    const { site } = await report("body-rule");
    const [article] = site!.archive.articles;
    expect(article!.title).toBe("A rule in the body");
    expect(article!.html).toBe("<p>Above the rule.</p>\n<hr>\n<p>Below the rule.</p>\n<hr>\n<h2 id=\"title-not-front-matter\">title: not front matter</h2>\n");
  });

  test("a byte-order mark and CRLF line endings read as if they were not there", async () => {
    const { site } = await report("bom-crlf");
    expect(site!.archive.articles.map((article) => [article.url, article.title, article.html])).toEqual([
      ["/2021/03/saved-on-windows/", "Saved on Windows", "<p>A byte-order mark and CRLF line endings.</p>\n"],
    ]);
  });

  test("an author YAML reads as a number is taken as the name written", async () => {
    const { site } = await report("author-number");
    expect(site!.archive.authors.map((author) => [author.name, author.url])).toEqual([["1984", "/authors/1984/"]]);
  });

  test("repeated topics are one topic, whatever their case; the empty one is dropped", async () => {
    const { site } = await report("topics-duplicates-empty");
    expect(site!.archive.articles[0]!.topics.map((topic) => topic.url)).toEqual(["/topics/housing/", "/topics/city-hall/"]);
  });

  test("every date form YAML allows is read, in the site time zone (UTC here)", async () => {
    const { site } = await report("date-forms");
    const dates = Object.fromEntries(site!.archive.articles.map((article) => [article.title.replace("Date form ", ""), article.date.value.toUTC().toISO()]));
    expect(dates).toEqual({
      "01": "2019-12-01T00:00:00.000Z", // 2019-12-01
      "02": "2019-12-01T08:30:00.000Z", // 2019-12-01T09:30:00+01:00
      "03": "2019-12-01T09:30:00.000Z", // 2019-12-01T09:30:00Z
      "04": "2019-12-01T14:30:00.500Z", // 2019-12-01T09:30:00.5-05:00
      "05": "2001-12-15T02:59:43.100Z", // 2001-12-14t21:59:43.10-05:00
      "06": "2001-12-15T02:59:43.100Z", // 2001-12-14 21:59:43.10 -5
      "07": "2015-06-29T05:00:19.000Z", // 2015-06-29 1:00:19 -0400
      "08": "2015-06-28T19:30:19.000Z", // 2015-06-29 01:00:19 +05:30
      "09": "2019-12-01T09:30:00.000Z", // 2019-12-01 09:30
      "10": "2019-12-01T09:30:00.000Z", // 2019-12-01T09:30
      "11": "2019-01-05T00:00:00.000Z", // 2019-1-5
      "12": "2019-12-01T00:00:00.000Z", // '2019-12-01'
      "13": "2019-12-01T08:30:00.000Z", // "2019-12-01T09:30:00+01:00"
      "14": "2019-12-01T09:30:00.000Z", // 2019-12-01T09:30:00 Z
    });
  });

  test("a scheduled article is published once `now` is after its date", async () => {
    const before = await report("scheduled");
    expect(before.site!.archive.articles.map((article) => article.url)).toEqual(["/2021/03/published/"]);
    const after = await report("scheduled", { overrides: { now: "2999-01-01T09:00:01Z" } });
    expect(after.messages).toEqual([]);
    expect(after.site!.archive.articles.map((article) => article.url)).toEqual(["/2999/01/far-future/", "/2021/03/published/"]);
  });

  test("two files of one name in different months both build", async () => {
    const { site } = await report("same-slug-different-months");
    expect(site!.archive.articles.map((article) => [article.url, article.relativePath])).toEqual([
      ["/2021/04/budget/", "2021/opinion/budget.md"],
      ["/2021/03/budget/", "2021/news/budget.md"],
    ]);
  });

  test("a file name with spaces, accents and a dash gives a plain URL", async () => {
    const { site } = await report("file-name-spaces-non-ascii");
    expect(site!.archive.articles.map((article) => [article.relativePath, article.url])).toEqual([["2020/Café crème — notes.md", "/2020/06/cafe-creme-notes/"]]);
    expect(site!.archive.authors.map((author) => author.url)).toEqual(["/authors/zoe-ni-bhriain/"]);
  });
});

describe("the command line reports every problem at once", () => {
  test("check exits 1 when any problem is an error, and prints each message", async () => {
    const dir = folder("misspelt-fields");
    const { code, stdout, stderr } = await runBroadsheet(["check", "--articles", dir]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      [
        "1 error:",
        `  ${dir}/2021/auther.md  author: is missing. Add a line \`author: Full Name\` (or a list of names) to the front matter.`,
        "2 warnings:",
        `  ${dir}/2021/auther.md:3  auther: is not a field Broadsheet knows, so it is ignored. Did you mean \`author\`? Rename it to author.`,
        `  ${dir}/2021/tags.md:5  tags: is not a field Broadsheet knows, so it is ignored. Did you mean \`topics\`? Rename it to topics.`,
        "",
      ].join("\n"),
    );
    expect(stdout).toBe("1 article read: 1 error, 2 warnings.\n");
  });

  test("check exits 0 when there are warnings only", async () => {
    const dir = folder("scheduled");
    const { code, stdout, stderr } = await runBroadsheet(["check", "--articles", dir]);
    expect(code).toBe(0);
    expect(stderr).toBe(
      `1 warning:\n  ${dir}/2999/far-future.md:4  date: 2999-01-01T09:00:00Z is in the future, so the article is scheduled and not published until then. Build with --drafts to preview it.\n`,
    );
    expect(stdout).toBe("1 article checked: 0 errors, 1 warning.\n");
  });

  test("check of a YAML error exits 1 with the line of the fault", async () => {
    const dir = folder("yaml-tabs");
    const { code, stderr } = await runBroadsheet(["check", "--articles", dir]);
    expect(code).toBe(1);
    expect(stderr).toBe(`1 error:\n  ${dir}/2021/tab-indented.md:6  has front matter that is not valid YAML: this line is indented with a tab, and YAML allows only spaces. Indent it with spaces.\n`);
  });
});

describe("large input loads", () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-large-"));
  });
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  async function write(file: string, text: string): Promise<string> {
    const articlesDir = path.join(scratch, path.dirname(file).split("/")[0]!);
    await mkdir(path.dirname(path.join(scratch, file)), { recursive: true });
    await writeFile(path.join(scratch, file), text);
    return articlesDir;
  }

  test("a 10 MB article, with thousands of like headings, tables and raw HTML", async () => {
    const sentence = "The council met again to discuss the budget, and the minutes say nothing was decided. ";
    const block = (n: number) =>
      `## Update\n\n${sentence.repeat(30)}[The minutes](https://example.org/minutes/${n}) are *online*.\n\n${sentence.repeat(30)}\n\n| Year | Spend |\n| --- | --- |\n| 2019 | ${n} |\n\n<figure><img src="https://images.example.org/${n}.png" alt="Chart ${n}"></figure>\n\n`;
    const blocks: string[] = [];
    let size = 0;
    while (size < 10 * 1024 * 1024) size += blocks[blocks.push(block(blocks.length)) - 1]!.length;
    const articlesDir = await write("ten-megabytes/2020/long-read.md", `---\ntitle: The long read\nauthor: Ada Lovelace\ndate: 2020-01-01\n---\n\n${blocks.join("")}`);

    const { site, problems } = await loadSite({ articlesDir });
    expect(problems.map(formatProblem)).toEqual([]);
    const [article] = site!.archive.articles;
    expect(article!.words).toBeGreaterThan(1_000_000);
    // Every "## Update" has its own anchor: update, update-2, … update-N.
    expect(article!.html).toContain(`<h2 id="update-${blocks.length}">Update</h2>`);
    expect(articleHtml(article!).match(/<img /g)).toHaveLength(blocks.length);
  });

  test("5,000 topics on one article", async () => {
    const topics = Array.from({ length: 5000 }, (_, n) => `Topic ${n}`);
    const articlesDir = await write("many-topics/2020/everything.md", `---\ntitle: About everything\nauthor: Ada Lovelace\ndate: 2020-01-02\ntopics:\n${topics.map((topic) => `  - ${topic}`).join("\n")}\n---\n\nBody.\n`);

    const { site, problems } = await loadSite({ articlesDir });
    expect(problems.map(formatProblem)).toEqual([]);
    expect(site!.archive.topics).toHaveLength(5000);
    expect(site!.archive.articles[0]!.topics).toHaveLength(5000);
    expect(site!.pages.filter((page) => page.url.startsWith("/topics/topic-4999/"))).not.toHaveLength(0);
  });
});

describe("hostile input stays inert", () => {
  const HOSTILE = fixture("adversarial/hostile");
  const TITLE = '</script><script>alert("title")</script> Q&A: "Who pays?"';
  const AUTHOR = '<script>alert(1)</script> "Mallory" & Co';
  const TOPICS = ['<img src=x onerror=alert(1)> & "topic"', "</script>"];
  const SUMMARY = "A \"quoted\" summary </script><script>alert('summary')</script> & more <!--";
  const HOSTILE_PAGE = "2022/05/front-matter-text/index.html";
  const BODY_PAGE = "2022/05/raw-html-body/index.html";
  const TEMPLATE_PAGE = "2022/05/template-syntax/index.html";

  let scratch: string;
  let site: string;
  let html: Record<string, string>;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-hostile-"));
    site = path.join(scratch, "site");
    const built = await buildSite({ articlesDir: HOSTILE, outputDir: site });
    expect(built.problems.map(formatProblem)).toEqual([]);
    html = {};
    for (const file of (await listFiles(site)).filter((name) => name.endsWith(".html"))) html[file] = await readFile(path.join(site, file), "utf8");
  });

  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  test("every page's tags are the layouts' own: only their scripts, no handlers, no javascript: URLs", () => {
    const found: string[] = [];
    for (const [file, page] of Object.entries(html)) {
      for (const { name, attributes } of tagsOf(page)) {
        if (name === "script" && attributes.type !== "application/ld+json" && attributes.type !== "application/json" && !/^\/(assets|pagefind)\//.test(attributes.src ?? "")) found.push(`${file}: <script> ${JSON.stringify(attributes)}`);
        for (const [attribute, value] of Object.entries(attributes)) {
          if (attribute.startsWith("on")) found.push(`${file}: <${name} ${attribute}>`);
          if (/^\s*javascript:/i.test(decodeEntities(value))) found.push(`${file}: <${name} ${attribute}="${value}">`);
        }
        if (["iframe", "object", "embed", "form", "style"].includes(name) && !(name === "iframe" && attributes.src?.startsWith("https://www.youtube.com/"))) {
          if (!(name === "form" && attributes.action === "/search/")) found.push(`${file}: <${name}>`);
        }
      }
      // Text outside tags never holds a raw "<": the front matter's tags are all escaped.
      const text = page.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "").replace(TAG, "").replace(/<!doctype html>/i, "");
      if (text.includes("<")) found.push(`${file}: raw < in text: ${text.slice(text.indexOf("<") - 40, text.indexOf("<") + 40)}`);
    }
    expect(found).toEqual([]);
  });

  test("front-matter text reads as written in headings, the title, og:title and the description", () => {
    const page = html[HOSTILE_PAGE]!;
    const tags = tagsOf(page);
    const meta = (key: string) => tags.find((tag) => tag.name === "meta" && (tag.attributes.property === key || tag.attributes.name === key))?.attributes.content;
    expect(decodeEntities(meta("og:title")!)).toBe(TITLE);
    expect(decodeEntities(meta("description")!)).toBe(SUMMARY);
    expect(decodeEntities(meta("og:description")!)).toBe(SUMMARY);
    expect(decodeEntities(/<title>([^<]*)<\/title>/.exec(page)![1]!)).toBe(`${TITLE} · The Hostile Herald`);
    expect(decodeEntities(/<h1>([^<]*)<\/h1>/.exec(page)![1]!)).toBe(TITLE);
    expect(page).toContain(`>${escapeText(AUTHOR)}</a>`);
    for (const topic of TOPICS) expect(page).toContain(`>${escapeText(topic)}</a>`);
  });

  test("JSON-LD parses, holds the text as written and has no raw </script> or <", () => {
    const scripts = [...html[HOSTILE_PAGE]!.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((match) => match[1]!);
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).not.toContain("<");
    const data = JSON.parse(scripts[0]!);
    expect(data).toMatchObject({ headline: TITLE, description: SUMMARY, author: [{ name: AUTHOR }], keywords: TOPICS });
  });

  test("the Atom feed parses, with the text as written", async () => {
    const feed = await new Parser().parseString(await readFile(path.join(site, "feed.xml"), "utf8"));
    const item = feed.items.find((entry) => entry.link?.endsWith("/2022/05/front-matter-text/"))!;
    expect(item.author).toBe(AUTHOR);
  });

  // Atom writes titles and summaries as <title type="html">, so they must arrive as escaped HTML.
  test("Atom titles and summaries, declared as HTML, read back as the text written", async () => {
    const feed = await new Parser().parseString(await readFile(path.join(site, "feed.xml"), "utf8"));
    const item = feed.items.find((entry) => entry.link?.endsWith("/2022/05/front-matter-text/"))!;
    expect(decodeEntities(item.title!.replace(TAG, ""))).toBe(TITLE);
    expect(decodeEntities(item.summary!.replace(TAG, ""))).toBe(SUMMARY);
  });

  // `feed` escapes & and " in attributes but not <; a topic named `<img …>` must not break the XML.
  test("every XML file is well-formed: no < inside an attribute value", async () => {
    const found: string[] = [];
    for (const file of (await listFiles(site)).filter((name) => name.endsWith(".xml"))) {
      for (const { name, attributes } of tagsOf(await readFile(path.join(site, file), "utf8"))) {
        for (const [attribute, value] of Object.entries(attributes)) if (value.includes("<")) found.push(`${file}: <${name} ${attribute}="${value}">`);
      }
    }
    expect(found).toEqual([]);
  });

  test("the JSON feed parses, with the text as written and the body sanitised", async () => {
    const feed = JSON.parse(await readFile(path.join(site, "feed.json"), "utf8"));
    const item = feed.items.find((entry: { url: string }) => entry.url.endsWith("/2022/05/front-matter-text/"));
    expect(item).toMatchObject({ title: TITLE, summary: SUMMARY, author: { name: AUTHOR }, tags: TOPICS });
    const body = feed.items.find((entry: { url: string }) => entry.url.endsWith("/2022/05/raw-html-body/"));
    expect(body.content_html).not.toMatch(/<script|\son\w+=|javascript:alert\('link'\)|evil\.example/i);
  });

  test("the search record escapes front-matter text in its title, heading and metadata", async () => {
    const { site: model } = await loadSite({ articlesDir: HOSTILE });
    const article = model!.archive.articles.find((candidate) => candidate.slug === "front-matter-text")!;
    const record = searchRecord(article, model!, model!.archive.articles.indexOf(article));
    expect(record).not.toMatch(/<script|<img/i);
    expect(record).toContain(`<title>${escapeAttribute(TITLE).replace(/&quot;/g, '"')}</title>`);
    expect(record).toContain(`<h1>${escapeAttribute(TITLE).replace(/&quot;/g, '"')}</h1>`);
    expect(record).toContain(`<span data-pagefind-meta="title:${escapeAttribute(TITLE)}"></span>`);
    expect(record).toContain(`<span data-pagefind-filter="author:${escapeAttribute(AUTHOR)}"></span>`);
    for (const topic of TOPICS) expect(record).toContain(`<span data-pagefind-filter="topic:${escapeAttribute(topic)}"></span>`);
    expect(record).toContain(`<p>${escapeAttribute(SUMMARY).replace(/&quot;/g, '"')}</p>`);
  });

  test("raw HTML in a body is sanitised; tables, figures, images, links, code and listed iframes stay", () => {
    const body = /<div class="article-body">([\s\S]*?)<\/div><\/article>/.exec(html[BODY_PAGE]!)![1]!;
    expect(body).not.toMatch(/<script|<style|<form|<object|<svg|<input|\son\w+=|evil\.example|href="javascript/i);
    expect(body).not.toContain("alert(\"body\")");
    expect(body).toContain('<iframe src="https://www.youtube.com/embed/abc123" width="560" height="315" allowfullscreen></iframe>');
    expect(body).toContain('<thead><tr><th scope="col">Year</th><th>Budget</th></tr></thead>');
    expect(body).toContain('<figure>\n  <img src="https://images.example.org/chart.png" alt="A chart" />\n  <figcaption>The budget, year by year.</figcaption>\n</figure>');
    expect(body).toContain('<img src="https://images.example.org/photo.jpg" alt="A photo" width="640" />');
    expect(body).toContain('<a href="https://example.org/story">A good link</a>');
    expect(body).toContain('<pre><code class="language-js">if (a &lt; b &amp;&amp; c &gt; d) alert("in code");</code></pre>');
    expect(body).toContain("<p>A paragraph with handlers.</p>");
  });

  test("Liquid and Nunjucks tags in a body are printed as text, never run", () => {
    const page = html[TEMPLATE_PAGE]!;
    for (const written of [
      '{% include "/etc/passwd" %}',
      '{% render "../../package.json" %}',
      '{{ "id" | shell }}',
      '{{ range.constructor("return process")() }}',
      '{% set x = "y" %}{{ x }}',
      "{{ page.inputPath }}",
      "{{ eleventy.env.root }}",
      "{% raw %}raw{% endraw %}",
      '{% include "/etc/hostname" %}',
      "{{ 7 * 7 }}",
    ]) {
      expect(page).toContain(escapeText(written));
    }
    expect(page).not.toMatch(/root:x:0|"name": "broadsheet"|\/work\/|>49</);
  });
});

/** A start tag, with attribute values that may hold ">" inside quotes. */
const TAG = /<([a-zA-Z][\w:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>|<\/[a-zA-Z][\w:-]*\s*>|<!--[\s\S]*?-->/g;

function tagsOf(html: string): { name: string; attributes: Record<string, string> }[] {
  const tags: { name: string; attributes: Record<string, string> }[] = [];
  for (const match of html.matchAll(TAG)) {
    if (match[1] === undefined) continue;
    const attributes: Record<string, string> = {};
    for (const [, name, double, single, bare] of (match[2] ?? "").matchAll(/([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
      attributes[name!.toLowerCase()] = double ?? single ?? bare ?? "";
    }
    tags.push({ name: match[1].toLowerCase(), attributes });
  }
  return tags;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|colon);/gi, (_entity, code: string) => {
    const lower = code.toLowerCase();
    if (lower.startsWith("#x")) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith("#")) return String.fromCodePoint(Number(lower.slice(1)));
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", colon: ":" }[lower]!;
  });
}

/** The escaping every writer of HTML text must at least do. */
function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
