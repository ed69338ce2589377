import { existsSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { DateTime } from "luxon";
import { composeArticle } from "../import/article-file.ts";
import { error, warning, type Problem } from "../problems.ts";
import { SETTINGS_FILE } from "../settings.ts";

/** What `broadsheet init` was asked to start. */
export interface InitRequest {
  /** The folder to start the archive in; default: the working folder. */
  folder?: string;
  /** The articles folder, relative to `folder`. */
  articles?: string;
  /** The moment to date the example article by; default: the clock. */
  now?: DateTime;
}

export interface InitResult {
  /** The files written or changed, relative to the folder. */
  written: string[];
  problems: Problem[];
}

/** The commands a new archive's package.json runs, as `npm run build` and so on. */
export const INIT_SCRIPTS: Readonly<Record<string, string>> = {
  build: "broadsheet build",
  start: "broadsheet serve",
  check: "broadsheet check",
};

const IGNORED = ["node_modules/", "_site/", "_site.*/", ".cache/"];

/**
 * Starts an archive in a folder: settings, one example article, a .gitignore, a GitHub Pages
 * workflow, and the `build`, `start` and `check` scripts added to its package.json (made if
 * missing). Writes nothing if any file it would write exists already, and says which.
 */
export async function initArchive(request: InitRequest = {}): Promise<InitResult> {
  const folder = path.resolve(request.folder ?? ".");
  const articles = request.articles ?? "articles";
  const today = (request.now ?? DateTime.now()).setZone("UTC");
  const name = path.basename(folder);
  // The theme and pages folders sit beside the articles folder, named from the settings file in it.
  const up = path.relative(path.resolve(folder, articles), folder).split(path.sep).join("/") || ".";
  const files: Record<string, string> = {
    [path.join(articles, SETTINGS_FILE)]: settingsText(name, up),
    [path.join("theme", "style.css")]: THEME_STYLESHEET,
    [path.join("pages", "about.md")]: ABOUT_PAGE,
    [path.join(articles, String(today.year), "welcome.md")]: exampleArticle(today),
    [path.join(".github", "workflows", "pages.yml")]: pagesWorkflow(articles),
  };
  const problems: Problem[] = [];
  for (const file of Object.keys(files)) {
    if (existsSync(path.join(folder, file))) problems.push(error(file, "exists already, and init never overwrites a file. Move it away and run init again, or add what init would write by hand (see the README)."));
  }
  const packageFile = path.join(folder, "package.json");
  const project = existsSync(packageFile) ? readPackage(packageFile, problems) : { name: npmName(name), private: true };
  if (problems.length > 0) return { written: [], problems };

  const scripts: Record<string, string> = { ...(project.scripts as Record<string, string> | undefined) };
  for (const [script, command] of Object.entries(INIT_SCRIPTS)) {
    if (scripts[script] === undefined) scripts[script] = command;
    else if (scripts[script] !== command) problems.push(warning("package.json", `already has a "${script}" script (${JSON.stringify(scripts[script])}), which init left as it is. Broadsheet's would be "${command}".`, { field: `scripts.${script}` }));
  }
  files["package.json"] = `${JSON.stringify({ ...project, scripts }, null, 2)}\n`;
  files[".gitignore"] = gitignoreText(path.join(folder, ".gitignore"));

  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(folder, file)), { recursive: true });
    await writeFile(path.join(folder, file), text);
  }
  return { written: Object.keys(files), problems };
}

function readPackage(file: string, problems: Problem[]): Record<string, unknown> {
  try {
    const project: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (project !== null && typeof project === "object" && !Array.isArray(project)) return project as Record<string, unknown>;
  } catch {
    // Reported below, as for any other content that is not an object.
  }
  problems.push(error("package.json", "is not a JSON object, so init cannot add its scripts to it. Fix the file (npm init -y writes a fresh one) and run init again."));
  return {};
}

/** The lines of an existing .gitignore, with those a built archive needs added at the end. */
function gitignoreText(file: string): string {
  const existing = existsSync(file) ? readFileSync(file, "utf8") : "";
  const lines = new Set(existing.split(/\r?\n/).map((line) => line.trim()));
  const missing = IGNORED.filter((line) => !lines.has(line));
  if (missing.length === 0) return existing;
  const start = existing === "" || existing.endsWith("\n") ? existing : `${existing}\n`;
  return `${start}${start === "" ? "" : "\n"}# Broadsheet: the built site and what builds leave beside it\n${missing.join("\n")}\n`;
}

/** A package name npm accepts, from a folder name. */
function npmName(folder: string): string {
  return folder.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[._-]+|-+$/g, "") || "archive";
}

function settingsText(name: string, up: string): string {
  return `# Settings for this archive; every one is optional. See "Configure" in Broadsheet's README.
title: ${JSON.stringify(name)}
description: An archive of articles.
# baseUrl: https://news.example.org
language: en
timeZone: UTC
pageSize: 10
# Your own look and pages (see "Make it yours" in the README):
theme: ${up}/theme
pages: ${up}/pages
# logo: logo.svg
# nav:
#   - { label: About, url: /about/ }
# footer: "© Your publication · [About](/about/)"
# home: { layout: front, topics: [Topic one, Topic two] }
`;
}

const THEME_STYLESHEET = `/* Your theme: loaded after Broadsheet's stylesheet on every page. Change the custom properties
   for a new look; every other file in this folder is published under /theme/. HTML in head.html,
   header.html, footer.html or article-end.html here is inserted into every page as it is. */
:root {
  /* --accent: #a3201c; */
  /* --link: #1a4d8c; */
  /* --serif: Georgia, serif; */
}
`;

const ABOUT_PAGE = `---
title: About
summary: Who publishes this archive, and how to reach them.
---

Write who you are and how readers can reach you. This page is published at /about/; every
Markdown file in the pages folder is a page of its own.
`;

function exampleArticle(today: DateTime): string {
  const body = `This is the first article of your archive. Each article is a Markdown file in the
articles folder, with its title, author, date and topics in the front matter above.

## Next steps

- Run \`npm start\` to see the site at http://localhost:8080 as you write.
- Start a new article with \`npx broadsheet new "Headline" --author "Your Name"\`.
- Run \`npm run check\` to find every problem in the articles at once.
- Run \`npm run build\` to write the site into \`_site/\`, ready for any static host.
`;
  return composeArticle({ title: "Welcome to your archive", authors: ["Broadsheet"], date: today.toISODate()!, topics: ["Getting started"], summary: "What an article looks like, and what to do next." }, body);
}

function pagesWorkflow(articles: string): string {
  return `# Publishes the archive on GitHub Pages at every push to main. In the repository's settings,
# under Pages, choose "GitHub Actions" as the source.
name: Publish
on: { push: { branches: [main] } }
permissions: { contents: read, pages: write, id-token: write }
concurrency: { group: pages, cancel-in-progress: true }
jobs:
  publish:
    runs-on: ubuntu-latest
    environment: { name: github-pages, url: "\${{ steps.deployment.outputs.page_url }}" }
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20, cache: npm }
      - run: npm ci
      # What the last build encoded and rendered (pictures, articles, search shards): a build
      # reuses it, and does again only what changed.
      - uses: actions/cache@v4
        with: { path: .cache/broadsheet, key: "broadsheet-\${{ github.sha }}", restore-keys: broadsheet- }
      - run: npx broadsheet build --articles ${articles} --base-url "https://\${{ github.repository_owner }}.github.io" --base-path "/\${{ github.event.repository.name }}/"
      - uses: actions/upload-pages-artifact@v3
        with: { path: _site }
      - id: deployment
        uses: actions/deploy-pages@v4
`;
}
