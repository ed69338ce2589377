import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gunzipSync, gzipSync } from "node:zlib";
import { expect, test } from "vitest";
import { compress, linkIfSame } from "../../src/search/bundle-files.ts";

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

test("a file compressed before is linked only when it unpacks to the data, and never left linked under another name", async () => {
  const scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-link-if-same-"));
  try {
    const data = Buffer.from("pagefind_dcd the same words as before");
    const earlier = path.join(scratch, "earlier.pf_index");
    await writeFile(earlier, gzipSync(data));
    const bytes = await readFile(earlier);

    expect(await linkIfSame(earlier, Buffer.from("pagefind_dcd other words"), path.join(scratch, "other.pf_index"))).toBe(false);
    expect(await linkIfSame(path.join(scratch, "missing.pf_index"), data, path.join(scratch, "missing-too.pf_index"))).toBe(false);
    const same = path.join(scratch, "same.pf_index");
    expect(await linkIfSame(earlier, data, same)).toBe(true);
    expect((await stat(same)).ino).toBe((await stat(earlier)).ino);

    // A link that cannot be put in place (a folder has the name) is taken away again.
    const taken = path.join(scratch, "taken.pf_index");
    await mkdir(path.join(taken, "inside"), { recursive: true });
    expect(await linkIfSame(earlier, data, taken)).toBe(false);
    expect((await readdir(scratch)).sort()).toEqual(["earlier.pf_index", "same.pf_index", "taken.pf_index"]);
    expect((await readFile(earlier)).equals(bytes)).toBe(true);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
});
