import { cp, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { SiteModel } from "../archive/load-site.ts";
import { outputFile } from "../cache/reuse-files.ts";
import { ASSETS_DIR, ASSETS_FOLDER, isPublishedAsset } from "../package.ts";
import { pagesTemplate } from "../../layouts/pages.tsx";
import { templateData } from "./plugin.ts";

/**
 * Writes the pages of `site` into `outputDir` as an Eleventy run of the archive plugin writes them:
 * each rendered by the one template (layouts/pages.tsx) into the file its URL names, and the
 * stylesheet and scripts copied beside them. For a build that renders a few pages (an article
 * edited): loading Eleventy and running it took 0.8 s of a 3.9 s build at 10,000 articles, for
 * one page; without it, the build waits for the search index's merge instead, and took 3.3 to
 * 3.5 s against 3.5 to 3.6 s. The template is the site's; Eleventy adds nothing to a page (the
 * plugin reads no template, data or config of the project), and the builds from the cache,
 * compared file by file with builds from nothing (written by Eleventy), are the test of it.
 */
export async function writePagesDirectly(outputDir: string, site: SiteModel): Promise<void> {
  const broadsheet = templateData(site);
  for (const view of site.pages) {
    const file = path.join(outputDir, outputFile(view.url));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, pagesTemplate.render({ view, broadsheet }));
  }
  await copyAssets(outputDir);
}

/** The stylesheet and scripts, copied into the site in `outputDir` as an Eleventy run copies them. */
export async function copyAssets(outputDir: string): Promise<void> {
  // With their times, as Eleventy's copy keeps them: a deploy that compares sizes and times
  // (rsync) sends them again only when they changed.
  await cp(ASSETS_DIR, path.join(outputDir, ASSETS_FOLDER), { recursive: true, preserveTimestamps: true, filter: isPublishedAsset });
}
