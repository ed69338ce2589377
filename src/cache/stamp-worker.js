// Stamps a build's inputs (input-stamp.ts) on a thread of its own, while the main thread reads
// the build cache. Plain JavaScript, because run from the repository's TypeScript a worker thread
// starts without the loader the main thread was given.
//
// workerData: the roots to stamp, as `stampInputs` takes them. Posts the stamp, then ends.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parentPort, workerData } from "node:worker_threads";

// Installed, the modules beside this file are compiled JavaScript. Run from the repository's
// TypeScript (tests, benches), tsx, a development dependency, compiles them for this thread.
const compiled = existsSync(new URL("./input-stamp.js", import.meta.url));
if (!compiled) {
  const { register } = await import("tsx/esm/api");
  register({ tsconfig: fileURLToPath(new URL("../../tsconfig.json", import.meta.url)) });
}
const { stampInputs } = await import(compiled ? "./input-stamp.js" : "./input-stamp.ts");
parentPort.postMessage(stampInputs(workerData));
