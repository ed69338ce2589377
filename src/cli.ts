import { parseArgs } from "node:util";
import path from "node:path";
import Eleventy from "@11ty/eleventy";
import { loadSite, type SiteModel } from "./archive/load-site.ts";
import { buildSite, type BuildPhase } from "./build.ts";
import { ArchiveError, formatProblem, hasErrors, sortProblems, type Problem } from "./problems.ts";
import { loadSettings, SETTINGS_FILE, type Settings } from "./settings.ts";
import { PACKAGE_ROOT } from "./site/plugin.ts";
import { planBuild } from "./site/request.ts";

const USAGE = `Usage: broadsheet <command> [options]

Commands:
  build    Build the archive into a static site (default output: _site/)
  serve    Build, serve on http://localhost:8080 and rebuild when an article changes
  check    Validate the archive and report every problem; writes nothing

Options:
  --articles DIR     The folder of Markdown articles (default: articles)
  --output DIR       Where build writes the site (default: _site)
  --settings FILE    The settings file (default: broadsheet.yml in the articles folder)
  --base-path PATH   Serve the site under a sub-path, such as /archive/
  --base-url URL     The address the site is published at, such as https://news.example.org
  --drafts           Include articles marked draft: true
  --port N           Port for serve (default: 8080)
  --quiet            Print nothing but problems
  --help             Show this help`;

const OPTIONS = {
  articles: { type: "string", default: "articles" },
  output: { type: "string", default: "_site" },
  settings: { type: "string" },
  "base-path": { type: "string" },
  "base-url": { type: "string" },
  drafts: { type: "boolean", default: false },
  port: { type: "string", default: "8080" },
  quiet: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;

/** Runs one command; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (cause) {
    console.error(`${(cause as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || command === undefined) {
    console.log(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  const overrides: Partial<Settings> = {};
  if (values["base-path"] !== undefined) overrides.basePath = values["base-path"];
  if (values["base-url"] !== undefined) overrides.baseUrl = values["base-url"];
  const request = { articlesDir: values.articles, settingsFile: values.settings, overrides, drafts: values.drafts };
  // Progress is for people watching a terminal; CI logs and pipes get only the outcome.
  const progress = !values.quiet && process.stderr.isTTY === true && !process.env.CI;

  try {
    switch (command) {
      case "build":
        return await build({ ...request, outputDir: values.output }, { quiet: values.quiet, progress });
      case "serve":
        return await serve({ ...request, outputDir: values.output }, Number(values.port));
      case "check":
        return await check(request, values.quiet);
      default:
        console.error(`"${command}" is not a command.\n\n${USAGE}`);
        return 2;
    }
  } catch (cause) {
    if (cause instanceof ArchiveError) {
      printProblems(cause.problems);
      return 1;
    }
    throw cause;
  }
}

async function build(options: Parameters<typeof buildSite>[0], output: { quiet: boolean; progress: boolean }): Promise<number> {
  const started = performance.now();
  const result = await buildSite({ ...options, onPhase: output.progress ? printPhase : undefined });
  printProblems(result.problems);
  if (!output.quiet) {
    const { archive } = result.site;
    console.log(
      `Built ${count(archive.articles.length, "article")} (${count(archive.topics.length, "topic")}, ${count(archive.authors.length, "author")}) into ${options.outputDir}/: ${count(result.pagesWritten, "page")} in ${seconds(performance.now() - started)}.`,
    );
  }
  return 0;
}

async function serve(options: Parameters<typeof buildSite>[0], port: number): Promise<number> {
  planBuild({
    request: options,
    report: (_site, problems) => printProblems(problems),
  });
  // The development server serves under the base path too, so that links work as they will when published.
  const { settings } = loadSettings(options.settingsFile ?? path.join(options.articlesDir, SETTINGS_FILE), options.overrides);
  const eleventy = new Eleventy(path.join(PACKAGE_ROOT, "layouts"), path.resolve(options.outputDir), {
    pathPrefix: settings.basePath,
    configPath: path.join(PACKAGE_ROOT, "eleventy.config.ts"),
    // Eleventy's line per written file drowns the problems; the server's address still shows.
    quietMode: true,
    runMode: "serve",
    source: "script",
  });
  await eleventy.init();
  await eleventy.watch();
  await eleventy.serve(port);
  return await new Promise<number>(() => {});
}

async function check(request: Parameters<typeof loadSite>[0], quiet: boolean): Promise<number> {
  const result = await loadSite(request);
  printProblems(result.problems, false);
  if (result.site && !quiet) printMerged(result.site);
  if (!quiet || hasErrors(result.problems)) {
    const errors = result.problems.filter((problem) => problem.severity === "error").length;
    const warnings = result.problems.length - errors;
    const summary = result.site ? `${count(result.site.archive.articles.length, "article")} checked` : `${count(result.timings.articles, "article")} read`;
    console.log(`${summary}: ${count(errors, "error")}, ${count(warnings, "warning")}.`);
  }
  return hasErrors(result.problems) ? 1 : 0;
}

/** `check` shows which spellings it merged, so that a merge nobody wanted is seen. */
function printMerged(site: SiteModel): void {
  for (const [label, groups] of [
    ["Topics", site.archive.topics],
    ["Authors", site.archive.authors],
  ] as const) {
    const merged = groups.filter((group) => group.spellings.length > 1);
    if (merged.length === 0) continue;
    console.log(`${label} written in more than one way, each shown as its first name:`);
    for (const group of merged) {
      console.log(`  ${group.name}: ${group.spellings.map(({ spelling, count: n }) => `${JSON.stringify(spelling)} ×${n}`).join(", ")}`);
    }
  }
}

function printProblems(problems: readonly Problem[], building = true): void {
  const sorted = sortProblems(problems);
  const errors = sorted.filter((problem) => problem.severity === "error");
  const warnings = sorted.filter((problem) => problem.severity === "warning");
  if (errors.length > 0) {
    console.error(building ? `${count(errors.length, "error")} ${errors.length === 1 ? "stops" : "stop"} the build; nothing was written:` : `${count(errors.length, "error")}:`);
    for (const problem of errors) console.error(`  ${formatProblem(problem)}`);
  }
  if (warnings.length > 0) {
    console.error(`${count(warnings.length, "warning")}:`);
    for (const problem of warnings) console.error(`  ${formatProblem(problem)}`);
  }
}

function printPhase(phase: BuildPhase): void {
  const what = { load: ["Loaded", "article"], render: ["Wrote", "page"], search: ["Indexed", "article"], write: ["Wrote", "file"] }[phase.name];
  console.error(`${what[0]} ${count(phase.count, what[1]!)} in ${seconds(phase.milliseconds)}`);
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString("en")} ${noun}${n === 1 ? "" : "s"}`;
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}
