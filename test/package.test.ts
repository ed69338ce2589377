import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { freePort } from "../src/bench/proc.ts";
import { fixture, ROOT, runCommand as run } from "./helpers/files.ts";
import { listFiles } from "./helpers/links.ts";

// Broadsheet as a user gets it: packed as npm packs it, installed into a folder of its own (no
// TypeScript, no repository beside it), started with `init`, and run through npx.
let scratch: string;
let tarball: string;
let project: string;
const version = (JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-package-"));
  // `npm test` has just compiled dist/; packing without scripts keeps the other test files'
  // dist/ in place (prepare would compile it again from nothing while they run).
  const packed = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch], ROOT);
  expect(packed.code, packed.stderr).toBe(0);
  tarball = path.join(scratch, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
  project = path.join(scratch, "newsroom");
  await mkdir(project);
  // A project's own ignore rules and Eleventy config are not Broadsheet's: neither may change its site.
  await writeFile(path.join(project, ".gitignore"), "layouts/\n*.js\ndist/\n");
  await writeFile(path.join(project, "eleventy.config.js"), "export default function () { throw new Error('the project\\'s own Eleventy config was read'); }\n");
  const installed = await run("npm", ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund"], project);
  expect(installed.code, installed.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true, maxRetries: 5 });
});

