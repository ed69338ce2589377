import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { DateTime } from "luxon";
import { parseArticleDate, type ArticleDate } from "../articles/dates.ts";
import { loadArticles, type ArticleSource } from "../articles/load.ts";
import { error, hasErrors, type Problem } from "../problems.ts";
import { loadSettings, SETTINGS_FILE, type Settings } from "../settings.ts";
import { buildArchive, type Archive } from "./archive.ts";
import { buildPages, type Page } from "./pages.ts";
import { findRelated } from "./related.ts";
import { renderArticles } from "./render.ts";
import { planRedirects, redirectPages } from "../publish/redirects.ts";
import { urlMapFile } from "../publish/vanished-urls.ts";

/** What to build: the articles folder, its settings and the command line's overrides. */
export interface SiteRequest {
  articlesDir: string;
  /** The settings file; default `broadsheet.yml` in the articles folder. */
  settingsFile?: string;
  overrides?: Partial<Settings>;
  drafts?: boolean;
  /**
   * The sitemap of the site a build replaces, when it is not in the output folder (CI that
   * starts empty); see src/publish/vanished-urls.ts.
   */
  previousSitemap?: string;
  /** Stop the build when a published address would disappear without a redirect. */
  strictUrls?: boolean;
}

/** The whole site as data: everything the layouts render, nothing they must compute. */
export interface SiteModel {
  settings: Settings;
  archive: Archive;
  pages: Page[];
}

export interface SiteResult {
  /** Undefined when any problem is an error. */
  site?: SiteModel;
  /** Every article file as read and validated, whether published or not. */
  sources?: ArticleSource[];
  problems: Problem[];
  /** How long each step took, in milliseconds, and how many articles were read. */
  timings: { load: number; model: number; articles: number; related?: number };
}

/** Work that may start while the rest of the site is modelled. */
export interface LoadHooks {
  /**
   * Called once every article body is rendered, when no error has been found: the build starts
   * the search index then, so that Pagefind works while this thread models the rest.
   */
  bodiesRendered?: (model: Pick<SiteModel, "settings" | "archive">) => void;
}

/** Loads, validates and models the whole archive; reports every problem found. */
export async function loadSite(request: SiteRequest, hooks: LoadHooks = {}): Promise<SiteResult> {
  const started = performance.now();
  const settingsFile = request.settingsFile ?? path.join(request.articlesDir, SETTINGS_FILE);
  const { settings, problems } = loadSettings(settingsFile, request.overrides);
  if (hasErrors(problems)) return { problems, timings: { load: 0, model: 0, articles: 0 } };

  if (!existsSync(request.articlesDir) || !statSync(request.articlesDir).isDirectory()) {
    problems.push(error(request.articlesDir, "is not a folder. Create it and put Markdown articles in it, or name the folder with --articles DIR."));
    return { problems, timings: { load: 0, model: 0, articles: 0 } };
  }
  const loaded = await loadArticles(request.articlesDir, settings);
  problems.push(...loaded.problems);
  const loadedAt = performance.now();

  const now = settings.now === "" ? DateTime.now() : (parseArticleDate(settings.now, settings.timeZone) as { ok: true; date: ArticleDate }).date.value;
  const { archive, problems: archiveProblems } = buildArchive(loaded.sources, settings, { drafts: request.drafts ?? false, now });
  problems.push(...archiveProblems);
  const pages = buildPages(archive);
  // Old addresses get pages of their own once every other page's address is known.
  const redirects = planRedirects(archive, pages, settingsFile);
  problems.push(...redirects.problems);
  pages.push(...redirectPages(redirects.redirects, settings));
  pages.push(urlMapFile(archive, redirects.redirects.filter((redirect) => !redirect.feedOnly).map((redirect) => redirect.from)));
  problems.push(...renderArticles(archive, new Set(pages.map((page) => page.url)), settings));
  if (hasErrors(problems)) return { problems, timings: { load: loadedAt - started, model: performance.now() - loadedAt, articles: loaded.sources.length } };
  hooks.bodiesRendered?.({ settings, archive });
  // Related articles are chosen by what their bodies say, so only once the bodies are rendered.
  const relatedFrom = performance.now();
  const related = findRelated(archive.articles);
  for (const page of pages) if (page.kind === "article") page.related = related.get(page.article) ?? [];
  const timings = { load: loadedAt - started, model: performance.now() - loadedAt, articles: loaded.sources.length, related: performance.now() - relatedFrom };
  return { site: { settings, archive, pages }, sources: loaded.sources, problems, timings };
}
