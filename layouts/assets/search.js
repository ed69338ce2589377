// Broadsheet's search page: Pagefind's search API and a small renderer of our own.
// Pagefind's Component UI was not used: it has no sort control for readers, does not keep the
// address in step with the search, and its script and stylesheet alone weigh about 225 kB.

import { pageMessages } from "./messages.js";
import { hasTerms, parseQuery, respelt } from "./query.js";
import { closestWord, lowerCaseWords, parseVocabulary, SHORTEST_CORRECTED, vocabularyFileFor } from "./typos.js";

const HIGHLIGHT_PARAM = "pagefind-highlight";
const PAGE_SIZE = 5;
const TYPING_PAUSE = 200;
/**
 * A query's last word counts as finished, and is corrected if misspelt, once the reader types a
 * space or Enter, or stops typing for this long: a word still being typed is not corrected, so
 * that it costs no fetch at each letter.
 */
const FINISHED_PAUSE = 1000;
/** Letters of a word being typed before it is searched by its beginning; a finished word is searched however short. */
const UNFINISHED_SHORTEST = 3;
/** Values shown per filter group before "Show all"; the rest stay one click away. */
const SHORT_LIST = 8;
const GROUPS = [
  { name: "topic", legend: "search.filterTopic" },
  { name: "author", legend: "search.filterAuthor" },
  { name: "year", legend: "search.filterYear" },
];

const t = pageMessages("search-messages");

const root = document.getElementById("search");
const input = document.getElementById("search-query");
const sortSelect = document.getElementById("search-sort");
const groupsEl = document.getElementById("search-filter-groups");
const statusEl = document.getElementById("search-status");
const resultsEl = document.getElementById("search-results");
const moreButton = document.getElementById("search-more");
const everythingButton = document.getElementById("search-everything");
const correctionEl = document.getElementById("search-correction");

// A big archive's index comes in volumes, newest first: a search looks in the newest alone, and in
// every volume once that finds less than a page of results, the reader asks, or filters are used
// (their values and counts are the whole archive's). Each volume searched costs its metadata.
const olderBundles = root.dataset.olderBundles?.split(" ") ?? [];
/** "the 10,000 newest articles, since 3 March 2024", when there are older volumes. */
const newestScope = root.dataset.newestScope;
// Result URLs are indexed with the base path already in them, so Pagefind must not add it again.
const SEARCH_OPTIONS = { baseUrl: "/", highlightParam: HIGHLIGHT_PARAM, excerptLength: 24 };

/** What the reader asked for; the address bar always shows the same. */
const state = readAddress(new URLSearchParams(location.search));
let pagefind;
let totals = {};
let latest = 0;
let shown = { results: [], rendered: 0 };
let typingTimer;
/** Whether the query's last word is finished (see FINISHED_PAUSE); one read from the address is. */
let lastWordFinished = true;
let finishTimer;
/** A correction put off until the last word is finished. */
let correctionWaiting = false;

// The filters stay folded until the reader opens them or the address uses them: their values and
// counts are Pagefind's filter files (23 kB on 1,722 articles, more on bigger archives), which a
// reader who only types a query never needs.
const filtersPanel = document.getElementById("search-filters");
filtersPanel.open = GROUPS.some(({ name }) => state.filters[name].size > 0);
let filtersLoaded;
let everythingMerged;

