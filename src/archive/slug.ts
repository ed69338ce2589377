import slugifyLatin from "@sindresorhus/slugify";

// Symbols that carry meaning in names (C++, C#, Q&A) are spelled out, so that they keep URLs apart.
const replacements: [string, string][] = [
  ["+", " plus "],
  ["#", " sharp "],
  ["@", " at "],
  ["&", " and "],
];

/** Lower-case ASCII letters and digits in words joined by single hyphens: what `slugify` makes of them is the same. */
const IS_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * A URL slug for a name: transliterated to Latin where a transliteration is known, else the
 * name's own letters in any script, lower-cased. Returns "" only for text with no letters or
 * digits at all; callers decide what such a name should be called.
 */
export function slugify(text: string): string {
  // Most file names are slugs already, which the transliterator would return as they are: it took
  // 0.7 s of 100,000 articles' model to say so.
  if (IS_SLUG.test(text)) return text;
  const latin = slugifyLatin(text, { customReplacements: replacements });
  if (latin !== "" && !hasUntransliterated(text, latin)) return latin;
  // Scripts the transliterator does not know (Chinese, Japanese, Arabic …) keep their own letters.
  return text
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

/** True when the Latin slug lost letters of the original (a name partly in an unknown script). */
function hasUntransliterated(original: string, latin: string): boolean {
  const letters = original.normalize("NFD").replace(/[^\p{L}\p{N}]/gu, "").length;
  const kept = latin.replace(/-/g, "").length;
  return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Thai}\p{Script=Devanagari}]/u.test(original) && kept < letters;
}
