import { describe, expect, test } from "vitest";
import { renderBody, resolveLink, type LinkContext } from "../../src/render/body.ts";
import { defaultSettings, type Settings } from "../../src/settings.ts";

const context: LinkContext = {
  articleUrl: "/2024/01/here/", relativePath: "2020/budget.md",
  articleUrlByPath: new Map([
    ["2020/other.md", "/2020/02/other/"],
    ["2019/older.md", "/2019/05/older/"],
    ["2020/with space.md", "/2020/03/with-space/"],
  ]),
  pageUrls: new Set(["/", "/topics/", "/topics/housing/", "/2020/02/other/", "/archive/", "/404.html"]),
};

function render(markdown: string, overrides: Partial<Settings> = {}) {
  return renderBody(markdown, context, { ...defaultSettings, ...overrides });
}

describe("template syntax is text", () => {
  test("{{ x }} and {% include %} stay literal", () => {
    const { html, brokenLinks } = render('Hello {{ x }} and {% include "/etc/passwd" %} and {% raw %}{{ y }}{% endraw %}.');
    expect(html).toBe("<p>Hello {{ x }} and {% include &quot;/etc/passwd&quot; %} and {% raw %}{{ y }}{% endraw %}.</p>\n");
    expect(brokenLinks).toEqual([]);
  });

  test("in code, too", () => {
    expect(render("`{{ page.url }}`\n\n    {% for x in y %}").html).toBe("<p><code>{{ page.url }}</code></p>\n<pre><code>{% for x in y %}\n</code></pre>\n");
  });
});

describe("links", () => {
  test(".md links become article URLs under the base path, keeping query and fragment", () => {
    const { html, brokenLinks } = render("[a](other.md) [b](./other.md#costs) [c](../2019/older.md?x=1#f) [d](with%20space.md)", { basePath: "/archive/" });
    expect(html).toBe(
      '<p><a href="/archive/2020/02/other/">a</a> <a href="/archive/2020/02/other/#costs">b</a> <a href="/archive/2019/05/older/?x=1#f">c</a> <a href="/archive/2020/03/with-space/">d</a></p>\n',
    );
    expect(brokenLinks).toEqual([]);
  });

  test("a .md link to no article is reported and shown as its text", () => {
    const { html, brokenLinks } = render("See [the **old** story](missing.md) and [this](../2019/gone.md#x).");
    expect(html).toBe("<p>See the <strong>old</strong> story and this.</p>\n");
    expect(brokenLinks).toEqual(["missing.md", "../2019/gone.md#x"]);
  });

  test("root-relative links get the base path; those to no page are reported", () => {
    const { html, brokenLinks } = render("[t](/topics/) [h](/topics/housing) [x](/nowhere/) [img](/images/map.png)", { basePath: "/archive/" });
    expect(html).toBe('<p><a href="/archive/topics/">t</a> <a href="/archive/topics/housing/">h</a> x img</p>\n');
    expect(brokenLinks).toEqual(["/nowhere/", "/images/map.png"]);
  });

  test("with base path / root-relative links stay as written", () => {
    expect(render("[t](/topics/)").html).toBe('<p><a href="/topics/">t</a></p>\n');
  });

  test("other sites and mail are left as written", () => {
    const { html, brokenLinks } = render("[e](https://example.org/a.md) [m](mailto:news@example.org)", { basePath: "/archive/" });
    expect(html).toBe('<p><a href="https://example.org/a.md">e</a> <a href="mailto:news@example.org">m</a></p>\n');
    expect(brokenLinks).toEqual([]);
  });

  test("fragments must name an anchor of the article; a near miss in case is mended", () => {
    const { html, brokenLinks } = render('[f](#costs) [g](#Growing-Team) [h](#nowhere) [t](#top)\n\n## Costs\n\n## Growing team\n\n<a name="raw"></a>[r](#raw)');
    expect(html).toContain('<a href="#costs">f</a> <a href="#growing-team">g</a> h <a href="#top">t</a>');
    expect(html).toContain('<a href="#raw">r</a>');
    expect(brokenLinks).toEqual(["#nowhere"]);
  });

  test("relative links resolve against the article's URL; those to nothing the build writes are reported", () => {
    const { html, brokenLinks } = render("[o](../../../2020/02/other/) [r](files/report.pdf)", { basePath: "/archive/" });
    expect(html).toBe('<p><a href="/archive/2020/02/other/">o</a> r</p>\n');
    expect(brokenLinks).toEqual(["files/report.pdf"]);
  });

  test("an image the build does not write shows its description", () => {
    const { html, brokenLinks } = render('![Map](/images/map.png) <img src="/images/x.png" alt="X marks">', { basePath: "/archive/" });
    expect(html).toBe("<p>Map <span>X marks</span></p>\n");
    expect(brokenLinks).toEqual(["/images/map.png", "/images/x.png"]);
  });

  test("links in raw HTML are resolved the same way", () => {
    const { html, brokenLinks } = render('<p><a href="other.md">one</a> and <a href="gone.md">two</a></p>', { basePath: "/archive/" });
    expect(html).toBe('<p><a href="/archive/2020/02/other/">one</a> and <span>two</span></p>');
    expect(brokenLinks).toEqual(["gone.md"]);
  });

  test("resolveLink", () => {
    expect(resolveLink("other.md#x", context, "/")).toBe("/2020/02/other/#x");
    expect(resolveLink("nope.md", context, "/")).toBeUndefined();
    expect(resolveLink("/topics", context, "/a/")).toBe("/a/topics/");
    expect(resolveLink("", context, "/")).toBe("");
    expect(resolveLink("//cdn.example.org/x.js", context, "/")).toBe("//cdn.example.org/x.js");
  });
});

