// The real repositories a benchmark run measures: BENCH_REPO is a
// comma-separated list of git repositories (bare or with a work tree), each
// optionally named `NAME=PATH`. Printed names never carry the path itself.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";

/**
 * Parses BENCH_REPO. A name is the NAME= prefix, else the folder's name without
 * `.git` (the parent folder's for a `.git` folder); names that collide get
 * their parent folder's name in front.
 * @returns {Array<{ name: string, path: string }>}
 */
export function parseRepoList(value) {
  const entries = (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const eq = s.indexOf("=");
      // NAME=PATH only when NAME has no slash (a path may hold '=').
      if (eq > 0 && !s.slice(0, eq).includes("/")) return { given: s.slice(0, eq), path: resolve(s.slice(eq + 1)) };
      return { given: undefined, path: resolve(s) };
    });
  const base = (p) => {
    const b = basename(p);
    if (b === ".git") return basename(dirname(p));
    return b.endsWith(".git") && b.length > 4 ? b.slice(0, -4) : b;
  };
  const names = entries.map((e) => e.given ?? base(e.path));
  return entries.map((e, i) => {
    let name = names[i];
    if (!e.given && names.filter((n) => n === name).length > 1) name = `${basename(dirname(e.path))}/${name}`;
    return { name, path: e.path };
  });
}

/** Throws a one-line error unless path is a git repository; returns its git dir kind. */
export function checkRepo(repo) {
  try {
    return execFileSync("git", ["rev-parse", "--is-bare-repository"], { cwd: repo.path, stdio: ["ignore", "pipe", "pipe"] }).toString().trim() === "true" ? "bare" : "work tree";
  } catch {
    throw new Error(`BENCH_REPO entry ${repo.name} is not a git repository`);
  }
}

/** Writes the repository's HEAD tree into a new temporary folder (`git archive HEAD | tar -x`); returns the folder. */
export function extractHead(repoPath) {
  const dir = mkdtempSync(join(tmpdir(), "lg-bench-head-"));
  try {
    execFileSync("sh", ["-c", 'git archive --format=tar HEAD | tar -x -C "$1"', "sh", dir], { cwd: repoPath, stdio: ["ignore", "ignore", "pipe"] });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return dir;
}

/** Commits reachable from any ref, and the total size of all objects (what `git cat-file --batch-all-objects --batch` reads). */
export function repoFacts(repoPath) {
  const commits = Number(execFileSync("git", ["rev-list", "--all", "--count"], { cwd: repoPath }).toString().trim());
  const sizes = execFileSync("git", ["cat-file", "--batch-all-objects", "--batch-check=%(objectsize)"], { cwd: repoPath, maxBuffer: 1 << 30 }).toString();
  let bytes = 0;
  for (const line of sizes.split("\n")) if (line) bytes += Number(line);
  return { commits, bytes };
}
