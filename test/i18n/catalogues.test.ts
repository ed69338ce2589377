import { describe, expect, test } from "vitest";
import { en } from "../../src/i18n/en.ts";
import { CATALOGUES, Messages, type Message, type PluralMessage } from "../../src/i18n/messages.ts";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
const forms = (message: Message): string[] => (typeof message === "string" ? [message] : Object.values(message));

describe.each(Object.keys(CATALOGUES).filter((language) => language !== "en"))("the %s catalogue", (language) => {
  const catalogue = CATALOGUES[language]! as Record<string, Message>;

  test("has every message of the English catalogue, and no other", () => {
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
  });

  test("writes each message as English does: text for text, plural forms for a count", () => {
    const mismatched = Object.entries(en).filter(([key, english]) => typeof english !== typeof catalogue[key]).map(([key]) => key);
    expect(mismatched).toEqual([]);
  });

  test("keeps every {placeholder} of the English message", () => {
    const lost: string[] = [];
    for (const [key, english] of Object.entries(en) as [string, Message][]) {
      const wanted = new Set(forms(english).flatMap(placeholders));
      for (const [form, text] of Object.entries(typeof catalogue[key] === "string" ? { text: catalogue[key] as string } : (catalogue[key] as PluralMessage))) {
        // A language may leave the number out where its word says it (Arabic's one, two and zero).
        const missing = [...wanted].filter((name) => !placeholders(text!).includes(name) && !(name === "count" && ["zero", "one", "two"].includes(form)));
        const extra = placeholders(text!).filter((name) => !wanted.has(name));
        if (missing.length > 0 || extra.length > 0) lost.push(`${key} (${form}): missing ${missing.join(", ") || "none"}, extra ${extra.join(", ") || "none"}`);
      }
    }
    expect(lost).toEqual([]);
  });

  test("has a form for every plural category the language uses", () => {
    const rules = new Intl.PluralRules(language);
    const categories = rules.resolvedOptions().pluralCategories;
    const missing = Object.entries(catalogue)
      .filter(([, message]) => typeof message !== "string")
      .flatMap(([key, message]) => categories.filter((category) => category !== "other" && (message as PluralMessage)[category] === undefined).map((category) => `${key}.${category}`));
    expect(missing).toEqual([]);
  });
});

describe("Messages", () => {
  test("fills in placeholders, writes numbers the language's way and picks the plural form", () => {
    expect(new Messages("en").t("count.articles", { count: 1 })).toBe("1 article");
    expect(new Messages("en").t("count.articles", { count: 1204 })).toBe("1,204 articles");
    expect(new Messages("de").t("count.articles", { count: 1204 })).toBe("1.204 Artikel");
    expect(new Messages("ar").t("count.articles", { count: 2 })).toBe((CATALOGUES.ar!["count.articles"] as PluralMessage).two);
  });

  test("a regional tag uses its language's catalogue; right-to-left scripts read right to left", () => {
    expect(new Messages("de-AT").t("nav.archive")).toBe(CATALOGUES.de!["nav.archive"]);
    expect(new Messages("ar-EG").dir).toBe("rtl");
    expect(new Messages("en-GB").dir).toBe("ltr");
  });

  test("a language without a catalogue speaks English", () => {
    expect(new Messages("sw").t("nav.archive")).toBe("Archive");
  });

  test("the site's own wording wins, a plain text for every form of a count too", () => {
    const messages = new Messages("en", { "nav.latest": "Front page", "count.articles": "{count} stories" });
    expect(messages.t("nav.latest")).toBe("Front page");
    expect(messages.t("count.articles", { count: 1 })).toBe("1 stories");
  });
});
