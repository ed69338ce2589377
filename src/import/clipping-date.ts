import { DateTime } from "luxon";

/** A date found in a clipping, written as front matter takes it: `2024-05-14` or `2024-05-14T09:30:00+01:00`. */
export interface FoundDate {
  date: string;
  /** "updated" for lines such as "Last modified on …"; such a date is the last correction, not publication. */
  kind: "published" | "updated";
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

// News sites print zone abbreviations; only unambiguous ones are read, others leave the time in the site's zone.
const ZONE_OFFSETS: Record<string, string> = {
  UTC: "+00:00", GMT: "+00:00", Z: "+00:00", BST: "+01:00", CET: "+01:00", CEST: "+02:00", EET: "+02:00", EEST: "+03:00",
  EST: "-05:00", EDT: "-04:00", CST: "-06:00", CDT: "-05:00", MST: "-07:00", MDT: "-06:00", PST: "-08:00", PDT: "-07:00",
  AEST: "+10:00", AEDT: "+11:00", NZST: "+12:00", NZDT: "+13:00",
};

const PREFIX = /^(?:(?:first\s+)?published(?:\s+on)?|(?:last\s+)?(?:modified|updated)(?:\s+on)?|posted(?:\s+on)?|date)\s*:?\s+/i;
const WEEKDAY = String.raw`(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+`;
const MONTH = String.raw`([a-z]{3,9})\.?`;
const TIME = String.raw`(?:,?\s+(?:at\s+)?(\d{1,2})[:.](\d{2})\s*([ap]\.?m\.?)?(?:\s*([A-Z]{1,4}|[+-]\d{2}:?\d{2}))?)?`;
const ISO = new RegExp(String.raw`^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*(Z|[+-]\d{2}:?\d{2}|[A-Z]{2,4})?)?$`);
const DAY_MONTH_YEAR = new RegExp(String.raw`^(?:${WEEKDAY})?(\d{1,2})(?:st|nd|rd|th)?\s+${MONTH},?\s+(\d{4})${TIME}$`, "i");
const MONTH_DAY_YEAR = new RegExp(String.raw`^(?:${WEEKDAY})?${MONTH}\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})${TIME}$`, "i");
const FILE_NAME_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:$|[-_ .])/;

/**
 * Reads a line that is a date and nothing else ("Tue 14 May 2024 09.30 BST", "14 May 2024",
 * "May 14, 2024", "2024-05-14", optionally after "Published:" or "Last modified on").
 */
export function readDateLine(line: string): FoundDate | undefined {
  const trimmed = line.trim().replace(/\.$/, "");
  const prefix = PREFIX.exec(trimmed);
  const kind = prefix && /modified|updated/i.test(prefix[0]) ? "updated" : "published";
  const text = prefix ? trimmed.slice(prefix[0].length) : trimmed;
  if (text.length > 60 || !/\d{4}/.test(text)) return undefined;

  const iso = ISO.exec(text);
  if (iso) {
    const [, year, month, day, hour, minute, second, zone] = iso;
    return found(kind, Number(year), Number(month), Number(day), hour, minute, second, undefined, zone);
  }
  const dmy = DAY_MONTH_YEAR.exec(text);
  if (dmy) {
    const [, day, month, year, hour, minute, meridiem, zone] = dmy;
    return found(kind, Number(year), monthNumber(month!), Number(day), hour, minute, undefined, meridiem, zone);
  }
  const mdy = MONTH_DAY_YEAR.exec(text);
  if (mdy) {
    const [, month, day, year, hour, minute, meridiem, zone] = mdy;
    return found(kind, Number(year), monthNumber(month!), Number(day), hour, minute, undefined, meridiem, zone);
  }
  return undefined;
}

/** The date a file name starts with: `2024-05-14-council-tower.txt` → `2024-05-14`. */
export function dateFromFileName(fileName: string): string | undefined {
  const match = FILE_NAME_DATE.exec(fileName);
  if (!match) return undefined;
  return DateTime.fromObject({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) }).isValid ? match[0].slice(0, 10) : undefined;
}

function found(
  kind: FoundDate["kind"],
  year: number,
  month: number,
  day: number,
  hour: string | undefined,
  minute: string | undefined,
  second: string | undefined,
  meridiem: string | undefined,
  zone: string | undefined,
): FoundDate | undefined {
  if (month === 0 || !DateTime.fromObject({ year, month, day }).isValid) return undefined;
  const date = `${year}-${pad(month)}-${pad(day)}`;
  if (hour === undefined) return { date, kind };
  let hours = Number(hour);
  if (meridiem) {
    if (hours < 1 || hours > 12) return undefined;
    hours = (hours % 12) + (/^p/i.test(meridiem) ? 12 : 0);
  }
  if (hours > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return undefined;
  const offset = zone === undefined ? "" : /^[+-]/.test(zone) ? zone.replace(/^([+-]\d{2})(\d{2})$/, "$1:$2") : (ZONE_OFFSETS[zone.toUpperCase()] ?? "");
  return { date: `${date}T${pad(hours)}:${minute}:${second ?? "00"}${offset}`, kind };
}

/** `May`, `Sept`, `september` → 5, 9, 9; 0 for a word that is no month. */
function monthNumber(word: string): number {
  const lower = word.toLowerCase();
  const index = MONTHS.findIndex((month) => month.startsWith(lower) && lower.length >= 3);
  return index + 1;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