describe("raw HTML is sanitised", () => {
  test("<script> is removed", () => {
    const { html } = render("Before.\n\n<script>alert(1)</script>\n\nAfter.");
    expect(html).not.toMatch(/script|alert/);
    expect(html).toContain("<p>Before.</p>");
    expect(html).toContain("<p>After.</p>");
  });

  test("event handler attributes are removed", () => {
    const { html } = render('<p onclick="steal()">Hi <img src="/x.png" onerror="steal()"></p>');
    expect(html).not.toMatch(/onclick|onerror|steal/);
    expect(html).toContain("Hi");
  });

  test("javascript: links are removed, in Markdown and in HTML", () => {
    const { html } = render('[md](javascript:alert(1)) <a href="javascript:alert(2)">html</a> <a href="JaVaScRiPt:alert(3)">mixed</a>');
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain("html");
  });

  test("an iframe from a listed host is kept", () => {
    expect(render('<iframe src="https://www.youtube.com/embed/abc" width="560" height="315" allowfullscreen></iframe>').html).toBe(
      '<iframe src="https://www.youtube.com/embed/abc" width="560" height="315" allowfullscreen></iframe>',
    );
  });

  test("an iframe from another host is dropped", () => {
    // Documents a bug: sanitize-html strips the src but keeps an empty <iframe></iframe>, a blank box on the page.
    const { html } = render('<p>Video:</p>\n<iframe src="https://evil.example/embed"></iframe>');
    expect(html).not.toContain("evil.example");
    expect(html).not.toContain("<iframe");
  });

  test("the iframe host list comes from the settings", () => {
    expect(render('<iframe src="https://video.example.org/x"></iframe>', { iframeHosts: ["video.example.org"] }).html).toContain('src="https://video.example.org/x"');
  });

  test("tables are kept, from Markdown and from HTML", () => {
    expect(render("| a | b |\n|---|---|\n| 1 | 2 |").html).toBe("<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n");
    expect(render('<table><tr><td colspan="2">x</td></tr></table>').html).toBe('<table><tr><td colspan="2">x</td></tr></table>');
  });

  test("with `sanitize: false` raw HTML passes through", () => {
    expect(render('<div class="chart" data-x="1">x</div>', { sanitize: false }).html).toBe('<div class="chart" data-x="1">x</div>');
  });
});

