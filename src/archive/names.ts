import { compareText } from "../problems.ts";

/** A name as written, with its runs of white space folded: `Social  media` → `Social media`. */
export function cleanName(name: string): string {
  return name.normalize("NFC").replace(/\s+/g, " ").trim();
}

/**
 * The identity of a topic or author name: spellings that differ only in case, Unicode form,
 * spacing or separators share one key (`Social media`, `social-media`, `SOCIAL  MEDIA`).
 */
export function nameKey(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_\-\u2010-\u2015]+/gu, " ")
    .trim();
}

/** The most used spelling; ties go to the one that sorts first, so every build picks the same. */
export function mostUsedSpelling(counts: ReadonlyMap<string, number>): string {
  let best = "";
  let bestCount = -1;
  for (const [spelling, count] of counts) {
    if (count > bestCount || (count === bestCount && compareText(spelling, best) < 0)) {
      best = spelling;
      bestCount = count;
    }
  }
  return best;
}
