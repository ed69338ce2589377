import { readFileSync } from "node:fs";

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
