import { readFileSync } from "node:fs";
import path from "node:path";
import matter from "gray-matter";
import type { Settings } from "../settings.ts";
import { compareText, error, warning, type Problem } from "../problems.ts";
import { describeYamlError, lineOfKey, parseYaml } from "../yaml.ts";
import { FIELDS, validateFrontMatter, type FieldName, type FrontMatter } from "./schema.ts";
import type { ArticleCache } from "../cache/article-cache.ts";
import { filesBelow, isGoneError, isHiddenPath, pathInside } from "../files-below.ts";

/** One Markdown file of the archive, read and validated, before it is placed in the archive. */
export interface ArticleSource extends FrontMatter {
  /** Where the file is, as shown in messages: relative to the working directory. */
  file: string;
  /** Path inside the articles folder, with forward slashes: `2019/foo.md`. */
  relativePath: string;
  /** The Markdown body, without front matter. */
  body: string;
  /** The file's line on which the body starts, for messages about it. */
  bodyLine: number;
  /** The line of each field written in the file, for messages about it after loading. */
  lines: Partial<Record<FieldName, number>>;
}

export interface LoadResult {
  sources: ArticleSource[];
  problems: Problem[];
}

const MARKDOWN = /\.(md|markdown)$/i;
/** A path through a folder named node_modules, which holds no article. */
const IN_NODE_MODULES = /(^|\/)node_modules\//;

/**
 * Reads every Markdown file under `folder`, in a stable order, and validates each one. `listed`
 * is the folder's regular files as the build's stamp found them before any file was read
 * (input-stamp.ts), if it took one; else the folder is listed now.
 */
export async function loadArticles(folder: string, settings: Pick<Settings, "timeZone"> & Partial<Pick<Settings, "pages" | "theme">>, cache?: ArticleCache, listed?: readonly string[]): Promise<LoadResult> {
  const sources: ArticleSource[] = [];
  const problems: Problem[] = [];
  // The site's own pages and theme may sit in the articles folder; their files are no articles.
  const elsewhere = [settings.pages, settings.theme]
    .filter((inner): inner is string => !!inner)
    .map((inner) => path.relative(path.resolve(folder), inner).split(path.sep).join("/") + "/")
    .filter((relative) => !relative.startsWith("../"));
  // One file after another, synchronously: Node's promise-based reads cost four times the CPU
  // of these, 8 s of loading at 100,000 articles, for waits that are over in microseconds.
  const root = path.resolve(folder);
  const shownRoot = displayPath(root);
  for (const relativePath of listed ? markdownFilesAmong(listed) : await listMarkdownFiles(folder)) {
    if (elsewhere.some((inner) => relativePath.startsWith(inner))) continue;
    const file = shownArticlePath(shownRoot, relativePath);
    let result: ReturnType<typeof parseArticle>;
    try {
      result = readArticle(pathInside(root, relativePath), file, relativePath, settings, cache);
    } catch (cause) {
      if (!isGoneError(cause)) throw cause;
      // Removed (or moved) since it was listed: this build cannot read it, and says so. The next
      // build's stamp differs from this one's, so it lists the folder as it is then.
      problems.push(warning(file, "was removed while the archive was being built, after the build had listed it, so this build leaves it out. Build again."));
      continue;
    }
    if (result.source) sources.push(result.source);
    problems.push(...result.problems);
  }
  return { sources, problems };
}

/** An article file's path as messages show it, from the articles folder's (`displayPath`) and the file's inside it. */
export function shownArticlePath(shownRoot: string, relativePath: string): string {
  return shownRoot === "" ? relativePath : `${shownRoot}/${relativePath}`;
}

/** Reads and validates one article: `relativePath` is inside `folder`, with forward slashes. */
export async function loadArticle(folder: string, relativePath: string, settings: Pick<Settings, "timeZone">): Promise<ReturnType<typeof parseArticle>> {
  const absolute = path.resolve(folder, relativePath);
  return readArticle(absolute, displayPath(absolute), relativePath, settings);
}

