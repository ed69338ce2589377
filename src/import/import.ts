import { existsSync, statSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parseArticleDate } from "../articles/dates.ts";
import { loadArticles } from "../articles/load.ts";
import { nameKey } from "../archive/names.ts";
import { compareText, error, hasErrors, warning, type Problem } from "../problems.ts";
import { loadSettings, SETTINGS_FILE, type Settings } from "../settings.ts";
import { articleSlug, composeArticle, displayPath, freeArticlePath, readBack, writeNewFile, type ArticleFields } from "./article-file.ts";
import { dateFromFileName } from "./clipping-date.ts";
import { parseClipping, type ClippingDoubt } from "./clipping.ts";
import { archiveTopics, topicFinder } from "./topics.ts";

/** What `broadsheet import` was asked to do. */
export interface ImportRequest {
  /** Clipping files, and folders whose `.txt` files are clippings. */
  inputs: string[];
  articlesDir: string;
  settingsFile?: string;
  /** The date of every clipping, over any date line or file name. */
  date?: string;
  /** Topics added to every article. */
  topics?: string[];
  /** The authors, when the clipping has no byline (or the byline is wrong). */
  authors?: string[];
  /** The headline, when the clipping has none or two candidates. */
  title?: string;
  dryRun?: boolean;
  /** Add the archive's topics found in the text, instead of only proposing them. */
  acceptTopics?: boolean;
}

/** One clipping turned into an article (written, unless it was a dry run). */
export interface ImportedArticle {
  /** The clipping, as the user sees its path. */
  from: string;
  /** The article file, as the user sees its path. */
  file: string;
  text: string;
  /** The archive's topics found in the text and not already given; added when accepted. */
  foundTopics: string[];
  topicsAccepted: boolean;
}

export interface ImportResult {
  articles: ImportedArticle[];
  /** Clippings with an error, for which nothing was written. */
  skipped: number;
  /** Errors name the clipping that was skipped; warnings, articles written under another name. */
  problems: Problem[];
}

const CLIPPING = /\.(txt|text)$/i;

/** Turns clippings into article files under `articlesDir/YYYY/`; never overwrites a file. */
export async function importClippings(request: ImportRequest): Promise<ImportResult> {
  const settingsFile = request.settingsFile ?? path.join(request.articlesDir, SETTINGS_FILE);
  const { settings, problems } = loadSettings(settingsFile, {});
  if (request.date !== undefined && !parseArticleDate(request.date, settings.timeZone).ok) {
    problems.push(error("--date", `"${request.date}" is not a date. Write it as 2024-05-14 or 2024-05-14T09:30:00+01:00.`));
  }
  const { files, problems: inputProblems } = await listClippings(request.inputs);
  problems.push(...inputProblems);
  if (hasErrors(problems)) return { articles: [], skipped: 0, problems };

  const findTopics = topicFinder(existsSync(request.articlesDir) ? archiveTopics((await loadArticles(request.articlesDir, settings)).sources) : []);
  const taken = new Set<string>();
  const articles: ImportedArticle[] = [];
  let skipped = 0;
  for (const file of files) {
    const outcome = await importClipping(file, request, settings, findTopics, taken);
    problems.push(...outcome.problems);
    if (outcome.article) articles.push(outcome.article);
    else skipped++;
  }
  return { articles, skipped, problems };
}

