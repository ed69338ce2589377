import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { deserialize, serialize } from "node:v8";
import { afterAll, beforeAll, expect, test } from "vitest";
import { BuildCache } from "../../src/cache/build-cache.ts";
import { packValues, unpackValues, type PackedValues } from "../../src/cache/packed-values.ts";

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "broadsheet-packed-values-"));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** An article's entry as the article cache stores it, in the shapes it has: fields undefined, empty lists as numbers, dates as markers. */
function entry(index: number): unknown {
  return {
    parsed: {
      source: {
        title: `Headline ${index} – “quoted”, ünïcödé`,
        authors: index % 2 === 0 ? ["Mara Quinn"] : ["Mara Quinn", "Ode Bello"],
        date: { value: { "broadsheet:date": [1286822758000 + index, "Europe/Berlin", "de-DE", 0] }, hasTime: index % 3 === 0 },
        topics: [],
        summary: index % 4 === 0 ? undefined : "A summary.",
        updated: undefined,
        draft: false,
        slug: null,
        aliases: 0,
        corrections: [{ date: { value: { "broadsheet:date": [1, "UTC", "en-US", 0] }, hasTime: false }, text: "Corrected." }],
        lines: { title: 2, author: 3 },
      },
      problems: index % 5 === 0 ? [{ file: "a.md", message: "links to /nowhere/", severity: "warning", line: 12 }] : 0,
    },
    rendered: { url: `/2010/10/headline-${index}/`, body: { html: index % 2 === 0 ? "<p>Short.</p>" : { token: "3f5c", at: index * 10, bytes: 10, digest: "5W4C" }, words: 392 }, questions: [["article", "b.md", undefined], ["page", "/about/", true]] },
    digest: index % 3 === 0 ? undefined : { rest: "Kf", value: "oY" },
  };
}

test("plain data comes back as it was: the same fields in the same order, the same lists and maps, every other value as V8 stores it", () => {
  const value = {
    entries: new Map(Array.from({ length: 50 }, (_, index) => [`key-${index}`, entry(index)])),
    numbers: new Uint32Array([1, 2, 3]),
    floats: new Float32Array([1.5]),
    names: new Set(["a", "b"]),
    when: new Date(0),
    nothing: null,
    specials: [-0, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 10n, true, ""],
    nested: [[], [[]], {}, new Map([[{ a: 1 }, [1]]])],
    // A field named as a list's index, which objects list first.
    numbered: { b: 1, 2: "two", a: 3 },
  };
  const packed = packValues(value)!;
  expect(packed).toBeDefined();
  // Each shape's names are kept once, however many objects have it.
  expect(packed.shapes.length).toBeLessThan(30);
  const back = unpackValues(deserialize(serialize(packed)) as PackedValues);
  expect(back).toStrictEqual(value);
  expect(Object.is((back as typeof value).specials[0], -0)).toBe(true);
  const firstEntry = (back as typeof value).entries.get("key-0") as { parsed: { source: object } };
  expect(Object.keys(firstEntry.parsed.source)).toEqual(Object.keys((entry(0) as typeof firstEntry).parsed.source));
  expect(Object.keys((back as typeof value).numbered)).toEqual(["2", "b", "a"]);
  // The values as they are, and a value alone.
  for (const alone of ["text", 12, undefined, null, [], {}, new Map()]) expect(unpackValues(packValues(alone)!)).toStrictEqual(alone);
  // Shapes whose names, joined, would read alike.
  for (const alike of [[{}, { "": 1 }], [{ a: 1, b: 2 }, { "c\0d": 0 }, { "a\0b": 3 }, { c: 4, d: 5 }]]) {
    const packedAlike = packValues(alike)!;
    expect(unpackValues(packedAlike)).toStrictEqual(alike);
    expect(packedAlike.shapes).toHaveLength(alike.length);
  }
});