// Listeners go on at once, so nothing typed while Pagefind loads is lost; searches wait for it.
root.hidden = false;
input.value = state.q;
sortSelect.value = state.sort;
input.form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typingTimer);
  update({ q: input.value.trim(), asTyped: false });
  finishLastWord();
});
input.addEventListener("input", () => {
  const q = input.value.trim();
  clearTimeout(finishTimer);
  lastWordFinished = /\s$/.test(input.value);
  if (lastWordFinished && q === state.q) finishLastWord();
  // Each finished word's index file is fetched while the reader types the next one. A word still
  // being typed is not: its first letters match many words, and so fetch more index files than it needs.
  if (pagefind && q && /\s$/.test(input.value)) pagefind.preload(q, { filters: activeFilters() });
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => update({ q, asTyped: false }), TYPING_PAUSE);
});
// The arrow keys move from the search box through the results' links and back.
input.addEventListener("keydown", (event) => {
  if (event.key !== "ArrowDown") return;
  const first = resultsEl.querySelector(".search-result-title a");
  if (!first) return;
  event.preventDefault();
  first.focus();
});
resultsEl.addEventListener("keydown", (event) => {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  const links = [...resultsEl.querySelectorAll(".search-result-title a")];
  const at = links.indexOf(document.activeElement);
  if (at < 0) return;
  event.preventDefault();
  const next = at + (event.key === "ArrowDown" ? 1 : -1);
  if (next < 0) input.focus();
  else (links[next] ?? (moreButton.hidden ? links[at] : moreButton)).focus();
});
correctionEl.addEventListener("click", (event) => {
  if (!event.target.closest("a")) return;
  // The link works as a link too; here it need not reload the page.
  event.preventDefault();
  update({ asTyped: true });
  input.focus();
});
sortSelect.addEventListener("change", () => update({ sort: sortSelect.value }));
filtersPanel.addEventListener("toggle", () => {
  if (filtersPanel.open) void ready.then(loadFilters);
});
moreButton.addEventListener("click", showMore);
everythingButton?.addEventListener("click", async () => {
  update({ scope: "all" });
  await ready;
  await searching;
  // Keyboard readers carry on from the first result rather than from a button now gone.
  resultsEl.querySelector("a")?.focus();
});

const ready = loadPagefind();
ready.then(() => Promise.all([filtersPanel.open && loadFilters(), runSearch()])).catch((error) => {
  console.error(error);
  statusEl.textContent = t("search.unavailable");
});

async function loadPagefind() {
  const bundle = await import(`${root.dataset.bundle}pagefind.js`);
  // Pagefind's web worker stays on (12 kB gzipped): without it, searching a common word held up typing
  // for 130 ms on 1,722 articles, and longer on bigger archives.
  await bundle.options(SEARCH_OPTIONS);
  pagefind = bundle;
}

/** Whether every volume of the index is searched, not only the newest. */
const searchesEverything = () => olderBundles.length === 0 || state.scope === "all";

/** Adds the older volumes to every search from now on; once only, as Pagefind cannot take them out again. */
function mergeOlderVolumes() {
  everythingMerged ??= Promise.all(olderBundles.map((bundle) => pagefind.mergeIndex(bundle, SEARCH_OPTIONS)));
  return everythingMerged;
}

/** Widens the search to every volume, for good, and says so in the address. */
async function searchEverything() {
  if (state.scope !== "all" && olderBundles.length > 0) {
    state.scope = "all";
    writeAddress();
  }
  await mergeOlderVolumes();
}

/** Fetches every filter's values once, lists them, and counts them for the search on screen. */
function loadFilters() {
  filtersLoaded ??= (async () => {
    // Filters list and count the whole archive's values.
    await searchEverything();
    totals = await pagefind.filters();
    // Pagefind reports files it could not fetch only on the console, and returns no filters.
    // Every article has a year, so no filters at all means they did not arrive.
    if (Object.keys(totals.year ?? {}).length === 0) throw new Error("Pagefind's filter files could not be fetched.");
    // The values appear with their counts for the search on screen, not the archive's first.
    const run = latest;
    const counts = state.q || hasFilters() ? await countValues(await find(activeFilters())) : undefined;
    renderFilterGroups();
    if (counts && run === latest) updateCounts(counts);
  })().catch((error) => {
    // Searching goes on without them.
    console.error(error);
    groupsEl.textContent = t("search.filtersFailed");
  });
  return filtersLoaded;
}

function readAddress(params) {
  const filters = {};
  for (const { name } of GROUPS) filters[name] = new Set(params.getAll(name).filter(Boolean));
  return {
    q: (params.get("q") ?? "").trim(),
    sort: params.get("sort") === "newest" ? "newest" : "relevance",
    scope: params.get("scope") === "all" ? "all" : "newest",
    // The reader asked for the words as typed, not corrected.
    asTyped: params.get("spelling") === "as-typed",
    filters,
  };
}

function writeAddress() {
  history.replaceState(history.state, "", addressOf(state));
}

