import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Unit, build and browser tests (test/browser/) alike.
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Builds keep module-level state (the build plan, Eleventy's caches); a process per file keeps them apart.
    pool: "forks",
    server: {
      deps: {
        // Eleventy imports eleventy.config.ts and the TSX layouts itself. Run through Vitest, those
        // imports are compiled and share one instance of src/ with the test, so the build plan
        // that buildSite sets is the one the config reads; Node alone cannot import .ts here.
        inline: [/[\\/]@11ty[\\/]eleventy[\\/]/],
      },
    },
  },
});
