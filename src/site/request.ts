import type { SiteModel, SiteRequest } from "../archive/load-site.ts";

/**
 * What the next Eleventy build renders. The command line sets it before it starts Eleventy;
 * run Eleventy directly and it builds `articles/` with the settings found there.
 */
export interface BuildPlan {
  request: SiteRequest;
  /** A model the command line already loaded and checked, used for the first build. */
  site?: SiteModel;
  /** Where warnings go; the command line prints them, Eleventy alone logs them. */
  /** Told when every page is written, before the search index is; for progress. */
  onRendered?: () => void;
  /** Told when the search index is written, for progress. */
  onSearchIndexed?: (articles: number, milliseconds: number) => void;
  report?: (site: SiteModel | undefined, problems: import("../problems.ts").Problem[]) => void;
}

let plan: BuildPlan = { request: { articlesDir: "articles" } };

export function planBuild(next: BuildPlan): void {
  plan = next;
}

export function currentPlan(): BuildPlan {
  return plan;
}
