import { describe, expect, test } from "vitest";
import { articleHtml, buildArchive, type Article } from "../../src/archive/archive.ts";
import { loadSite } from "../../src/archive/load-site.ts";
import { countTerms, findRelated, flatTerms, termsKey, words, type KeptTerms, type TermCounts } from "../../src/archive/related.ts";
import { renderArticles } from "../../src/archive/render.ts";
import { formatProblem } from "../../src/problems.ts";
import { defaultSettings } from "../../src/settings.ts";
import type { ArticleSource } from "../../src/articles/load.ts";
import { source } from "../helpers/articles.ts";
import { fixture } from "../helpers/files.ts";

/** Each article's related articles by slug, from the site's article pages. */
async function relatedBySlug(drafts = false): Promise<Record<string, string[]>> {
  const { site, problems } = await loadSite({ articlesDir: fixture("related"), drafts });
  expect(problems.map(formatProblem)).toEqual([]);
  const lists: Record<string, string[]> = {};
  for (const page of site!.pages) if (page.kind === "article") lists[page.article.slug] = page.related.map((article) => article.slug);
  return lists;
}

/** An archive of inline articles with rendered bodies, newest first. */
function articles(sources: ArticleSource[]): Article[] {
  const { archive, problems } = buildArchive(sources, defaultSettings, { drafts: false });
  expect(problems).toEqual([]);
  renderArticles(archive, new Set(archive.articles.map((article) => article.url)), defaultSettings);
  return archive.articles;
}

const slugs = (list: Article[] | undefined) => (list ?? []).map((article) => article.slug);

describe("related articles on the related fixture", () => {
  test("each part of a series lists the other parts first, the nearest part first", async () => {
    const lists = await relatedBySlug();
    expect(lists["wendle-series-part-1"]!.slice(0, 2)).toEqual(["wendle-series-part-2", "wendle-series-part-3"]);
    expect(lists["wendle-series-part-2"]!.slice(0, 2)).toEqual(["wendle-series-part-3", "wendle-series-part-1"]);
    expect(lists["wendle-series-part-3"]!.slice(0, 2)).toEqual(["wendle-series-part-2", "wendle-series-part-1"]);
  });

  test("two reports of the same event list each other first", async () => {
    const lists = await relatedBySlug();
    expect(lists["bakery-fire"]![0]).toBe("bakery-to-rebuild");
    expect(lists["bakery-to-rebuild"]![0]).toBe("bakery-fire");
  });

  test("every article has three to five, never itself, never a draft", async () => {
    const lists = await relatedBySlug();
    expect(Object.keys(lists)).toHaveLength(10);
    for (const [slug, related] of Object.entries(lists)) {
      expect(related.length, slug).toBeGreaterThanOrEqual(3);
      expect(related.length, slug).toBeLessThanOrEqual(5);
      expect(related, slug).not.toContain(slug);
      expect(related, slug).not.toContain("wendle-series-part-4");
      expect(new Set(related).size, slug).toBe(related.length);
    }
  });

  test("built with drafts, the draft belongs to its series", async () => {
    const lists = await relatedBySlug(true);
    expect(lists["wendle-series-part-4"]!.slice(0, 3).sort()).toEqual(["wendle-series-part-1", "wendle-series-part-2", "wendle-series-part-3"]);
    expect(lists["wendle-series-part-3"]!.slice(0, 3)).toContain("wendle-series-part-4");
  });

  test("the same archive gives the same lists", async () => {
    expect(await relatedBySlug()).toEqual(await relatedBySlug());
  });
});

