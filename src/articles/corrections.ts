import { DATE_EXAMPLE, parseArticleDate, type ArticleDate } from "./dates.ts";

/** A correction published with an article: when it was made and what it corrected, in plain text. */
export interface Correction {
  date: ArticleDate;
  text: string;
}

export const CORRECTION_EXAMPLE = 'Write each correction as an item of the list: `- { date: 2024-05-02, text: "An earlier version gave the wrong date for the vote." }`.';

/**
 * Reads the `corrections:` field: a list of `{ date, text }`. Returns the corrections oldest
 * first, and one message for each thing wrong, naming the item; `published` is the article's
 * date, which no correction can come before.
 */
export function readCorrections(value: unknown, timeZone: string, published: ArticleDate | undefined): { corrections: Correction[]; problems: string[] } {
  const corrections: Correction[] = [];
  const problems: string[] = [];
  if (value === undefined || value === null) return { corrections, problems };
  if (!Array.isArray(value)) {
    return { corrections, problems: [`must be a list of corrections, not ${describe(value)}. ${CORRECTION_EXAMPLE}`] };
  }
  for (const [index, item] of value.entries()) {
    const which = `item ${index + 1}`;
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      problems.push(`${which} must be a mapping with a date and a text, not ${describe(item)}. ${CORRECTION_EXAMPLE}`);
      continue;
    }
    const fields = item as Record<string, unknown>;
    const unknown = Object.keys(fields).filter((key) => key !== "date" && key !== "text");
    if (unknown.length > 0) problems.push(`${which} has ${unknown.map((key) => `\`${key}\``).join(", ")}, which a correction does not have. A correction has only \`date\` and \`text\`.`);
    let date: ArticleDate | undefined;
    if (fields.date === undefined || fields.date === null) problems.push(`${which} has no date. Add the day the correction was made: date: 2024-05-02.`);
    else {
      const parsed = parseArticleDate(fields.date, timeZone);
      if (!parsed.ok) problems.push(`${which}: date ${parsed.reason}. ${DATE_EXAMPLE}`);
      else if (published && parsed.date.value < published.value) {
        problems.push(`${which}: date ${String(fields.date)} is before the article was published (${published.value.toISODate()}), and a correction comes after. Write the day the correction was made.`);
      } else date = parsed.date;
    }
    const text = typeof fields.text === "string" ? fields.text.replace(/\s+/g, " ").trim() : typeof fields.text === "number" ? String(fields.text) : undefined;
    if (fields.text === undefined || fields.text === null || text === "") problems.push(`${which} has no text. Say what was corrected: text: "An earlier version gave the wrong date for the vote."`);
    else if (text === undefined) problems.push(`${which}: text must be plain text, not ${describe(fields.text)}. Write it in quotes after \`text:\`.`);
    if (date && text) corrections.push({ date, text });
  }
  // Oldest first, as they were made; the same day keeps the order written.
  corrections.sort((a, b) => a.date.value.toMillis() - b.date.value.toMillis());
  return { corrections, problems };
}

function describe(value: unknown): string {
  if (value === null) return "an empty value";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a mapping (key: value pairs)" : `a ${typeof value}`;
}
