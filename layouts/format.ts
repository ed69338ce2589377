import { DateTime } from "luxon";
import { formatLocaleDate, type ArticleDate } from "../src/articles/dates.ts";

// Layouts only format: every value arrives computed, and dates already carry the site's zone
// (so nothing here may call toLocal or read the machine's zone).

// An article's full date is shown on its page, and its machine-readable value there and in up to
// five listings; formatting is slow enough at 100,000 articles to be worth doing once per date
// and language. A listing's short date is kept per day instead (`formatShortDate`).
const formatted = new WeakMap<ArticleDate, Map<string, string>>();

function once(date: ArticleDate, key: string, format: () => string): string {
  let cache = formatted.get(date);
  if (!cache) formatted.set(date, (cache = new Map()));
  let text = cache.get(key);
  if (text === undefined) cache.set(key, (text = format()));
  return text;
}

const twentyFourHourClock = new Map<string, boolean>();

/** `18 March 2024`, or `18 March 2024 at 09:30` when a time was written, in the site's language. */
export function formatDate(date: ArticleDate, language: string): string {
  return once(date, `full ${language}`, () => {
    if (!date.hasTime) return formatLocaleDate(date.value, language, DateTime.DATE_FULL);
    // 24-hour clocks read best padded (09:30); 12-hour ones do not (9:30 AM).
    let twentyFourHour = twentyFourHourClock.get(language);
    if (twentyFourHour === undefined) {
      twentyFourHour = /^h2[34]$/.test(new Intl.DateTimeFormat(language, { hour: "numeric" }).resolvedOptions().hourCycle ?? "");
      twentyFourHourClock.set(language, twentyFourHour);
    }
    return formatLocaleDate(date.value, language, twentyFourHour ? FULL_WITH_24_HOUR_TIME : FULL_WITH_12_HOUR_TIME);
  });
}

// A listing's date names the day alone, so its text is one per day, zone and language, whatever
// the time: at 100,000 articles, a build that rendered the home listing's 10,000 pages again
// formatted 100,000 dates of some 3,000 days, in 0.4 s.
const shortDates = new Map<string, string>();

/** A shorter date for listings: `18 Mar 2024`. */
export function formatShortDate(date: ArticleDate, language: string): string {
  const { value } = date;
  // The zone too: `formatLocaleDate` formats UTC otherwise than a named zone, which for some
  // languages (Russian: a narrow or a plain space before "г.") gives another text.
  const day = `${language} ${value.zoneName} ${value.year}-${value.month}-${value.day}`;
  let text = shortDates.get(day);
  if (text === undefined) shortDates.set(day, (text = formatLocaleDate(value, language, DateTime.DATE_MED)));
  return text;
}

const FULL_WITH_24_HOUR_TIME = { ...DateTime.DATE_FULL, hour: "2-digit", minute: "2-digit" } as const;
const FULL_WITH_12_HOUR_TIME = { ...DateTime.DATE_FULL, hour: "numeric", minute: "2-digit" } as const;

/** The machine-readable value of `<time datetime>`: a full timestamp only when a time was written. */
export function isoDate(date: ArticleDate): string {
  return once(date, "iso", () => (date.hasTime ? date.value.toISO({ suppressMilliseconds: true }) : date.value.toISODate()) ?? "");
}

/** `March`, for a month within a year already named. */
export function formatMonth(year: number, month: number, language: string): string {
  return DateTime.fromObject({ year, month }, { zone: "UTC", locale: language }).toFormat("LLLL");
}

const numberFormats = new Map<string, Intl.NumberFormat>();

export function formatNumber(value: number, language: string): string {
  let format = numberFormats.get(language);
  if (!format) numberFormats.set(language, (format = new Intl.NumberFormat(language)));
  return format.format(value);
}

/**
 * Whether a summary only repeats the body's opening paragraph, so that the page would say it twice.
 * Compared as plain text, ignoring spacing, case and a trailing ellipsis.
 */
export function repeatsOpening(summary: string, opening: string): boolean {
  if (opening === "") return false;
  const first = comparable(opening);
  const text = comparable(summary);
  return text === first || (text.endsWith("…") && first.startsWith(text.slice(0, -1).trimEnd()));
}

function comparable(text: string): string {
  return text.replace(/\s+/g, " ").trim().toLowerCase();
}
