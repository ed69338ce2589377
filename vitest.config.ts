import os from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Unit, build and browser tests (test/browser/) alike.
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Eleventy keeps caches in its modules; a process per file keeps builds of one file from another's.
    pool: "forks",
    // A file per core, not Vitest's one fewer: many files spend most of their time waiting, on a
    // child process or for a file to be older than the build's 2 s of doubt (test/helpers/files.ts),
    // and on two cores one file at a time took 808 s where two take 561 to 574 s.
    maxWorkers: os.availableParallelism(),
  },
});
