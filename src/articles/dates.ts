import { DateTime, FixedOffsetZone } from "luxon";

/** A date from front matter, placed in the site time zone. */
export interface ArticleDate {
  /** The instant, expressed in the site time zone. */
  value: DateTime;
  /** False when only a calendar date was written: pages then show no time of day. */
  hasTime: boolean;
}

export type DateResult = { ok: true; date: ArticleDate } | { ok: false; reason: string };

// Every timestamp form YAML 1.1 allows, plus ISO 8601 without seconds:
// 2019-12-01, 2019-12-01T09:30:00+01:00, 2015-06-29 1:00:19 -0400, 2001-12-14t21:59:43.10-05:00.
const TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:[ \t]*(Z|z|[+-]\d{1,2}(?::?\d{2})?))?)?$/;

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/**
 * Reads a front-matter date written in any form YAML allows. Without an offset it is read in
 * the site time zone; with one, it is that instant, shown in the site time zone.
 */
export function parseArticleDate(input: unknown, timeZone: string): DateResult {
  if (input instanceof Date) {
    // Only reached when a caller parsed YAML with timestamps on; the offset is lost, so read as UTC.
    return Number.isNaN(input.getTime())
      ? { ok: false, reason: "is not a date" }
      : { ok: true, date: { value: DateTime.fromJSDate(input, { zone: timeZone }), hasTime: true } };
  }
  if (typeof input !== "string" && typeof input !== "number") return { ok: false, reason: `must be a date, not ${describe(input)}` };
  const text = String(input).trim();
  const match = TIMESTAMP.exec(text);
  if (!match) return { ok: false, reason: `"${text}" is not a date` };
  const [, year, month, day, hour, minute, second, fraction, offset] = match;
  const parts = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour ?? 0),
    minute: Number(minute ?? 0),
    second: Number(second ?? 0),
    millisecond: fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, "0")),
  };
  const impossible = describeImpossible(parts);
  if (impossible) return { ok: false, reason: `"${text}" is not a date: ${impossible}` };

  const zone = offset === undefined ? timeZone : parseOffset(offset);
  if (zone === undefined) return { ok: false, reason: `"${text}" has an offset that is not one: ${offset}` };
  const value = DateTime.fromObject(parts, { zone });
  if (!value.isValid) return { ok: false, reason: `"${text}" is not a date: ${value.invalidExplanation ?? value.invalidReason}` };
  return { ok: true, date: { value: value.setZone(timeZone), hasTime: hour !== undefined } };
}

function describeImpossible(parts: { year: number; month: number; day: number; hour: number; minute: number; second: number }): string | undefined {
  if (parts.month < 1 || parts.month > 12) return `there is no month ${parts.month}`;
  const days = DateTime.utc(parts.year, parts.month).daysInMonth ?? 31;
  if (parts.day < 1 || parts.day > days) return `${MONTHS[parts.month - 1]} ${parts.year} has ${days} days`;
  if (parts.hour > 23 || parts.minute > 59 || parts.second > 59) return "the time of day is out of range";
  return undefined;
}

function parseOffset(offset: string): FixedOffsetZone | undefined {
  if (offset === "Z" || offset === "z") return FixedOffsetZone.utcInstance;
  const match = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(offset);
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  if (minutes > 18 * 60) return undefined;
  return FixedOffsetZone.instance(match[1] === "-" ? -minutes : minutes);
}

function describe(value: unknown): string {
  if (value === null) return "an empty value";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a mapping" : `a ${typeof value}`;
}

export const DATE_EXAMPLE = "Write it as 2019-12-01 or 2019-12-01T09:30:00+01:00.";

const localeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * As Luxon's `value.setLocale(language).toLocaleString(options)`, with the formatter kept for
 * the next date: Luxon makes its Intl formatter anew each time, 15 µs a date, which at 100,000
 * articles (three formats each) took seconds. Dates in an offset zone other than UTC, which a
 * site's zone never is, go to Luxon.
 */
export function formatLocaleDate(value: DateTime, language: string, options: Intl.DateTimeFormatOptions): string {
  const timeZone = value.zone.isUniversal ? (value.offset === 0 ? "UTC" : undefined) : (value.zoneName ?? undefined);
  if (timeZone === undefined) return value.setLocale(language).toLocaleString(options);
  const key = `${language} ${timeZone} ${JSON.stringify(options)}`;
  let format = localeFormats.get(key);
  if (!format) localeFormats.set(key, (format = new Intl.DateTimeFormat(language, { ...options, timeZone })));
  // Luxon joins the parts for UTC, which keeps the narrow no-break space V8's `format` replaces.
  if (value.zone.isUniversal) return format.formatToParts(value.toMillis()).map((part) => part.value).join("");
  return format.format(value.toMillis());
}
