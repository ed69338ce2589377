import { compareText, warning, type Problem } from "../problems.ts";
import type { Archive, Article } from "./archive.ts";

/** First paragraphs shorter than this many words ("Updated.", "By the editor") say too little to compare. */
const MIN_PARAGRAPH_WORDS = 6;

/** A topic that only one article has, with that article's file. */
export interface SingleUseTopic {
  topic: string;
  file: string;
}

/**
 * Articles that look like the same article twice: the same headline, or the same first
 * paragraph, once case, punctuation and spacing are ignored. Each later file (in path order) is
 * reported against the first; one pass with a map per key, so it stays linear in the archive.
 */
export function findNearDuplicates(archive: Pick<Archive, "articles">): Problem[] {
  const problems: Problem[] = [];
  const byHeadline = new Map<string, Article>();
  const byParagraph = new Map<string, Article>();
  // Path order without the extension, so that `budget.md` comes before its copy `budget-2.md`.
  const withoutExtension = (article: Article) => article.relativePath.replace(/\.[^./]*$/, "");
  const articles = [...archive.articles].sort((a, b) => compareText(withoutExtension(a), withoutExtension(b)) || compareText(a.relativePath, b.relativePath));
  for (const article of articles) {
    const headline = normaliseText(article.title);
    const firstOfHeadline = headline === "" ? undefined : byHeadline.get(headline);
    if (firstOfHeadline) {
      problems.push(warning(article.file, `has the same headline as ${firstOfHeadline.file}: ${JSON.stringify(article.title)}. If it is the same article, delete one; else reword one of the headlines.`, { field: "title" }));
    } else if (headline !== "") byHeadline.set(headline, article);

    const paragraph = normaliseText(article.opening);
    if (paragraph.split(" ").length < MIN_PARAGRAPH_WORDS) continue;
    const firstOfParagraph = byParagraph.get(paragraph);
    if (firstOfParagraph) {
      // One report per pair is enough: the same headline already said it.
      if (firstOfParagraph !== firstOfHeadline) {
        problems.push(warning(article.file, `begins with the same paragraph as ${firstOfParagraph.file}. If it is the same article, delete one; else rewrite one of the openings.`));
      }
    } else byParagraph.set(paragraph, article);
  }
  return problems;
}

/** Topics that only one published article has: often a misspelling, or a topic nobody followed up. */
export function findSingleUseTopics(archive: Pick<Archive, "topics">): SingleUseTopic[] {
  return archive.topics.filter((group) => group.articles.length === 1).map((group) => ({ topic: group.name, file: group.articles[0]!.file }));
}

/** Text compared without case, Unicode form, punctuation, symbols or runs of white space. */
export function normaliseText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}
