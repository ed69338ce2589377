import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** A hash of every file below `folder`, by its path there: two builds' sites compared byte for byte. */
export function hashFolder(folder: string): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    hashes.set(path.relative(folder, file), createHash("sha256").update(readFileSync(file)).digest("hex"));
  }
  return hashes;
}

/** The paths whose files are not the same in both hashed folders, one missing from either included, sorted. */
export function differentFiles(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((file) => a.get(file) !== b.get(file)).sort();
}
