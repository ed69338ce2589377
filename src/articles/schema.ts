import type { Settings } from "../settings.ts";
import { error, warning, type Problem } from "../problems.ts";
import { closestName } from "../suggest.ts";
import { readAlias } from "./aliases.ts";
import { readCorrections, type Correction } from "./corrections.ts";
import { DATE_EXAMPLE, parseArticleDate, type ArticleDate } from "./dates.ts";

/**
 * The front-matter schema: the one definition of an article's fields. The build, `check` and
 * the tests all read articles through `validateFrontMatter`.
 */
export const FIELDS = {
  title: "required: the headline, plain text",
  author: "required: a name, or a list of names",
  date: "required: 2020-04-27, or a date-time with or without offset",
  topics: "optional: a list of names",
  summary: "optional: one or two sentences; else the first paragraph",
  updated: "optional: the date of the last correction",
  draft: "optional: true keeps the article unpublished",
  slug: "optional: the last part of the article's URL",
  aliases: "optional: old paths of the article, each redirected to it",
  corrections: "optional: a list of { date, text }, shown at the end of the article",
  image: "optional: the lead picture: a path beside the article, an https:// address, or src, alt, caption and credit",
} as const;

/** The keys of a lead image written as a mapping. */
const IMAGE_KEYS = ["src", "alt", "caption", "credit"] as const;

export type FieldName = keyof typeof FIELDS;

/** Names people use for our fields in other generators, and the field that was meant. */
const SYNONYMS: Record<string, FieldName> = {
  authors: "author",
  byline: "author",
  tags: "topics",
  categories: "topics",
  category: "topics",
  topic: "topics",
  tag: "topics",
  description: "summary",
  excerpt: "summary",
  standfirst: "summary",
  published: "date",
  pubdate: "date",
  publishdate: "date",
  modified: "updated",
  lastmod: "updated",
  headline: "title",
  redirects: "aliases",
  redirect_from: "aliases",
  correction: "corrections",
  errata: "corrections",
  picture: "image",
  photo: "image",
  thumbnail: "image",
  cover: "image",
  featured_image: "image",
};

/** An article's front matter once it has passed the schema. */
export interface FrontMatter {
  title: string;
  authors: string[];
  date: ArticleDate;
  topics: string[];
  summary?: string;
  updated?: ArticleDate;
  draft: boolean;
  slug?: string;
  /** Old paths of the article, as src/articles/aliases.ts reads them. */
  aliases: readonly string[];
  /** Oldest first. */
  corrections: readonly Correction[];
  /** The lead picture as written; its file is found when the body is rendered. */
  image?: LeadImage;
}

/** A lead picture as the front matter gives it. */
export interface LeadImage {
  /** A path relative to the article's file, or an http(s):// address. */
  src: string;
  /** What the picture shows, for readers who cannot see it; empty when not written. */
  alt: string;
  caption?: string;
  credit?: string;
}

export interface FrontMatterResult {
  /** Undefined when any error was found. */
  frontMatter?: FrontMatter;
  problems: Problem[];
}

/**
 * Checks one article's front matter against the schema and reports every problem in it.
 * `lineOf` gives the line of a field in the file, for messages.
 */
