import { createHash } from "node:crypto";
import type { DateTime } from "luxon";
import path from "node:path";
import type { Correction } from "../articles/corrections.ts";
import type { ArticleDate } from "../articles/dates.ts";
import type { ArticleSource } from "../articles/load.ts";
import type { LeadImage } from "../articles/schema.ts";
import type { MediaFile } from "./media.ts";
import type { KeptHtml } from "../cache/kept-html.ts";
import type { NameSetting, Settings } from "../settings.ts";
import { compareText, error, warning, type Problem } from "../problems.ts";
import { cleanName, mostUsedSpelling, nameKey } from "./names.ts";
import { slugify } from "./slug.ts";

/** A link to a topic or an author, as an article shows it. */
export interface NameRef {
  name: string;
  slug: string;
  /** Site URL without the base path: `/topics/housing/`. */
  url: string;
}

/** A published article, placed in the archive. */
export interface Article {
  file: string;
  relativePath: string;
  title: string;
  authors: NameRef[];
  topics: NameRef[];
  date: ArticleDate;
  /** The last change: `updated`, or the newest correction when that is later. */
  updated?: ArticleDate;
  draft: boolean;
  slug: string;
  /** Site URL without the base path: `/2024/03/budget/`. */
  url: string;
  /** Old paths that redirect here, without the base path. */
  aliases: readonly string[];
  /** Oldest first. */
  corrections: readonly Correction[];
  /** The line of each front-matter field in the file, for messages about it. */
  lines: ArticleSource["lines"];
  /** The written summary, else the first paragraph; filled in when bodies are rendered. */
  summary: string;
  /** The body's first paragraph as plain text; filled in when bodies are rendered. */
  opening: string;
  /**
   * The rendered, sanitised body; the one place raw HTML enters a page. A build from the cache
   * leaves an unchanged article's body there until a page shows it: read it with `articleHtml`.
   */
  html: string | KeptHtml;
  words: number;
  readingMinutes: number;
  /** Markdown source, kept until the body is rendered. */
  body: string;
  /** The file's line on which the body starts, for messages about it. */
  bodyLine: number;
  writtenSummary?: string;
  /** The lead picture as the front matter gives it, and the line it is on. */
  leadImage?: LeadImage & { line?: number };
  /** The lead picture, found; filled in when bodies are rendered. */
  image?: ArticleImage;
}

/** The article's rendered body, read from the build cache if it was left there. */
export function articleHtml(article: Pick<Article, "html">): string {
  return typeof article.html === "string" ? article.html : article.html.text();
}

/** An article's lead picture, ready to show. */
export interface ArticleImage {
  /** Site URL without the base path (`/media/…/boats.jpg`), or an http(s):// address used as it is. */
  url: string;
  /** Empty when the front matter gives none (a warning says so). */
  alt: string;
  caption?: string;
  credit?: string;
  /** The file beside the article, when the picture is one. */
  file?: MediaFile;
}

/** A topic or an author with its articles, newest first. */
export interface NameGroup extends NameRef {
  articles: Article[];
  /** Every spelling merged into this name, most used first, with how often each was used. */
  spellings: { spelling: string; count: number }[];
}

export interface MonthGroup {
  year: number;
  month: number;
  /** `/2024/03/` */
  url: string;
  articles: Article[];
}

export interface YearGroup {
  year: number;
  url: string;
  articles: Article[];
  /** Newest first; only months with articles. */
  months: MonthGroup[];
}

export interface Archive {
  settings: Settings;
  /** Newest first; ties by date-time, then slug. */
  articles: Article[];
  /** Alphabetical by name. */
  topics: NameGroup[];
  authors: NameGroup[];
  /** Newest first. */
  years: YearGroup[];
}

export interface ArchiveOptions {
  /** Publish drafts and scheduled articles too (for previewing). */
  drafts: boolean;
  /** Articles dated after this are scheduled, not yet published; default: no article is. */
  now?: DateTime;
}

