import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { writeSyntheticArchive, writeSyntheticPictures } from "./synthetic.ts";
import { differentFiles, hashFolder } from "./folder-hashes.ts";

// Random edits to a small synthetic archive (`npm run fuzz:cache -- --seed S --steps N`): after
// each step, a build from the cache must write what a build from nothing writes, every file byte
// for byte, search index included, and report the same problems; that is what a correct cache is
// (README, "Builds from the cache"). The edits are what an archive meets: bodies, headlines,
// summaries, dates, topics, authors, drafts, pictures and links added, articles moved, added,
// deleted and reverted, a bad date, settings changed, files saved unchanged. Half the builds
// start at once after the edit, while the files are too new for their status to be trusted.
// Each build is a process of its own, as a user runs one, with search shards of four articles so
// that a few dozen articles make many shards and volumes. The first step that differs stops the
// run, and leaves the folder (its `steps.log` lists every edit) for a test to be made from.

const SELF = fileURLToPath(import.meta.url);
/** Where the builds run: tsx reads the project's tsconfig.json there (the layouts' JSX). */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "1" },
    steps: { type: "string", default: "100" },
    count: { type: "string", default: "60" },
    // One build, run by the fuzzer in a process of its own: the request as JSON.
    build: { type: "string" },
  },
});

if (values.build !== undefined) {
  process.stdout.write(JSON.stringify(await buildOnce(JSON.parse(values.build))));
  process.exit(0);
}

const seed = Number(values.seed);
const work = path.join(os.tmpdir(), `broadsheet-fuzz-cache-${seed}`);
const articles = path.join(work, "articles");
const original = path.join(work, "original");
const media = path.join(articles, "media");
const PICTURES = ["harbour.jpg", "quay.jpg", "market.jpg"];
const log = (line: string) => writeFileSync(path.join(work, "steps.log"), `${line}\n`, { flag: "a" });

rmSync(work, { recursive: true, force: true });
writeSyntheticArchive(original, Number(values.count), seed);
// Three long features, whose late paragraphs are past the opening the related lists count: an
// edit there is built from the site in place, without the site's model (`buildBodyEdits`).
for (const number of [1, 2, 3]) {
  const paragraphs = Array.from({ length: 100 }, (_, paragraph) => `Paragraph ${paragraph + 1} of feature ${number} follows the harbour master through a working day, from the first tide to the last ferry.`);
  mkdirSync(path.join(original, "2019", "07"), { recursive: true });
  writeFileSync(path.join(original, "2019", "07", `long-feature-${number}.md`), `---\ntitle: "A long feature, part ${number}"\nauthor: Mara Quinn\ndate: 2019-07-0${number}T09:00:00Z\ntopics: [Harbour]\n---\nThe harbour wakes before the town does.\n\n${paragraphs.join("\n\n")}\n\nThe last paragraph says the quay was quiet.\n`);
}
await writeSyntheticPictures(PICTURES.map((name) => path.join(original, "media", name)));
cpSync(original, articles, { recursive: true });
const random = lcg(seed);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const settings: Record<string, string | number> = { pageSize: 5, feedSize: 6, searchVolume: 30, title: "The Fuzz Gazette", timeZone: "UTC" };
const writeSettings = () => writeFileSync(path.join(articles, "broadsheet.yml"), Object.entries(settings).map(([name, value]) => `${name}: ${JSON.stringify(value)}`).join("\n") + "\n");
writeSettings();

const WORDS = ["harbour", "ferry", "council", "budget", "quokka", "lighthouse", "tariff", "museum", "genome", "festival", "inquiry", "orchard", "glacier"];
const TOPICS = ["Energy", "Harbour", "Weather", "Transport", "Élections"];
const AUTHORS = ["Mara Quinn", "Jon Bell", "Li Wei", "Ada Okafor"];
const words = (count: number) => Array.from({ length: count }, () => pick(WORDS)).join(" ");
const somewhen = () => `${2018 + Math.floor(random() * 6)}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}T${pad(Math.floor(random() * 24))}:30:00Z`;
/** The article given a bad date, and its text before, for the next step to mend. */
let mendNext: { file: string; text: string } | undefined;
const relative = (from: string, to: string) => path.relative(path.dirname(from), to).split(path.sep).join("/");

