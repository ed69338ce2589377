import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { expect, test } from "vitest";
import { compress } from "../../src/search/bundle-files.ts";

test("compresses with Zopfli into plain gzip", async () => {
  const data = Buffer.from("The ferry timetable changes for the winter crossing. ".repeat(20));
  expect(gunzipSync(await compress(data, "smallest"))).toEqual(data);
});

test("once Zopfli is loaded, an error elsewhere is still reported as Node reports it", async () => {
  const module = new URL("../../src/search/bundle-files.ts", import.meta.url).href;
  const script = `import { compress } from ${JSON.stringify(module)}; await compress(Buffer.from("x"), "smallest"); setTimeout(() => { throw new Error("an error after compressing"); });`;
  const failure = await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script]).catch((error: { code: number; stderr: string }) => error);
  expect(failure).toMatchObject({ code: 1 });
  const { stderr } = failure as { stderr: string };
  expect(stderr).toContain("Error: an error after compressing");
  // Zopfli's wrapper rethrew it from its own handler, and Node printed the wrapper's minified source, 30 kB on one line.
  expect(stderr).not.toContain("Emscripten");
  expect(stderr.length).toBeLessThan(2000);
});