/** Places validated articles in the archive: URLs, topics, authors and the calendar. */
export function buildArchive(sources: readonly ArticleSource[], settings: Settings, options: ArchiveOptions): { archive: Archive; problems: Problem[] } {
  const problems: Problem[] = [];
  // Compared as numbers: `>` on two DateTimes goes through `valueOf`, 0.2 s of 100,000 articles' model.
  const now = options.now?.toMillis();
  const scheduled = (source: ArticleSource) => now !== undefined && source.date.value.toMillis() > now;
  const published = sources.filter((source) => options.drafts || (!source.draft && !scheduled(source)));
  for (const source of sources) {
    if (!options.drafts && !source.draft && scheduled(source)) {
      problems.push(warning(source.file, `${source.date.value.toISO({ suppressMilliseconds: true })} is in the future, so the article is scheduled and not published until then. Build with --drafts to preview it.`, { field: "date", line: source.lines.date }));
    }
  }
  const topics = new NameRegistry("topics", settings.topics);
  const authors = new NameRegistry("authors", settings.authors);
  for (const source of published) {
    for (const name of source.topics) topics.count(name);
    for (const name of source.authors) authors.count(name);
  }
  problems.push(...topics.assignSlugs(), ...authors.assignSlugs());

  const articles: Article[] = [];
  const articleByUrl = new Map<string, Article>();
  for (const source of published) {
    const article = placeArticle(source, topics, authors);
    if (article === undefined) {
      const field = source.slug === undefined ? undefined : "slug";
      problems.push(
        error(source.file, `${field ? `"${source.slug}"` : "The file name"} has no letters or digits to make a URL from. ${field ? "Write a slug with letters or digits" : "Add `slug: some-words` to the front matter, or rename the file"}.`, { field, line: source.lines.slug }),
      );
      continue;
    }
    const taken = articleByUrl.get(article.url);
    if (taken) {
      problems.push(error(article.file, `has the same URL as ${taken.file}: ${article.url}. Give one of them a different \`slug:\` or file name.`, { field: "slug", line: source.lines.slug }));
      continue;
    }
    articleByUrl.set(article.url, article);
    articles.push(article);
  }
  articles.sort(newestFirst);

  return {
    archive: {
      settings,
      articles,
      topics: topics.groups(articles, (article) => article.topics),
      authors: authors.groups(articles, (article) => article.authors),
      years: groupByYear(articles),
    },
    problems,
  };
}

export function newestFirst(a: Article, b: Article): number {
  return b.date.value.toMillis() - a.date.value.toMillis() || compareText(a.slug, b.slug) || compareText(a.relativePath, b.relativePath);
}

/**
 * An article's year and month as its address has them (`2024/03`), in ASCII digits: Luxon's
 * `toFormat` made a formatter and a locale for each (two seconds of 100,000 articles' model).
 */
function datePath(date: DateTime): string {
  return `${date.year < 0 ? "-" : ""}${String(Math.abs(date.year)).padStart(4, "0")}/${String(date.month).padStart(2, "0")}`;
}

function placeArticle(source: ArticleSource, topics: NameRegistry, authors: NameRegistry): Article | undefined {
  const fileName = path.posix.basename(source.relativePath).replace(/\.(md|markdown)$/i, "");
  // A date prefix in the file name (2020-04-27-budget.md) is not part of the URL: the date already is.
  const slug = slugify(source.slug ?? fileName.replace(/^\d{4}-\d{2}-\d{2}[-_]/, ""));
  if (slug === "") return undefined;
  const date = source.date.value;
  return {
    file: source.file,
    relativePath: source.relativePath,
    title: source.title,
    authors: source.authors.map((name) => authors.ref(name)),
    topics: dedupe(source.topics.map((name) => topics.ref(name))),
    date: source.date,
    updated: lastChange(source),
    draft: source.draft,
    slug,
    url: `/${datePath(date)}/${slug}/`,
    aliases: source.aliases,
    corrections: source.corrections,
    lines: source.lines,
    summary: source.summary ?? "",
    opening: "",
    writtenSummary: source.summary,
    html: "",
    words: 0,
    readingMinutes: 0,
    body: source.body,
    bodyLine: source.bodyLine,
    leadImage: source.image && { ...source.image, line: source.lines.image },
  };
}

/** A correction changes the article: feeds, sitemaps and structured data say so by this date. */
function lastChange(source: ArticleSource): ArticleDate | undefined {
  const corrected = source.corrections.at(-1)?.date;
  if (corrected === undefined) return source.updated;
  return source.updated !== undefined && source.updated.value >= corrected.value ? source.updated : corrected;
}

