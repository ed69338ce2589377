import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import yaml from "js-yaml";
import { parseArticle, type ArticleSource } from "../articles/load.ts";
import { slugify } from "../archive/slug.ts";
import { error, formatProblem, type Problem } from "../problems.ts";
import type { Settings } from "../settings.ts";

/** The front matter a new article is written with. */
export interface ArticleFields {
  title: string;
  authors: string[];
  /** As front matter takes it: `2024-05-14` or `2024-05-14T09:30:00+01:00`. */
  date: string;
  topics: string[];
  summary?: string;
  updated?: string;
}

/**
 * An article file's text. js-yaml quotes titles and names with quotes or colons; the core schema
 * writes dates as the plain strings they are, as the loader reads them.
 */
export function composeArticle(fields: ArticleFields, body: string): string {
  const data: Record<string, unknown> = {
    title: fields.title,
    author: fields.authors.length === 1 ? fields.authors[0] : fields.authors,
    date: fields.date,
  };
  if (fields.topics.length > 0) data.topics = fields.topics;
  if (fields.summary !== undefined) data.summary = fields.summary;
  if (fields.updated !== undefined) data.updated = fields.updated;
  const frontMatter = yaml.dump(data, { schema: yaml.CORE_SCHEMA, lineWidth: -1, flowLevel: 1 });
  return `---\n${frontMatter}---\n\n${body}`;
}

/**
 * Reads the text back through the project's own parser, so that nothing is written that the
 * build would reject or read differently; returns the source, or the problems as one error.
 */
export function readBack(text: string, file: string, fields: ArticleFields, settings: Pick<Settings, "timeZone">): { source?: ArticleSource; problems: Problem[] } {
  const relativePath = path.basename(file);
  const { source, problems } = parseArticle(new TextEncoder().encode(text), file, relativePath, settings);
  const errors = problems.filter((problem) => problem.severity === "error");
  if (!source || errors.length > 0) {
    return { problems: [error(file, `would not be a valid article, so nothing was written: ${errors.map(formatProblem).join("; ")}. Please report this with the clipping.`)] };
  }
  const changed = source.title !== fields.title.replace(/\s+/g, " ").trim() || source.authors.join("\n") !== fields.authors.join("\n");
  if (changed) return { problems: [error(file, "would be read back with a different title or author, so nothing was written. Please report this with the clipping.")] };
  return { source, problems: [] };
}

/**
 * The first free path `DIR/YYYY/slug.md`, `slug-2.md`, … that neither exists nor is `taken` by an
 * earlier file of the same run.
 */
export function freeArticlePath(articlesDir: string, year: number, slug: string, taken: ReadonlySet<string>): { file: string; suffixed: boolean } {
  const folder = path.join(articlesDir, String(year));
  let file = path.join(folder, `${slug}.md`);
  let suffixed = false;
  for (let n = 2; taken.has(file) || existsSync(file); n++) {
    file = path.join(folder, `${slug}-${n}.md`);
    suffixed = true;
  }
  return { file, suffixed };
}

/** The file name for a headline; a headline with no letters or digits falls back to `fallback`. */
export function articleSlug(title: string, fallback: string): string {
  return slugify(title).slice(0, 80).replace(/-+$/, "") || slugify(fallback) || "article";
}

/** Writes a new file; fails rather than replace one that appeared since its path was chosen. */
export async function writeNewFile(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text, { flag: "wx" });
}

/** A path as the user sees it: relative to the working directory, with forward slashes. */
export function displayPath(file: string): string {
  return path.relative(process.cwd(), path.resolve(file)).split(path.sep).join("/");
}