/** Each edit, given an article file; it says what it did, for the log. */
const EDITS: Record<string, (file: string) => string> = {
  "body: a paragraph added": (file) => change(file, (text) => `${text}\nA closing paragraph about the ${words(8)}.\n`),
  "body: its last paragraph changed": (file) => change(file, (text) => text.replace(/\n[^\n]+\n*$/, `\nThe last paragraph, revised: the ${words(6)}.\n`)),
  "body: a word put in": (file) => change(file, (text) => text.replace(/\n\n(\p{Lu}\p{Ll}+)/u, `\n\n$1 ${pick(WORDS)}`)),
  headline: (file) => change(file, (text) => frontMatter(text, "title", JSON.stringify(`The ${words(4)}`))),
  summary: (file) => change(file, (text) => frontMatter(text, "summary", random() < 0.3 ? undefined : JSON.stringify(`About the ${words(6)}.`))),
  date: (file) => change(file, (text) => frontMatter(text, "date", somewhen())),
  topics: (file) => change(file, (text) => frontMatter(text, "topics", JSON.stringify([...new Set([pick(TOPICS), pick(TOPICS)])]))),
  author: (file) => change(file, (text) => frontMatter(text, "author", JSON.stringify(pick(AUTHORS)))),
  draft: (file) => change(file, (text) => frontMatter(text, "draft", random() < 0.5 ? "true" : undefined)),
  "a picture shown": (file) => change(file, (text) => `${text}\n![The ${words(2)}](${relative(file, path.join(media, pick(PICTURES)))})\n`),
  "a lead picture": (file) => change(file, (text) => frontMatter(text, "image", random() < 0.3 ? undefined : JSON.stringify({ src: relative(file, path.join(media, pick(PICTURES))), alt: `The ${words(2)}` }))),
  "a link to another article": (file) => change(file, (text) => `${text}\nSee also [the other story](${relative(file, pick(articleFiles()))}).\n`),
  "a bad date": (file) => {
    // Mended at the next step, as a writer would once the build said so.
    mendNext = { file, text: readFileSync(file, "utf8") };
    return change(file, (text) => frontMatter(text, "date", '"the day after tomorrow"'));
  },
  "saved unchanged": (file) => {
    writeFileSync(file, readFileSync(file));
    return "";
  },
  reverted: (file) => {
    const before = path.join(original, path.relative(articles, file));
    if (!existsSync(before)) return "(not in the archive as first written: left)";
    writeFileSync(file, readFileSync(before));
    return "";
  },
  moved: (file) => {
    const to = path.join(articles, String(2018 + Math.floor(random() * 6)), pad(1 + Math.floor(random() * 12)), path.basename(file));
    if (existsSync(to)) return "(one is there: left)";
    mkdirSync(path.dirname(to), { recursive: true });
    renameSync(file, to);
    return `to ${path.relative(articles, to)}`;
  },
  deleted: (file) => {
    rmSync(file);
    return "";
  },
  "an article added": (file) => {
    const to = path.join(path.dirname(file), `added-${Math.floor(random() * 1e6)}.md`);
    writeFileSync(to, frontMatter(readFileSync(file, "utf8"), "title", JSON.stringify(`New: the ${words(3)}`)));
    return `as ${path.relative(articles, to)}`;
  },
  "a setting": () => {
    const name = pick(Object.keys(settings));
    settings[name] = { pageSize: pick([3, 5, 10]), feedSize: pick([4, 6, 20]), searchVolume: pick([20, 30, 10_000]), title: `The ${words(1)} Gazette`, timeZone: pick(["UTC", "Europe/London", "Pacific/Auckland"]) }[name]!;
    writeSettings();
    return `${name}: ${settings[name]}`;
  },
  "a picture saved unchanged": () => {
    const picture = path.join(media, pick(PICTURES));
    writeFileSync(picture, readFileSync(picture));
    return "";
  },
};
/** How often each edit is made, against the others. */
const WEIGHTS: Record<keyof typeof EDITS, number> = {
  "body: a paragraph added": 12, "body: its last paragraph changed": 10, "body: a word put in": 6, headline: 6, summary: 4, date: 6, topics: 6, author: 4, draft: 2, "a picture shown": 4, "a lead picture": 2,
  "a link to another article": 4, "a bad date": 1, "saved unchanged": 4, reverted: 6, moved: 3, deleted: 2, "an article added": 4, "a setting": 3, "a picture saved unchanged": 1,
};
const weighted = Object.entries(WEIGHTS).flatMap(([name, weight]) => Array<string>(weight).fill(name));

