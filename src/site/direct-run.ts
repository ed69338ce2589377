import { loadSite, type SiteRequest } from "../archive/load-site.ts";
import { ArchiveError, formatProblem } from "../problems.ts";
import { startSearchIndex, type SearchIndexing } from "../search/index.ts";
import type { RenderPlan } from "./plugin.ts";

/**
 * The plan of an Eleventy run started by Eleventy's own command line with `eleventy.config.ts`:
 * every page in one run, warnings logged, the search index written beside the pages. Broadsheet's
 * own commands plan their runs themselves (build.ts, serve.ts).
 */
export function directRunPlan(request: SiteRequest): RenderPlan {
  let indexing: SearchIndexing | undefined;
  return {
    watch: [request.articlesDir],
    async model({ outputDir }) {
      await indexing?.stop();
      const result = await loadSite(request);
      for (const problem of result.problems) console.warn(formatProblem(problem));
      if (!result.site) throw new ArchiveError(result.problems);
      indexing = startSearchIndex(result.site, outputDir);
      return result.site;
    },
    async written() {
      await indexing?.finish();
    },
  };
}
