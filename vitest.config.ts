import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Hang guards, not speed checks: a busy 2-core machine runs a git-heavy
    // test several times slower than a quiet one.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Git-heavy suites spawn many processes; two workers match the 2-core CI machine.
    pool: "forks",
    maxWorkers: 2,
  },
});
