import type { ArticleSource } from "../articles/load.ts";
import { cleanName, mostUsedSpelling, nameKey } from "../archive/names.ts";
import { compareText } from "../problems.ts";

/** The archive's topics, each in its most used spelling, in code-point order. */
export function archiveTopics(sources: readonly ArticleSource[]): string[] {
  const spellings = new Map<string, Map<string, number>>();
  for (const source of sources) {
    for (const topic of source.topics) {
      const key = nameKey(topic);
      const counts = spellings.get(key) ?? new Map<string, number>();
      counts.set(cleanName(topic), (counts.get(cleanName(topic)) ?? 0) + 1);
      spellings.set(key, counts);
    }
  }
  return [...spellings.values()].map(mostUsedSpelling).sort(compareText);
}

/**
 * A function that finds which of `topics` occur in a text as whole words, ignoring case and
 * treating spaces, hyphens and underscores alike. One pattern for all topics keeps it one pass
 * per text, however many topics the archive has.
 */
export function topicFinder(topics: readonly string[]): (text: string) => string[] {
  const byKey = new Map<string, string>();
  for (const topic of topics) {
    const key = nameKey(topic);
    if (key !== "" && !byKey.has(key)) byKey.set(key, topic);
  }
  if (byKey.size === 0) return () => [];
  // Longest first, so that "City Hall plans" wins over "City Hall" where both are topics.
  const alternatives = [...byKey.keys()]
    .sort((a, b) => b.length - a.length || compareText(a, b))
    .map((key) => key.split(" ").map(escapeRegExp).join("[\\s_\\-\\u2010-\\u2015]+"));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join("|")})(?![\\p{L}\\p{N}])`, "giu");
  return (text) => {
    const found = new Set<string>();
    for (const match of text.normalize("NFKC").matchAll(pattern)) {
      const topic = byKey.get(nameKey(match[0]));
      if (topic !== undefined) found.add(topic);
    }
    return [...found].sort(compareText);
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