async function importClipping(
  clippingFile: string,
  request: ImportRequest,
  settings: Settings,
  findTopics: (text: string) => string[],
  taken: Set<string>,
): Promise<{ article?: ImportedArticle; problems: Problem[] }> {
  const from = displayPath(clippingFile);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await readFile(clippingFile));
  } catch {
    return { problems: [error(from, "is not UTF-8 text, so nothing was written. Save the clipping as UTF-8 and import it again.")] };
  }
  const parsed = parseClipping(text, { title: request.title, authors: request.authors });
  if (!parsed.clipping) return { problems: [error(from, describeDoubt(parsed.doubt))] };
  const clipping = parsed.clipping;

  const date = request.date ?? clipping.date ?? dateFromFileName(path.basename(clippingFile));
  if (date === undefined) {
    return {
      problems: [
        error(from, "has no date, so nothing was written: there is no date line in the clipping and none at the start of the file name. Give one with --date 2024-05-14, add a line such as \"14 May 2024\" to the clipping, or name the file 2024-05-14-headline.txt."),
      ],
    };
  }

  const given = request.topics ?? [];
  const givenKeys = new Set(given.map(nameKey));
  const foundTopics = findTopics([clipping.title, clipping.summary ?? "", clipping.body].join("\n")).filter((topic) => !givenKeys.has(nameKey(topic)));
  const acceptTopics = request.acceptTopics ?? false;
  const fields: ArticleFields = {
    title: clipping.title,
    authors: clipping.authors,
    date,
    topics: acceptTopics ? [...given, ...foundTopics] : given,
    summary: clipping.summary,
    updated: isLater(clipping.updated, date, settings.timeZone) ? clipping.updated : undefined,
  };
  const articleText = composeArticle(fields, clipping.body);
  const checked = readBack(articleText, from, fields, settings);
  if (!checked.source) return { problems: checked.problems };

  const slug = articleSlug(clipping.title, path.basename(clippingFile).replace(/\.[^.]*$/, "").replace(/^\d{4}-\d{2}-\d{2}[-_ .]?/, ""));
  const placed = freeArticlePath(request.articlesDir, checked.source.date.value.year, slug, taken);
  taken.add(placed.file);
  const problems: Problem[] = [];
  if (placed.suffixed) {
    problems.push(warning(from, `would have become ${displayPath(path.join(path.dirname(placed.file), `${slug}.md`))}, which already exists, so it is ${displayPath(placed.file)}. If it is the same article, delete one of them.`));
  }
  if (!request.dryRun) await writeNewFile(placed.file, articleText);
  return { article: { from, file: displayPath(placed.file), text: articleText, foundTopics, topicsAccepted: acceptTopics }, problems };
}

/** A "Last modified" line is kept only when it is after the article's date, as the schema wants. */
function isLater(updated: string | undefined, date: string, timeZone: string): boolean {
  if (updated === undefined) return false;
  const [later, earlier] = [parseArticleDate(updated, timeZone), parseArticleDate(date, timeZone)];
  return later.ok && earlier.ok && later.date.value > earlier.date.value;
}

/** What the parser was unsure of, and how to settle it. */
export function describeDoubt(doubt: ClippingDoubt): string {
  switch (doubt.kind) {
    case "no-byline":
      return "has no byline, so nothing was written: no line with only the author's name was found above the headline. Name the author with --author \"Full Name\", or put the name on a line of its own above the headline.";
    case "two-headlines":
      return `has two lines that could be the headline, ${JSON.stringify(doubt.candidates[0])} and ${JSON.stringify(doubt.candidates[1])}, so nothing was written. Name the headline with --title, or delete the line that is not the headline.`;
    case "no-headline":
      return "has no headline after the byline, so nothing was written. Put the headline on a line of its own after the author's name.";
  }
}

/** The clipping files named, and the `.txt` files in the folders named, each folder's in code-point order. */
async function listClippings(inputs: readonly string[]): Promise<{ files: string[]; problems: Problem[] }> {
  const files: string[] = [];
  const problems: Problem[] = [];
  if (inputs.length === 0) problems.push(error("import", "needs clippings to read. Name one or more files or folders: broadsheet import clippings/"));
  for (const input of inputs) {
    if (!existsSync(input)) {
      problems.push(error(displayPath(input), "is not a file or folder. Check the path."));
    } else if (statSync(input).isDirectory()) {
      const entries = await readdir(input, { recursive: true, withFileTypes: true });
      const found = entries
        .filter((entry) => entry.isFile() && CLIPPING.test(entry.name))
        .map((entry) => path.join(entry.parentPath, entry.name))
        .filter((file) => !path.relative(input, file).split(path.sep).some((part) => part.startsWith(".")))
        .sort(compareText);
      if (found.length === 0) problems.push(warning(displayPath(input), "has no .txt files, so nothing was imported from it. Save clippings as .txt files."));
      files.push(...found);
    } else files.push(input);
  }
  return { files, problems };
}