/** The search page's address for a search. */
function addressOf(search) {
  const params = new URLSearchParams();
  if (search.q) params.set("q", search.q);
  if (search.q && search.asTyped) params.set("spelling", "as-typed");
  for (const { name } of GROUPS) for (const value of search.filters[name]) params.append(name, value);
  if (search.sort === "newest") params.set("sort", "newest");
  if (search.scope === "all" && olderBundles.length > 0) params.set("scope", "all");
  const query = params.toString();
  return `${location.pathname}${query ? `?${query}` : ""}${location.hash}`;
}

/** The search under way, so that a caller can wait until its results are on screen. */
let searching = Promise.resolve();

function update(change) {
  if (Object.entries(change).every(([key, value]) => state[key] === value)) return;
  Object.assign(state, change);
  writeAddress();
  searching = ready.then(runSearch);
}

/** Pagefind's filter option: values in one group are alternatives, groups must all match. */
function activeFilters(except) {
  const filters = {};
  for (const { name } of GROUPS) {
    if (name !== except && state.filters[name].size > 0) filters[name] = { any: [...state.filters[name]] };
  }
  return filters;
}

const hasFilters = () => GROUPS.some(({ name }) => state.filters[name].size > 0);

/** Puts a correction, or the search of a word's first letters, off until the query's last word is finished. */
function waitForLastWord() {
  correctionWaiting = true;
  clearTimeout(finishTimer);
  finishTimer = setTimeout(finishLastWord, FINISHED_PAUSE);
}

/**
 * The query without its last word while that is being typed and shorter than UNFINISHED_SHORTEST:
 * Pagefind looks a word up by its beginning, and the index keeps the words that begin with the same
 * three letters in one file, so one or two letters fetch the files of many words (two 46 kB files
 * for "b" at 10,000 synthetic articles) that the word, once typed, does not need.
 */
function withoutShortLastWord(query) {
  const lastToken = state.q.split(/\s+/).at(-1);
  const last = query.words.at(-1);
  if (lastWordFinished || last === undefined || lastToken !== last || [...last].length >= UNFINISHED_SHORTEST) return query;
  waitForLastWord();
  return { ...query, words: query.words.slice(0, -1) };
}

/** Runs the search again once the query's last word is finished, if a correction or a search waits for it. */
function finishLastWord() {
  lastWordFinished = true;
  clearTimeout(finishTimer);
  if (!correctionWaiting) return;
  correctionWaiting = false;
  searching = ready.then(runSearch);
}

/**
 * Searches with the query or, with no query, lists the articles the filters match. Pagefind
 * matches all of a query's words, or one phrase in quotes on its own: a query with phrases as well
 * is searched for each, and only the articles every search found are kept; the articles with an
 * excluded word (which Pagefind has no syntax for) are taken out. The filters' counts are those of
 * the words' search.
 */
async function find(filters, query = parseQuery(state.q)) {
  if (!hasTerms(query) && query.excluded.length === 0) return pagefind.search(null, { filters });
  const terms = [...(query.words.length > 0 ? [query.words.join(" ")] : []), ...query.phrases.map((phrase) => `"${phrase}"`)];
  const [base, ...others] = await Promise.all([...(terms.length > 0 ? terms : [null]).map((term) => pagefind.search(term, { filters })), ...query.excluded.map((word) => pagefind.search(word))]);
  if (others.length === 0) return base;
  const required = others.slice(0, Math.max(0, terms.length - 1)).map((search) => new Set(search.results.map((result) => result.id)));
  const excluded = new Set(others.slice(Math.max(0, terms.length - 1)).flatMap((search) => search.results.map((result) => result.id)));
  return { ...base, results: base.results.filter((result) => required.every((ids) => ids.has(result.id)) && !excluded.has(result.id)) };
}

// ---- Spelling ----

/** The word lists fetched, by file: each at most once a page. */
const vocabularies = new Map();

function vocabularyFor(word) {
  const file = vocabularyFileFor([...word].length);
  if (!vocabularies.has(file)) {
    const loading = fetchVocabulary(`${root.dataset.bundle}${file}`);
    // A list that could not be fetched is tried again at the next search.
    loading.catch(() => vocabularies.delete(file));
    vocabularies.set(file, loading);
  }
  return vocabularies.get(file);
}

