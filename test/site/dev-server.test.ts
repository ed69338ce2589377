import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { freePort } from "../../src/bench/proc.ts";
import { serveFromThread } from "../../src/site/dev-server.ts";
import { createEleventy } from "../../src/site/eleventy.ts";
import { launchChromium } from "../helpers/browser.ts";

// Eleventy's development server on a thread of its own, as serve runs it: started and stopped by
// Eleventy, answering under the base path with its reload script, while this thread is busy.

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-dev-server-"));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Fetches `url` from another process, holding this thread until it ends (at most 30 s): `body` is undefined when nothing answered. */
function fetchWhileBusy(url: string): { status: number | null; body: string } {
  // As a browser navigates (Node's fetch says it does not, and is answered without the reload script).
  const script = "require('node:http').get(process.argv[1], (response) => { let body = ''; response.setEncoding('utf8').on('data', (chunk) => (body += chunk)).on('end', () => console.log(response.statusCode + '\\n' + body)); })";
  const fetched = spawnSync(process.execPath, ["-e", script, url], { encoding: "utf8", timeout: 30_000 });
  return { status: fetched.status, body: fetched.stdout };
}

test("answers pages under the base path, with the reload script, while this thread is held; Eleventy stops it", async () => {
  const outputDir = path.join(scratch, "site");
  await mkdir(path.join(outputDir, "2024", "03"), { recursive: true });
  await writeFile(path.join(outputDir, "2024", "03", "index.html"), "<!doctype html><html lang=en><head><title>March 2024</title></head><body><p>Articles of March 2024</p></body></html>\n");
  const eleventy = createEleventy(outputDir, { model: () => Promise.reject(new Error("This test renders nothing.")) }, { pathPrefix: "/news/", runMode: "serve" });
  await eleventy.init();
  const port = await freePort();
  await serveFromThread(eleventy, port);
  try {
    // This thread waits for the other process throughout: a server on this thread would never answer it.
    const answered = fetchWhileBusy(`http://localhost:${port}/news/2024/03/`);
    expect(answered.status).toBe(0);
    expect(answered.body).toMatch(/^200\n/);
    expect(answered.body).toContain("Articles of March 2024");
    expect(answered.body).toMatch(/<script type="module" integrity="[^"]+" src="\/\.11ty\/reload-client\.js"><\/script><\/head>/);
    expect(fetchWhileBusy(`http://localhost:${port}/.11ty/reload-client.js`).body).toMatch(/^200\n/);
  } finally {
    await eleventy.stopWatch();
  }
  // Stopped, the thread's server no longer answers.
  expect(await fetch(`http://localhost:${port}/news/2024/03/`).then(() => "answered", () => "refused")).toBe("refused");
});

test("fails, with the server's message, when every port it tries is in use; Eleventy then stops at once", async () => {
  const eleventy = createEleventy(path.join(scratch, "busy"), { model: () => Promise.reject(new Error("This test renders nothing.")) }, { runMode: "serve" });
  await eleventy.init();
  // The server tries the port asked for and the ten after it.
  const first = await freePort();
  const taken: Server[] = [];
  try {
    for (let port = first; port <= first + 10; port++) {
      const holder = createServer();
      await new Promise<void>((resolve) => holder.once("error", () => resolve()).listen(port, () => resolve()));
      taken.push(holder);
    }
    await expect(serveFromThread(eleventy, first)).rejects.toThrow(/Tried 10 different ports but they were all in use/);
    // Stopped once the server's thread has ended, as serve stops it after the failure is reported.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await eleventy.stopWatch();
  } finally {
    await Promise.all(taken.map((holder) => new Promise((resolve) => holder.close(resolve))));
  }
});

test("says which Eleventy to install when Eleventy starts its server otherwise than the one it knows", async () => {
  // An Eleventy whose serving has no server module to replace (its methods taken away) stands for an upgrade that changed it.
  const eleventy = createEleventy(path.join(scratch, "other"), { model: () => Promise.reject(new Error("This test renders nothing.")) }, { runMode: "serve" });
  await eleventy.init();
  Object.setPrototypeOf((eleventy as unknown as { eleventyServe: object }).eleventyServe, Object.prototype);
  await expect(serveFromThread(eleventy, await freePort())).rejects.toThrow(/starts its development server otherwise than the Eleventy 3 that Broadsheet knows .*install the @11ty\/eleventy version in Broadsheet's package\.json/);
});

test("reloads every page open in a browser when asked, as serve asks once a build has replaced the site it served", { timeout: 120_000 }, async () => {
  const outputDir = path.join(scratch, "reloaded");
  await mkdir(outputDir, { recursive: true });
  await writeFile(path.join(outputDir, "index.html"), "<!doctype html><html lang=en><head><title>Front page</title></head><body><h1>The first edition</h1></body></html>\n");
  const eleventy = createEleventy(outputDir, { model: () => Promise.reject(new Error("This test renders nothing.")) }, { runMode: "serve" });
  await eleventy.init();
  const port = await freePort();
  const served = await serveFromThread(eleventy, port);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    // The reload script says so in the console once its connection to the server is open.
    const connected = page.waitForEvent("console", { predicate: (message) => /\bconnected\b/i.test(message.text()), timeout: 30_000 });
    await page.goto(`http://localhost:${port}/`);
    await connected;
    expect(await page.locator("h1").textContent()).toBe("The first edition");
    // The site replaced under the server, as a build swaps its folder in: the open page shows it once reloaded.
    await writeFile(path.join(outputDir, "index.html"), "<!doctype html><html lang=en><head><title>Front page</title></head><body><h1>The second edition</h1></body></html>\n");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await page.locator("h1").textContent()).toBe("The first edition");
    served.reloadPages();
    await page.waitForFunction(() => document.querySelector("h1")?.textContent === "The second edition", undefined, { timeout: 30_000 });
  } finally {
    await browser.close();
    await eleventy.stopWatch();
  }
});
