#!/usr/bin/env node
// Broadsheet is written in TypeScript; tsx compiles it on the fly, for this process only.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli.ts");
process.exitCode = await main(process.argv.slice(2));
