import { readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** Another build from the same cache into the same output folder is running. */
export class BuildLockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BuildLockedError";
  }
}

/**
 * Takes the lock of a build cache's folder for one output, for one build at a time: two builds
 * into one output, each linking the other's pages while the other replaces the folder, could
 * publish pages from neither. Returns what releases it. A lock left by a build of this machine
 * whose process has ended is taken over; one of another machine (a shared disk) is not, and the
 * message says how to remove it. Where the lock cannot be written (a read-only cache), the build
 * goes on without one, as it goes on without the cache.
 */
export function takeBuildLock(cacheFolder: string, outputDir: string): () => void {
  const file = path.join(cacheFolder, "lock");
  const owner = `${os.hostname()}\n${process.pid}\n${new Date().toISOString()}`;
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, owner, { flag: "wx" });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") return () => {};
    }
    let holder: string[];
    try {
      holder = readFileSync(file, "utf8").split("\n");
    } catch {
      // Released meanwhile.
      continue;
    }
    const [host, pid, since] = holder;
    if (host === os.hostname() && !isRunning(Number(pid)) && attempt < 3) {
      rmSync(file, { force: true });
      continue;
    }
    throw new BuildLockedError(
      `Another build (process ${pid} on ${host}, since ${since}) is building into ${outputDir}. Wait for it to end, then build again. If no build is running, delete ${file}.`,
    );
  }
}

/** Whether the process `pid` of this machine is running. */
export function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