log(`seed ${seed}, ${values.count} articles`);
// Each compares its site with the one it replaces (addresses gone): both start from the same.
build("site", path.join(work, "cache"));
build("clean", false);
for (let step = 1; step <= Number(values.steps); step++) {
  if (mendNext && existsSync(mendNext.file)) {
    writeFileSync(mendNext.file, mendNext.text);
    log(`step ${step}: the bad date mended, ${path.relative(articles, mendNext.file)}`);
  }
  mendNext = undefined;
  for (let edits = random() < 0.8 ? 1 : 2 + Math.floor(random() * 3); edits > 0; edits--) {
    const name = pick(weighted);
    // A late paragraph changed most often in a long feature, where it is past the related lists' opening.
    const features = articleFiles().filter((candidate) => path.basename(candidate).startsWith("long-feature-"));
    const file = name === "body: its last paragraph changed" && features.length > 0 && random() < 0.7 ? pick(features) : pick(articleFiles());
    log(`step ${step}: ${name}, ${path.relative(articles, file)} ${EDITS[name]!(file)}`);
  }
  // Built at once, the files are too new to trust their status (src/cache/input-stamp.ts).
  if (random() < 0.5) await new Promise((resolve) => setTimeout(resolve, 2300));
  const cached = build("site", path.join(work, "cache"));
  const clean = build("clean", false);
  log(`  from the cache: ${cached.built ? (cached.bodiesAlone ? "body edits alone" : `${cached.rendered ?? "no"} pages rendered`) : "stopped"}, problems ${cached.problems.length}`);
  const problems = (report: BuildOutcome) => JSON.stringify(report.problems.map((problem) => problem.replaceAll(`${path.sep}clean${path.sep}`, `${path.sep}site${path.sep}`)).sort());
  const differ = cached.built !== clean.built || problems(cached) !== problems(clean) ? ["(the problems reported)"] : cached.built ? differentFiles(hashFolder(path.join(work, "site")), hashFolder(path.join(work, "clean"))) : [];
  if (differ.length > 0) {
    log(`DIFFERENT: ${differ.join(" ")}\n  from the cache: ${JSON.stringify(cached)}\n  from nothing: ${JSON.stringify(clean)}`);
    console.log(`Seed ${seed}, step ${step}: the build from the cache differs from one from nothing (${differ.length} files: ${differ.slice(0, 8).join(", ")}). Every edit is in ${path.join(work, "steps.log")}.`);
    process.exit(1);
  }
}
console.log(`Seed ${seed}: ${values.steps} steps, each build from the cache the same as one from nothing. The edits are in ${path.join(work, "steps.log")}.`);
for (const folder of ["articles", "original", "site", "clean", "cache", "pictures"]) rmSync(path.join(work, folder), { recursive: true, force: true });

interface BuildOutcome {
  built: boolean;
  problems: string[];
  rendered?: number;
  /** Built as body edits alone, from the site in place (`buildBodyEdits`). */
  bodiesAlone?: boolean;
}

/** One build into `output` (`cache` false: from nothing), in a process of its own. */
function build(output: string, cache: string | false): BuildOutcome {
  const request = { articlesDir: articles, outputDir: path.join(work, output), cache, pictureCache: path.join(work, "pictures"), pagesPerSearchShard: 4, pagesPerRun: 25 };
  return JSON.parse(execFileSync(process.execPath, ["--import", "tsx", SELF, "--build", JSON.stringify(request)], { cwd: ROOT, encoding: "utf8", maxBuffer: 1e8 })) as BuildOutcome;
}

/** A build as `broadsheet build` runs one: nothing written when the stamp says nothing changed. */
async function buildOnce(request: import("../build.ts").BuildOptions): Promise<BuildOutcome> {
  const { buildBodyEdits, buildSite, stampForBuild, unchangedBuild } = await import("../build.ts");
  const { ArchiveError } = await import("../problems.ts");
  const describe = (problems: readonly import("../problems.ts").Problem[]) => problems.map((problem) => `${problem.severity} ${problem.file}:${problem.line ?? ""} ${problem.message}`);
  try {
    const stamp = request.cache === false ? undefined : await stampForBuild(request);
    const unchanged = unchangedBuild(request, stamp);
    if (unchanged) return { built: true, problems: describe(unchanged.problems), rendered: 0 };
    const edited = await buildBodyEdits(request, stamp);
    if (edited) return { built: true, problems: describe(edited.problems), bodiesAlone: true };
    const result = await buildSite(request, stamp);
    return { built: true, problems: describe(result.problems), rendered: result.pagesRendered };
  } catch (cause) {
    if (cause instanceof ArchiveError) return { built: false, problems: describe(cause.problems) };
    throw cause;
  }
}

function articleFiles(): string[] {
  return (readdirSync(articles, { recursive: true, encoding: "utf8" }) as string[])
    .filter((name) => name.endsWith(".md"))
    .map((name) => path.join(articles, name))
    .sort();
}

/** Changes a file's text; says nothing more for the log. */
function change(file: string, edit: (text: string) => string): string {
  writeFileSync(file, edit(readFileSync(file, "utf8")));
  return "";
}

/** The text with one front matter field set to `value` (a YAML value), or taken out when it is undefined. */
function frontMatter(text: string, field: string, value: string | undefined): string {
  const match = /^---\n([^]*?)\n---\n/.exec(text);
  if (!match) return text;
  const lines = match[1]!.split("\n");
  const start = lines.findIndex((line) => line.startsWith(`${field}:`));
  let end = start + 1;
  while (start >= 0 && end < lines.length && /^\s/.test(lines[end]!)) end++;
  const replacement = value === undefined ? [] : [`${field}: ${value}`];
  if (start >= 0) lines.splice(start, end - start, ...replacement);
  else lines.push(...replacement);
  return `---\n${lines.join("\n")}\n---\n${text.slice(match[0].length)}`;
}

function pad(number: number): string {
  return String(number).padStart(2, "0");
}

/** A linear congruential generator: the same seed makes the same edits everywhere. */
function lcg(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}
