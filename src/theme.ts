import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { compareText, error, type Problem } from "./problems.ts";

/** Where in every page a theme's HTML goes, and the file it is read from. */
export const SNIPPETS = {
  head: "head.html",
  header: "header.html",
  footer: "footer.html",
  articleEnd: "article-end.html",
} as const;

export type SnippetPlace = keyof typeof SNIPPETS;

/** A site's own look: a stylesheet after the built-in one, files under /theme/, HTML at named places. */
export interface Theme {
  /** Whether the theme has a `style.css`, loaded after Broadsheet's on every page. */
  stylesheet: boolean;
  /** HTML inserted as it is, written by the site's owner. */
  snippets: Partial<Record<SnippetPlace, string>>;
  /** The theme's files published under /theme/ (every one but the snippets), relative to its folder. */
  files: { path: string; source: string }[];
}

export const NO_THEME: Theme = { stylesheet: false, snippets: {}, files: [] };

/** Reads the theme folder; a snippet that is not UTF-8 text is reported. */
export function loadTheme(folder: string): { theme: Theme; problems: Problem[] } {
  if (folder === "") return { theme: NO_THEME, problems: [] };
  const problems: Problem[] = [];
  const snippets: Theme["snippets"] = {};
  const snippetFiles = new Set<string>(Object.values(SNIPPETS));
  for (const [place, file] of Object.entries(SNIPPETS) as [SnippetPlace, string][]) {
    const source = path.join(folder, file);
    if (!existsSync(source)) continue;
    try {
      snippets[place] = utf8.decode(readFileSync(source));
    } catch {
      problems.push(error(displayPath(source), "is not UTF-8 text. Save it as UTF-8; it is inserted into every page as it is."));
    }
  }
  const files = readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    // Hidden files (.DS_Store, .git) are no part of a theme.
    .filter((relative) => !relative.split("/").some((part) => part.startsWith(".")) && !snippetFiles.has(relative))
    .sort(compareText)
    .map((relative) => ({ path: relative, source: path.join(folder, relative) }));
  return { theme: { stylesheet: files.some((file) => file.path === "style.css"), snippets, files }, problems };
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function displayPath(absolute: string): string {
  return path.relative(process.cwd(), absolute).split(path.sep).join("/");
}
