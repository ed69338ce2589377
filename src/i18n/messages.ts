import { ar } from "./ar.ts";
import { de } from "./de.ts";
import { en } from "./en.ts";
import { es } from "./es.ts";
import { fr } from "./fr.ts";

export type MessageKey = keyof typeof en;

/** A message that counts: a form per plural category of the language, `other` always. */
export interface PluralMessage {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}

export type Message = string | PluralMessage;

/** A language's words of the interface: every message English has, of the same kind. */
export type Catalogue = { [K in MessageKey]: (typeof en)[K] extends string ? string : PluralMessage };

/** The languages whose interface words Broadsheet ships, by primary language subtag. */
export const CATALOGUES: Readonly<Record<string, Catalogue>> = { en, de, fr, es, ar };

// Scripts written right to left, by primary language subtag.
const RIGHT_TO_LEFT = new Set(["ar", "arc", "ckb", "dv", "fa", "he", "ks", "ku", "ps", "sd", "ug", "ur", "yi"]);

/** `de` of `de-AT`. */
export function primaryLanguage(language: string): string {
  return language.split("-")[0]!.toLowerCase();
}

export function hasCatalogue(language: string): boolean {
  return Object.hasOwn(CATALOGUES, primaryLanguage(language));
}

/** The interface's words in one language, with the site's own wording (`strings:`) over them. */
export class Messages {
  readonly dir: "ltr" | "rtl";
  private readonly catalogue: Record<string, Message>;
  private readonly plurals: Intl.PluralRules;
  private readonly numbers: Intl.NumberFormat;
  /**
   * Each number as written and its plural form, once: a build asks for the same few thousand
   * (page numbers, counts) hundreds of thousands of times, and Intl's formatters took half a
   * second of a build at 100,000 articles.
   */
  private readonly written = new Map<number, string>();
  private readonly forms = new Map<number, keyof PluralMessage>();

  constructor(
    readonly language: string,
    overrides: Readonly<Record<string, Message>> = {},
  ) {
    this.catalogue = { ...(CATALOGUES[primaryLanguage(language)] ?? en), ...overrides };
    this.dir = RIGHT_TO_LEFT.has(primaryLanguage(language)) ? "rtl" : "ltr";
    this.plurals = new Intl.PluralRules(language);
    this.numbers = new Intl.NumberFormat(language);
  }

  /** The message, its `{name}`s filled in; numbers are written the language's way, and `count` picks the plural form. */
  t(key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string {
    return fill(this.form(key, params.count), params, (value) => this.number(value));
  }

  /** A number as the language writes it. */
  private number(value: number): string {
    let text = this.written.get(value);
    if (text === undefined) this.written.set(value, (text = this.numbers.format(value)));
    return text;
  }

  /** The message as written, every plural form of it: for the search page's script, which fills it in itself. */
  raw(key: MessageKey): Message {
    return this.catalogue[key]!;
  }

  private form(key: MessageKey, count: string | number | undefined): string {
    const message = this.catalogue[key]!;
    if (typeof message === "string") return message;
    if (typeof count !== "number") return message.other;
    // An exact zero reads better as its own form where a language has one (Arabic).
    let category = this.forms.get(count);
    if (category === undefined) this.forms.set(count, (category = this.plurals.select(count) as keyof PluralMessage));
    return message[category] ?? message.other;
  }
}

function fill(text: string, params: Readonly<Record<string, string | number>>, number: (value: number) => string): string {
  // Most messages have no `{name}` to fill: those are as written.
  if (!text.includes("{")) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? number(value) : value;
  });
}

const cache = new WeakMap<object, Messages>();

/** The site's messages, made once per settings object. */
export function messagesFor(settings: { language: string; strings: Readonly<Record<string, Message>> }): Messages {
  let messages = cache.get(settings);
  if (!messages) cache.set(settings, (messages = new Messages(settings.language, settings.strings)));
  return messages;
}

export const MESSAGE_KEYS = Object.keys(en) as MessageKey[];
