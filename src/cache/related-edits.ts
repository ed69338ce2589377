import { chooseRelated, countRevised, countsAsKept, reviseKeptAt, type ArticleText } from "../archive/related.ts";
import type { ArticleDate } from "../articles/dates.ts";
import type { Settings } from "../settings.ts";
import { relatedArticlesHtml, type RelatedShown } from "../../layouts/components/related.tsx";
import { unpackRendered, type StoredEntry } from "./article-cache.ts";
import { holdsTogether, relatedKey, storeTerms, type ReadTerms, type StoredPlaces, type StoredRelated, type StoredTerms } from "./related-cache.ts";
import { DatesRevived } from "./stored-dates.ts";

// The related lists after bodies edited alone (a build of body edits, `buildBodyEdits` in
// src/build.ts), chosen again without the site's model: from the terms the last build counted in
// each article (kept with the lists), the edited articles' texts counted again, and each article's
// topics and authors by its place (`StoredPlaces`). `chooseRelated` reads nothing else, so the
// lists are the ones a whole build would choose.

/** An article whose body alone was edited, as the related lists count it. */
export interface EditedText {
  /** Its path in the articles folder. */
  relativePath: string;
  /** The key of the text the last build counted (`termsKey`), and of its text now. */
  previousTermsKey: string;
  termsKey: string;
  text: ArticleText;
}

/** The related lists after the edits, with what the cache stores of them. */
export interface RelatedAfterEdits {
  /** The articles' places the lists were chosen with, as read and checked. */
  places: StoredPlaces;
  /** Each article whose list is not the last build's, by its place, with its list before and now, by place. */
  changed: Map<number, { before: number[]; now: number[] }>;
  /** The lists to store, under their new key. */
  stored: StoredRelated;
  /** The terms counted now, to store with them: their bytes to write, or, when every text counts the terms it had, the kept terms' lists under the new keys (their bytes stay). */
  terms: { lists: StoredTerms; bytes?: Uint8Array[] };
}

/**
 * The related lists once `edits` are made, chosen again from what the last build kept: its lists
 * (`stored`), the terms they were chosen from (`kept`) and the articles' places (`places`). When
 * every edited text counts the terms it had (`countsAsKept`), the lists are the last build's.
 * When the parts do not hold together, a sentence saying why: the whole site is then built.
 */
export function relatedAfterEdits(stored: StoredRelated | undefined, kept: ReadTerms | undefined, places: StoredPlaces | undefined, edits: readonly EditedText[]): RelatedAfterEdits | string {
  if (!stored || !kept || !places) return "the cache does not hold the related lists' terms and places";
  const articles = kept.keys.length;
  // Each part as the last build that chose the lists left it: these terms, these places, these texts.
  if (!holdsTogether(stored, articles) || stored.terms !== kept.token || stored.names !== places.names || !placesHoldTogether(places, articles)) return "the related lists' parts in the cache do not hold together";
  if (relatedKey(places.names, kept.keys) !== stored.key) return "the related lists were not chosen from the terms the cache holds";
  const keys = [...kept.keys];
  const texts = new Map<number, ArticleText>();
  const placeOf = new Map(places.paths.map((relativePath, place) => [relativePath, place]));
  if (placeOf.size !== articles) return "the related lists' places name a file twice";
  for (const edit of edits) {
    const place = placeOf.get(edit.relativePath);
    if (place === undefined || kept.keys[place] !== edit.previousTermsKey) return `the related lists' terms do not hold ${edit.relativePath} as the last build read it`;
    keys[place] = edit.termsKey;
    texts.set(place, edit.text);
  }
  const key = relatedKey(places.names, keys);
  const revision = reviseKeptAt(kept, texts);
  if (revision === undefined) return "the related lists' terms cannot be counted again in place";
  if (countsAsKept(revision, kept)) return { places, changed: new Map(), stored: { ...stored, key }, terms: { lists: { keys, words: kept.words, terms: kept.start[articles]!, token: kept.token } } };
  const counted = countRevised(kept, revision);
  if (counted === undefined) return "the related lists' terms would be laid out anew";
  const lists = chooseRelated(places.articleNames, {}, counted);
  const listOf = ({ start, chosen }: { start: Uint32Array; chosen: Uint32Array }, place: number) => Array.from(chosen.subarray(start[place], start[place + 1]));
  const changed = new Map<number, { before: number[]; now: number[] }>();
  for (let place = 0; place < articles; place++) {
    const before = stored.chosen.subarray(stored.start[place], stored.start[place + 1]);
    const now = lists.chosen.subarray(lists.start[place], lists.start[place + 1]);
    if (before.length !== now.length || before.some((other, at) => other !== now[at])) changed.set(place, { before: listOf(stored, place), now: listOf(lists, place) });
  }
  const { words, start, term, count, revised, added } = counted;
  const terms = storeTerms({ keys, words, start, term, count, revised, added });
  return { places, changed, stored: { key, names: places.names, ...lists, terms: terms.lists.token }, terms };
}

