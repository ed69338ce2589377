import { parseArticle, type ArticleSource } from "../../src/articles/load.ts";
import { formatProblem } from "../../src/problems.ts";

/** A file's bytes, as the loader reads them. */
export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** An article file: front-matter lines between `---` rules, then the body. */
export function articleText(frontMatter: string, body = "Body text.\n"): string {
  return `---\n${frontMatter.trim()}\n---\n\n${body}`;
}

/**
 * A validated source for the archive tests, read through the real parser from inline text;
 * fails the test with the parser's problems if the article is not valid.
 */
export function source(relativePath: string, frontMatter: string, options: { timeZone?: string; body?: string } = {}): ArticleSource {
  const result = parseArticle(bytes(articleText(frontMatter, options.body)), `articles/${relativePath}`, relativePath, { timeZone: options.timeZone ?? "UTC" });
  if (!result.source) throw new Error(`${relativePath} is not valid:\n${result.problems.map(formatProblem).join("\n")}`);
  return result.source;
}