async function fetchVocabulary(url) {
  // The lists keep their names from build to build: the host is asked whether this one changed.
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${url} could not be fetched: ${response.status}. Build the site again to write the search's word lists.`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  // Gzipped as written, unless the host unpacked it on the way (some send .gz files gzip-encoded).
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const text = gzipped ? await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text() : new TextDecoder().decode(bytes);
  return parseVocabulary(text);
}

/** A word worth correcting: long enough, and letters only (Pagefind lowercases what it searches). */
const correctable = (word) => [...word].length >= SHORTEST_CORRECTED && /^[\p{L}\p{M}]+$/u.test(word);

/**
 * The query's words that the archive does not have, each with its closest word (typos.js): typed
 * word → word. Only finished words are looked up, each in one word list, and only those that find
 * less than a page of articles, or all when the query does, unless the articles the query found
 * have the word as typed; a query that finds a page of articles or more, each of its words too,
 * costs nothing more.
 */
async function corrections(query, search, searchWord) {
  const lastToken = state.q.split(/\s+/).at(-1);
  const lastIsWord = !lastToken.startsWith("-") && !lastToken.includes('"');
  const words = [...new Set(query.words)];
  // Each word on its own: their index files came with the search, so this fetches nothing. Pagefind
  // finds a few articles for many a misspelt word (other words that begin with its stem), so a
  // word that finds less than a page of them is looked up in the word list, and corrected only
  // if the list has not got it.
  const found = await Promise.all(words.map(async (word) => (await searchWord(word)).results.length >= PAGE_SIZE));
  // When the query as a whole finds less than a page, any of its words may be the misspelt one.
  const fewFound = search.results.length < PAGE_SIZE;
  const misspelt = (fewFound ? words : words.filter((word, index) => !found[index])).filter(correctable);
  // A distinctive query spelt right finds a few articles, and each of its words is then in them as
  // typed: their text tells so for the price of the fragments the page shows anyway, where the word
  // lists cost 4 to 50 kB a word. A word Pagefind found only by its beginning ("retur") is not.
  const seen = misspelt.length > 0 && fewFound ? await wordsIn(search.results) : new Set();
  const corrected = new Map();
  for (const word of misspelt.filter((word) => !seen.has(word.normalize("NFC").toLowerCase()))) {
    if (lastIsWord && word === query.words.at(-1) && !lastWordFinished) {
      waitForLastWord();
      continue;
    }
    const closest = closestWord(word.toLowerCase(), await vocabularyFor(word.toLowerCase()));
    if (closest) corrected.set(word, closest);
  }
  return corrected;
}

/**
 * The words, in lower case, of the articles found (less than a page: the page shows each of them),
 * their text and the metadata Pagefind searches, cut as the build cuts the word lists.
 */
async function wordsIn(results) {
  const data = await Promise.all(results.slice(0, PAGE_SIZE).map((result) => result.data()));
  const text = data.map(({ content, meta }) => [content, ...Object.entries(meta).filter(([key]) => key !== "image").map(([, value]) => value)].join(" ")).join(" ");
  return new Set(lowerCaseWords(text));
}

/** The results to show: by relevance, headlines first, or newest first when asked or when there is no query. */
async function ordered(results, query, searchWord, run) {
  if (state.q && state.sort !== "newest") return headlinesFirst(results, query, searchWord, run);
  return results
    .map((result) => ({ result, number: archiveNumber(result) }))
    .sort((a, b) => b.number - a.number)
    .map(({ result }) => result);
}

/**
 * The articles whose headline holds every word of the query come first, in Pagefind's order but
 * the shorter headline first, then those that only mention the words. Pagefind boosts a headline
 * that matches some of the query's words, so an article that repeats the words in its body can
 * still outrank the one they name. Pagefind says which results matched in their headline, but not
 * for which word: each word is searched on its own, on index files the query has fetched already.
 * Headlines are read from the results' fragments, so only those of the first page are ordered by
 * length: the page fetches those fragments anyway, and one more would cost a file per result.
 */
