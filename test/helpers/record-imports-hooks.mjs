// Module hooks for record-imports.mjs: each module resolved is appended to the record.
import { appendFileSync } from "node:fs";

let record;

export function initialize(file) {
  record = file;
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(record, `${resolved.url}\n`);
  return resolved;
}