export function validateFrontMatter(
  data: Record<string, unknown>,
  file: string,
  settings: Pick<Settings, "timeZone">,
  lineOf: (field: string) => number | undefined,
): FrontMatterResult {
  const problems: Problem[] = [];
  const at = (field: string) => ({ field, line: lineOf(field) });
  const fail = (field: string, message: string) => problems.push(error(file, message, at(field)));

  for (const field of Object.keys(data)) {
    if (Object.hasOwn(FIELDS, field)) continue;
    const meant = (Object.hasOwn(SYNONYMS, field.toLowerCase()) ? SYNONYMS[field.toLowerCase()] : undefined) ?? closestName(field, Object.keys(FIELDS));
    const hint = meant ? ` Did you mean \`${meant}\`? Rename it to ${meant}.` : ` The fields are: ${Object.keys(FIELDS).join(", ")}.`;
    problems.push(warning(file, `is not a field Broadsheet knows, so it is ignored.${hint}`, at(field)));
  }

  const title = readText(data.title);
  if (data.title === undefined) fail("title", "is missing. Add a line `title: Your headline` to the front matter.");
  else if (data.title === null || title === "") fail("title", "is empty. Write the article's headline after `title:`.");
  else if (title === undefined) fail("title", `must be text, not ${describe(data.title)}. Write the headline in quotes: title: "Your headline".`);

  const authors = readNames(data.author, "author", fail, problems, file, at);
  if (authors !== undefined && authors.length === 0 && !problems.some((problem) => problem.field === "author")) {
    fail("author", "is empty. Write the author's name after `author:`, or a list of names.");
  }

  let date: ArticleDate | undefined;
  if (data.date === undefined) fail("date", `is missing. Add a line \`date: 2020-04-27\` to the front matter. ${DATE_EXAMPLE}`);
  else {
    const parsed = parseArticleDate(data.date, settings.timeZone);
    if (parsed.ok) date = parsed.date;
    else fail("date", `${parsed.reason}. ${DATE_EXAMPLE}`);
  }

  let updated: ArticleDate | undefined;
  if (data.updated !== undefined && data.updated !== null) {
    const parsed = parseArticleDate(data.updated, settings.timeZone);
    if (!parsed.ok) fail("updated", `${parsed.reason}. ${DATE_EXAMPLE}`);
    else if (date && parsed.date.value < date.value) {
      problems.push(warning(file, `${data.updated} is before the article's date, so it is ignored. Correct it to the date of the last correction.`, at("updated")));
    } else updated = parsed.date;
  }

  const topics = data.topics === undefined || data.topics === null ? [] : readNames(data.topics, "topics", fail, problems, file, at, true);

  const summary = data.summary === undefined || data.summary === null ? undefined : readText(data.summary);
  if (data.summary !== undefined && data.summary !== null && summary === undefined) {
    fail("summary", `must be text, not ${describe(data.summary)}. Write it in quotes: summary: "One sentence."`);
  }

  let draft = false;
  if (data.draft !== undefined && data.draft !== null) {
    if (typeof data.draft === "boolean") draft = data.draft;
    else fail("draft", `must be true or false, not ${JSON.stringify(data.draft)}.`);
  }

  let slug: string | undefined;
  if (data.slug !== undefined && data.slug !== null) {
    slug = readText(data.slug);
    if (slug === undefined || slug === "") fail("slug", "must be text, such as `slug: budget-2024`. Remove it to use the file name.");
  }

  const aliases: string[] = [];
  if (data.aliases !== undefined && data.aliases !== null) {
    const list = Array.isArray(data.aliases) ? data.aliases : [data.aliases];
    for (const [index, item] of list.entries()) {
      const alias = readAlias(item);
      const which = Array.isArray(data.aliases) ? `item ${index + 1} ` : "";
      if (!alias.ok) fail("aliases", `${which}${alias.reason}`);
      else if (aliases.includes(alias.path)) problems.push(warning(file, `${which}repeats ${alias.path}. Remove the second one.`, at("aliases")));
      else aliases.push(alias.path);
    }
  }

  const read = readCorrections(data.corrections, settings.timeZone, date);
  for (const message of read.problems) fail("corrections", message);
  const image = data.image === undefined || data.image === null ? undefined : readImage(data.image, fail, (message) => problems.push(warning(file, message, at("image"))));

  if (problems.some((problem) => problem.severity === "error") || title === undefined || authors === undefined || date === undefined || topics === undefined) {
    return { problems };
  }
  return {
    frontMatter: { title, authors, date, topics, summary: summary || undefined, updated, draft, slug, aliases, corrections: read.corrections, image },
    problems,
  };
}