async function headlinesFirst(results, query, searchWord, run) {
  const words = [...new Set([...query.words, ...query.phrases.flatMap((phrase) => phrase.split(/\s+/))].filter(Boolean))];
  if (words.length === 0 || results.length < 2) return results;
  const searches = await Promise.all(words.map(searchWord));
  // A search overtaken by the reader's typing fetches no headlines.
  if (run !== latest) return results;
  const inHeadline = searches.map((search) => new Set(search.results.filter((result) => result.matchedMetaFields?.includes("title")).map((result) => result.id)));
  const named = [];
  const mentioned = [];
  for (const result of results) (inHeadline.every((ids) => ids.has(result.id)) ? named : mentioned).push(result);
  if (named.length === 0) return results;
  const firstPage = named.slice(0, PAGE_SIZE);
  const lengths = new Map(await Promise.all(firstPage.map(async (result) => [result.id, headlineLength((await result.data()).meta.title ?? "")])));
  // A stable sort: headlines of one length keep Pagefind's order.
  firstPage.sort((a, b) => lengths.get(a.id) - lengths.get(b.id));
  return [...firstPage, ...named.slice(PAGE_SIZE), ...mentioned];
}

/** A headline's length in words, then letters: "Ferry fares rise" is shorter than "Ferry fares rise again". */
function headlineLength(headline) {
  const words = headline.split(/\s+/).filter(Boolean);
  return words.length + headline.length / 1000;
}

/**
 * Where a result's article stands in the archive: Broadsheet numbers the pages of its index from
 * the oldest, 0, so the newest has the highest number, and names each page's fragment (the
 * result's id) "<language>_<generation>_<number>": the index carries no sort by date, which would
 * add two bytes per article to what every search fetches. An id of another form goes last.
 */
function archiveNumber(result) {
  const number = Number(result.id.slice(result.id.lastIndexOf("_") + 1));
  return Number.isInteger(number) ? number : -1;
}

async function runSearch() {
  const run = ++latest;
  if (!state.q && !hasFilters()) {
    shown = { results: [], rendered: 0 };
    resultsEl.replaceChildren();
    moreButton.hidden = true;
    if (everythingButton) everythingButton.hidden = true;
    updateCounts({});
    showCorrection(undefined);
    statusEl.textContent = "";
    resultsEl.removeAttribute("aria-busy");
    return;
  }
  // Busy until the results are in, and while a correction waits for the last word to be finished.
  resultsEl.setAttribute("aria-busy", "true");
  // Once the filters are listed, their counts are in place before the status line announces the search as done.
  if (filtersLoaded) await filtersLoaded;
  if (hasFilters()) await searchEverything();
  else if (searchesEverything()) await mergeOlderVolumes();
  correctionWaiting = false;
  let query = withoutShortLastWord(parseQuery(state.q));
  // Nothing to search until the word is finished or longer: the results on screen stay.
  if (!hasTerms(query) && query.excluded.length === 0 && !hasFilters()) return;
  let search = await find(activeFilters(), query);
  // Each word searched on its own, once a search: for corrections and for ranking headlines first.
  // Its index files came with the query's search, so this fetches nothing.
  const wordSearches = new Map();
  const searchWord = (word) => {
    const key = `${everythingMerged ? "all" : "newest"} ${word}`;
    if (!wordSearches.has(key)) wordSearches.set(key, pagefind.search(word));
    return wordSearches.get(key);
  };
  // Pagefind leaves out a word it does not have and searches with the rest: such a word may be misspelt.
  let corrected = new Map();
  if (query.words.length > 0 && !state.asTyped) {
    corrected = await corrections(query, search, searchWord).catch((error) => {
      // Search goes on without corrections.
      console.error(error);
      return new Map();
    });
    if (run !== latest) return;
    if (corrected.size > 0) {
      query = { ...query, words: query.words.map((word) => corrected.get(word) ?? word) };
      search = await find(activeFilters(), query);
    }
  }
  // Too few results among the newest articles: the reader most likely wants an older one.
  if (!searchesEverything() && search.results.length < PAGE_SIZE) {
    if (run !== latest) return;
    await searchEverything();
    search = await find(activeFilters(), query);
  }
  const counts = filtersLoaded ? await countValues(search) : undefined;
  const results = await ordered(search.results, query, searchWord, run);
  if (run !== latest) return;
  if (counts) updateCounts(counts);
  shown = { results, rendered: 0 };
  resultsEl.replaceChildren();
  await renderNextPage(run);
  if (run !== latest) return;
  const shownQuery = corrected.size > 0 ? respelt(state.q, corrected) : state.q;
  showCorrection(corrected.size > 0 ? shownQuery : undefined);
  statusEl.textContent = describe(search.results.length, shownQuery);
  if (correctionWaiting) return;
  resultsEl.removeAttribute("aria-busy");
  if (everythingButton) everythingButton.hidden = searchesEverything();
}

