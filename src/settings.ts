import { existsSync, readFileSync } from "node:fs";
import { IANAZone } from "luxon";
import { error, warning, type Problem } from "./problems.ts";
import { parseArticleDate } from "./articles/dates.ts";
import { closestName } from "./suggest.ts";
import { describeYamlError, lineOfKey, parseYaml } from "./yaml.ts";

/** A display label and the other spellings to merge into one topic or author. */
export interface NameSetting {
  label?: string;
  aliases?: string[];
}

/** Everything a site can set, in `broadsheet.yml` beside the articles. */
export interface Settings {
  /** The site's name, in the header, titles and feeds. */
  title: string;
  /** One sentence about the site, for the home page and feeds. */
  description: string;
  /** Who publishes the site, for structured data; default: the site's title. */
  publisher: string;
  /** Absolute address of the publisher's logo, for structured data; optional. */
  publisherLogo: string;
  /** Where the site is published, scheme and host: `https://news.example.org`. */
  baseUrl: string;
  /** The folder the site is served from: `/` or `/archive/`. */
  basePath: string;
  /** BCP 47 language tag of the articles: `en`, `en-GB`, `fr`. */
  language: string;
  /** IANA time zone in which dates without an offset are read and every date is shown. */
  timeZone: string;
  /** Articles per listing page. */
  pageSize: number;
  /** Entries per feed. */
  feedSize: number;
  /**
   * Articles per part of the search index, newest first. A search looks in the newest part
   * first, and in the whole archive when that finds less than a page of results or the reader asks.
   */
  searchVolume: number;
  /** Labels and aliases for topics, keyed by any spelling of the topic. */
  topics: Record<string, NameSetting>;
  /** Labels and aliases for authors, keyed by any spelling of the name. */
  authors: Record<string, NameSetting>;
  /** Pass raw HTML in article bodies through the sanitiser (turn off only if every author is trusted). */
  sanitize: boolean;
  /** Hosts whose `<iframe>` embeds survive sanitising. */
  iframeHosts: string[];
  /**
   * The moment the site is built for, as a date-time: articles dated later are scheduled and
   * not published. Empty means the build machine's clock.
   */
  now: string;
}

export const SETTINGS_FILE = "broadsheet.yml";

export const defaultSettings: Settings = {
  title: "Broadsheet",
  description: "An archive of articles.",
  publisher: "",
  publisherLogo: "",
  baseUrl: "http://localhost:8080",
  basePath: "/",
  language: "en",
  timeZone: "UTC",
  pageSize: 10,
  feedSize: 20,
  searchVolume: 10_000,
  topics: {},
  authors: {},
  sanitize: true,
  iframeHosts: ["www.youtube.com", "www.youtube-nocookie.com", "player.vimeo.com"],
  now: "",
};

export interface SettingsResult {
  settings: Settings;
  problems: Problem[];
}

/**
 * Reads the settings file if there is one (defaults otherwise), then applies command-line
 * overrides. Every problem is returned; the settings are usable only when none is an error.
 */
export function loadSettings(file: string | undefined, overrides: Partial<Settings> = {}): SettingsResult {
  if (file === undefined || !existsSync(file)) return validateSettings({ ...overrides }, file ?? SETTINGS_FILE, "");
  const text = readFileSync(file, "utf8");
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (cause) {
    const { line, message } = describeYamlError(cause);
    return { settings: defaultSettings, problems: [error(file, `The settings are not valid YAML: ${message}. Fix the line shown.`, { line })] };
  }
  if (typeof raw !== "object" || Array.isArray(raw) || raw === null) {
    return { settings: defaultSettings, problems: [error(file, "The settings file must be a YAML mapping of names to values, like `title: My archive`.")] };
  }
  return validateSettings({ ...(raw as Record<string, unknown>), ...overrides }, file, text);
}

