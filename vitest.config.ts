import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Git-heavy suites spawn many processes; two workers match the 2-core CI machine.
    pool: "forks",
    maxWorkers: 2,
  },
});
