import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { freePort } from "../../src/bench/proc.ts";
import { launchChromium } from "../helpers/browser.ts";
import { fixture } from "../helpers/files.ts";
import { ServeProcess } from "../helpers/serve-process.ts";

// `broadsheet serve`, whose server answers from a thread of its own, still shows an edit in a page
// a reader has open: Eleventy's reload reaches the browser across the thread.

let scratch: string;
let articlesDir: string;
let server: ServeProcess | undefined;
let browser: Browser;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-live-reload-"));
  articlesDir = path.join(scratch, "articles");
  await cp(fixture("basic"), articlesDir, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true, maxRetries: 5 });
});

test("an article open in the browser shows its edit without being loaded again by the reader", { timeout: 120_000 }, async () => {
  const port = await freePort();
  const serve = (server = ServeProcess.start(["--articles", articlesDir, "--output", path.join(scratch, "site"), "--port", String(port)], scratch));
  expect(await serve.until(() => serve.log.includes("Server at") && serve.log.includes("Watching"), 60_000), serve.log).toBe(true);

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
    if (await serve.until(shown, 10_000)) break;
    if (attempt === 5) throw new Error(`The open page never showed the edit. serve said:\n${serve.log}`);
  }
  expect(errors).toEqual([]);
});
