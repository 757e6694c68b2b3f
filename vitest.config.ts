import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // End-to-end tests that need external tools (pre-commit, Chromium) run
    // separately: `npm run test:e2e` (vitest.e2e.config.ts); CI runs both.
    exclude: [...configDefaults.exclude, "test/e2e/**"],
    // Hang guards, not speed checks: a busy 2-core machine runs a git-heavy
    // test several times slower than a quiet one.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Git-heavy suites spawn many processes; two workers match the 2-core CI machine.
    pool: "forks",
    // One module graph per worker for all its files: re-importing the engine and
    // rules for each of ~90 files cost about a fifth of the run. Tests that touch
    // process state (env, cwd) restore it.
    isolate: false,
    maxWorkers: 2,
    // The build (dist/, and copies of it that tests make) is plain ESM: Node
    // loads it as users' Node does, instead of Vite transforming each module
    // again for the module runner (most of the transform time of the files
    // that import the build).
    server: { deps: { external: [/\/dist\//] } },
  },
});
