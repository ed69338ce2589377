import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/**
 * A memory figure of a running process, in bytes, from /proc/<pid>/status: `VmRSS` (resident
 * now) or `VmHWM` (the most it has been resident). 0 once the process has ended.
 */
export function memoryBytes(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** A TCP port free on this machine a moment ago, for a server that must be told its port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