/** How many articles each filter value would find for the current search. */
async function countValues(search) {
  const facets = await Promise.all(GROUPS.map(({ name }) => groupCounts(name, search)));
  return Object.fromEntries(GROUPS.map(({ name }, index) => [name, facets[index]]));
}

/**
 * How many articles each value of a group would find. A group's counts leave out its own ticks,
 * so that, values being alternatives, each says what it would add rather than what overlaps.
 */
async function groupCounts(name, search) {
  if (state.filters[name].size === 0) return search.filters?.[name] ?? {};
  const others = activeFilters(name);
  if (!state.q && Object.keys(others).length === 0) return totals[name] ?? {};
  return (await find(others)).filters?.[name] ?? {};
}

/** "Showing results for “harbour”. Search instead for “harbuor”", or nothing. */
function showCorrection(correctedQuery) {
  correctionEl.hidden = correctedQuery === undefined;
  if (correctedQuery === undefined) return correctionEl.replaceChildren();
  const asTyped = element("a", undefined, t("search.quoted", { text: state.q }));
  asTyped.href = addressOf({ ...state, asTyped: true });
  const [before, after] = t("search.searchAsTyped", { query: "\u0000" }).split("\u0000");
  correctionEl.replaceChildren(
    element("span", "search-correction-shown", t("search.showingFor", { query: t("search.quoted", { text: correctedQuery }) })),
    " ",
    before ?? "",
    asTyped,
    after ?? "",
  );
}

function describe(count, shownQuery = state.q) {
  const query = t("search.quoted", { text: shownQuery });
  const filtered = hasFilters();
  if (count === 0) {
    if (!state.q) return t("search.noneForFilters");
    return t(filtered ? "search.noneForQueryFiltered" : "search.noneForQuery", { query });
  }
  if (!state.q) return t("search.matchFilters", { count });
  return t("search.found", {
    count,
    query,
    scope: searchesEverything() ? "" : t("search.inScope", { scope: newestScope }),
    filters: filtered ? t("search.withFilters") : "",
    order: state.sort === "newest" ? t("search.newestFirst") : "",
  });
}

async function renderNextPage(run) {
  const page = shown.results.slice(shown.rendered, shown.rendered + PAGE_SIZE);
  const data = await Promise.all(page.map((result) => result.data()));
  if (run !== latest) return [];
  const items = data.map(renderResult);
  resultsEl.append(...items);
  shown.rendered += page.length;
  moreButton.hidden = shown.rendered >= shown.results.length;
  return items;
}

async function showMore() {
  const items = await renderNextPage(latest);
  // Keyboard readers carry on from the first new result rather than back at the button.
  items[0]?.querySelector("a")?.focus();
}

function renderResult(result) {
  const { meta } = result;
  const item = element("li", "search-result");
  if (meta.image) {
    // The headline beside it names the article: the picture is decorative, with an empty alt.
    const image = element("img", "search-result-image");
    image.src = meta.image;
    image.alt = "";
    image.loading = "lazy";
    image.decoding = "async";
    item.append(image);
    item.classList.add("has-image");
  }
  const heading = element("h3", "search-result-title");
  const link = element("a");
  link.append(...markedHeadline(result, meta.title || result.url));
  link.href = result.url;
  heading.append(link);
  item.append(heading);

  const details = element("p", "search-result-meta");
  if (meta.date) {
    const time = element("time", undefined, meta.date);
    if (meta.datetime) time.dateTime = meta.datetime;
    details.append(time);
  }
  if (meta.authors) details.append(separator(), t("article.by", { names: meta.authors }));
  if (meta.topics) details.append(separator(), element("span", "visually-hidden", `${t("article.topicsHidden")} `), meta.topics);
  if (details.firstChild && !meta.date) details.firstChild.remove();
  item.append(details);

  if (result.excerpt) {
    const excerpt = element("p", "search-result-excerpt");
    // Pagefind escapes the excerpt's text and adds only <mark>, so it is safe as HTML.
    excerpt.innerHTML = result.excerpt;
    item.append(excerpt);
  }
  return item;
}

