import { deserialize, serialize } from "node:v8";
import { DateTime } from "luxon";
import { expect, test } from "vitest";
import { DatesRevived, storeDates } from "../../src/cache/stored-dates.ts";

/** Everything a layout or a key reads of a date. */
function observed(date: DateTime) {
  return {
    millis: date.toMillis(),
    iso: date.toISO(),
    offset: date.offset,
    zone: date.zoneName,
    locale: date.locale,
    numberingSystem: date.numberingSystem,
    outputCalendar: date.outputCalendar,
    parts: date.toObject(),
    formatted: date.toFormat("cccc d MMMM yyyy HH:mm:ss.SSS ZZZZ"),
    full: date.toLocaleString(DateTime.DATETIME_FULL),
    startOfMonth: date.startOf("month").toISO(),
  };
}

/** Stored as the cache stores them, through Node's serialiser. */
const stored = <T>(value: T): T => deserialize(serialize(storeDates(value))) as T;

test("dates read back from the cache are the dates stored, in every zone and locale, on both sides of a change of clocks", () => {
  const instants = ["2024-03-31T00:59:59Z", "2024-03-31T01:00:00Z", "2024-10-27T00:30:00Z", "2024-10-27T01:30:00Z", "1890-06-01T12:00:00Z", "2038-01-19T03:14:08Z"].map((iso) => DateTime.fromISO(iso).toMillis());
  const kinds = [
    { zone: "Europe/London", locale: "en-GB" },
    { zone: "America/New_York", locale: "en-US" },
    { zone: "Asia/Kolkata", locale: "hi" },
    { zone: "Australia/Lord_Howe", locale: "en-AU" },
    { zone: "Europe/Berlin", locale: "de" },
    { zone: "UTC", locale: "fr" },
    { zone: "UTC+3", locale: "ar-EG" },
  ];
  const dates = kinds.flatMap(({ zone, locale }) => instants.map((millis) => DateTime.fromMillis(millis, { zone, locale })));
  const article = { date: { value: dates[0], hasTime: true }, corrections: dates.map((value) => ({ value, note: "x" })), nested: [[dates[1]]] };
  const revived = new DatesRevived().revive(stored(article));
  expect(revived.corrections.map(({ value }) => observed(value!))).toEqual(dates.map(observed));
  expect(observed(revived.date.value!)).toEqual(observed(dates[0]!));
  expect(observed(revived.nested[0]![0]!)).toEqual(observed(dates[1]!));
  for (const [at, { value }] of revived.corrections.entries()) expect(value!.equals(dates[at]!)).toBe(true);
});

test("a date is made with the offset stored, without asking for it again, once the first of its zone and locale is made alike", () => {
  const [first, second] = [Date.UTC(2024, 0, 15), Date.UTC(2024, 6, 15)].map((millis) => DateTime.fromMillis(millis, { zone: "Europe/London", locale: "en-GB" }));
  const kept = stored([first!, second!]) as unknown as { "broadsheet:date": [number, string, string, number] }[];
  // An offset no clock had: only a date made from the stored one has it.
  kept[1]!["broadsheet:date"][3] = 7;
  const revived = new DatesRevived().revive(kept) as unknown as DateTime[];
  expect(observed(revived[0]!)).toEqual(observed(first!));
  expect(revived[1]!.offset).toBe(7);
  expect(revived[1]!.toMillis()).toBe(second!.toMillis());
});

test("when the first date of a zone and locale does not have the offset stored, every date of them is made by asking for it", () => {
  const dates = [Date.UTC(2024, 0, 15), Date.UTC(2024, 6, 15)].map((millis) => DateTime.fromMillis(millis, { zone: "Europe/London", locale: "en-GB" }));
  const kept = stored(dates) as unknown as { "broadsheet:date": [number, string, string, number] }[];
  for (const date of kept) date["broadsheet:date"][3] += 5;
  const revived = new DatesRevived().revive(kept) as unknown as DateTime[];
  expect(revived.map(observed)).toEqual(dates.map(observed));
});

test("a field named __proto__ holding a date is read back as a field, not as the object's prototype", () => {
  const date = DateTime.fromMillis(Date.UTC(2024, 0, 15), { zone: "Europe/London", locale: "en-GB" });
  const value = deserialize(serialize(storeDates(JSON.parse('{"__proto__": 1}') as object))) as Record<string, unknown>;
  Object.defineProperty(value, "__proto__", { value: storeDates(date), enumerable: true, writable: true, configurable: true });
  const revived = new DatesRevived().revive(value);
  expect(Object.getPrototypeOf(revived)).toBe(Object.prototype);
  expect(observed(Object.getOwnPropertyDescriptor(revived, "__proto__")!.value as DateTime)).toEqual(observed(date));
});
