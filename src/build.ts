import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { loadSite, type SiteModel, type SiteRequest } from "./archive/load-site.ts";
import { ArchiveError, hasErrors, type Problem } from "./problems.ts";
import { findVanishedUrls } from "./publish/vanished-urls.ts";
import { startSearchIndex, type SearchIndexing } from "./search/index.ts";
import { PACKAGE_ROOT } from "./package.ts";
import { createEleventy, quietEleventy } from "./site/eleventy.ts";
import { isCopiedFile, writeCopiedFiles } from "./site/copied-files.ts";

export interface BuildOptions extends SiteRequest {
  outputDir: string;
  /** Pages per Eleventy run; the default suits any archive, tests set it small. */
  pagesPerRun?: number;
  /** Articles per Pagefind index before the indexes are merged into one; tests set it small. */
  pagesPerSearchShard?: number;
  /** Called as each phase ends, for progress on a terminal. */
  onPhase?: (phase: BuildPhase) => void;
}

export interface BuildPhase {
  name: "load" | "render" | "search" | "write";
  milliseconds: number;
  /** Articles loaded, pages written, or articles indexed, by phase. */
  count: number;
}

export interface BuildResult {
  site: SiteModel;
  /** Warnings only: any error stops the build with an ArchiveError. */
  problems: Problem[];
  pagesWritten: number;
}

/**
 * Pages rendered per Eleventy run. Eleventy holds every page of a run in memory until the run
 * ends; in slices, a big archive costs a bounded amount of memory and far less garbage collection.
 */
const PAGES_PER_RUN = 4000;

/**
 * Builds the archive into `outputDir`. Everything is written to a fresh folder beside it, which
 * replaces the old output only once the whole build has succeeded; on any failure the previous
 * site is left as it was and nothing half-written remains.
 */
export async function buildSite(options: BuildOptions): Promise<BuildResult> {
  const outputDir = path.resolve(options.outputDir);
  refuseDangerousOutput(outputDir, path.resolve(options.articlesDir));

  await removeAbandonedBuilds(outputDir);
  const stagingDir = `${outputDir}.building-${os.hostname()}-${process.pid}-${randomBytes(4).toString("hex")}`;
  let indexing: SearchIndexing | undefined;
  // Pagefind may still be writing into the staging folder: it is stopped before the folder goes.
  const removeStaging = () => (indexing?.stop() ?? Promise.resolve()).finally(() => rm(stagingDir, { recursive: true, force: true }));
  // A signal only starts the tidying: this function goes on until its next await, and must then
  // neither render on into a folder being removed nor swap it in as the site.
  let interruption: Promise<never> | undefined;
  const interrupted = () => {
    interruption ??= removeStaging().then(
      () => process.exit(130),
      () => process.exit(130),
    );
  };
  const stopIfInterrupted = () => {
    if (interruption) throw new Error("The build was interrupted; the previous site is left as it was.");
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  let site: SiteModel;
  let warnings: Problem[];
  try {
    // Pagefind indexes and writes on its own thread and process from the moment every body is
    // rendered, while this thread models the rest of the site and Eleventy renders it.
    const loaded = await loadSite(options, {
      bodiesRendered: (model) => (indexing = startSearchIndex(model, stagingDir, { pagesPerShard: options.pagesPerSearchShard, sendAtOnce: true })),
    });
    options.onPhase?.({ name: "load", milliseconds: loaded.timings.load + loaded.timings.model, count: loaded.timings.articles });
    if (!loaded.site || !indexing) throw new ArchiveError(loaded.problems);
    site = loaded.site;
    // Read before the new site replaces the old one: its addresses are what this build must keep.
    warnings = [...loaded.problems, ...findVanishedUrls(site, { ...options, outputDir })];
    if (hasErrors(warnings)) throw new ArchiveError(warnings);
    await mkdir(path.dirname(outputDir), { recursive: true });
    const started = performance.now();
    const perRun = options.pagesPerRun ?? PAGES_PER_RUN;
    // Copies of files (pictures' encodings) go straight into the site; Eleventy renders the rest.
    const copied = site.pages.filter(isCopiedFile);
    const rendered = copied.length === 0 ? site.pages : site.pages.filter((page) => !isCopiedFile(page));
    await writeCopiedFiles(copied, stagingDir);
    for (let start = 0; start < rendered.length; start += perRun) {
      // Rendering on would be wasted once the index has failed.
      if (indexing.failure) throw indexing.failure;
      stopIfInterrupted();
      const slice = { ...site, pages: rendered.slice(start, start + perRun) };
      const eleventy = createEleventy(stagingDir, { model: async () => slice });
      quietEleventy(eleventy);
      await eleventy.write();
    }
    const written = performance.now();
    options.onPhase?.({ name: "render", milliseconds: written - started, count: site.pages.length });
    const { articles } = await indexing.finish();
    // What is reported is the wait for the index once the pages are written.
    options.onPhase?.({ name: "search", milliseconds: performance.now() - written, count: articles });
    const swapping = performance.now();
    stopIfInterrupted();
    await replaceFolder(stagingDir, outputDir);
    options.onPhase?.({ name: "write", milliseconds: performance.now() - swapping, count: site.pages.length });
  } catch (cause) {
    // An interrupted build ends when its tidying does, with the signal's exit code.
    if (interruption) await interruption;
    await removeStaging();
    throw cause;
  } finally {
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
  }
  return { site, problems: warnings, pagesWritten: site.pages.length };
}

/** Swaps a finished build into place, so that readers never see a half-written site. */
async function replaceFolder(finished: string, target: string): Promise<void> {
  if (!existsSync(target)) {
    await rename(finished, target);
    return;
  }
  const previous = `${target}.previous-${process.pid}-${randomBytes(4).toString("hex")}`;
  await rename(target, previous);
  await rename(finished, target);
  await rm(previous, { recursive: true, force: true });
}

/**
 * Removes the staging folders a killed build left beside the output
 * (`_site.building-<host>-<pid>-…`), once the process on this machine that made them has ended.
 * A build still running keeps its folder, and so does any other machine's. Folders named
 * `.previous-` are left alone: if a build died between its two renames, one holds the old site.
 */
async function removeAbandonedBuilds(outputDir: string): Promise<void> {
  const prefix = `${path.basename(outputDir)}.building-${os.hostname()}-`;
  const beside = await readdir(path.dirname(outputDir)).catch(() => []);
  for (const name of beside) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-[0-9a-f]+$/.exec(name.slice(prefix.length))?.[1]);
    if (pid && !isRunning(pid)) await rm(path.join(path.dirname(outputDir), name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The output folder is replaced whole: it must not hold the articles, the project or anything above it. */
function refuseDangerousOutput(outputDir: string, articlesDir: string): void {
  const inside = (child: string, parent: string) => child === parent || child.startsWith(parent + path.sep);
  const problem = (message: string) => new ArchiveError([{ severity: "error", file: outputDir, field: "--output", message }]);
  if (inside(articlesDir, outputDir)) throw problem("holds the articles folder, and the build replaces its output folder whole. Choose another output folder, such as _site.");
  if (inside(outputDir, articlesDir)) throw problem("is inside the articles folder; the build never writes there. Choose a folder outside it, such as _site.");
  if (inside(process.cwd(), outputDir) || inside(PACKAGE_ROOT.replace(/\/$/, ""), outputDir)) {
    throw problem("holds the current folder or Broadsheet itself, and the build replaces its output folder whole. Choose a folder of its own, such as _site.");
  }
}
