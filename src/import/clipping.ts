import { readDateLine } from "./clipping-date.ts";

/** An article read from a plain-text clipping, ready to be given front matter. */
export interface Clipping {
  title: string;
  authors: string[];
  /** The standfirst: the paragraph after the headline, when a body follows it. */
  summary?: string;
  /** Markdown: paragraphs, lists and quotations, separated by blank lines. */
  body: string;
  /** The first date line: `2024-05-14` or `2024-05-14T09:30:00+01:00`. */
  date?: string;
  /** A "Last modified on …" line. */
  updated?: string;
}

/** What the person importing said, for the parts the parser cannot be sure of. */
export interface ClippingHints {
  title?: string;
  authors?: string[];
}

/** Why a clipping could not be read without a hint. */
export type ClippingDoubt =
  | { kind: "no-byline" }
  | { kind: "two-headlines"; candidates: [string, string] }
  | { kind: "no-headline" };

export type ClippingResult = { clipping: Clipping; doubt?: undefined } | { clipping?: undefined; doubt: ClippingDoubt };

/** Bylines are looked for among the first few parts only; a name-like line further down is body text. */
const BYLINE_SEARCH_DEPTH = 8;
const HEADLINE_MAX_LENGTH = 160;

// Lines left over from the page around a picture: the placeholder, and the credit under the caption.
const IMAGE_PLACEHOLDER = /^(?:(?:show|hide|view|enlarge|expand)\s+(?:image|photo|picture|gallery|caption)|image|photo|picture|illustration|advertisement|image\s+\d+\s+of\s+\d+)\s*:?$/i;
const IMAGE_CREDIT = /^(?:photograph|photo|photos|photography|picture|image|illustration|composite|graphic|credit|video)s?\s*(?::|by\s)/i;
const LIST_ITEM = /^(?:([-*•‣◦])|(\d{1,3})[.)])\s+/;
const NAME_PARTICLES = new Set(["van", "von", "de", "der", "den", "da", "del", "della", "di", "du", "le", "la", "bin", "binti", "al", "ibn", "y", "dos", "das", "ter", "ten", "st"]);
const NAME_SUFFIXES = /^(?:jr\.?|sr\.?|ii|iii|iv)$/i;

/**
 * Reads a clipping: leftover lines, a byline, the headline, a one-paragraph standfirst, then the
 * body. Blank-line runs separate the parts; wrapped lines inside a part are joined. Where the
 * shape is unclear it returns a doubt rather than a guess, unless a hint settles it.
 */
export function parseClipping(text: string, hints: ClippingHints = {}): ClippingResult {
  const dates: { date?: string; updated?: string } = {};
  const blocks = removeLeftovers(removeDateLines(splitBlocks(text), dates));

  let authors = hints.authors?.length ? hints.authors : undefined;
  let start = 0;
  const byline = findByline(blocks);
  if (byline) {
    authors ??= byline.authors;
    start = byline.index + 1;
  } else if (authors === undefined) {
    return { doubt: { kind: "no-byline" } };
  }

  const rest = blocks.slice(start);
  if (rest.length === 0) return { doubt: { kind: "no-headline" } };
  let headlineIndex = 0;
  const [first, second] = [rest[0]!, rest[1]];
  if (second !== undefined && rest.length > 2 && isHeadlineLike(first) && isHeadlineLike(second)) {
    const candidates: [string, string] = [joinLines(first), joinLines(second)];
    if (hints.title === undefined) return { doubt: { kind: "two-headlines", candidates } };
    // The named line is the headline; a line above it is a kicker, a line below it the standfirst.
    if (sameText(candidates[1], hints.title) && !sameText(candidates[0], hints.title)) headlineIndex = 1;
  }

  const title = hints.title ?? joinLines(rest[headlineIndex]!);
  const after = rest.slice(headlineIndex + 1);
  const summary = after.length > 1 ? joinLines(after[0]!) : undefined;
  const bodyBlocks = summary === undefined ? after : after.slice(1);
  const body = bodyBlocks.map(formatParagraph).join("\n\n");
  return {
    clipping: { title, authors: authors!, summary, body: body === "" ? "" : `${body}\n`, date: dates.date, updated: dates.updated },
  };
}

/** Reads a byline: "By Jane Doe", "Jane Doe and John Smith", "Jane Doe, John Smith & Ann Lee", "Jane Doe, Housing correspondent". */
export function readByline(line: string): string[] | undefined {
  let text = line.trim();
  const by = /^by\s+/i.exec(text);
  if (by) text = text.slice(by[0].length).replace(/\s+(?:in|at)\s+\p{Lu}.*$|\s+[|·–—]\s+.*$/u, "");
  if (text === "" || text.length > 120 || /\d/.test(text)) return undefined;
  const parts = text.split(/\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*/).filter((part) => part !== "");
  if (parts.length === 0 || !isName(parts[0]!, by !== null)) return undefined;
  const names = parts.filter((part) => isName(part, by !== null));
  // Words after the names are a role ("Housing correspondent"); without "By", a role must be short.
  if (!by && parts.some((part) => !isName(part, false) && part.split(/\s+/).length > 4)) return undefined;
  return names;
}