/**
 * The headline, its words that matched marked as the excerpt's are. Pagefind numbers the words of
 * an article's text, which begins with its headline, and reports the numbers of those it matched
 * (corrected words and other forms of a word included).
 */
function markedHeadline(result, headline) {
  if (!result.content?.startsWith(headline)) return [headline];
  const matched = new Set(result.locations ?? []);
  const parts = headline.split(/(\s+)/);
  return parts.map((part, index) => (index % 2 === 0 && matched.has(index / 2) && part ? element("mark", undefined, part) : part));
}

function separator() {
  const dot = element("span", "search-result-separator", " · ");
  dot.setAttribute("aria-hidden", "true");
  return dot;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** One fieldset per group, values in a fixed order (most articles first, years newest first). */
function renderFilterGroups() {
  const fieldsets = GROUPS.map((group) => {
    const values = Object.keys(totals[group.name] ?? {});
    // Values asked for in the address but unknown to the index still show, so they can be unticked.
    for (const value of state.filters[group.name]) if (!values.includes(value)) values.push(value);
    if (values.length === 0) return undefined;
    const total = totals[group.name] ?? {};
    values.sort(group.name === "year" ? (a, b) => b.localeCompare(a) : (a, b) => (total[b] ?? 0) - (total[a] ?? 0) || a.localeCompare(b));

    const fieldset = element("fieldset", "search-filter-group");
    fieldset.dataset.group = group.name;
    fieldset.append(element("legend", undefined, t(group.legend)));
    const list = element("ul", "search-filter-values");
    for (const [index, value] of values.entries()) {
      const id = `filter-${group.name}-${index}`;
      const item = element("li");
      item.dataset.value = value;
      const box = element("input");
      box.type = "checkbox";
      box.id = id;
      box.value = value;
      box.checked = state.filters[group.name].has(value);
      box.addEventListener("change", () => {
        const chosen = new Set(state.filters[group.name]);
        if (box.checked) chosen.add(value);
        else chosen.delete(value);
        update({ filters: { ...state.filters, [group.name]: chosen } });
      });
      const label = element("label", undefined, value);
      label.htmlFor = id;
      label.append(" ", element("span", "search-filter-count", `(${total[value] ?? 0})`));
      item.append(box, label);
      list.append(item);
    }
    fieldset.append(list);
    if (values.length > SHORT_LIST) {
      const toggle = element("button", "search-filter-toggle");
      toggle.type = "button";
      toggle.setAttribute("aria-expanded", "false");
      toggle.addEventListener("click", () => {
        toggle.setAttribute("aria-expanded", String(toggle.getAttribute("aria-expanded") !== "true"));
        showValues(fieldset);
      });
      fieldset.append(toggle);
    }
    return fieldset;
  });
  groupsEl.replaceChildren(...fieldsets.filter(Boolean));
  updateCounts({});
}

/** Shows each value's count for the current search; values that would find nothing are hidden unless ticked. */
function updateCounts(counts) {
  for (const fieldset of groupsEl.querySelectorAll("fieldset")) {
    const name = fieldset.dataset.group;
    const current = counts[name] ?? totals[name] ?? {};
    for (const item of fieldset.querySelectorAll("li")) {
      const count = current[item.dataset.value] ?? 0;
      item.querySelector(".search-filter-count").textContent = `(${count})`;
      item.dataset.available = String(count > 0 || item.querySelector("input").checked);
    }
    showValues(fieldset);
  }
}

function showValues(fieldset) {
  const toggle = fieldset.querySelector(".search-filter-toggle");
  const expanded = !toggle || toggle.getAttribute("aria-expanded") === "true";
  const available = [...fieldset.querySelectorAll("li")].filter((item) => item.dataset.available === "true");
  for (const item of fieldset.querySelectorAll("li")) item.hidden = true;
  // Ticked values always show, so every filter in force can be seen and unticked.
  available.forEach((item, index) => (item.hidden = !expanded && index >= SHORT_LIST && !item.querySelector("input").checked));
  if (toggle) {
    toggle.hidden = available.length <= SHORT_LIST;
    toggle.textContent = expanded ? t("search.showFewer") : t("search.showAll", { count: available.length });
  }
  fieldset.hidden = available.length === 0;
}
