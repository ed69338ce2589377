import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { differentFiles, hashFolder } from "./folder-hashes.ts";
import { freePort, memoryBytes } from "./proc.ts";

// Measures builds from the cache against a build from nothing (`npm run bench -- --incremental
// --count N`): each build is the compiled command line (`npm run compile` first) in a process of
// its own, as a user runs it, with the cache in the bench's own working folder. Then compares
// every file the cached builds wrote with a `--no-cache` build of the same articles.

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

interface Timing {
  what: string;
  seconds: number;
  peakMB: number;
}

/** Runs the incremental bench on the archive in `articlesDir` (a synthetic one, which it changes and then restores). */
export async function benchIncremental(articlesDir: string, runs: number): Promise<void> {
  const work = path.join(os.tmpdir(), `broadsheet-bench-incremental-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const cached = path.join(work, "site");
  const clean = path.join(work, "clean");
  const timings: Timing[] = [];
  /** The slowest page serve answered while it made its model, in milliseconds, by run. */
  const slowestAnswers: number[] = [];
  const build = async (what: string, extra: string[] = [], output = cached, fails = false) => {
    await removalsEnded(work);
    process.stderr.write(`${what} …\n`);
    const timing = await timeBuild(["build", "--articles", articlesDir, "--output", output, "--quiet", ...extra], work, fails);
    timings.push({ what, ...timing });
    process.stderr.write(`  ${timing.seconds.toFixed(1)} s\n`);
  };

  const edited = pickArticle(articlesDir);
  const original = readFileSync(edited);
  const added = path.join(articlesDir, "2026", "11", "bench-late-news.md");
  const imported = path.join(articlesDir, "2012", "05", "bench-imported-report.md");
  // A long feature, whose last paragraph is past the opening the related lists count: an edit
  // there is built from the site in place, without the site's model (src/cache/body-edits.ts).
  const feature = path.join(articlesDir, "2018", "06", "bench-long-feature.md");
  writeLongFeature(feature, "The last paragraph says the quay was quiet.");
  try {
    for (let run = 0; run < runs; run++) {
      rmSync(clean, { recursive: true, force: true });
      await build("clean build (--no-cache)", ["--no-cache"], clean);
      rmSync(path.join(work, ".cache"), { recursive: true, force: true });
      rmSync(cached, { recursive: true, force: true });
      await build("first build, empty cache");
      await build("nothing changed");
      writeFileSync(edited, `${original}\nA closing paragraph added at ${Date.now()} about the ferry and the harbour.\n`);
      await settle();
      // The first build that replaces a site stages in an empty folder; from then on each stages
      // in the site the one before replaced, kept in the cache (src/cache/earlier-site.ts).
      await build("one article's body changed, no earlier site kept yet");
      writeFileSync(edited, `${original}\nA closing paragraph added at ${Date.now()} about the ferry, the harbour and the quay.\n`);
      await settle();
      await build("one article's body changed again, staged in the earlier site");
      // The same words with another number: every term the related lists count is as it was, so
      // the lists are kept (src/cache/related-cache.ts), where each edit above changes a term.
      writeFileSync(edited, `${original}\nA closing paragraph added at ${Date.now()} about the ferry, the harbour and the quay.\n`);
      await settle();
      await build("a number in that body changed (the related lists' terms as they were)");
      writeLongFeature(feature, `The last paragraph says the quay was quiet at ${Date.now()}.`);
      await settle();
      await build("a long article's last paragraph changed (built from the site in place)");
      writeLongFeature(feature, `The last paragraph says the quay was quiet, and then busy, at ${Date.now()}.`);
      await settle();
      await build("that paragraph changed again");
      mkdirSync(path.dirname(added), { recursive: true });
      writeFileSync(added, `---\ntitle: "Late news from the quay, run ${run}"\nauthor: Mara Quinn\ndate: 2026-11-30T23:00:00Z\ntopics: [Harbour]\n---\nThe quay reopened late at night.\n`);
      await settle();
      await build("one new article, newest of all");
      await build("nothing changed");
      // What an editor does besides: a file saved as it was (the build writes nothing), and an
      // error the build stops on, then mended; each followed by an edit, staged as any other.
      writeFileSync(added, readFileSync(added));
      await settle();
      await build("a file saved unchanged (nothing written)");
      writeFileSync(edited, `${original}\nA closing paragraph added at ${Date.now()} about the ferry and the tide.\n`);
      await settle();
      await build("one article's body changed after it");
      writeFileSync(edited, String(original).replace(/^date: .*$/m, "date: the first of never"));
      await settle();
      await build("an article's date made wrong (the build stops)", [], cached, true);
      writeFileSync(edited, `${original}\nA closing paragraph added at ${Date.now()} about the ferry and the lock.\n`);
      await settle();
      await build("mended, with its body changed");
      // An article imported among old ones, then deleted: each moves every newer article a place
      // in the archive's order, and the search index's volumes' edges (src/search/shards.ts).
      mkdirSync(path.dirname(imported), { recursive: true });
      writeFileSync(imported, `---\ntitle: "An old report, imported, run ${run}"\nauthor: Mara Quinn\ndate: 2012-05-10T10:00:00Z\ntopics: [Harbour]\n---\nThe quay was rebuilt that spring, stone by stone.\n`);
      await settle();
      await build("an old article imported (dated 2012)");
      rmSync(imported);
      await settle();
      await build("that article deleted");
      await build("nothing changed");
      // `npm start` reopened on the archive as that build left it: the site is served at once,
      // and the model later edits revise is made meanwhile (src/serve.ts).
      await removalsEnded(work);
      process.stderr.write("serve reopened, nothing changed …\n");
      const reopened = await timeServeReopened(articlesDir, cached, work);
      timings.push({ what: "serve reopened, nothing changed: first page answered", seconds: reopened.firstPage, peakMB: reopened.peakMBAtFirstPage });
      timings.push({ what: "serve reopened: model made, edits watched", seconds: reopened.watching, peakMB: reopened.peakMB });
      slowestAnswers.push(reopened.slowestAnswer);
      process.stderr.write(`  ${reopened.firstPage.toFixed(1)} s to the first page, ${reopened.watching.toFixed(1)} s to watching\n`);
    }
    rmSync(clean, { recursive: true, force: true });
    await build("clean build of the changed archive, to compare", ["--no-cache"], clean);
    const [fromCache, fromNothing] = [hashFolder(cached), hashFolder(clean)];
    const differing = differentFiles(fromCache, fromNothing);
    const cacheBytes = folderBytes(path.join(work, ".cache", "broadsheet", "build"), cached);

    console.log("| build | seconds | peak memory MB |");
    console.log("|---|---:|---:|");
    for (const timing of timings) console.log(`| ${timing.what} | ${timing.seconds.toFixed(1)} | ${timing.peakMB.toFixed(0)} |`);
    console.log(`\nserve reopened: the slowest page answered while the model was made took ${slowestAnswers.map((milliseconds) => `${milliseconds.toFixed(0)} ms`).join(", ")}.`);
    console.log(`Byte for byte: ${fromCache.size.toLocaleString("en")} files from the cache, ${fromNothing.size.toLocaleString("en")} from nothing, ${differing.length === 0 ? "all identical" : `${differing.length} differ: ${differing.slice(0, 10).join(", ")}`}.`);
    console.log(`Cache: ${(cacheBytes / 1e6).toFixed(0)} MB in ${path.join(work, ".cache", "broadsheet", "build")}, besides the files its earlier site shares with the site.`);
    console.log(`${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg().map((load) => load.toFixed(1)).join(" ")} at the end.`);
    if (differing.length > 0) process.exitCode = 1;
  } finally {
    writeFileSync(edited, original);
    rmSync(added, { force: true });
    rmSync(imported, { force: true });
    rmSync(feature, { force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Waits until a file just written is older than the 2 s within which a build does not trust a
 * file's times (src/cache/input-stamp.ts), as an edit is by the time a newsroom builds.
 */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 2_500));
}

/**
 * Waits until the sites that builds replaced in `folder` are removed (a process of its own removes
 * a big one once the new site is in place, src/build.ts): a build timed meanwhile would share the
 * machine with a minute of removing files, as a newsroom's next build, minutes later, does not.
 */
async function removalsEnded(folder: string): Promise<void> {
  const giveUpAt = Date.now() + 10 * 60_000;
  for (;;) {
    const removing = readdirSync(folder).filter((name) => name.includes(".removing-"));
    if (removing.length === 0) return;
    if (Date.now() > giveUpAt) throw new Error(`${path.join(folder, removing[0]!)} is still there after 10 minutes: its removal stopped. Delete it and run the bench again.`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** An article in the middle of the archive, the same on every run. */
function pickArticle(articlesDir: string): string {
  const years = readdirSync(articlesDir).filter((name) => /^\d{4}$/.test(name)).sort();
  const year = path.join(articlesDir, years[Math.floor(years.length / 2)]!);
  const month = path.join(year, readdirSync(year).sort()[0]!);
  return path.join(month, readdirSync(month).filter((name) => name.endsWith(".md")).sort()[0]!);
}

/**
 * Runs the command line in `cwd` and measures its wall time and the peak memory of it and its
 * children; one that `fails` must exit with an error, and its report is not shown.
 */
function timeBuild(args: string[], cwd: string, fails = false): Promise<{ seconds: number; peakMB: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(ROOT, "bin", "broadsheet.js"), ...args], { cwd, stdio: ["ignore", fails ? "ignore" : "inherit", fails ? "ignore" : "inherit"], env: { ...process.env, CI: "1" } });
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, treeMemory(child.pid!))), 100);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearInterval(timer);
      if ((code !== 0) !== fails) reject(new Error(`broadsheet ${args.join(" ")} exited with ${code}${fails ? ", where it should have stopped on an error" : ""}`));
      else resolve({ seconds: (performance.now() - started) / 1000, peakMB: peak / 1e6 });
    });
  });
}

/**
 * Starts `broadsheet serve` on the site a build left in `output`, asks for its pages every 100 ms
 * from the start, and ends it once it watches the articles (its model is made): when the first
 * page was answered, when it watched, the slowest answer after the first, and the peak memory at
 * each moment.
 */
async function timeServeReopened(articlesDir: string, output: string, cwd: string): Promise<{ firstPage: number; watching: number; slowestAnswer: number; peakMBAtFirstPage: number; peakMB: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, "bin", "broadsheet.js"), "serve", "--articles", articlesDir, "--output", output, "--port", String(port)], { cwd, env: { ...process.env, CI: "1" } });
  let log = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
  const ended = new Promise((resolve) => child.once("exit", resolve));
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, treeMemory(child.pid!))), 100);
  const pages = ["", "topics/", "search/", "feed.xml"];
  let firstPage: number | undefined;
  let peakAtFirstPage = 0;
  let slowestAnswer = 0;
  try {
    for (let asked = 0; !log.includes("Watching"); asked++) {
      if (child.exitCode !== null) throw new Error(`broadsheet serve ended with ${child.exitCode} before it watched the articles:\n${log}`);
      if (performance.now() - started > 10 * 60_000) throw new Error(`broadsheet serve did not watch the articles within 10 minutes:\n${log}`);
      const askedAt = performance.now();
      const answered = await fetch(`http://localhost:${port}/${pages[asked % pages.length]}`).then(
        async (response) => (await response.arrayBuffer(), response.ok),
        () => false,
      );
      if (answered) {
        const took = performance.now() - askedAt;
        if (firstPage === undefined) {
          firstPage = (performance.now() - started) / 1000;
          peakAtFirstPage = peak;
        } else slowestAnswer = Math.max(slowestAnswer, took);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const watching = (performance.now() - started) / 1000;
    if (firstPage === undefined) throw new Error(`broadsheet serve watched the articles but answered no page:\n${log}`);
    return { firstPage, watching, slowestAnswer, peakMBAtFirstPage: peakAtFirstPage / 1e6, peakMB: peak / 1e6 };
  } finally {
    clearInterval(timer);
    child.kill();
    await ended;
  }
}

