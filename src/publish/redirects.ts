import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Archive, NameGroup } from "../archive/archive.ts";
import { nameKey } from "../archive/names.ts";
import { slugify } from "../archive/slug.ts";
import type { FilePage, Page, RedirectPage } from "../archive/pages.ts";
import { readAlias } from "../articles/aliases.ts";
import { compareText, error, type Problem } from "../problems.ts";
import type { Settings } from "../settings.ts";
import { sitePath } from "../urls.ts";
import { URL_MAP } from "./vanished-urls.ts";
import { lineOfKey } from "../yaml.ts";

/** An old address of a page and the page it leads to. */
export interface Redirect {
  /** The old path, without the base path, as src/articles/aliases.ts reads it. */
  from: string;
  /** The site URL it leads to. */
  to: string;
  /** The page's name, for the small page left at the old address. */
  title: string;
  /** Where the alias was written, for messages: an article or the settings file. */
  file: string;
  line?: number;
  field: string;
  /** A feed moves with its topic, but only as a 301: a feed reader cannot follow an HTML page. */
  feedOnly?: boolean;
}

/** Folders the build fills with its own files, whatever the articles say. */
const RESERVED = ["/assets/", "/pagefind/"];

export const REDIRECTS_FILE = "/_redirects";

/**
 * Every redirect the archive asks for: each article's `aliases`, and the old URLs of topics and
 * authors that the settings merged or renamed (the setting's key and `aliases` beside `label`:
 * a name gives its old URL, `/topics/<slug>/`; a path is taken as written). An alias that would
 * take the place of a page the build writes, or that another alias already has, is an error that
 * names both files: a static host can hold one file at one address.
 */
export function planRedirects(archive: Archive, pages: readonly Page[], settingsFile: string): { redirects: Redirect[]; problems: Problem[] } {
  const problems: Problem[] = [];
  // Known only once an alias must be checked against them: at 100,000 articles, listing every
  // page's file and folders took 0.7 s of each build, most often for no alias at all.
  let writers: SiteWriters | undefined;

  const wanted: Redirect[] = [];
  for (const article of archive.articles) {
    for (const from of article.aliases) wanted.push({ from, to: article.url, title: article.title, file: article.file, line: article.lines.aliases, field: "aliases" });
  }
  wanted.push(...nameRedirects(archive, settingsFile, problems));

  const redirects: Redirect[] = [];
  const taken = new Map<string, Redirect>();
  for (const redirect of wanted) {
    const at = { field: redirect.field, line: redirect.line };
    const file = fileOf(redirect.from);
    const reserved = RESERVED.find((folder) => redirect.from.startsWith(folder));
    if (redirect.from === redirect.to) {
      problems.push(error(redirect.file, `${redirect.from} is the address the page already has, so it needs no alias. Remove it.`, at));
    } else if (reserved) {
      problems.push(error(redirect.file, `${redirect.from} is inside ${reserved}, which holds Broadsheet's own files. Remove the alias; no article was ever there.`, at));
    } else if (taken.has(file)) {
      const other = taken.get(file)!;
      const place = other.line === undefined ? other.file : `${other.file}:${other.line}`;
      const same = other.to === redirect.to ? " for the same page" : `, for ${other.to}`;
      problems.push(error(redirect.file, `${redirect.from} is also an alias in ${place}${same}; one old address can lead to one page only. Keep it where it belongs and remove the other.`, at));
    } else {
      writers ??= new SiteWriters(pages);
      const clash = writers.clash(file);
      if (clash) {
        problems.push(error(redirect.file, `${redirect.from} is the address of ${clash}, which this build writes; an alias cannot take the place of a page. Remove the alias, or give that page another address.`, at));
      } else {
        taken.set(file, redirect);
        redirects.push(redirect);
      }
    }
  }
  redirects.sort((a, b) => compareText(a.from, b.from));
  return { redirects, problems };
}

/** A small page at each old address that sends the reader on, and the `_redirects` file for hosts that read one. */
export function redirectPages(redirects: readonly Redirect[], settings: Settings): Page[] {
  const pages: (RedirectPage | FilePage)[] = redirects
    .filter((redirect) => !redirect.feedOnly)
    .map((redirect) => ({ kind: "redirect", url: redirect.from, target: redirect.to, title: redirect.title }));
  pages.push({ kind: "file", url: REDIRECTS_FILE, render: () => renderRedirectsFile(redirects, settings) });
  return pages;
}

/**
 * The `_redirects` file that Netlify and Cloudflare Pages read: one `from to 301` line each,
 * under the base path. Other hosts ignore it; the README gives the same for nginx and Apache.
 */
export function renderRedirectsFile(redirects: readonly Redirect[], settings: Pick<Settings, "basePath">): string {
  const lines = redirects.map((redirect) => `${encodeURI(sitePath(settings, redirect.from))} ${encodeURI(sitePath(settings, redirect.to))} 301`);
  return `# Old addresses and the pages they now lead to, for Netlify and Cloudflare Pages. Written by Broadsheet.\n${lines.join("\n")}\n`;
}