test("a value holding one object twice, itself, a list with a hole or a field besides its items, or a field named __proto__ is not packed", () => {
  const shared = { a: 1 };
  const loop: Record<string, unknown> = {};
  loop.self = loop;
  const holey = [1, , 3];
  const proto = JSON.parse('{"__proto__": {"polluted": true}}') as object;
  const noted = Object.assign([1, 2], { note: "kept by V8" });
  for (const value of [[shared, shared], loop, holey, { list: holey }, noted, proto, [proto]]) expect(packValues(value)).toBeUndefined();
  // Equal objects that are not the same object are packed, each on its own.
  expect(packValues([{ a: 1 }, { a: 1 }])).toBeDefined();
});

test("packed values that do not hold together are refused with a RangeError, not read as something else", () => {
  const packed = packValues({ a: [1, 2], b: "x" })!;
  const cut = { ...packed, structure: packed.structure.subarray(0, packed.structure.length - 1) };
  const lessValues = { ...packed, values: packed.values.slice(0, -1) };
  const moreValues = { ...packed, values: [...packed.values, "extra"] };
  const unknownShape = { ...packed, structure: Int32Array.from(packed.structure, (kind, index) => (index === 0 ? kind + 5 : kind)) };
  const notPacked = { shapes: "a", structure: [0], values: [1] } as unknown as PackedValues;
  const nothing = null as unknown as PackedValues;
  // A field named __proto__ would set the object's prototype, and a name that is no text could be code.
  const protoShape = { shapes: [["__proto__"]], structure: Int32Array.of(3, 0), values: [{ polluted: true }] };
  const codeShape = { shapes: [[{ toString: () => "a: 1 }), process.exit(), ({ b" }]], structure: Int32Array.of(3, 0), values: [1] } as unknown as PackedValues;
  for (const broken of [cut, lessValues, moreValues, unknownShape, notPacked, nothing, protoShape, codeShape]) expect(() => unpackValues(broken)).toThrow(RangeError);
});

test("where Node may make no code from text, packed values come back the same", () => {
  const value = { entries: new Map(Array.from({ length: 5 }, (_, index) => [`key-${index}`, entry(index)])) };
  const packed = serialize(packValues(value)).toString("base64");
  const script = `import { deserialize } from "node:v8"; import { isDeepStrictEqual } from "node:util"; import { unpackValues } from ${JSON.stringify(pathToFileURL(path.resolve("src/cache/packed-values.ts")).href)};
    const back = unpackValues(deserialize(Buffer.from(${JSON.stringify(packed)}, "base64")));
    let refused = false; try { new Function(""); } catch { refused = true; }
    console.log(JSON.stringify({ refused, same: isDeepStrictEqual(back, deserialize(Buffer.from(${JSON.stringify(serialize(value).toString("base64"))}, "base64"))), keys: Object.keys(back.entries.get("key-0").parsed.source) }));`;
  const output = execFileSync(process.execPath, ["--disallow-code-generation-from-strings", "--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
  expect(JSON.parse(output)).toEqual({ refused: true, same: true, keys: Object.keys((entry(0) as { parsed: { source: object } }).parsed.source) });
});

test("the build cache stores a part packed and reads it back; one it cannot pack it stores as it is; a packed part broken by hand is rebuilt", () => {
  const cache = BuildCache.open(scratch, path.join(scratch, "site"), { settings: "packed" });
  const entries = new Map(Array.from({ length: 20 }, (_, index) => [`key-${index}`, entry(index)]));
  cache.write("articles-00", entries);
  const file = path.join(cache.folder, "articles-00.v8");
  expect(Object.keys(deserialize(readFileSync(file)) as object)).toEqual(["key", "packed"]);
  expect(cache.read("articles-00")).toStrictEqual(entries);

  // Shared objects, kept as one by V8's serializer.
  const shared = { a: [1] };
  cache.write("shared", [shared, shared]);
  expect(Object.keys(deserialize(readFileSync(path.join(cache.folder, "shared.v8"))) as object)).toEqual(["key", "value"]);
  const [first, second] = cache.read<(typeof shared)[]>("shared")!;
  expect(first).toBe(second);

  const stored = deserialize(readFileSync(file)) as { key: string; packed: PackedValues };
  writeFileSync(file, serialize({ key: stored.key, packed: { ...stored.packed, values: stored.packed.values.slice(1) } }));
  expect(cache.read("articles-00")).toBeUndefined();
});
