import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { freePort } from "../../src/bench/proc.ts";
import { launchChromium } from "../helpers/browser.ts";
import { fixture, ROOT } from "../helpers/files.ts";

// `broadsheet serve`, whose server answers from a thread of its own, still shows an edit in a page
// a reader has open: Eleventy's reload reaches the browser across the thread.

let scratch: string;
let articlesDir: string;
let server: ChildProcessWithoutNullStreams | undefined;
let browser: Browser;
let log = "";

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-live-reload-"));
  articlesDir = path.join(scratch, "articles");
  await cp(fixture("basic"), articlesDir, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const ended = new Promise((resolve) => server!.once("exit", resolve));
    server.kill();
    await ended;
  }
  if (scratch) await rm(scratch, { recursive: true, force: true, maxRetries: 5 });
});

async function until(done: () => boolean | Promise<boolean>, milliseconds: number): Promise<boolean> {
  for (let waited = 0; waited < milliseconds; waited += 100) {
    if (await done()) return true;
    if (server?.exitCode !== null) throw new Error(`serve ended with code ${server?.exitCode}:\n${log}`);
    await sleep(100);
  }
  return await done();
}

test("an article open in the browser shows its edit without being loaded again by the reader", { timeout: 120_000 }, async () => {
  const port = await freePort();
  server = spawn(process.execPath, [path.join(ROOT, "bin", "broadsheet.js"), "serve", "--articles", articlesDir, "--output", path.join(scratch, "site"), "--port", String(port)], {
    cwd: scratch,
    env: { ...process.env, CI: "1", NO_COLOR: "1" },
  });
  server.stdout.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
  server.stderr.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
  expect(await until(() => log.includes("Server at") && log.includes("Watching"), 60_000), log).toBe(true);

  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  // The reload script says so in the console once its connection to the server is open.
  const connected = page.waitForEvent("console", { predicate: (message) => /\bconnected\b/i.test(message.text()), timeout: 30_000 });
  await page.goto(`http://localhost:${port}/2023/03/council-meets-in-public/`);
  await connected;
  expect(await page.locator("h1").textContent()).toBe("Council meets in public for the first time in a year");

  const file = path.join(articlesDir, "2023", "council-meets-in-public.md");
  const edited = (await readFile(file, "utf8")).replace(/^title: .*$/m, 'title: "Council meets in the open"');
  // Eleventy's watcher starts a moment after it says it watches: a save it missed is saved again.
  const shown = async () => (await page.locator("h1").textContent()) === "Council meets in the open";
  for (let attempt = 1; ; attempt++) {
    await writeFile(file, edited);
    if (await until(shown, 10_000)) break;
    if (attempt === 5) throw new Error(`The open page never showed the edit. serve said:\n${log}`);
  }
  expect(errors).toEqual([]);
});