describe("findRelated", () => {
  const sources = [
    source("a.md", "title: Ferry fares rise\nauthor: A\ndate: 2024-01-01", { body: "Ferry fares across the harbour rise in spring.\n" }),
    source("b.md", "title: Ferry fares frozen\nauthor: B\ndate: 2024-02-01", { body: "The harbour ferry fares are frozen after all.\n" }),
    source("c.md", "title: Night ferry returns\nauthor: C\ndate: 2024-03-01", { body: "The night ferry across the harbour returns.\n" }),
    source("d.md", "title: Wetland herons\nauthor: D\ndate: 2024-04-01", { body: "Herons nest in the wetland again.\n" }),
  ];

  test("ranks by shared distinctive words; articles sharing none are left out", () => {
    const related = findRelated(articles(sources));
    const [d, c, b, a] = articles(sources).map((article) => article.slug);
    expect([d, c, b, a]).toEqual(["d", "c", "b", "a"]);
    const bySlug = new Map([...related].map(([article, list]) => [article.slug, slugs(list)]));
    expect(bySlug.get("a")).toEqual(["b", "c"]);
    expect(bySlug.get("d")).toEqual([]);
  });

  test("does not depend on the order the files were read in", () => {
    const lists = (input: ArticleSource[]) => [...findRelated(articles(input))].map(([article, list]) => [article.slug, slugs(list)]);
    expect(lists([...sources].reverse())).toEqual(lists(sources));
  });

  test("equal scores go to the newer article", () => {
    const twins = [
      source("old.md", "title: Lighthouse keeper\nauthor: A\ndate: 2020-01-01"),
      source("new.md", "title: Lighthouse keeper\nauthor: A\ndate: 2021-01-01"),
      source("one.md", "title: Lighthouse logbook\nauthor: A\ndate: 2019-01-01"),
      source("other.md", "title: Tram consultation\nauthor: A\ndate: 2018-01-01"),
    ];
    const related = findRelated(articles(twins), { fewest: 1, most: 1 });
    const bySlug = new Map([...related].map(([article, list]) => [article.slug, slugs(list)]));
    expect(bySlug.get("one")).toEqual(["new"]);
  });

  test("a short list is filled with the articles nearest in time that share a topic", () => {
    const list = [
      source("a.md", "title: Alpha\nauthor: A\ndate: 2024-01-01\ntopics: [Notes]", { body: "Quince.\n" }),
      source("b.md", "title: Bravo\nauthor: B\ndate: 2024-02-01\ntopics: [Notes]", { body: "Walnut.\n" }),
      source("c.md", "title: Charlie\nauthor: C\ndate: 2024-03-01\ntopics: [Notes]", { body: "Fennel.\n" }),
      source("d.md", "title: Delta\nauthor: D\ndate: 2024-04-01\ntopics: [Notes]", { body: "Sorrel.\n" }),
      source("e.md", "title: Echo\nauthor: E\ndate: 2024-05-01", { body: "Chervil.\n" }),
    ];
    const bySlug = new Map([...findRelated(articles(list))].map(([article, related]) => [article.slug, slugs(related)]));
    expect(bySlug.get("b")).toEqual(["c", "a", "d"]);
    expect(bySlug.get("e")).toEqual([]);
  });

  test("a word in most articles of a large archive links none of them", () => {
    const many = Array.from({ length: 40 }, (_, index) =>
      source(`${index}.md`, `title: Report ${index}\nauthor: A${index}\ndate: 2020-01-${String((index % 28) + 1).padStart(2, "0")}`, { body: "Every report says budget.\n" }),
    );
    for (const list of findRelated(articles(many)).values()) expect(list).toEqual([]);
  });
});