/** `image: boats.jpg`, `image: https://…`, or `image: { src, alt, caption, credit }`. */
function readImage(value: unknown, fail: (field: string, message: string) => void, warn: (message: string) => void): LeadImage | undefined {
  const example = "Write image: harbour/boats.jpg, or src:, alt:, caption: and credit: lines indented under image:";
  if (typeof value === "string") {
    const src = value.trim();
    if (src === "") return undefined;
    if (!validImageSource(src, fail)) return undefined;
    warn(`has no alt text, so a reader who cannot see the picture learns nothing from it. Write it as src: and alt: lines indented under image:, with alt: saying what the picture shows.`);
    return { src, alt: "" };
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    fail("image", `must be a picture's path or address, or src, alt, caption and credit, not ${describe(value)}. ${example}.`);
    return undefined;
  }
  const mapping = value as Record<string, unknown>;
  for (const key of Object.keys(mapping)) {
    if (!(IMAGE_KEYS as readonly string[]).includes(key)) {
      const meant = closestName(key, [...IMAGE_KEYS]);
      warn(`${key} is not part of an image, so it is ignored.${meant ? ` Did you mean \`${meant}\`?` : ""} An image has ${IMAGE_KEYS.join(", ")}.`);
    }
  }
  const text: Partial<Record<(typeof IMAGE_KEYS)[number], string>> = {};
  for (const key of IMAGE_KEYS) {
    const raw = mapping[key];
    if (raw === undefined || raw === null) continue;
    const read = readText(raw);
    if (read === undefined) {
      fail("image", `${key} must be text, not ${describe(raw)}. Write it in quotes: ${key}: "…".`);
      return undefined;
    }
    if (read !== "") text[key] = read;
  }
  if (text.src === undefined) {
    fail("image", `has no src: the picture's path, relative to the article's file, or its https:// address. Add src: under image:.`);
    return undefined;
  }
  if (!validImageSource(text.src, fail)) return undefined;
  if (text.alt === undefined) warn(`has no alt text, so a reader who cannot see the picture learns nothing from it. Add alt: under image:, saying what the picture shows.`);
  return { src: text.src, alt: text.alt ?? "", caption: text.caption, credit: text.credit };
}

function validImageSource(src: string, fail: (field: string, message: string) => void): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(src)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === "https" || scheme === "http") return true;
  fail("image", `${src} is neither a path beside the article nor an https:// address. Write the picture's path relative to the article's file, or its full https:// address.`);
  return false;
}

/** Text fields accept numbers too (`title: 1984`), since YAML reads those as numbers. */
function readText(value: unknown): string | undefined {
  if (typeof value === "string") return value.replace(/\s+/g, " ").trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function readNames(
  value: unknown,
  field: "author" | "topics",
  fail: (field: string, message: string) => void,
  problems: Problem[],
  file: string,
  at: (field: string) => { field: string; line: number | undefined },
  emptyIsWarning = false,
): string[] | undefined {
  if (value === undefined) {
    fail(field, "is missing. Add a line `author: Full Name` (or a list of names) to the front matter.");
    return undefined;
  }
  // A field or list item written with nothing after it (`author:`, `- `) is empty, like "".
  const list = Array.isArray(value) ? value : value === null ? [] : [value];
  const names: string[] = [];
  for (const [index, item] of list.entries()) {
    const name = typeof item === "string" || typeof item === "number" ? String(item).replace(/\s+/g, " ").trim() : item === null ? "" : undefined;
    if (name === undefined) {
      fail(field, `${Array.isArray(value) ? `item ${index + 1} ` : ""}must be a name, not ${describe(item)}. Write ${field === "author" ? "each author" : "each topic"} as text${field === "author" ? ": author: Jane Doe, or a list of names" : ", in a list: topics: [Housing, Transport]"}.`);
      return undefined;
    }
    // A single empty name is the empty field the caller reports; only a list has items to name.
    if (name === "" && !Array.isArray(value)) continue;
    if (name === "") {
      const message = `item ${index + 1} is empty. Remove it or write a name.`;
      if (emptyIsWarning) problems.push(warning(file, message, at(field)));
      else fail(field, message);
      continue;
    }
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

function describe(value: unknown): string {
  if (value === null) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping (key: value pairs)";
  return `a ${typeof value}`;
}
