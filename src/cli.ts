import { parseArgs } from "node:util";
import type { BuildOptions, BuildPhase, CheckReport } from "./index.ts";
import { ArchiveError, formatProblem, hasErrors, sortProblems, type Problem } from "./problems.ts";
import { packageVersion } from "./package.ts";

// The heavy libraries (Eleventy, Pagefind, Markdown, YAML) are imported by the command that needs
// them, so that --help and --version answer at once.

const USAGE = `Usage: broadsheet <command> [options]

Commands:
  init     Start an archive here: settings, an example article, npm scripts, a GitHub Pages workflow
  build    Build the archive into a static site (default output: _site/)
  serve    Build, serve on http://localhost:8080 and rebuild when an article changes
  check    Validate the archive and report every problem; writes nothing
  import FILE|DIR …   Turn plain-text clippings into articles in articles/YYYY/
  new "Headline" --author NAME   Start a new article dated today

Options:
  --articles DIR     The folder of Markdown articles (default: articles)
  --output DIR       Where build writes the site (default: _site)
  --settings FILE    The settings file (default: broadsheet.yml in the articles folder)
  --base-path PATH   Serve the site under a sub-path, such as /archive/
  --base-url URL     The address the site is published at, such as https://news.example.org
  --drafts           Include articles marked draft: true
  --previous-sitemap FILE   build: the sitemap.xml of the site being replaced (default: the output's own),
                     to report published addresses this build would lose
  --strict-urls      build: stop when a published address would disappear without a redirect
  --no-cache         build: build everything from nothing, neither reading nor writing
                     .cache/broadsheet/build (the output is the same, byte for byte)
  --port N           Port for serve (default: 8080)
  --quiet            Print nothing but problems
  --author NAME      import, new: the author (repeat for several); import: when a clipping has no byline
  --topic NAME       import, new: add a topic (repeat for several)
  --title TEXT       import: the headline, when a clipping has none or two candidates
  --date DATE        import: the date of every clipping, such as 2024-05-14
  --accept-topics    import: add the archive's topics found in the text (else only listed)
  --dry-run          import: show what would be written; write nothing
  --version          Show Broadsheet's version
  --help             Show this help

Exit codes: 0 done (warnings may be printed), 1 problems with the articles or settings (all are
listed) or a failure, 2 a command line Broadsheet does not understand.`;

