// Broadsheet's 404 page: searches the index for the words of the address that was not found and
// offers the best matches. The page works without it: the search box and the archive are there.

import { pageMessages } from "./messages.js";

const SUGGESTIONS = 5;
/** Results whose details are fetched to rank them by the address's date too; each costs a fragment. */
const CANDIDATES = 10;
/** Parts of addresses that say nothing about an article. */
const NOISE = new Set(["html", "htm", "php", "asp", "aspx", "shtml", "index", "amp", "www", "page", "p", "id", "the", "and", "of", "a", "an", "in", "on", "to", "for"]);
// Result URLs are indexed with the base path already in them, so Pagefind must not add it again.
const SEARCH_OPTIONS = { baseUrl: "/", excerptLength: 24 };

const t = pageMessages("not-found-messages");

const root = document.getElementById("not-found-search");
const resultsEl = document.getElementById("not-found-results");
const statusEl = document.getElementById("not-found-status");
const input = document.getElementById("not-found-query");

const address = readAddress(location.pathname, root.dataset.basePath ?? "/");
if (address.words.length > 0) {
  input.value = address.words.join(" ");
  suggest(address).catch((error) => {
    console.error(error);
    statusEl.textContent = t("notFound.unavailable");
  });
}

/** The words of a path, and its year and month when it has an article's /YYYY/MM/. */
function readAddress(pathname, basePath) {
  let path = pathname;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    // A malformed escape: the raw path still has its words.
  }
  if (path.startsWith(basePath)) path = path.slice(basePath.length);
  const date = /^(\d{4})\/(\d{2})\//.exec(path);
  const words = [];
  for (const word of path.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (word.length < 2 || /^\d+$/.test(word) || NOISE.has(word) || words.includes(word)) continue;
    words.push(word);
  }
  return { words, month: date ? `${date[1]}-${date[2]}` : undefined };
}

/**
 * Searches each word on its own, so that one misspelt word does not lose the others, and a word
 * that finds nothing again by its first letters; ranks pages by how many words they match, then
 * by Pagefind's score, then by whether they are from the month the address names.
 */
async function suggest({ words, month }) {
  const pagefind = await import(`${root.dataset.bundle}pagefind.js`);
  await pagefind.options(SEARCH_OPTIONS);
  // A page not found may be of any age: every volume of the index is searched.
  const older = root.dataset.olderBundles?.split(" ") ?? [];
  await Promise.all(older.map((bundle) => pagefind.mergeIndex(bundle, SEARCH_OPTIONS)));

  const found = new Map();
  for (const word of words) {
    let search = await pagefind.search(word);
    // A misspelt word finds nothing; its first letters may still be right ("aproved" → "apro").
    for (let length = word.length - 1; search.results.length === 0 && length >= 4; length--) search = await pagefind.search(word.slice(0, length));
    for (const result of search.results) {
      const entry = found.get(result.id) ?? { result, words: 0, score: 0 };
      entry.words += 1;
      entry.score += result.score;
      found.set(result.id, entry);
    }
  }
  const ranked = [...found.values()].sort((a, b) => b.words - a.words || b.score - a.score).slice(0, CANDIDATES);
  const data = await Promise.all(ranked.map((entry) => entry.result.data()));
  const shown = ranked
    .map((entry, index) => ({ ...entry, data: data[index], sameMonth: month !== undefined && data[index].meta.datetime?.startsWith(month) }))
    .sort((a, b) => b.words - a.words || Number(b.sameMonth) - Number(a.sameMonth) || b.score - a.score)
    .slice(0, SUGGESTIONS);
  if (shown.length === 0) {
    statusEl.textContent = t("notFound.noMatches", { words: words.join(" ") });
    return;
  }
  resultsEl.replaceChildren(...shown.map(({ data }) => renderResult(data)));
  root.hidden = false;
  statusEl.textContent = t("notFound.matches", { count: shown.length });
}

function renderResult(data) {
  const { meta } = data;
  const item = element("li", "search-result");
  const heading = element("h3", "search-result-title");
  const link = element("a", undefined, meta.title || data.url);
  link.href = data.url;
  heading.append(link);
  item.append(heading);
  if (meta.date) {
    const details = element("p", "search-result-meta");
    const time = element("time", undefined, meta.date);
    if (meta.datetime) time.dateTime = meta.datetime;
    details.append(time);
    if (meta.authors) details.append(` · ${t("article.by", { names: meta.authors })}`);
    item.append(details);
  }
  return item;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
