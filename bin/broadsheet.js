#!/usr/bin/env node
// The command line runs Broadsheet's compiled JavaScript (dist/), which `npm ci` and `npm pack`
// make from the TypeScript in the repository (npm run compile).
let cli;
try {
  cli = await import("../dist/src/cli.js");
} catch (cause) {
  if (cause?.code !== "ERR_MODULE_NOT_FOUND" || !String(cause.message).includes("dist")) throw cause;
  console.error("Broadsheet is not compiled yet: run npm run compile in its folder (npm ci and npm install do it).");
  process.exit(1);
}
const code = await cli.main(process.argv.slice(2));
// The command has finished: the process ends once what it printed is written, rather than free
// its memory first as Node does at a natural end (after a build at 10,000 articles, about 0.07 s
// of a one-body build's 3.2 s).
const written = (stream) => new Promise((resolve) => stream.write("", resolve));
await Promise.all([written(process.stdout), written(process.stderr)]);
process.exit(code);
