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
process.exitCode = await cli.main(process.argv.slice(2));