/** The file a site URL is written to, as a static host looks it up: a folder's is its index.html. */
export function fileOf(url: string): string {
  return url.endsWith("/") ? `${url}index.html` : url;
}

/** Who writes each file of the site, and each folder the files are in: a page, or a file the build makes. */
class SiteWriters {
  private readonly files = new Map<string, Page | string>();
  private readonly folders = new Map<string, Page | string>();

  constructor(pages: readonly Page[]) {
    for (const page of pages) this.claim(fileOf(page.url), page);
    // Written after the redirects are planned, from them, at addresses no alias may take.
    this.claim(REDIRECTS_FILE, `the redirects file ${REDIRECTS_FILE}`);
    this.claim(URL_MAP, `the URL map ${URL_MAP}`);
  }

  /** What writes `file`, a folder by that name, or a file in the place of one of its folders, for a message; undefined for nothing. */
  clash(file: string): string | undefined {
    const writer = this.files.get(file) ?? this.folders.get(file) ?? ancestors(file).map((folder) => this.files.get(folder)).find(Boolean);
    return writer === undefined || typeof writer === "string" ? writer : describePage(writer);
  }

  /** Records who writes `file`, and that its folders are folders. */
  private claim(file: string, writer: Page | string): void {
    this.files.set(file, writer);
    for (const folder of ancestors(file)) if (!this.folders.has(folder)) this.folders.set(folder, writer);
  }
}

/** `/a/b/index.html` → `/a`, `/a/b`. */
function ancestors(file: string): string[] {
  const folders: string[] = [];
  for (let slash = file.indexOf("/", 1); slash !== -1; slash = file.indexOf("/", slash + 1)) folders.push(file.slice(0, slash));
  return folders;
}

function describePage(page: Page): string {
  switch (page.kind) {
    case "article":
      return `the article ${page.article.file}`;
    case "file":
      return `the file ${page.url}`;
    case "redirect":
      return `the redirect ${page.url}`;
    case "page":
      return `the page ${page.source.file}`;
    case "list":
      return `the ${page.listing === "home" ? "home page" : `${page.listing} page`} ${page.url}`;
    default:
      return `the ${page.kind === "notFound" ? "404" : page.kind} page ${page.url}`;
  }
}

/**
 * Old URLs of topics and authors, from the settings: a topic renamed with `label`, or merged
 * from other spellings with `aliases`, keeps the URL each old name had, and its feed's.
 */
function nameRedirects(archive: Archive, settingsFile: string, problems: Problem[]): Redirect[] {
  const text = existsSync(settingsFile) ? readFileSync(settingsFile, "utf8") : "";
  // As articles are named in messages: relative to the working folder.
  settingsFile = path.relative(process.cwd(), path.resolve(settingsFile)).split(path.sep).join("/");
  const redirects: Redirect[] = [];
  for (const [kind, groups] of [
    ["topics", archive.topics],
    ["authors", archive.authors],
  ] as const) {
    const at = { field: kind, line: lineOfKey(text, kind) };
    for (const [name, setting] of Object.entries(archive.settings[kind])) {
      const spellings = [name, ...(setting.aliases ?? []).filter((alias) => !alias.startsWith("/"))];
      const group = findGroup(groups, [...spellings, setting.label ?? name]);
      const paths = (setting.aliases ?? []).filter((alias) => alias.startsWith("/"));
      for (const path of paths) {
        const alias = readAlias(path);
        if (!alias.ok) problems.push(error(settingsFile, `"${name}": alias ${alias.reason}`, at));
        else if (group) redirects.push({ from: alias.path, to: group.url, title: group.name, file: settingsFile, ...at });
      }
      if (!group) continue;
      const seen = new Set([group.url]);
      for (const spelling of spellings) {
        const slug = slugify(spelling);
        const from = `/${kind}/${slug}/`;
        // A spelling that gives the URL the name has now, or that of another name, moved nothing.
        if (slug === "" || seen.has(from) || groups.some((other) => other.url === from)) continue;
        seen.add(from);
        redirects.push({ from, to: group.url, title: group.name, file: settingsFile, ...at });
        redirects.push({ from: `${from}feed.xml`, to: `${group.url}feed.xml`, title: group.name, file: settingsFile, ...at, feedOnly: true });
      }
    }
  }
  return redirects;
}

/** The group a settings entry names, by any of its spellings. */
function findGroup(groups: readonly NameGroup[], spellings: readonly string[]): NameGroup | undefined {
  const keys = new Set(spellings.map(nameKey));
  return groups.find((group) => keys.has(nameKey(group.name)) || group.spellings.some(({ spelling }) => keys.has(nameKey(spelling))));
}
