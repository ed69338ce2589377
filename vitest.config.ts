import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Unit, build and browser tests (test/browser/) alike.
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Eleventy keeps caches in its modules; a process per file keeps builds of one file from another's.
    pool: "forks",
  },
});
