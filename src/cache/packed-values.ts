/**
 * Plain data as the build cache stores it: every plain object, list and map of a value taken
 * apart into numbers (each object's shape, each list's and map's length) and the values they hold,
 * in turn. V8's serializer writes every object's field names again with each object, and reads
 * each back as a text to look up: reading the 256 buckets of 100,000 articles' entries (13 small
 * objects each) took 2.0 to 2.2 s so, and 1.0 to 1.1 s packed, 0.6 s of it V8's reading the numbers
 * and the values, the rest `unpackValues` making the objects (in a process of its own, three
 * rounds each). The buckets take 157 MB on disk, against 182 MB.
 */
export interface PackedValues {
  /** The field names of each shape of object met, in their order. */
  shapes: string[][];
  /** For each object, list or map in turn: its shape's number past `FIRST_SHAPE`, or `LIST` or `MAP` and its length. Every other value is a `LEAF`. */
  structure: Int32Array;
  /** Every value that is no plain object, list or map (a text, a number, an array of numbers), in turn, as V8 stores it. */
  values: unknown[];
}

const LEAF = 0;
const LIST = 1;
const MAP = 2;
const FIRST_SHAPE = 3;

/**
 * `value` packed; undefined when it holds the same object twice, or itself, which V8's serializer
 * keeps as one object and this would not, a list with a hole or a field besides its items, or a
 * field named `__proto__`, which could not be made again as a field: the cache then stores it as
 * V8 stores it.
 */
export function packValues(value: unknown): PackedValues | undefined {
  const shapes: string[][] = [];
  const shapeTree: ShapeNode = { next: new Map() };
  const structure: number[] = [];
  const values: unknown[] = [];
  const met = new Set<object>();
  const pack = (item: unknown): boolean => {
    if (item === null || typeof item !== "object") {
      structure.push(LEAF);
      values.push(item);
      return true;
    }
    const isList = Array.isArray(item);
    const isMap = item instanceof Map;
    // Anything else (an array of numbers, a set, a buffer) is stored as V8 stores it.
    if (!isList && !isMap && Object.getPrototypeOf(item) !== Object.prototype) {
      structure.push(LEAF);
      values.push(item);
      return true;
    }
    if (met.has(item)) return false;
    met.add(item);
    if (isList) {
      // A list with a hole, or a field besides its items, is stored as V8 stores it: packed, the
      // hole would come back as undefined, and the field not at all.
      if (Object.keys(item).length !== item.length) return false;
      structure.push(LIST, item.length);
      for (const member of item) if (!pack(member)) return false;
      return true;
    }
    if (isMap) {
      structure.push(MAP, item.size);
      for (const [key, member] of item) if (!pack(key) || !pack(member)) return false;
      return true;
    }
    const names = Object.keys(item);
    let node = shapeTree;
    for (const name of names) {
      let next = node.next.get(name);
      if (next === undefined) node.next.set(name, (next = { next: new Map() }));
      node = next;
    }
    if (node.shape === undefined) {
      if (names.includes("__proto__")) return false;
      node.shape = shapes.length;
      shapes.push(names);
    }
    structure.push(FIRST_SHAPE + node.shape);
    for (const name of names) if (!pack((item as Record<string, unknown>)[name])) return false;
    return true;
  };
  return pack(value) ? { shapes, structure: Int32Array.from(structure), values } : undefined;
}

/**
 * The shapes met while packing, as a tree of their field names, one name a level: no two lists of
 * names meet at the same node (joined into one text, `{}` and `{"": 1}` would), and no text is made
 * for each object. Named by their names as JSON, the shapes took half the time of packing 100,000
 * articles' entries: 1.7 to 1.9 s against 0.8 to 1.0 s so (in a process of its own, three rounds each).
 */
interface ShapeNode {
  next: Map<string, ShapeNode>;
  shape?: number;
}

/** The value `packValues` packed. Throws a `RangeError` on packed values that do not hold together (a file changed by hand). */
export function unpackValues(packed: PackedValues): unknown {
  if (packed === null || typeof packed !== "object") throw new RangeError("The packed values are not in the cache's format.");
  const { shapes, structure, values } = packed;
  if (!Array.isArray(shapes) || !(structure instanceof Int32Array) || !Array.isArray(values)) throw new RangeError("The packed values are not in the cache's format.");
  let at = 0;
  let valueAt = 0;
  const next = (): number => {
    if (at >= structure.length) throw new RangeError("The packed values end early.");
    return structure[at++]!;
  };
  const makers = shapes.map(objectMaker);
  const unpack = (): unknown => {
    const kind = next();
    if (kind === LEAF) {
      if (valueAt >= values.length) throw new RangeError("The packed values end early.");
      return values[valueAt++];
    }
    if (kind === LIST) {
      const list: unknown[] = [];
      for (let count = next(); count > 0; count--) list.push(unpack());
      return list;
    }
    if (kind === MAP) {
      const map = new Map<unknown, unknown>();
      for (let count = next(); count > 0; count--) {
        const key = unpack();
        map.set(key, unpack());
      }
      return map;
    }
    const make = makers[kind - FIRST_SHAPE];
    if (make === undefined) throw new RangeError(`The packed values name a shape ${kind - FIRST_SHAPE} they do not have.`);
    return make(unpack);
  };
  const value = unpack();
  if (at !== structure.length || valueAt !== values.length) throw new RangeError("The packed values hold more than one value.");
  return value;
}

/**
 * What makes an object of a shape, each field's value in turn from `unpack`: an object literal of
 * its fields, which V8 makes with room for all of them at once. Made one field at a time instead,
 * the articles' entries of 100,000 articles took 0.8 to 1.2 s to make, against 0.4 to 0.5 s (in a
 * process of its own, three rounds each). Where Node may not make code from text, one field at a time.
 */
function objectMaker(names: unknown): (unpack: () => unknown) => Record<string, unknown> {
  if (!Array.isArray(names) || !names.every((name) => typeof name === "string") || names.includes("__proto__")) throw new RangeError("The packed values hold a shape that is no list of field names.");
  if (makesCode) {
    try {
      // Each name as a JSON text, which is a JavaScript one too: no name can be more than a name.
      return new Function("unpack", `return { ${names.map((name) => `${JSON.stringify(name)}: unpack()`).join(", ")} };`) as (unpack: () => unknown) => Record<string, unknown>;
    } catch {
      // Node run with --disallow-code-generation-from-strings: asked once.
      makesCode = false;
    }
  }
  return (unpack) => {
    const object: Record<string, unknown> = {};
    for (const name of names) object[name] = unpack();
    return object;
  };
}

/** Whether Node makes code from text here; it cannot change while the process runs. */
let makesCode = true;