/** A name written as a slug (`content-strategy`) reads as words: `Content strategy`. */
function readable(name: string): string {
  if (!/^[\p{Ll}\p{N}]+(-[\p{Ll}\p{N}]+)+$/u.test(name)) return name;
  const words = name.replace(/-/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function dedupe(refs: NameRef[]): NameRef[] {
  return refs.filter((ref, index) => refs.findIndex((other) => other.url === ref.url) === index);
}

function groupByYear(articles: readonly Article[]): YearGroup[] {
  const years: YearGroup[] = [];
  for (const article of articles) {
    const year = article.date.value.year;
    const month = article.date.value.month;
    let yearGroup = years.at(-1);
    if (yearGroup?.year !== year) {
      yearGroup = { year, url: `/${year}/`, articles: [], months: [] };
      years.push(yearGroup);
    }
    yearGroup.articles.push(article);
    let monthGroup = yearGroup.months.at(-1);
    if (monthGroup?.month !== month) {
      monthGroup = { year, month, url: `/${year}/${String(month).padStart(2, "0")}/`, articles: [] };
      yearGroup.months.push(monthGroup);
    }
    monthGroup.articles.push(article);
  }
  return years;
}

/** Merges the spellings of topic or author names and gives each name one label and one slug. */
class NameRegistry {
  private readonly aliases = new Map<string, string>();
  private readonly labels = new Map<string, string>();
  private readonly spellings = new Map<string, Map<string, number>>();
  private readonly refs = new Map<string, NameRef>();
  /**
   * Each name as written, with its key and its spelling cleaned: an archive writes a few hundred
   * names hundreds of thousands of times (at 100,000 articles, normalising each took 0.5 s of the
   * model).
   */
  private readonly written = new Map<string, { key: string; spelling: string }>();

  constructor(
    private readonly kind: "topics" | "authors",
    settings: Record<string, NameSetting>,
  ) {
    for (const [name, setting] of Object.entries(settings)) {
      const key = nameKey(name);
      if (setting.label) this.labels.set(key, cleanName(setting.label));
      for (const alias of setting.aliases ?? []) this.aliases.set(nameKey(alias), key);
    }
  }

  private writtenAs(name: string): { key: string; spelling: string } {
    let written = this.written.get(name);
    if (written === undefined) {
      const key = nameKey(name);
      written = { key: this.aliases.get(key) ?? key, spelling: cleanName(name) };
      this.written.set(name, written);
    }
    return written;
  }

  count(name: string): void {
    const { key, spelling } = this.writtenAs(name);
    const counts = this.spellings.get(key) ?? new Map<string, number>();
    counts.set(spelling, (counts.get(spelling) ?? 0) + 1);
    this.spellings.set(key, counts);
  }

  /** Gives every name its slug; two names that would share one are told apart and reported. */
  assignSlugs(): Problem[] {
    const problems: Problem[] = [];
    const keyBySlug = new Map<string, string>();
    for (const key of [...this.spellings.keys()].sort(compareText)) {
      const name = this.labels.get(key) ?? readable(mostUsedSpelling(this.spellings.get(key)!));
      const base = slugify(name) || `${this.kind === "topics" ? "topic" : "author"}-${createHash("sha1").update(key).digest("hex").slice(0, 8)}`;
      let slug = base;
      for (let n = 2; keyBySlug.has(slug); n++) slug = `${base}-${n}`;
      if (slug !== base) {
        const other = this.refs.get(keyBySlug.get(base)!)!;
        problems.push(
          warning(`settings ${this.kind}`, `"${name}" and "${other.name}" would share the URL /${this.kind}/${base}/, so "${name}" is at /${this.kind}/${slug}/. Merge them with an alias in broadsheet.yml, or rename one.`),
        );
      }
      keyBySlug.set(slug, key);
      this.refs.set(key, { name, slug, url: `/${this.kind}/${slug}/` });
    }
    return problems;
  }

  ref(name: string): NameRef {
    return this.refs.get(this.writtenAs(name).key)!;
  }

  /** Groups with their articles (already newest first), alphabetical by name. */
  groups(articles: readonly Article[], namesOf: (article: Article) => NameRef[]): NameGroup[] {
    const groupByUrl = new Map<string, NameGroup>();
    for (const [key, ref] of this.refs) {
      const spellings = [...this.spellings.get(key)!].map(([spelling, count]) => ({ spelling, count }));
      spellings.sort((a, b) => b.count - a.count || compareText(a.spelling, b.spelling));
      groupByUrl.set(ref.url, { ...ref, articles: [], spellings });
    }
    for (const article of articles) {
      for (const ref of namesOf(article)) groupByUrl.get(ref.url)!.articles.push(article);
    }
    const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });
    return [...groupByUrl.values()]
      .filter((group) => group.articles.length > 0)
      .sort((a, b) => collator.compare(a.name, b.name) || compareText(a.slug, b.slug));
  }
}
