import type { SiteModel, SiteRequest } from "../archive/load-site.ts";
import type { Page } from "../archive/pages.ts";

/**
 * What the next Eleventy build renders. The command line sets it before it starts Eleventy;
 * run Eleventy directly and it builds `articles/` with the settings found there.
 */
export interface BuildPlan {
  request: SiteRequest;
  /** A model the command line already loaded and checked, used for the first build. */
  site?: SiteModel;
  /**
   * The pages this Eleventy run renders, when the command line renders the model's pages in
   * slices; it then builds the search index itself. Unset, a run renders every page and indexes.
   */
  slice?: Page[];
  /**
   * Set by `serve`: an edit to an article's text re-renders only the pages that show it, and
   * pages are shown without waiting for the search index.
   */
  serve?: boolean;
  /** Where warnings go; the command line prints them, Eleventy alone logs them. */
  report?: (site: SiteModel | undefined, problems: import("../problems.ts").Problem[]) => void;
}

let plan: BuildPlan = { request: { articlesDir: "articles" } };

export function planBuild(next: BuildPlan): void {
  plan = next;
}

export function currentPlan(): BuildPlan {
  return plan;
}
