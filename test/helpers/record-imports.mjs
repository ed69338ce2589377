// Loaded with `node --import`: records the URL of every module the process imports, one a line,
// in the file RECORD_IMPORTS names (test/unchanged.test.ts).
import { register } from "node:module";

register(new URL("./record-imports-hooks.mjs", import.meta.url), { data: process.env.RECORD_IMPORTS });
