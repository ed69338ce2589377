// What a reader's query asks for: words, "exact phrases" and -excluded words. Plain functions
// without the page, so tests run them in Node.

/**
 * The parts of a query. `"night ferry"` is a phrase, its words in that order; `-ferry` leaves out
 * the articles with the word (a hyphen inside a word, as in "e-mail", is part of it); the rest are
 * words, all of which an article must have. A quotation mark left open runs to the end.
 */
export function parseQuery(text) {
  const query = { words: [], phrases: [], excluded: [] };
  // The same tokens as `respelt` reads.
  const pattern = /"([^"]*)"?|(\S+)/g;
  for (const [, phrase, token] of text.matchAll(pattern)) {
    if (phrase !== undefined) {
      const words = phrase.trim().split(/\s+/).filter(Boolean);
      // A phrase of one word is that word.
      if (words.length > 1) query.phrases.push(words.join(" "));
      else if (words.length === 1) query.words.push(words[0]);
    } else if (token.startsWith("-") && token.length > 1) {
      query.excluded.push(token.slice(1));
    } else if (token !== "-") {
      query.words.push(token);
    }
  }
  return query;
}

/** Whether the query has anything to search for, other than words to leave out. */
export function hasTerms(query) {
  return query.words.length > 0 || query.phrases.length > 0;
}

/**
 * The query's text with some of its words spelt otherwise (`corrections`: typed word → word),
 * everything else as the reader typed it.
 */
export function respelt(text, corrections) {
  return text.replace(/"[^"]*"?|\S+/g, (token) => (token.startsWith('"') || token.startsWith("-") ? token : (corrections.get(token) ?? token)));
}
