import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ROOT } from "./files.ts";

/** `broadsheet serve` in a process of its own, with what it says so far. */
export class ServeProcess {
  log = "";

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (this.log += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (this.log += chunk));
  }

  /** Starts `broadsheet serve ...args` in `cwd`, as in CI (no progress lines, no colour). */
  static start(args: string[], cwd: string): ServeProcess {
    return new ServeProcess(spawn(process.execPath, [path.join(ROOT, "bin", "broadsheet.js"), "serve", ...args], { cwd, env: { ...process.env, CI: "1", NO_COLOR: "1" } }));
  }

  /** Waits until `done()` holds, for at most `milliseconds`; says whether it came to hold. Fails, with what serve said, if serve ends meanwhile. */
  async until(done: () => boolean | Promise<boolean>, milliseconds: number): Promise<boolean> {
    for (let waited = 0; waited < milliseconds; waited += 100) {
      if (await done()) return true;
      if (this.child.exitCode !== null) throw new Error(`serve ended with code ${this.child.exitCode}:\n${this.log}`);
      await sleep(100);
    }
    return await done();
  }

  /** Ends serve, and waits until it has. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const ended = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill();
    await ended;
  }
}
