import { createHash } from "node:crypto";
import type { Article } from "../archive/archive.ts";
import { findRelated } from "../archive/related.ts";

/** The related lists of a whole archive, by its articles' paths, with the key of what they were chosen from. */
export interface StoredRelated {
  key: string;
  lists: string[][];
}

// What findRelated reads of a body: the opening (see BODY_WORDS there), with room to spare.
const BODY_READ = 600 * 16;

/**
 * The related articles of every article, reused when nothing findRelated reads has changed:
 * each article's title, summary, body opening, topics and authors, and the archive's order. Any
 * change chooses every list again, because the weight of a word depends on every article that
 * has it; the lists are the same as a build from nothing would choose.
 */
export function findRelatedCached(articles: readonly Article[], stored: StoredRelated | undefined): { related: Map<Article, Article[]>; stored: StoredRelated; reused: boolean } {
  const digest = createHash("sha256");
  for (const article of articles) {
    digest.update(`${article.relativePath}\0${article.title}\0${article.summary}\0${article.html.slice(0, BODY_READ)}\0`);
    digest.update(`${article.topics.map((topic) => topic.url).join("\n")}\0${article.authors.map((author) => author.url).join("\n")}\0\0`);
  }
  const key = digest.digest("hex");
  if (stored?.key === key) {
    const byPath = new Map(articles.map((article) => [article.relativePath, article]));
    const related = new Map(articles.map((article, index) => [article, stored.lists[index]!.map((relativePath) => byPath.get(relativePath)!)]));
    return { related, stored, reused: true };
  }
  const related = findRelated(articles);
  return { related, stored: { key, lists: articles.map((article) => (related.get(article) ?? []).map((other) => other.relativePath)) }, reused: false };
}
