import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { ArchiveError, error } from "../problems.ts";

/**
 * Takes the lock of a build cache's folder for one output, for one build at a time: two builds
 * into one output, each linking the other's pages while the other replaces the folder, could
 * publish pages from neither. Returns what releases it, once, and only while it is still this
 * build's. A lock left by a build of this machine whose process has ended is taken over; one of
 * another machine (a shared disk) is not, and the message says how to remove it. Where the lock
 * cannot be written (a read-only cache), the build goes on without one, as without the cache.
 * Throws an ArchiveError, reported as a problem of the output folder, when another build holds it.
 */
export function takeBuildLock(cacheFolder: string, outputDir: string): () => void {
  const file = path.join(cacheFolder, "lock");
  const owner = `${os.hostname()}\n${process.pid}\n${new Date().toISOString()}\n${randomBytes(8).toString("hex")}`;
  for (let attempt = 0; ; attempt++) {
    const taken = create(file, owner);
    if (taken === "taken") return releaser(file, owner);
    if (taken === "unwritable") return () => {};
    const holder = readOrUndefined(file);
    // Released meanwhile: try again.
    if (holder === undefined) continue;
    const [host, pid, since] = holder.split("\n");
    if (attempt < 3 && host === os.hostname() && !isRunning(Number(pid)) && removeIfStill(file, holder)) continue;
    throw new ArchiveError([
      error(outputDir, `is being built into by another build (process ${pid} on ${host}, since ${since}). Wait for it to end, then build again. If no build is running, delete ${file}.`, { field: "--output" }),
    ]);
  }
}

/** Writes the lock whole under another name and links it into place: a lock is never seen half-written. */
function create(file: string, owner: string): "taken" | "held" | "unwritable" {
  const written = `${file}.${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    writeFileSync(written, owner);
    linkSync(written, file);
    return "taken";
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === "EEXIST" ? "held" : "unwritable";
  } finally {
    rmSync(written, { force: true });
  }
}

/**
 * Removes a stale lock if it is still the one read: it is first renamed aside, so that of two
 * builds taking it over at once only one does, and one that another build has taken meanwhile
 * is put back.
 */
function removeIfStill(file: string, holder: string): boolean {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    renameSync(file, aside);
  } catch {
    // Gone already: another build took it over or it was released.
    return true;
  }
  if (readOrUndefined(aside) === holder) {
    rmSync(aside, { force: true });
    return true;
  }
  try {
    linkSync(aside, file);
  } catch {
    // A third build has taken the lock meanwhile; the one put aside is lost to its holder.
  }
  rmSync(aside, { force: true });
  return false;
}

function releaser(file: string, owner: string): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (readOrUndefined(file) === owner) rmSync(file, { force: true });
  };
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** Whether the process `pid` of this machine is running. */
export function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (cause) {
    // EPERM: it runs, under another user.
    return (cause as NodeJS.ErrnoException).code === "EPERM";
  }
}
