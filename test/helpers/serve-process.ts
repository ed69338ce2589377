import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ROOT } from "./files.ts";

/** `broadsheet serve` in a process of its own, with what it says so far. */
export class ServeProcess {
  log = "";

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    /** Where Node writes serve's diagnostic report when asked (SIGUSR2): what it was doing. */
    private readonly reports: string,
  ) {
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (this.log += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (this.log += chunk));
  }

  /** Starts `broadsheet serve ...args` in `cwd`, as in CI (no progress lines, no colour). */
  static start(args: string[], cwd: string): ServeProcess {
    const reports = mkdtempSync(path.join(os.tmpdir(), "broadsheet-serve-report-"));
    const node = ["--report-on-signal", "--report-signal=SIGUSR2", `--report-directory=${reports}`];
    return new ServeProcess(spawn(process.execPath, [...node, path.join(ROOT, "bin", "broadsheet.js"), "serve", ...args], { cwd, env: { ...process.env, CI: "1", NO_COLOR: "1" } }), reports);
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

  /**
   * Ends serve as Ctrl-C or a process manager does (SIGTERM), and waits until it has. A serve still
   * running after `milliseconds` fails the test with what it was doing (Node's diagnostic report:
   * its stack, its threads, what keeps its loop alive), and is then killed.
   */
  async stop(milliseconds = 30_000): Promise<void> {
    try {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return;
      const ended = new Promise((resolve) => this.child.once("exit", resolve));
      this.child.kill("SIGTERM");
      if (await Promise.race([ended.then(() => true), sleep(milliseconds, false)])) return;
      this.child.kill("SIGUSR2");
      await sleep(3000);
      const report = readdirSync(this.reports).map((file) => readFileSync(path.join(this.reports, file), "utf8"))[0];
      this.child.kill("SIGKILL");
      await ended;
      throw new Error(`serve did not end within ${milliseconds / 1000} s of SIGTERM. It said:\n${this.log}\n${report === undefined ? "It wrote no diagnostic report either: its main thread never came back to JavaScript (stuck in native code, or in a loop)." : `Its diagnostic report:\n${summarizeReport(report)}`}`);
    } finally {
      rmSync(this.reports, { recursive: true, force: true });
    }
  }
}

/** What a Node diagnostic report says a stuck process was doing: its JavaScript stack, its threads, its live handles (or the report as it is, if cut short). */
function summarizeReport(text: string): string {
  let report: { javascriptStack?: { message?: string; stack?: string[] }; workers?: unknown[]; libuv?: { type: string; is_active?: boolean; address?: string }[] };
  try {
    report = JSON.parse(text) as typeof report;
  } catch {
    return text;
  }
  const stack = [report.javascriptStack?.message, ...(report.javascriptStack?.stack ?? [])].filter(Boolean).join("\n  ");
  const handles = (report.libuv ?? []).filter((handle) => handle.is_active).map(({ type, is_active, address, ...details }) => `${type} ${JSON.stringify(details)}`);
  return `stack:\n  ${stack}\nworker threads: ${report.workers?.length ?? 0}\nactive handles:\n  ${handles.join("\n  ")}`;
}
