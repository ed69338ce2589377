#!/usr/bin/env node
// Broadsheet is written in TypeScript; tsx compiles it on the fly, for this process only,
// with Broadsheet's own tsconfig (JSX for Preact) whichever folder it is run from.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
const { main } = await import("../src/cli.ts");
process.exitCode = await main(process.argv.slice(2));