export function validateSettings(raw: Record<string, unknown>, file: string, text: string): SettingsResult {
  const problems: Problem[] = [];
  const at = (field: string) => ({ field, line: lineOfKey(text, field) });
  const settings: Settings = { ...defaultSettings };
  const known = Object.keys(defaultSettings);

  for (const [field, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (!known.includes(field)) {
      const meant = closestName(field, known);
      problems.push(warning(file, `is not a setting and is ignored.${meant ? ` Did you mean \`${meant}\`?` : ` The settings are: ${known.join(", ")}.`}`, at(field)));
      continue;
    }
    const expected = typeof defaultSettings[field as keyof Settings];
    const actual = Array.isArray(value) ? "array" : typeof value;
    const wanted = Array.isArray(defaultSettings[field as keyof Settings]) ? "array" : expected;
    if (actual !== wanted) {
      problems.push(error(file, `must be ${article(wanted)} ${wanted}, not ${article(actual)} ${actual}.`, at(field)));
      continue;
    }
    (settings as unknown as Record<string, unknown>)[field] = value;
  }

  if (!IANAZone.isValidZone(settings.timeZone)) {
    problems.push(error(file, `"${settings.timeZone}" is not a time zone. Use an IANA name such as Europe/London, America/New_York or UTC.`, at("timeZone")));
    settings.timeZone = defaultSettings.timeZone;
  }
  try {
    settings.language = Intl.getCanonicalLocales(settings.language)[0] ?? defaultSettings.language;
  } catch {
    problems.push(error(file, `"${settings.language}" is not a language tag. Use a BCP 47 tag such as en, en-GB or fr.`, at("language")));
    settings.language = defaultSettings.language;
  }
  for (const field of ["pageSize", "feedSize"] as const) {
    const value = settings[field];
    if (!Number.isInteger(value) || value < 1 || value > 1000) {
      problems.push(error(file, `must be a whole number from 1 to 1000, not ${value}.`, at(field)));
      settings[field] = defaultSettings[field];
    }
  }
  if (!Number.isInteger(settings.searchVolume) || settings.searchVolume < 1) {
    problems.push(error(file, `must be a whole number of articles, at least 1, not ${settings.searchVolume}. Leave it out for the default, ${defaultSettings.searchVolume}.`, at("searchVolume")));
    settings.searchVolume = defaultSettings.searchVolume;
  }
  try {
    const url = new URL(settings.baseUrl);
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("not http");
    // A path in the base URL is folded into the base path, so that either way of writing it works.
    if (url.pathname !== "/" && settings.basePath === "/") settings.basePath = url.pathname;
    settings.baseUrl = url.origin;
  } catch {
    problems.push(error(file, `"${settings.baseUrl}" is not an absolute web address. Write it as https://news.example.org.`, at("baseUrl")));
    settings.baseUrl = defaultSettings.baseUrl;
  }
  settings.basePath = normaliseBasePath(settings.basePath);
  if (/[?#\\\s]/.test(settings.basePath)) {
    problems.push(error(file, `"${settings.basePath}" is not a folder path. Write it as / or /archive/.`, at("basePath")));
    settings.basePath = "/";
  }
  for (const field of ["topics", "authors"] as const) {
    // A copy, so that dropping a bad entry never changes the caller's object.
    settings[field] = { ...settings[field] };
    for (const [name, entry] of Object.entries(settings[field])) {
      const ok =
        typeof entry === "object" && entry !== null && !Array.isArray(entry) &&
        (entry.label === undefined || typeof entry.label === "string") &&
        (entry.aliases === undefined || (Array.isArray(entry.aliases) && entry.aliases.every((alias) => typeof alias === "string")));
      if (!ok) {
        problems.push(error(file, `"${name}" must be a mapping with an optional \`label\` (text) and \`aliases\` (a list of names).`, at(field)));
        delete settings[field][name];
      }
    }
  }
  if (settings.now !== "" && !parseArticleDate(settings.now, settings.timeZone).ok) {
    problems.push(error(file, `"${settings.now}" is not a date-time. Write it as 2024-05-01T12:00:00+01:00, or remove it to use the clock.`, at("now")));
    settings.now = "";
  }
  if (!settings.iframeHosts.every((host) => typeof host === "string")) {
    problems.push(error(file, "must be a list of host names such as www.youtube.com.", at("iframeHosts")));
    settings.iframeHosts = defaultSettings.iframeHosts;
  }
  return { settings, problems };
}

/** `archive` → `/archive/`; `/` stays `/`. */
export function normaliseBasePath(path: string): string {
  const trimmed = path.trim().replace(/^\/+|\/+$/g, "");
  return trimmed === "" ? "/" : `/${trimmed}/`;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? "an" : "a";
}
