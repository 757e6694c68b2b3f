import { accessSync, chmodSync, constants, mkdtempSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

/** statfs(2)'s f_type of a tmpfs. */
const TMPFS_MAGIC = 0x01021994;

/**
 * A memory file system for the tests' temporary repositories and folders,
 * where the machine offers one (Linux's /dev/shm) that is writable, lets
 * files run (hooks fired by git commit are scripts there) and has room;
 * undefined otherwise, or when TMPDIR is set (the user's choice wins). Git
 * writes every object, index and ref as a small file and the tests remove
 * hundreds of repositories: on an ext4 disk (with discard) that metadata
 * work waits on the journal (the same git-heavy files: ~25-40% less wall
 * time on tmpfs, the same CPU). The tests are unchanged: real git, real files.
 */
function memoryTmpDir(): string | undefined {
  if (process.env.TMPDIR) return undefined;
  const dir = "/dev/shm";
  let probe: string | undefined;
  try {
    const fs = statfsSync(dir);
    if (fs.type !== TMPFS_MAGIC || fs.bavail * fs.bsize < 2 ** 30) return undefined;
    probe = mkdtempSync(join(dir, "lg-probe-"));
    const script = join(probe, "x.sh");
    writeFileSync(script, "#!/bin/sh\n");
    chmodSync(script, 0o755);
    // access(X_OK) fails for a file on a noexec mount.
    accessSync(script, constants.X_OK);
    return dir;
  } catch {
    return undefined;
  } finally {
    if (probe) rmSync(probe, { recursive: true, force: true });
  }
}
const tmp = memoryTmpDir();

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
    env: {
      // Git that the code under test starts with this process's environment (the hook commands,
      // library calls given no env) reads no user or system git config either, as with GIT_TEST_ENV
      // (test/helpers/git-repo.ts): a global core.hooksPath sent `hook install` into the user's hooks folder.
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
      XDG_CONFIG_HOME: "/dev/null",
      ...(tmp !== undefined ? { TMPDIR: tmp } : {}),
    },
  },
});