/** Reads and validates one article: `file` is its `absolute` path as shown in messages. */
function readArticle(absolute: string, file: string, relativePath: string, settings: Pick<Settings, "timeZone">, cache?: ArticleCache): ReturnType<typeof parseArticle> {
  if (cache) return cache.parse(absolute, file, relativePath, (bytes) => parseArticle(bytes, file, relativePath, settings), bodyOf);
  return parseArticle(readFileSync(absolute), file, relativePath, settings);
}

/** Whether a path inside the articles folder (forward slashes) is an article file `loadArticles` reads. */
export function isArticlePath(relativePath: string): boolean {
  // `..` is hidden too: it begins with a dot.
  return MARKDOWN.test(relativePath) && !isHiddenPath(relativePath) && !IN_NODE_MODULES.test(relativePath);
}

/** Markdown files below `folder`, relative to it, sorted by code point; hidden entries are skipped. */
export async function listMarkdownFiles(folder: string): Promise<string[]> {
  // A hidden folder (.git) or node_modules holds no article: not even entered.
  return markdownFilesAmong(filesBelow(folder, { skipFolder: (name) => name.startsWith(".") || name === "node_modules", regularOnly: true }));
}

/** The article files among a folder's regular files (relative, forward slashes), sorted by code point. */
export function markdownFilesAmong(regularFiles: readonly string[]): string[] {
  return regularFiles.filter(isArticlePath).sort(compareText);
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Parses one article file's bytes; never throws for bad content. */
export function parseArticle(
  bytes: Uint8Array,
  file: string,
  relativePath: string,
  settings: Pick<Settings, "timeZone">,
): { source?: ArticleSource; problems: Problem[] } {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const offset = findInvalidUtf8(bytes);
    return { problems: [error(file, `is not UTF-8 text (byte 0x${bytes[offset]?.toString(16).toUpperCase().padStart(2, "0")} at offset ${offset}). Save the file as UTF-8.`)] };
  }
  text = normaliseText(text);

  if (text.trim() === "") return { problems: [error(file, "is empty. Write front matter (title, author, date) and a body, or delete the file.")] };
  if (!/^---[ \t]*\n/.test(text)) {
    return { problems: [error(file, "has no front matter. Start the file with a line `---`, then `title:`, `author:` and `date:` lines, then another `---`.", { line: 1 })] };
  }
  const closing = /\n---[ \t]*(?:\n|$)/.exec(text.slice(3));
  if (!closing) {
    return { problems: [error(file, "has front matter that is never closed. Add a line `---` after the last field.", { line: 1 })] };
  }

  // gray-matter reads the front matter alone: given the whole file, it hashes the whole text as
  // a cache key and copies it to a Buffer, which cost 6 s of loading at 100,000 articles. The
  // body is cut where gray-matter would cut it: after the first `\n---`, and one line break.
  const { frontMatterEnd, bodyStart } = splitFrontMatter(text);
  const body = text.slice(bodyStart);
  const bodyLine = text.slice(0, bodyStart).split("\n").length;
  let parsed: matter.GrayMatterFile<string>;
  try {
    parsed = matter(text.slice(0, frontMatterEnd), { engines: { yaml: (yaml: string) => (parseYaml(yaml) ?? {}) as object } });
  } catch (cause) {
    const { line, message } = explainYamlError(describeYamlError(cause), text.split("\n"));
    return { problems: [error(file, message, { line })] };
  }
  const data = parsed.data as unknown;
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { problems: [error(file, "has front matter that is not a list of fields. Write one `name: value` per line.", { line: 2 })] };
  }

  const frontMatterText = parsed.matter;
  const lineOf = (field: string) => {
    const line = lineOfKey(frontMatterText.replace(/^\n/, ""), field);
    return line === undefined ? undefined : line + 1;
  };
  const { frontMatter, problems } = validateFrontMatter(data as Record<string, unknown>, file, settings, lineOf);
  if (!frontMatter) return { problems };
  if (body.trim() === "") problems.push(warning(file, "has no body text. Write the article below the front matter."));
  const lines: Partial<Record<FieldName, number>> = {};
  for (const field of Object.keys(FIELDS) as FieldName[]) {
    const line = lineOf(field);
    if (line !== undefined) lines[field] = line;
  }
  return { source: { ...frontMatter, file, relativePath, body, bodyLine, lines }, problems };
}

