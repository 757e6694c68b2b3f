/**
 * The pre-commit framework (https://pre-commit.com) installs leakguard from
 * this repository as its manifest (.pre-commit-hooks.yaml) says, and the hook
 * blocks a staged secret and passes a clean change: `pre-commit try-repo`
 * against a snapshot of this checkout, run by the real `pre-commit` (Debian's
 * 3.0.4 in CI, installed by .ci/install-pre-commit.sh).
 *
 * try-repo installs the hook from a commit, so the test commits a snapshot of
 * the working tree (tracked and untracked, not ignored, files) in a temporary
 * repository: on CI's clean clone that is HEAD, on a developer's machine it
 * includes uncommitted changes too. The hook's environment install builds the
 * package (`npm install`, then `npm pack` whose standard output pre-commit
 * reads as the tarball's name) with the npm cache and registry.
 *
 * Skips only when `pre-commit` is not installed outside CI.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GIT_TEST_ENV, TestRepo } from "../helpers/git-repo.js";
import { githubToken } from "../helpers/secrets.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Stage names pre-commit accepts before 3.2 (3.2+ accepts them too, as aliases). */
const PORTABLE_STAGES = new Set(["commit", "merge-commit", "push", "prepare-commit-msg", "commit-msg", "post-checkout", "post-commit", "post-merge", "post-rewrite", "manual"]);

/**
 * The environment for npm and pre-commit: `npm test` exports its own `npm_*`
 * settings (prefix, project paths) that describe this project, not the hook's.
 */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(GIT_TEST_ENV)) if (!/^npm_/i.test(k) && k !== "INIT_CWD") env[k] = v;
  // npm fetches from the registry here: the certificates the machine trusts through NODE_EXTRA_CA_CERTS (which
  // GIT_TEST_ENV leaves out, to spare the suite's leakguard processes that file) are needed for it (a proxy's
  // own CA, e.g.: without it each package failed three times, ~70 s apiece, before npm fell back to its cache).
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  return { ...env, ...(ca ? { NODE_EXTRA_CA_CERTS: ca } : {}), ...extra };
}

/** Copies the checkout's files (tracked and untracked, not ignored) into a new repository and commits them; returns the commit. */
function snapshot(into: string): string {
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8", env: GIT_TEST_ENV });
  for (const rel of new Set(listed.split("\0").filter(Boolean))) {
    const from = join(ROOT, rel);
    if (!existsSync(from) && !isSymlink(from)) continue; // deleted in the working tree
    mkdirSync(dirname(join(into, rel)), { recursive: true });
    if (isSymlink(from)) symlinkSync(readlinkSync(from), join(into, rel));
    else copyFileSync(from, join(into, rel));
  }
  const repo = new TestRepo({ dir: into });
  repo.add();
  return repo.commit("snapshot of the leakguard checkout under test");
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

describe("the pre-commit manifest", () => {
  const manifest = readFileSync(join(ROOT, ".pre-commit-hooks.yaml"), "utf8");

  it("uses stage names pre-commit 3.0 (Debian 12) accepts and declares the minimum pre-commit version on every hook", () => {
    const hooks = manifest.split(/^- id: /m).slice(1);
    expect(hooks.map((h) => h.split("\n")[0])).toEqual(["leakguard", "leakguard-push", "leakguard-commit-msg"]);
    for (const hook of hooks) {
      const stages = /^ {2}stages: \[(.*)\]$/m.exec(hook)?.[1]?.split(",").map((s) => s.trim());
      expect(stages?.length).toBeGreaterThan(0);
      for (const s of stages!) expect(PORTABLE_STAGES, `stage ${s}`).toContain(s);
      expect(hook).toMatch(/^ {2}minimum_pre_commit_version: 2\.2\.0$/m);
    }
  });

  it("npm pack prints only the tarball's name on standard output (pre-commit reads it as a file name)", { timeout: 300_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), "lg-pack-"));
    try {
      snapshot(dir);
      symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
      // `prepare` builds dist/ in the snapshot; its output must not reach stdout.
      const r = spawnSync("npm", ["pack", "--dry-run"], { cwd: dir, encoding: "utf8", env: cleanEnv() });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe(`leakguard-${JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version}.tgz\n`);
      expect(existsSync(join(dir, "dist", "rules.json"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const preCommitVersion = spawnSync("pre-commit", ["--version"], { encoding: "utf8" });
const present = preCommitVersion.status === 0;
const inCi = Boolean(process.env.CI);
const title = present || inCi ? `pre-commit try-repo (${present ? preCommitVersion.stdout.trim() : "pre-commit missing"})` : "pre-commit try-repo — SKIPPED: pre-commit is not installed (run .ci/install-pre-commit.sh)";
if (!present && !inCi) console.warn("[pre-commit-framework] skipped: `pre-commit` not found on PATH; install it with .ci/install-pre-commit.sh");

describe.skipIf(!present && !inCi)(title, { timeout: 600_000 }, () => {
  let work: string;
  let source: string;
  let rev: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "lg-pre-commit-"));
    source = join(work, "leakguard");
    mkdirSync(source);
    rev = snapshot(source);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** `pre-commit try-repo <snapshot> leakguard --ref <commit>` in `repo` (each run installs the hook's environment afresh). */
  function tryRepo(repo: TestRepo): { code: number; out: string } {
    const r = spawnSync("pre-commit", ["try-repo", source, "leakguard", "--ref", rev], {
      cwd: repo.dir,
      encoding: "utf8",
      env: cleanEnv({ PRE_COMMIT_HOME: join(work, "pre-commit-home"), PRE_COMMIT_COLOR: "never" }),
    });
    return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
  }

  function project(): TestRepo {
    const repo = new TestRepo({ dir: mkdtempSync(join(work, "project-")) });
    repo.commitFiles({ "README.md": "# app\n" }, "init");
    return repo;
  }

  it("blocks a commit that stages a secret, without printing it", () => {
    const token = githubToken(1501);
    const repo = project();
    repo.write("config.env", `GITHUB_TOKEN=${token}\n`).add("config.env");
    const r = tryRepo(repo);
    expect(r.out).toMatch(/leakguard \(secrets in staged changes\)\.+Failed/);
    expect(r.out).toContain("github-pat");
    expect(r.out).toContain("config.env");
    expect(r.out).not.toContain(token);
    expect(r.code, r.out).toBe(1);
  });

  it("passes a clean change", () => {
    const repo = project();
    repo.write("src/app.js", "export const greeting = 'hello';\n").add("src/app.js");
    const r = tryRepo(repo);
    expect(r.out).toMatch(/leakguard \(secrets in staged changes\)\.+Passed/);
    expect(r.code, r.out).toBe(0);
  });
});
