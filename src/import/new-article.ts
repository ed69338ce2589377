import path from "node:path";
import { DateTime } from "luxon";
import { error, hasErrors, warning, type Problem } from "../problems.ts";
import { loadSettings, SETTINGS_FILE } from "../settings.ts";
import { articleSlug, composeArticle, displayPath, freeArticlePath, readBack, writeNewFile, type ArticleFields } from "./article-file.ts";

/** What `broadsheet new` was asked to write. */
export interface NewArticleRequest {
  title: string;
  authors: string[];
  topics?: string[];
  articlesDir: string;
  settingsFile?: string;
  /** The moment to date the article by; default: the clock. */
  now?: DateTime;
}

export const PLACEHOLDER_BODY = "Write the article here.\n";

/** Writes `articlesDir/YYYY/slug.md`, dated today in the site time zone; never overwrites a file. */
export async function writeNewArticle(request: NewArticleRequest): Promise<{ file?: string; problems: Problem[] }> {
  const settingsFile = request.settingsFile ?? path.join(request.articlesDir, SETTINGS_FILE);
  const { settings, problems } = loadSettings(settingsFile, {});
  if (request.title.trim() === "") problems.push(error("new", "needs a headline. Write it in quotes: broadsheet new \"Council approves budget\" --author \"Jane Doe\"."));
  if (request.authors.length === 0 || request.authors.some((name) => name.trim() === "")) {
    problems.push(error("--author", "is missing. Name the author: broadsheet new \"Headline\" --author \"Jane Doe\" (repeat --author for each author)."));
  }
  if (hasErrors(problems)) return { problems };

  const today = (request.now ?? DateTime.now()).setZone(settings.timeZone);
  const fields: ArticleFields = { title: request.title.trim(), authors: request.authors.map((name) => name.trim()), date: today.toISODate()!, topics: request.topics ?? [] };
  const text = composeArticle(fields, PLACEHOLDER_BODY);
  const slug = articleSlug(fields.title, "article");
  const placed = freeArticlePath(request.articlesDir, today.year, slug, new Set());
  const checked = readBack(text, displayPath(placed.file), fields, settings);
  if (!checked.source) return { problems: [...problems, ...checked.problems] };
  if (placed.suffixed) {
    problems.push(warning(displayPath(placed.file), `is the new article's file, because ${displayPath(path.join(path.dirname(placed.file), `${slug}.md`))} already exists. Rename it if you meant another name.`));
  }
  await writeNewFile(placed.file, text);
  return { file: displayPath(placed.file), problems };
}