/** A person's name: two to five capitalised words (one after "By"), allowing particles, initials and suffixes. */
function isName(text: string, afterBy: boolean): boolean {
  const words = text.split(/\s+/);
  if (words.length > 5 || (words.length < 2 && !afterBy)) return false;
  let capitalised = 0;
  for (const word of words) {
    if (/^\p{Lu}(?:[\p{L}\p{M}'’-]*\p{L})?\.?$/u.test(word) && !/\p{Ll}\.$/u.test(word)) capitalised++;
    else if (!NAME_PARTICLES.has(word.toLowerCase()) && !NAME_SUFFIXES.test(word)) return false;
  }
  return capitalised >= Math.min(2, words.length);
}

/** The text's parts: runs of non-blank lines, each line trimmed, with non-breaking spaces made plain. */
function splitBlocks(text: string): string[][] {
  const lines = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").replace(/[\u00A0\u2007\u202F]/g, " ").split("\n");
  const blocks: string[][] = [];
  let current: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "") {
      if (current.length > 0) blocks.push(current);
      current = [];
    } else current.push(line);
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

/** Takes out every line that is only a date, keeping the first publication and update dates. */
function removeDateLines(blocks: string[][], dates: { date?: string; updated?: string }): string[][] {
  const kept: string[][] = [];
  for (const block of blocks) {
    const lines = block.filter((line) => {
      const found = readDateLine(line);
      if (found === undefined) return true;
      if (found.kind === "updated") dates.updated ??= found.date;
      else dates.date ??= found.date;
      return false;
    });
    if (lines.length > 0) kept.push(lines);
  }
  return kept;
}

/**
 * Takes out the picture leftovers: a part with an image placeholder or a credit line (with the
 * caption written beside it), and a lone caption between a placeholder and a credit.
 */
function removeLeftovers(blocks: string[][]): string[][] {
  const isLeftover = (block: string[] | undefined) => block !== undefined && block.some((line) => IMAGE_PLACEHOLDER.test(line) || IMAGE_CREDIT.test(line));
  const placeholderOnly = (block: string[] | undefined) => block !== undefined && block.every((line) => IMAGE_PLACEHOLDER.test(line));
  const creditOnly = (block: string[] | undefined) => block !== undefined && block.every((line) => IMAGE_CREDIT.test(line));
  return blocks.filter((block, index) => {
    if (isLeftover(block)) return false;
    return !(block.length === 1 && placeholderOnly(blocks[index - 1]) && creditOnly(blocks[index + 1]));
  });
}

/** The first part near the top that is a byline; the parts above it are leftovers from the page. */
function findByline(blocks: string[][]): { index: number; authors: string[] } | undefined {
  for (const [index, block] of blocks.slice(0, BYLINE_SEARCH_DEPTH).entries()) {
    const names = block.map(readByline);
    if (!names.every((found) => found !== undefined)) continue;
    // A title-case headline reads like a name; a byline without "By" must have a headline after it.
    const next = blocks[index + 1];
    if (!block.every((line) => /^by\s/i.test(line)) && (next === undefined || !isHeadlineLike(next))) continue;
    const authors = [...new Set(names.flat())];
    if (authors.length > 0) return { index, authors };
  }
  return undefined;
}

/** A headline is short and does not end a sentence with a full stop, colon or comma. */
function isHeadlineLike(block: string[]): boolean {
  const text = joinLines(block);
  return text.length <= HEADLINE_MAX_LENGTH && !/[.,;:]$/.test(text) && !LIST_ITEM.test(text);
}

function joinLines(block: readonly string[]): string {
  return block.join(" ").replace(/\s+/g, " ").trim();
}

function sameText(a: string, b: string): boolean {
  const fold = (text: string) => text.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  return fold(a) === fold(b);
}

/**
 * One part of the body as Markdown: a list keeps its items (and the line introducing it becomes
 * a paragraph of its own), a quotation its `>`, any other paragraph is joined.
 */
function formatParagraph(block: string[]): string {
  const firstItem = block.findIndex((line) => LIST_ITEM.test(line));
  if (firstItem === 0) return formatList(block);
  if (firstItem > 0) return `${formatParagraph(block.slice(0, firstItem))}\n\n${formatList(block.slice(firstItem))}`;
  if (block.every((line) => line.startsWith(">"))) return `> ${joinLines(block.map((line) => line.replace(/^>\s?/, "")))}`;
  return escapeMarkdownStart(joinLines(block));
}

function formatList(block: string[]): string {
  const items: string[] = [];
  for (const line of block) {
    const marker = LIST_ITEM.exec(line);
    if (marker) items.push(`${marker[2] === undefined ? "-" : `${marker[2]}.`} ${line.slice(marker[0].length)}`);
    else items[items.length - 1] += ` ${line}`;
  }
  return items.join("\n");
}

/** Plain text that would start a heading, list or quotation in Markdown is escaped, so it stays text. */
function escapeMarkdownStart(text: string): string {
  return text.replace(/^(#{1,6}(?:\s|$)|>|\+ )/, "\\$1").replace(/^(\d{1,9})([.)]) /, "$1\\$2 ");
}