function treeMemory(pid: number): number {
  let total = memoryBytes(pid, "VmRSS");
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      if (children) for (const child of children.split(/\s+/)) total += treeMemory(Number(child));
    }
  } catch {
    // Ended meanwhile.
  }
  return total;
}

/**
 * The bytes of the files below `folder`, but for those that are files of `besides` too (hard
 * links: the earlier site kept in the cache shares most of its files with the site).
 */
function folderBytes(folder: string, besides?: string): number {
  if (!existsSync(folder)) return 0;
  const statuses = (root: string) =>
    readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => statSync(path.join(entry.parentPath, entry.name)));
  const shared = new Set(besides ? statuses(besides).map((status) => status.ino) : []);
  let bytes = 0;
  for (const status of statuses(folder)) if (!shared.has(status.ino)) bytes += status.size;
  return bytes;
}

/** Writes the bench's long feature at `file`: 60 paragraphs, and `last`. */
function writeLongFeature(file: string, last: string): void {
  const paragraphs = Array.from({ length: 60 }, (_, number) => `Paragraph ${number + 1} of the feature follows the harbour master through a working day, from the first tide to the last ferry, with the ledger, the radio and the weather on the board by the door.`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `---\ntitle: "A long feature on the harbour"\nauthor: Mara Quinn\ndate: 2018-06-12T09:00:00Z\ntopics: [Harbour]\n---\nThe harbour wakes before the town does.\n\n${paragraphs.join("\n\n")}\n\n${last}\n`);
}