const OPTIONS = {
  articles: { type: "string", default: "articles" },
  output: { type: "string", default: "_site" },
  settings: { type: "string" },
  "base-path": { type: "string" },
  "base-url": { type: "string" },
  drafts: { type: "boolean", default: false },
  "previous-sitemap": { type: "string" },
  "strict-urls": { type: "boolean", default: false },
  "no-cache": { type: "boolean", default: false },
  port: { type: "string", default: "8080" },
  quiet: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
  version: { type: "boolean", default: false },
  author: { type: "string", multiple: true },
  topic: { type: "string", multiple: true },
  title: { type: "string" },
  date: { type: "string" },
  "accept-topics": { type: "boolean", default: false },
  "dry-run": { type: "boolean", default: false },
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
  if (values.version) {
    console.log(packageVersion());
    return 0;
  }
  if (values.help || command === undefined) {
    console.log(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  const options: BuildOptions = { articles: values.articles, settings: values.settings, drafts: values.drafts, basePath: values["base-path"], baseUrl: values["base-url"], output: values.output };
  // Progress is for people watching a terminal; CI logs and pipes get only the outcome.
  const progress = !values.quiet && process.stderr.isTTY === true && !process.env.CI;

  try {
    switch (command) {
      case "build":
        return await build({ ...options, previousSitemap: values["previous-sitemap"], strictUrls: values["strict-urls"], cache: values["no-cache"] ? false : undefined, onPhase: progress ? printPhase : undefined }, values.quiet);
      case "serve":
        return await serve(options, Number(values.port));
      case "check":
        return await check(options, values.quiet);
      case "init":
        return await init(values.articles, values.quiet);
      case "import":
        return await importCommand({
          inputs: positionals.slice(1),
          articlesDir: values.articles,
          settingsFile: values.settings,
          date: values.date,
          topics: values.topic,
          authors: values.author,
          title: values.title,
          dryRun: values["dry-run"],
          acceptTopics: values["accept-topics"],
        }, values.quiet);
      case "new":
        return await newCommand({ title: positionals.slice(1).join(" "), authors: values.author ?? [], topics: values.topic, articlesDir: values.articles, settingsFile: values.settings });
      default:
        console.error(`"${command}" is not a command.\n\n${USAGE}`);
        return 2;
    }
  } catch (cause) {
    if (cause instanceof ArchiveError) {
      printProblems(cause.problems);
      return 1;
    }
    // Anything else is a fault of Broadsheet or the machine, not of the articles: say what
    // failed, in one place, and keep the stack for those who ask for it.
    console.error(`The ${command} failed: ${describeFailure(cause)}`);
    if (process.env.DEBUG) console.error(cause);
    else console.error("Run again with DEBUG=1 for the full trace; the previous site, if any, was left as it was.");
    return 1;
  }
}

async function build(options: BuildOptions, quiet: boolean): Promise<number> {
  const started = performance.now();
  const { build: buildArchive } = await import("./index.ts");
  const result = await buildArchive(options);
  printProblems(result.problems);
  if (!result.written) return 1;
  if (!quiet) {
    console.log(
      result.unchanged
        ? `Nothing changed since the last build: ${options.output}/ holds ${count(result.articles, "article")} (${count(result.topics, "topic")}, ${count(result.authors, "author")}), ${count(result.pages, "page")}. Checked in ${seconds(performance.now() - started)}; --no-cache builds it all again.`
        : `Built ${count(result.articles, "article")} (${count(result.topics, "topic")}, ${count(result.authors, "author")}) into ${options.output}/: ${count(result.pages, "page")} in ${seconds(performance.now() - started)}.`,
    );
  }
  return 0;
}

async function serve(options: BuildOptions, port: number): Promise<number> {
  const { serveSite } = await import("./serve.ts");
  const overrides: Record<string, string> = {};
  if (options.basePath !== undefined) overrides.basePath = options.basePath;
  if (options.baseUrl !== undefined) overrides.baseUrl = options.baseUrl;
  return await serveSite({
    articlesDir: options.articles!,
    settingsFile: options.settings,
    overrides,
    drafts: options.drafts,
    outputDir: options.output!,
    port,
    report: (problems) => printProblems(problems),
  });
}

async function check(options: BuildOptions, quiet: boolean): Promise<number> {
  const { check: checkArchive } = await import("./index.ts");
  const result = await checkArchive(options);
  printProblems(result.problems, false);
  printSingleUseTopics(result.singleUseTopics);
  if (!quiet) printMerged(result.merged);
  if (!quiet || hasErrors(result.problems)) {
    const errors = result.problems.filter((problem) => problem.severity === "error").length;
    const warnings = result.problems.length - errors + (result.singleUseTopics.length > 0 ? 1 : 0);
    console.log(`${count(result.articles, "article")} ${result.valid ? "checked" : "read"}: ${count(errors, "error")}, ${count(warnings, "warning")}.`);
  }
  return hasErrors(result.problems) ? 1 : 0;
}

async function init(articles: string, quiet: boolean): Promise<number> {
  const { initArchive } = await import("./init/init.ts");
  const result = await initArchive({ articles });
  printProblems(result.problems, false);
  if (hasErrors(result.problems)) {
    console.error("Nothing was written.");
    return 1;
  }
  if (!quiet) {
    for (const file of result.written) console.log(`  ${file}`);
    console.log(`Started an archive in ${articles}/. Next: npm start to see it, npm run build to publish it.`);
  }
  return 0;
}

/** One warning, one line per topic with its file. */
function printSingleUseTopics(topics: CheckReport["singleUseTopics"]): void {
  if (topics.length === 0) return;
  console.error(`1 warning: ${count(topics.length, "topic")} ${topics.length === 1 ? "is" : "are"} used by one article only. Check each is not a misspelling of another topic; merge spellings with an alias in broadsheet.yml:`);
  for (const { topic, file } of topics) console.error(`  ${file}  ${topic}`);
}

async function importCommand(request: import("./import/import.ts").ImportRequest, quiet: boolean): Promise<number> {
  const { importClippings } = await import("./import/import.ts");
  const result = await importClippings(request);
  for (const article of result.articles) {
    if (!quiet) console.log(`${article.from} → ${article.file}${request.dryRun ? " (dry run, not written):" : ""}`);
    if (request.dryRun) console.log(article.text.replace(/^/gm, "    ").trimEnd());
    if (article.foundTopics.length > 0 && !quiet) {
      console.log(article.topicsAccepted ? `  topics added from the archive: ${article.foundTopics.join(", ")}` : `  topics of the archive found in the text: ${article.foundTopics.join(", ")} (add them with --accept-topics)`);
    }
  }
  printProblems(result.problems, false);
  const total = result.articles.length + result.skipped;
  if (!quiet || result.skipped > 0) {
    const skipped = result.skipped > 0 ? `; ${count(result.skipped, "clipping")} skipped, see above` : "";
    console.log(`${request.dryRun ? "Would import" : "Imported"} ${result.articles.length} of ${count(total, "clipping")} into ${request.articlesDir}/${skipped}.${request.dryRun ? " Nothing was written." : ""}`);
  }
  return hasErrors(result.problems) ? 1 : 0;
}

async function newCommand(request: import("./import/new-article.ts").NewArticleRequest): Promise<number> {
  const { writeNewArticle } = await import("./import/new-article.ts");
  const result = await writeNewArticle(request);
  printProblems(result.problems, false);
  if (result.file === undefined) return 1;
  console.log(result.file);
  return 0;
}

/** `check` shows which spellings it merged, so that a merge nobody wanted is seen. */
function printMerged(merged: CheckReport["merged"]): void {
  for (const [label, kind] of [
    ["Topics", "topic"],
    ["Authors", "author"],
  ] as const) {
    const groups = merged.filter((group) => group.kind === kind);
    if (groups.length === 0) continue;
    console.log(`${label} written in more than one way, each shown as its first name:`);
    for (const group of groups) {
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

function describeFailure(cause: unknown): string {
  const messages: string[] = [];
  for (let current = cause; current instanceof Error && messages.length < 5; current = (current as Error & { originalError?: unknown }).originalError ?? current.cause) {
    messages.push(current.message);
  }
  return messages.length > 0 ? messages.join("\n  because: ") : String(cause);
}

function printPhase(phase: BuildPhase): void {
  const what = { load: ["Loaded", "article"], render: ["Rendered", "page"], search: ["Indexed for search:", "article"], write: ["Published", "page"] }[phase.name];
  console.error(`${what[0]} ${count(phase.count, what[1]!)} in ${seconds(phase.milliseconds)}`);
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString("en")} ${noun}${n === 1 ? "" : "s"}`;
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}