/** A byte-order mark and Windows line endings are valid; neither should reach the parser. */
function normaliseText(text: string): string {
  return text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}

/** Where the front matter of a text that has one ends, and where its body starts. */
function splitFrontMatter(text: string): { frontMatterEnd: number; bodyStart: number } {
  const frontMatterEnd = text.indexOf("\n---", 3) + "\n---".length;
  return { frontMatterEnd, bodyStart: text[frontMatterEnd] === "\n" ? frontMatterEnd + 1 : frontMatterEnd };
}

/** The body of an article file that `parseArticle` read without error, as it reads it. */
export function bodyOf(bytes: Uint8Array): string {
  const text = normaliseText(utf8.decode(bytes));
  return text.slice(splitFrontMatter(text).bodyStart);
}

/**
 * Says what a YAML error means for front matter and how to fix it. js-yaml's reason is kept
 * where it is plain enough; an unclosed quote is reported where it opens, not where the
 * front matter ends.
 */
function explainYamlError({ line, message }: { line?: number; message: string }, fileLines: readonly string[]): { line?: number; message: string } {
  const invalid = "has front matter that is not valid YAML:";
  const written = line === undefined ? "" : (fileLines[line - 1] ?? "");
  const unclosed = /within a (double|single) quoted scalar/.exec(message);
  if (unclosed) {
    const quote = unclosed[1] === "double" ? '"' : "'";
    const opened = lineOfUnclosedQuote(fileLines, quote);
    return { line: opened ?? line, message: `${invalid} the quote ${quote} that opens this value is never closed. Add the closing ${quote} at the end of the value.` };
  }
  if (message.startsWith("tab characters")) return { line, message: `${invalid} this line is indented with a tab, and YAML allows only spaces. Indent it with spaces.` };
  if (message === "duplicated mapping key") {
    const key = /^\s*["']?([^"':]+)/.exec(written)?.[1]?.trim();
    return { line, message: `${invalid} the field ${key ? `\`${key}\` ` : ""}is written a second time here. Keep one of them.` };
  }
  if (message.startsWith("bad indentation") && !/^\s*[^:]+:\s.*:(\s|$)/.test(written)) {
    return { line, message: `${invalid} ${message}. Indent this line with as many spaces as the lines it belongs with.` };
  }
  return { line, message: `${invalid} ${message}. Fix that line; quote values that contain a colon.` };
}

/** The file line of the first quoted front-matter value that has no closing quote on its line. */
function lineOfUnclosedQuote(fileLines: readonly string[], quote: string): number | undefined {
  for (let index = 1; index < fileLines.length && !/^---[ \t]*$/.test(fileLines[index]!); index++) {
    const opened = /^\s*(?:-\s+|[^\s"'#-][^:]*:\s+)(["'])(.*)$/.exec(fileLines[index]!);
    if (opened?.[1] !== quote) continue;
    // Inside "…" a backslash escapes the next character; inside '…' a quote is escaped by doubling it.
    const rest = quote === '"' ? opened[2]!.replace(/\\./g, "") : opened[2]!.replace(/''/g, "");
    if (!rest.includes(quote)) return index + 1;
  }
  return undefined;
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function findInvalidUtf8(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index]!;
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte < 0xe0 ? 2 : byte >= 0xe0 && byte < 0xf0 ? 3 : byte >= 0xf0 && byte < 0xf5 ? 4 : 0;
    if (length === 0) return index;
    for (let next = 1; next < length; next++) {
      if (((bytes[index + next] ?? 0) & 0xc0) !== 0x80) return index;
    }
    index += length;
  }
  return 0;
}

function displayPath(absolute: string): string {
  return path.relative(process.cwd(), absolute).split(path.sep).join("/");
}
