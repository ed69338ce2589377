import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { listFiles } from "./links.ts";

/** The repository root, where `bin/broadsheet.js` is. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * How long after its last change a file's status is trusted to tell any later write (2 s, see
 * src/archive/content-hashes.ts), with a margin: tests of the build's stamp wait this long.
 */
export const SETTLED = 2_100;

/** A fixture archive's folder: `test/fixtures/<scenario>`. */
export function fixture(scenario: string): string {
  return path.join(ROOT, "test", "fixtures", scenario);
}

/** Every file below `folder` with the SHA-256 of its bytes, keyed by relative path. */
export async function hashFiles(folder: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const file of await listFiles(folder)) {
    hashes[file] = createHash("sha256").update(await readFile(path.join(folder, file))).digest("hex");
  }
  return hashes;
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the command line as a user would, from the repository root. */
export function runBroadsheet(args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
  return runCommand(process.execPath, [path.join(ROOT, "bin", "broadsheet.js"), ...args], ROOT, env);
}

/** Runs a command in `cwd`, as in CI (no colours, no progress), and collects what it printed. */
export function runCommand(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, CI: "1", NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
