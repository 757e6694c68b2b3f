import { defineConfig } from "vitest/config";

/**
 * End-to-end tests that drive external tools: the pre-commit framework
 * installing leakguard from this checkout (`pre-commit try-repo`, which runs
 * npm install and a build) and the inventory page in headless Chromium.
 * Slow and tool-bound, so outside `npm test`; CI runs them after it
 * (.ci/run: `npm run test:e2e`).
 */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    // Hang guards, not speed checks (pre-commit's install takes minutes on a busy machine).
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