describe("headings, summary and words", () => {
  test("headings get ids; repeats are numbered", () => {
    expect(render("# Costs\n\n## Costs\n\n## Café & Co!\n\n## What's next?").html).toBe(
      '<h1 id="costs">Costs</h1>\n<h2 id="costs-2">Costs</h2>\n<h2 id="cafe-and-co">Café &amp; Co!</h2>\n<h2 id="whats-next">What\'s next?</h2>\n',
    );
  });

  test("an id written after a heading is kept", () => {
    expect(render("## Diary studies {#diary}\n\n## Measuring analytics.usa.gov").html).toBe('<h2 id="diary">Diary studies</h2>\n<h2 id="measuring-analytics-usa-gov">Measuring analytics.usa.gov</h2>\n');
  });

  test("a heading with no letters still gets an id", () => {
    expect(render("## !!!").html).toBe('<h2 id="section">!!!</h2>\n');
  });

  test("the first paragraph as plain text, and the word count", () => {
    const { firstParagraph, words } = render("# Title\n\nThe **council** approved\nthe [budget](other.md).\n\nSecond paragraph here.");
    expect(firstParagraph).toBe("The council approved the budget.");
    expect(words).toBe(9);
  });

  test("the first paragraph skips an image alone in its paragraph and raw HTML", () => {
    expect(render("![Boats at the quay](https://example.org/boats.jpg)\n\n<div>Aside</div>\n\nFirst words\nwrapped.\n\nSecond.").firstParagraph).toBe("First words wrapped.");
  });
});

describe("figures", () => {
  test("a picture alone in its paragraph is a figure, its title the caption", () => {
    expect(render('Before.\n\n![Boats at the quay](https://example.org/boats.jpg "Boats at dawn. Photo: Jane Roe")\n\nAfter.').html).toBe(
      '<p>Before.</p>\n<figure><img src="https://example.org/boats.jpg" alt="Boats at the quay"><figcaption>Boats at dawn. Photo: Jane Roe</figcaption>\n</figure>\n<p>After.</p>\n',
    );
  });

  test("without a title it is a figure without a caption", () => {
    expect(render("![Boats](https://example.org/boats.jpg)").html).toBe('<figure><img src="https://example.org/boats.jpg" alt="Boats"></figure>\n');
  });

  test("a caption is text: markup in the title is escaped", () => {
    expect(render('![Boats](https://example.org/boats.jpg "<b>Boats</b> & more")').html).toContain("<figcaption>&lt;b&gt;Boats&lt;/b&gt; &amp; more</figcaption>");
  });

  test("a picture linked to its full size is a figure too", () => {
    expect(render('[![Boats](https://example.org/small.jpg "Boats.")](https://example.org/large.jpg)').html).toBe(
      '<figure><a href="https://example.org/large.jpg"><img src="https://example.org/small.jpg" alt="Boats"></a><figcaption>Boats.</figcaption>\n</figure>\n',
    );
  });

  test("a picture among words stays in the paragraph, with its title", () => {
    expect(render('A map ![Map](https://example.org/map.svg "The wall") of the wall.').html).toBe('<p>A map <img src="https://example.org/map.svg" alt="Map" title="The wall"> of the wall.</p>\n');
  });

  test("a figure survives the sanitiser when the body has raw HTML", () => {
    const { html } = render('<p>Raw.</p>\n\n![Boats](https://example.org/boats.jpg "Boats at dawn.")');
    expect(html).toContain('<figure><img src="https://example.org/boats.jpg" alt="Boats" /><figcaption>Boats at dawn.</figcaption>\n</figure>');
  });

  test("a picture that is not there is its description, not an empty figure", () => {
    const { html } = render("![Lost boats](/nowhere.jpg)");
    expect(html).toBe("<p>Lost boats</p>\n");
  });
});