describe("countTerms", () => {
  const harbour = (slug: string, day: number, title: string, body: string) => source(`${slug}.md`, `title: ${title}\nauthor: A\ndate: 2024-03-${String(day).padStart(2, "0")}\ntopics: [Harbour]`, { body });
  const before = [
    harbour("fares", 1, "Ferry fares rise", "Ferry fares across the harbour rise in spring, the council says.\n"),
    harbour("frozen", 2, "Ferry fares frozen", "The harbour ferry fares are frozen after all; the council relents.\n"),
    harbour("night", 3, "Night ferry returns", "The night ferry across the harbour returns with a new timetable.\n"),
    harbour("herons", 4, "Wetland herons", "Herons nest in the wetland beyond the harbour wall again.\n"),
    harbour("tram", 5, "Tram consultation", "A tram consultation opens; the council asks about fares.\n"),
  ];
  const keep = (list: readonly Article[], counted: TermCounts): KeptTerms => ({ keys: list.map(termsKey), words: counted.words, start: counted.start, term: counted.term, count: counted.count });
  // What a count says, whatever ids it gives the terms: each article's terms as words, in the
  // order it has them, with their counts, and how many articles have each word. The room left to
  // grow into, and words no article has any more, are not part of it.
  const asData = (counted: TermCounts) => {
    const flat = flatTerms(counted);
    const term = flat.term.flatMap((part) => [...part]);
    const count = flat.count.flatMap((part) => [...part]);
    const rows = Array.from({ length: flat.start.length - 1 }, (_, doc) => term.slice(flat.start[doc], flat.start[doc + 1]).map((id, at) => `${counted.words[id]} ${count[flat.start[doc]! + at]}`));
    const frequency = Object.fromEntries(counted.words.flatMap((word, id) => (counted.frequency[id]! > 0 ? [[word, counted.frequency[id]]] : [])));
    return { rows, frequency };
  };
  const listsOf = (list: readonly Article[], counted: TermCounts, options = {}) => [...findRelated(list, options, counted)].map(([article, related]) => [article.slug, slugs(related)]);

  test("which id a term has changes no list: equal weights are told apart by the word", () => {
    const list = articles([...before, harbour("quay", 6, "Quay wall repaired", "The quay wall by the harbour is repaired; herons and ferry crews return.\n")]);
    const counted = countTerms(list);
    // The same count with its terms numbered the other way round.
    const last = counted.terms - 1;
    const renumbered: TermCounts = {
      ...counted,
      words: [...counted.words].reverse(),
      frequency: Uint32Array.from({ length: counted.terms }, (_, id) => counted.frequency[last - id]!),
      term: counted.term.map((id) => last - id),
    };
    expect(asData(renumbered)).toEqual(asData(counted));
    // Two terms an article: most of its terms weigh what others do, and which two it keeps is the tie's.
    for (const options of [{}, { terms: 2 }, { terms: 1 }]) expect(listsOf(list, renumbered, options)).toEqual(listsOf(list, counted, options));
  });

  test("terms kept from an earlier count give the count a count from nothing gives, after edits, additions and removals", () => {
    const earlier = articles(before);
    const kept = keep(earlier, countTerms(earlier));
    const after = articles([
      harbour("fares", 1, "Ferry fares rise", "Ferry fares across the harbour rise in spring, the council says.\n"),
      // A body edited, a title changed, one article gone (night) and one new (lighthouse).
      harbour("frozen", 2, "Ferry fares frozen", "Bakeries by the harbour say frozen fares help trade; ferry crews disagree.\n"),
      harbour("herons", 4, "Wetland herons counted", "Herons nest in the wetland beyond the harbour wall again.\n"),
      harbour("tram", 5, "Tram consultation", "A tram consultation opens; the council asks about fares.\n"),
      harbour("lighthouse", 6, "Lighthouse keeper retires", "The lighthouse keeper retires after forty years above the harbour.\n"),
    ]);
    const fromKept = countTerms(after, { kept, keys: after.map(termsKey) });
    expect(asData(fromKept)).toEqual(asData(countTerms(after)));
    const lists = (counted: TermCounts) => [...findRelated(after, {}, counted)].map(([article, list]) => [article.slug, slugs(list)]);
    expect(lists(fromKept)).toEqual(lists(countTerms(after)));
  });

  test("kept terms beyond the room made for them, laid out row by row, give the count a count from nothing gives", () => {
    // One text of 1,100 summary words and 590 body words, kept, then 120 articles with that text:
    // every one of them is taken from the kept terms, far past the room made for them at first.
    // More articles were kept than there are now (older ones gone), so that the rows are laid out anew.
    const words = (prefix: string, count: number) => Array.from({ length: count }, (_, word) => `${prefix}${word}`).join(" ");
    const text = `title: Wordy report\nauthor: A\nsummary: ${words("s", 1100)}\ntopics: [Harbour]`;
    const copy = (number: number) =>
      source(`wordy-${number}.md`, `${text}\ndate: 2024-03-01T${String(Math.floor(number / 60)).padStart(2, "0")}:${String(number % 60).padStart(2, "0")}`, { body: `${words("w", 590)}.\n` });
    const gone = Array.from({ length: 121 }, (_, number) => source(`gone-${number}.md`, `title: Ferry fares rise ${number}\nauthor: A\ndate: 2024-02-01`, { body: "Ferry fares across the harbour rise in spring.\n" }));
    const earlier = articles([copy(0), ...gone]);
    const kept = keep(earlier, countTerms(earlier));
    const after = articles(Array.from({ length: 120 }, (_, number) => copy(number)));
    const keys = after.map(termsKey);
    expect(new Set(keys)).toEqual(new Set(kept.keys.slice(0, 1)));
    const fromKept = countTerms(after, { kept, keys });
    expect(fromKept.revised).toBeUndefined();
    expect(fromKept.term.length).toBeGreaterThan(kept.term.length + (1 << 16));
    expect(fromKept.terms).toBeGreaterThan(1024);
    expect(asData(fromKept)).toEqual(asData(countTerms(after)));
  });

  test("an article whose text has a kept key is not read again: its kept terms are used", () => {
    const earlier = articles(before);
    const kept = keep(earlier, countTerms(earlier));
    // The same articles with other bodies, given the keys of the earlier texts: what is counted is the earlier texts' terms.
    const rewritten = articles(before.map((article) => ({ ...article, body: "Quince walnut fennel sorrel chervil.\n" })));
    expect(asData(countTerms(rewritten, { kept, keys: kept.keys }))).toEqual(asData(countTerms(earlier)));
    expect(asData(countTerms(rewritten))).not.toEqual(asData(countTerms(earlier)));
  });

  test("texts changed in place are counted alone, whatever words they add or drop, the kept arrays used as they are", () => {
    const earlier = articles(before);
    const kept = keep(earlier, countTerms(earlier));
    // Words the archive has; a word new to it (bittern); a word only that text had, dropped (nest).
    for (const [path, body] of [
      ["frozen.md", `${before[1]!.body}The council says ferry fares across the harbour rise in spring.\n`],
      ["herons.md", "Herons nest in the wetland beyond the harbour wall, and a bittern.\n"],
      ["herons.md", "Herons in the wetland beyond the harbour wall again.\n"],
    ]) {
      const edited = articles(before.map((article) => (article.relativePath === path ? { ...article, body: body! } : article)));
      const fromKept = countTerms(edited, { kept, keys: edited.map(termsKey) });
      expect(fromKept.revised?.size).toBe(1);
      expect(fromKept.term).toBe(kept.term);
      expect(asData(fromKept)).toEqual(asData(countTerms(edited)));
      expect(listsOf(edited, fromKept)).toEqual(listsOf(edited, countTerms(edited)));
    }
  });

  test("words no article has any more stay in a revised count up to a quarter of its words; a count laid out anew leaves them out", () => {
    const earlier = articles(before);
    const kept = keep(earlier, countTerms(earlier));
    const unused = (counted: TermCounts) => counted.words.filter((_, id) => counted.frequency[id] === 0);
    // The herons' body loses the words only it had (nest, beyond, wall): a few, kept in the revision.
    const rewritten = (paths: string[]) => articles(before.map((article) => (paths.includes(article.relativePath) ? { ...article, body: "Herons again.\n" } : article)));
    const few = rewritten(["herons.md"]);
    const revised = countTerms(few, { kept, keys: few.map(termsKey) });
    expect(revised.revised?.size).toBe(1);
    expect(unused(revised).sort()).toEqual(["beyond", "nest", "wall"]);
    expect(asData(revised)).toEqual(asData(countTerms(few)));
    // Every body so rewritten: more than a quarter of the words are no article's, and the rows are laid out anew without them.
    const many = rewritten(before.map((article) => article.relativePath));
    const laidOut = countTerms(many, { kept, keys: many.map(termsKey) });
    expect(laidOut.revised).toBeUndefined();
    expect(unused(laidOut)).toEqual([]);
    expect(asData(laidOut)).toEqual(asData(countTerms(many)));
    expect(listsOf(many, laidOut)).toEqual(listsOf(many, countTerms(many)));
    // An article gone: laid out anew, without the words only it had.
    const gone = articles(before.filter((article) => article.relativePath !== "herons.md"));
    const withoutHerons = countTerms(gone, { kept, keys: gone.map(termsKey) });
    expect(withoutHerons.revised).toBeUndefined();
    expect(unused(withoutHerons)).toEqual([]);
    expect(withoutHerons.words).not.toContain("wetland");
    expect(asData(withoutHerons)).toEqual(asData(countTerms(gone)));
  });

  test("articles new at the newest end are counted alone, the kept arrays used as they are", () => {
    const earlier = articles(before);
    const kept = keep(earlier, countTerms(earlier));
    // New words (lighthouse, keeper, bakery) and kept ones (ferry, harbour, night).
    const lighthouse = harbour("lighthouse", 6, "Lighthouse keeper retires", "The lighthouse keeper retires above the harbour; the ferry crews say farewell.\n");
    const bakery = harbour("bakery", 7, "Night bakery opens", "A bakery opens by the harbour for the night ferry crews.\n");
    for (const newest of [[lighthouse], [lighthouse, bakery]]) {
      const after = articles([...before, ...newest]);
      const fromKept = countTerms(after, { kept, keys: after.map(termsKey) });
      expect(fromKept.added).toBe(newest.length);
      expect(fromKept.term).toBe(kept.term);
      expect(fromKept.terms).toBeGreaterThan(kept.words.length);
      expect(asData(fromKept)).toEqual(asData(countTerms(after)));
      const lists = (counted: TermCounts) => [...findRelated(after, {}, counted)].map(([article, list]) => [article.slug, slugs(list)]);
      expect(lists(fromKept)).toEqual(lists(countTerms(after)));
    }
    // One new in the middle of the archive, an older date: the rows after it are counted as changed.
    const middle = articles([...before, harbour("pier", 3, "Pier repairs", "The pier by the harbour is repaired before the night ferry returns.\n")]);
    const fromKeptMiddle = countTerms(middle, { kept, keys: middle.map(termsKey) });
    expect(asData(fromKeptMiddle)).toEqual(asData(countTerms(middle)));
    expect(listsOf(middle, fromKeptMiddle)).toEqual(listsOf(middle, countTerms(middle)));
  });

  test("any texts changed in place, counted from the kept terms, give the count a count from nothing gives", () => {
    const earlier = articles(before);
    const kept = keep(earlier, countTerms(earlier));
    const pool = ["ferry", "fares", "harbour", "council", "herons", "wetland", "tram", "night", "timetable", "spring", "wall", "bittern", "quay", "frozen", "returns"];
    // A fixed sequence of pseudo-random choices: the same trials on every run.
    let seed = 7;
    // Mulberry32: every bit of it varies, where a bare linear congruence's low bits repeat.
    const random = (below: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let mixed = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
      return ((mixed ^ (mixed >>> 14)) >>> 0) % below;
    };
    let revisedTrials = 0;
    let addedTrials = 0;
    let laidOutTrials = 0;
    for (let trial = 0; trial < 300; trial++) {
      const changed = new Set(Array.from({ length: random(3) }, () => before[random(before.length)]!.relativePath));
      const text = () => `${Array.from({ length: 3 + random(8) }, () => pool[random(pool.length)]).join(" ")}.\n`;
      // Up to two new articles, the newest, and in some trials one of the kept gone.
      const newest = Array.from({ length: random(3) }, (_, number) => harbour(`new-${number}`, 10 + number, `Harbour news ${number}`, text()));
      const gone = random(4) === 0 ? before[random(before.length)]!.relativePath : undefined;
      const remaining = before.filter((article) => article.relativePath !== gone);
      // A body rewritten, or added to.
      const edit = (body: string) => (random(2) === 0 ? text() : `${body}${text()}`);
      const edited = articles([...remaining.map((article) => (changed.has(article.relativePath) ? { ...article, body: edit(article.body) } : article)), ...newest]);
      const fromKept = countTerms(edited, { kept, keys: edited.map(termsKey) });
      if (fromKept.revised && changed.size > 0) revisedTrials++;
      if (fromKept.added) addedTrials++;
      if (!fromKept.revised) laidOutTrials++;
      expect(asData(fromKept)).toEqual(asData(countTerms(edited)));
      const lists = (counted: TermCounts) => [...findRelated(edited, {}, counted)].map(([article, list]) => [article.slug, slugs(list)]);
      expect(lists(fromKept)).toEqual(lists(countTerms(edited)));
    }
    // Every way was taken.
    expect(revisedTrials).toBeGreaterThan(0);
    expect(addedTrials).toBeGreaterThan(0);
    expect(laidOutTrials).toBeGreaterThan(0);
  });

  test("an article's key changes with its title, summary and body opening, and not with the rest of its body", () => {
    const [article] = articles([before[0]!]);
    const key = termsKey(article!);
    expect(termsKey({ ...article!, title: "Ferry fares fall" })).not.toBe(key);
    expect(termsKey({ ...article!, summary: "Fares rise." })).not.toBe(key);
    expect(termsKey({ ...article!, html: `<p>Fares.</p>${article!.html}` })).not.toBe(key);
    // An opening that ends inside a character: each half is its own.
    const cut = (character: string) => termsKey({ ...article!, html: `${"x".repeat(600 * 16 - 1)}${character}` });
    expect(cut("😀")).not.toBe(cut("𝄞"));
    expect(termsKey({ ...article!, html: `${articleHtml(article!).padEnd(600 * 16, " ")}<p>Beyond the opening.</p>` })).toBe(termsKey({ ...article!, html: `${articleHtml(article!).padEnd(600 * 16, " ")}<p>Elsewhere.</p>` }));
  });
});

describe("words", () => {
  test("lower case, without stopwords, numbers or plurals; a final y reads as i, as in the plural", () => {
    expect(words("The Council's 2024 budgets: cities, buses and Zürich’s trams", Infinity)).toEqual(["council", "budget", "citi", "buse", "zürich", "tram"]);
  });

  test("in HTML, markup and entities part words and are never part of one", () => {
    expect(words('<p class="lede">Pryce&#39;s<em>bakery</em> fire&amp;smoke &c. <a href="/x">Harbour</a></p>', Infinity, { html: true })).toEqual(["pryce", "bakeri", "fire", "smoke", "harbour"]);
  });

  test("stops at the limit", () => {
    expect(words("ferry harbour fares spring", 2)).toEqual(["ferri", "harbour"]);
  });
});
