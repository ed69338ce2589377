import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { formatLocaleDate, parseArticleDate, type ArticleDate } from "../../src/articles/dates.ts";
import { formatShortDate } from "../../layouts/format.ts";

function dateIn(text: string, timeZone: string): ArticleDate {
  const parsed = parseArticleDate(text, timeZone);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.date;
}

describe("formatShortDate", () => {
  it("gives every time of one day the same text, kept once per day and language", () => {
    expect(formatShortDate(dateIn("2024-03-18T00:10:00Z", "UTC"), "en")).toBe("Mar 18, 2024");
    expect(formatShortDate(dateIn("2024-03-18T23:50:00Z", "UTC"), "en")).toBe("Mar 18, 2024");
    expect(formatShortDate(dateIn("2024-03-18", "UTC"), "de")).toBe("18. März 2024");
  });

  it("names the day in each date's own zone, not in the zone of a date of that day met before", () => {
    const late = "2024-03-18T23:30:00Z";
    expect(formatShortDate(dateIn(late, "UTC"), "en")).toBe("Mar 18, 2024");
    // The same instant is the 19th in Auckland and still the 18th in Los Angeles.
    expect(formatShortDate(dateIn(late, "Pacific/Auckland"), "en")).toBe("Mar 19, 2024");
    expect(formatShortDate(dateIn("2024-03-19T03:00:00Z", "America/Los_Angeles"), "en")).toBe("Mar 18, 2024");
  });

  it("keeps UTC's text and a named zone's apart, which some languages write otherwise for the same day", () => {
    // Russian: a narrow no-break space before "г." from UTC's formatting, a plain one from a named zone's.
    const utc = dateIn("2024-03-18", "UTC");
    const moscow = dateIn("2024-03-18", "Europe/Moscow");
    for (const date of [utc, moscow, utc]) expect(formatShortDate(date, "ru")).toBe(formatLocaleDate(date.value, "ru", DateTime.DATE_MED));
  });
});
