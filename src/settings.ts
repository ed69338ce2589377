import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { IANAZone } from "luxon";
import { error, warning, type Problem } from "./problems.ts";
import { parseArticleDate } from "./articles/dates.ts";
import { hasCatalogue, MESSAGE_KEYS, type Message } from "./i18n/messages.ts";
import { closestName } from "./suggest.ts";
import { describeYamlError, lineOfKey, parseYaml } from "./yaml.ts";

/** A display label and the other spellings to merge into one topic or author. */
export interface NameSetting {
  label?: string;
  aliases?: string[];
}

/** A link added to the site's header. */
export interface NavLink {
  label: string;
  /** A site path (`/about/`, given the base path) or a full address. */
  url: string;
}

/** How the front page looks. */
export interface HomeSetting {
  /** `latest`: the newest articles, a page at a time; `front`: a lead story, the latest, then a section per topic. */
  layout: "latest" | "front";
  /** With `front`: the topics given a section of their own, in this order. */
  topics: string[];
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
  /** The site's logo: an image file, shown in the header; resolved to an absolute path. */
  logo: string;
  /** Links added to the header, after the site's sections. */
  nav: NavLink[];
  /** Markdown for the footer of every page: copyright, contact, links. */
  footer: string;
  /** A folder of the site's own style.css, files and HTML snippets; resolved to an absolute path. */
  theme: string;
  /** A folder of Markdown pages (about, contact), each published at /<slug>/; resolved to an absolute path. */
  pages: string;
  /** How the front page looks. */
  home: HomeSetting;
  /** The site's own wording of any interface message, by key (see src/i18n/en.ts). */
  strings: Record<string, Message>;
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
  logo: "",
  nav: [],
  footer: "",
  theme: "",
  pages: "",
  home: { layout: "latest", topics: [] },
  strings: {},
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
  validateBrand(settings, file, at, problems);
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

const LOGO_TYPES = /\.(svg|png|jpe?g|webp|avif|gif)$/i;

/** The settings that make the site the publication's own: logo, links, footer, theme, pages, front page, wording. */
function validateBrand(settings: Settings, file: string, at: (field: string) => { field: string; line?: number }, problems: Problem[]): void {
  const folder = path.dirname(path.resolve(file));
  const resolve = (field: "logo" | "theme" | "pages", kind: "file" | "folder", fix: string) => {
    if (settings[field] === "") return;
    const resolved = path.resolve(folder, settings[field]);
    const stat = existsSync(resolved) ? statSync(resolved) : undefined;
    if (kind === "file" ? !stat?.isFile() : !stat?.isDirectory()) {
      problems.push(error(file, `"${settings[field]}" is no ${kind} (looked for ${resolved}). ${fix}`, at(field)));
      settings[field] = "";
      return;
    }
    settings[field] = resolved;
  };
  if (settings.logo !== "" && !LOGO_TYPES.test(settings.logo)) {
    problems.push(error(file, `"${settings.logo}" is not an image the header can show. Use an .svg, .png, .jpg, .webp, .avif or .gif file.`, at("logo")));
    settings.logo = "";
  }
  resolve("logo", "file", "Write the path of an image file, relative to the settings file: logo: logo.svg.");
  resolve("theme", "folder", "Write the path of a folder, relative to the settings file, that holds style.css and the theme's other files: theme: ../theme.");
  resolve("pages", "folder", "Write the path of a folder of Markdown pages, relative to the settings file: pages: ../pages.");

  const links = settings.nav;
  settings.nav = [];
  for (const [index, link] of links.entries()) {
    const entry = link as Partial<NavLink> | null;
    if (typeof entry !== "object" || entry === null || typeof entry.label !== "string" || entry.label.trim() === "" || typeof entry.url !== "string" || entry.url.trim() === "") {
      problems.push(error(file, `link ${index + 1} must have a label and a url: - { label: Subscribe, url: https://news.example.org/subscribe }.`, at("nav")));
      continue;
    }
    if (!/^(\/|https?:\/\/|mailto:)/.test(entry.url.trim())) {
      problems.push(error(file, `link ${index + 1} ("${entry.label}"): "${entry.url}" is neither a path of the site (/about/) nor a full https:// or mailto: address.`, at("nav")));
      continue;
    }
    settings.nav.push({ label: entry.label.trim(), url: entry.url.trim() });
  }

  const home = settings.home as Partial<HomeSetting> & Record<string, unknown>;
  settings.home = { ...defaultSettings.home };
  for (const key of Object.keys(home)) {
    if (key !== "layout" && key !== "topics") problems.push(warning(file, `home: "${key}" is not a part of the front page setting and is ignored; it has layout and topics.`, at("home")));
  }
  if (home.layout !== undefined) {
    if (home.layout === "latest" || home.layout === "front") settings.home.layout = home.layout;
    else problems.push(error(file, `home: layout "${String(home.layout)}" is not a layout. Use latest (the newest articles) or front (a lead story, the latest, then a section per topic).`, at("home")));
  }
  if (home.topics !== undefined) {
    if (Array.isArray(home.topics) && home.topics.every((topic) => typeof topic === "string")) settings.home.topics = home.topics;
    else problems.push(error(file, "home: topics must be a list of topic names: topics: [Housing, Transport].", at("home")));
  }

  if (!hasCatalogue(settings.language)) {
    problems.push(warning(file, `"${settings.language}" has no catalogue of interface words yet, so navigation, headings and the search page are in English. Give each message in your language under strings: (the keys are in Broadsheet's src/i18n/en.ts), or use en, de, fr, es or ar.`, at("language")));
  }
  const strings = settings.strings;
  settings.strings = {};
  for (const [key, message] of Object.entries(strings)) {
    if (!(MESSAGE_KEYS as string[]).includes(key)) {
      const meant = closestName(key, MESSAGE_KEYS);
      problems.push(warning(file, `strings: "${key}" is not a message of the interface and is ignored.${meant ? ` Did you mean "${meant}"?` : ""}`, at("strings")));
      continue;
    }
    const plural = typeof message === "object" && message !== null && !Array.isArray(message) && typeof (message as { other?: unknown }).other === "string" && Object.values(message).every((form) => typeof form === "string");
    if (typeof message !== "string" && !plural) {
      problems.push(error(file, `strings: "${key}" must be text, or for a message that counts a mapping of plural forms with at least other: { one: "{count} article", other: "{count} articles" }.`, at("strings")));
      continue;
    }
    settings.strings[key] = message as Message;
  }
}
