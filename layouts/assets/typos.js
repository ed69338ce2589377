// Finds the word a reader meant from the words the archive has. Plain functions without the page,
// so that the build (src/search/vocabulary.ts), which writes the word lists, and the search page,
// which reads them, share one description of them, and tests run them in Node.
//
// The archive's words, as readers type them (Pagefind's index holds stems: "ferri", "librari"),
// each with the number of articles it is in, are written in files by length: the file for a typed
// word holds every word within its allowance of edits, so one file finds every candidate.

/** Words shorter than this are not corrected: too many words are one letter away from them. */
export const SHORTEST_CORRECTED = 4;
/** Typed words this long and longer share one file, of every word two letters shorter and more. */
export const LONGEST_FILE = 15;
/** Where the word lists sit in the search bundle. */
export const VOCABULARY_FOLDER = "vocabulary";

/** A text's words as the word lists hold them: runs of letters, in lower case, composed (NFC). */
export function lowerCaseWords(text) {
  return text.normalize("NFC").toLowerCase().match(/[\p{L}\p{M}]+/gu) ?? [];
}

/** How many edits (a letter added, left out, changed, or two swapped) a typed word of this length may be from the word meant. */
export function allowedEdits(length) {
  return length >= 8 ? 2 : 1;
}

/** The word list to look in for a typed word of `length` letters (4 or more). */
export function vocabularyFileFor(length) {
  return `${VOCABULARY_FOLDER}/${Math.min(length, LONGEST_FILE)}.txt.gz`;
}

/** The lengths of the words each file holds: every word a typed word of the file's length may be within its allowance of. */
export function lengthsIn(fileLength) {
  const edits = allowedEdits(fileLength);
  return { shortest: fileLength - edits, longest: fileLength === LONGEST_FILE ? Infinity : fileLength + edits };
}

/** A word list's text: a word and its count of articles on each line, separated by a space. */
export function parseVocabulary(text) {
  const words = new Map();
  for (const line of text.split("\n")) {
    const space = line.indexOf(" ");
    if (space > 0) words.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return words;
}

/**
 * The word of `words` (a word → articles map) that `typed` most likely meant: the fewest edits
 * away, within its allowance, then the one in most articles. Undefined if the word is known or
 * nothing is close enough.
 */
export function closestWord(typed, words) {
  const length = [...typed].length;
  if (length < SHORTEST_CORRECTED || words.has(typed)) return undefined;
  const allowance = allowedEdits(length);
  let best;
  for (const [word, count] of words) {
    if (Math.abs([...word].length - length) > allowance) continue;
    const edits = editDistance(typed, word, allowance);
    if (edits > allowance) continue;
    if (!best || edits < best.edits || (edits === best.edits && count > best.count)) best = { word, edits, count };
  }
  return best?.word;
}

/**
 * Letters added, left out, changed, or two neighbours swapped, to turn `a` into `b` (optimal string
 * alignment). Stops counting past `most`: it then returns `most + 1`.
 */
export function editDistance(a, b, most = Infinity) {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > most) return most + 1;
  // Three rows of the table: two back (for swaps), the last, and this one.
  let before = [];
  let last = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    let smallest = i;
    for (let j = 1; j <= y.length; j++) {
      const change = x[i - 1] === y[j - 1] ? 0 : 1;
      let cost = Math.min(last[j] + 1, row[j - 1] + 1, last[j - 1] + change);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) cost = Math.min(cost, before[j - 2] + 1);
      row.push(cost);
      smallest = Math.min(smallest, cost);
    }
    if (smallest > most) return most + 1;
    before = last;
    last = row;
  }
  return Math.min(last[y.length], most + 1);
}