describe("the packed tarball", () => {
  test("holds the compiled code, its types, the assets, README and LICENSE, and no tests, fixtures or benches", async () => {
    const listed = await run("tar", ["-tzf", tarball], scratch);
    const files = listed.stdout.trim().split("\n").map((file) => file.replace(/^package\//, ""));
    expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "LICENSE", "bin/broadsheet.js", "dist/src/index.js", "dist/src/index.d.ts", "dist/src/cli.js", "dist/src/search/pagefind-worker.js", "dist/layouts/pages.js", "dist/layouts/assets/style.css", "dist/layouts/assets/search.js"]));
    expect(files.filter((file) => /^(test|src|layouts|articles)\/|\/bench\/|\.ts$(?<!\.d\.ts$)|\.tsx$/.test(file))).toEqual([]);
  });

  test("needs no TypeScript loader to run", async () => {
    const manifest = JSON.parse(await readFile(path.join(project, "node_modules", "broadsheet", "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).not.toContain("tsx");
    expect(existsSync(path.join(project, "node_modules", "tsx"))).toBe(false);
  });
});

describe("in a new folder, from the installed package", () => {
  test("--version prints the version", async () => {
    const { code, stdout } = await npx(["--version"]);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(version);
  });

  test("init writes a working archive and adds its scripts to the existing package.json", async () => {
    const { code, stdout, stderr } = await npx(["init"]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("articles/broadsheet.yml");
    const manifest = JSON.parse(await readFile(path.join(project, "package.json"), "utf8")) as { scripts: Record<string, string>; dependencies: Record<string, string> };
    expect(manifest.scripts).toMatchObject({ build: "broadsheet build", start: "broadsheet serve", check: "broadsheet check" });
    expect(Object.keys(manifest.dependencies)).toContain("broadsheet");
    expect(await readFile(path.join(project, ".gitignore"), "utf8")).toBe("layouts/\n*.js\ndist/\n\n# Broadsheet: the built site and what builds leave beside it\nnode_modules/\n_site/\n_site.*/\n.cache/\n");
    expect(existsSync(path.join(project, ".github", "workflows", "pages.yml"))).toBe(true);
    expect((await listFiles(path.join(project, "articles"))).filter((file) => file.endsWith(".md"))).toHaveLength(1);
  });

  test("init again refuses, naming every file it would overwrite, and writes nothing", async () => {
    const before = await readFile(path.join(project, "package.json"), "utf8");
    const { code, stderr } = await npx(["init"]);
    expect(code).toBe(1);
    expect(stderr).toContain("articles/broadsheet.yml  exists already, and init never overwrites a file.");
    expect(stderr).toContain(".github/workflows/pages.yml  exists already");
    expect(stderr).toContain("Nothing was written.");
    expect(await readFile(path.join(project, "package.json"), "utf8")).toBe(before);
  });

  test("new, import and check work on the new archive", async () => {
    const made = await npx(["new", "Council approves budget", "--author", "Jane Doe", "--topic", "City Hall"]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout.trim()).toMatch(/^articles\/\d{4}\/council-approves-budget\.md$/);
    await copyFile(path.join(fixture("clippings"), "ferry-timetable-cut.txt"), path.join(project, "ferry-timetable-cut.txt"));
    const imported = await npx(["import", "ferry-timetable-cut.txt", "--date", "2024-05-14"]);
    expect(imported.code, imported.stderr).toBe(0);
    const checked = await npx(["check"]);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toContain("3 articles checked: 0 errors");
  });

  test("npm run build writes every page of the model", async () => {
    const built = await run("npm", ["run", "build", "--", "--quiet"], project);
    expect(built.code, built.stderr).toBe(0);
    const files = await listFiles(path.join(project, "_site"));
    expect(files).toEqual(expect.arrayContaining(["index.html", "404.html", "search/index.html", "topics/index.html", "authors/jane-doe/index.html", "feed.xml", "sitemap.xml", "assets/style.css", "pagefind/pagefind.js"]));
    expect(files.filter((file) => /^\d{4}\/\d{2}\/[^/]+\/index\.html$/.test(file) && !file.includes("/page/"))).toHaveLength(3);
  });

  test("the API checks and builds, and returns problems as data", async () => {
    await writeFile(path.join(project, "api.mjs"), [
      'import { mkdirSync, writeFileSync } from "node:fs";',
      'import { build, check } from "broadsheet";',
      'mkdirSync("broken/2024", { recursive: true });',
      'writeFileSync("broken/2024/bad.md", "---\\ntitle: Bad\\nauthor: A\\ndate: 2024-13-01\\n---\\nText.\\n");',
      'const checked = await check({ articles: "broken" });',
      'const built = await build({ articles: "broken", output: "_broken" });',
      'const good = await build({ articles: "articles", output: "_api" });',
      "console.log(JSON.stringify({ checked, built, good: { written: good.written, articles: good.articles, problems: good.problems.length } }));",
    ].join("\n"));
    const { code, stdout, stderr } = await run(process.execPath, ["api.mjs"], project);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as { checked: { valid: boolean; problems: unknown[] }; built: { written: boolean; problems: unknown[] }; good: { written: boolean; articles: number; problems: number } };
    expect(result.checked.valid).toBe(false);
    expect(result.checked.problems).toEqual([expect.objectContaining({ severity: "error", file: "broken/2024/bad.md", field: "date", line: 4 })]);
    expect(result.built).toMatchObject({ written: false, problems: [expect.objectContaining({ severity: "error", field: "date" })] });
    expect(existsSync(path.join(project, "_broken"))).toBe(false);
    expect(result.good).toEqual({ written: true, articles: 3, problems: 0 });
  });

  test("npm start serves the site", async () => {
    const port = await freePort();
    // In a process group of its own, so that npm, the server and its search worker all stop at the end.
    const server = spawn("npm", ["start", "--", "--port", String(port), "--output", "_served"], { cwd: project, env: { ...process.env, CI: "1" }, detached: true });
    const exited = new Promise((resolve) => server.on("exit", resolve));
    let log = "";
    server.stdout.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
    server.stderr.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
    try {
      for (let waited = 0; !log.includes("Server at") && waited < 60_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(log).toContain("Server at");
      for (const page of ["", "search/", "topics/", "authors/jane-doe/", "assets/style.css"]) {
        const response = await fetch(`http://127.0.0.1:${port}/${page}`);
        expect(response.status, page).toBe(200);
      }
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toContain("Council approves budget");
    } finally {
      process.kill(-server.pid!, "SIGTERM");
      await exited;
    }
  });
});

function npx(args: string[]) {
  return run("npx", ["broadsheet", ...args], project);
}