/** Whether stored places fit an archive of `articles`: a path each, and each article's names where their starts say; any that do not build the whole site. */
function placesHoldTogether({ paths, articleNames }: StoredPlaces, articles: number): boolean {
  if (!Array.isArray(paths) || paths.length !== articles) return false;
  const { topicStart, topics, authorStart, authors } = articleNames;
  const fits = (start: unknown, numbers: unknown) => {
    if (!(start instanceof Uint32Array) || !(numbers instanceof Uint32Array) || start.length !== articles + 1 || start[0] !== 0 || start[articles] !== numbers.length) return false;
    for (let at = 1; at < start.length; at++) if (start[at]! < start[at - 1]!) return false;
    return true;
  };
  return fits(topicStart, topics) && fits(authorStart, authors);
}

/** A related list's markup as an article's page has it, before the edits and now. */
export interface ListMarkup {
  before: string;
  now: string;
}

/**
 * The markup of each list that changed (`RelatedAfterEdits`), before and now, by the
 * address of the page that shows it: made from the entries the last build stored of the articles
 * at those places (`entryOf`, by path), which hold what a list shows of each (its address, title
 * and date). Else why the pages cannot be made so: a list that was empty, whose page has no place
 * for one, or an article whose entry the cache no longer holds.
 */
export function changedListsMarkup({ changed, places }: Pick<RelatedAfterEdits, "changed" | "places">, entryOf: (relativePath: string) => StoredEntry | undefined, settings: Settings): Map<string, ListMarkup> | string {
  const dates = new DatesRevived();
  const shown = new Map<number, RelatedShown | undefined>();
  const shownAt = (place: number) => {
    if (!shown.has(place)) shown.set(place, shownOf(entryOf(places.paths[place]!), dates));
    return shown.get(place);
  };
  const listed = (list: number[]) => list.map(shownAt).filter((other) => other !== undefined);
  const pages = new Map<string, ListMarkup>();
  for (const [place, { before, now }] of changed) {
    const article = shownAt(place);
    const [listedBefore, listedNow] = [listed(before), listed(now)];
    if (article === undefined || listedBefore.length !== before.length || listedNow.length !== now.length) return `the cache no longer holds an article a related list shows, as the last build read it`;
    if (before.length === 0) return `${places.paths[place]} had no related articles, and its page no place for them`;
    pages.set(article.url, { before: relatedArticlesHtml(settings, listedBefore), now: relatedArticlesHtml(settings, listedNow) });
  }
  return pages;
}

/** What a related list shows of the article an entry holds: its address, title and date. */
function shownOf(entry: StoredEntry | undefined, dates: DatesRevived): RelatedShown | undefined {
  const source = entry?.parsed.source;
  if (source === undefined || entry?.rendered === undefined) return undefined;
  const { url } = unpackRendered(entry.rendered);
  // As the cache stores it (stored-dates.ts): made a DateTime again, on a copy.
  const date = dates.revive({ ...source.date }) as ArticleDate;
  return { url, title: source.title, date };
}
