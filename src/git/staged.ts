/**
 * The staged source (I/O edge): exactly what `git commit` would record now.
 * The index is compared with HEAD (or the empty tree before the first
 * commit; during a merge too, so everything the merge brings in counts as
 * added), blobs are read from the object store through one cat-file process,
 * and only added lines are reported. The working tree is never read, so a
 * secret in an unstaged edit does not block, and one in a staged hunk does.
 *
 * Start-up cost matters (this runs on every commit), and on a clean commit
 * it is three git processes: rev-parse and diff-index asked at the same time,
 * cat-file started alongside. The fingerprint salt (root commit) and the
 * author are only needed to describe findings, so they are asked for only
 * when there are some.
 */
import { fingerprintOf } from "../engine/fingerprint.js";
import { GitError } from "../errors.js";
import { emptyReport, type ScanReport } from "../report/types.js";
import type { Scanner } from "../scanner.js";
import { BlobReader } from "./blobs.js";
import { scanChanges } from "./changes.js";
import { parseRawZ, type RawChange } from "./rawdiff.js";
import { rootCommitSalt } from "./repo.js";
import { git, gitText } from "./run.js";

/** The empty tree's id per object format. */
export const EMPTY_TREE: Record<string, string> = {
  sha1: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
  sha256: "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321",
};

/** Where a staged scan runs. */
export interface StagedRepo {
  /** Work tree root. */
  root: string;
  /** HEAD's commit id, undefined before the first commit. */
  head: string | undefined;
  /** What the index is compared with: HEAD or the empty tree. */
  base: string;
}

/** Everything a staged scan needs from git, gathered at once. */
export interface StagedState {
  repo: StagedRepo;
  /** Index vs base; empty when not asked for. */
  changes: RawChange[];
  /** A cat-file process already started when there are changes to read. */
  blobs?: BlobReader;
}

const envOpt = (env?: NodeJS.ProcessEnv): { env?: NodeJS.ProcessEnv } => (env ? { env } : {});

/** Finds the work tree root and HEAD from `cwd` (one git call). */
export async function stagedRepo(cwd: string, env?: NodeJS.ProcessEnv): Promise<StagedRepo> {
  // --verify -q HEAD prints nothing and exits 1 on an unborn branch; the other answers come first.
  const out = await gitText(["rev-parse", "--show-toplevel", "--show-object-format", "--verify", "-q", "HEAD"], {
    cwd,
    okCodes: [0, 1, 128],
    ...envOpt(env),
  });
  const [root, format, head] = out.split("\n");
  if (!root || !format || !EMPTY_TREE[format]) {
    throw new GitError(`${cwd}: not inside a git work tree (staged changes need one)`);
  }
  const h = head && /^[0-9a-f]{40,64}$/.test(head) ? head : undefined;
  return { root, head: h, base: h ?? EMPTY_TREE[format]! };
}

/**
 * The staged changes: index vs `base` ("HEAD" or a tree id), renames detected.
 * Paths are root-relative from any cwd. Undefined when `base` is HEAD and HEAD
 * does not exist yet (the caller retries with the empty tree).
 */
async function diffIndex(cwd: string, base: string, env?: NodeJS.ProcessEnv): Promise<string | undefined> {
  const r = await git(["diff-index", "--cached", "-z", "--raw", "-M", "--no-abbrev", "--ignore-submodules=none", base, "--"], {
    cwd,
    okCodes: base === "HEAD" ? [0, 128] : [0],
    ...envOpt(env),
  });
  return r.code === 0 ? r.stdout.toString("utf8") : undefined;
}

/** Name and email of who would author the commit (`git var GIT_AUTHOR_IDENT`). */
export async function authorIdent(cwd: string, env?: NodeJS.ProcessEnv): Promise<{ author?: string; email?: string }> {
  const out = await gitText(["var", "GIT_AUTHOR_IDENT"], { cwd, okCodes: [0, 128], ...envOpt(env) }).catch(() => "");
  const m = /^(.*?) <([^>]*)>/.exec(out.trim());
  return m ? { author: m[1]!, email: m[2]! } : {};
}

/**
 * Asks git what a staged scan needs, concurrently: the repository and the
 * staged changes (unless `changes` is false).
 */
export async function prepareStaged(cwd: string, opts: { env?: NodeJS.ProcessEnv; changes?: boolean } = {}): Promise<StagedState> {
  const env = opts.env;
  const wantChanges = opts.changes !== false;
  const blobs = wantChanges ? new BlobReader(cwd, env).warm() : undefined;
  try {
    const [repo, headDiff] = await Promise.all([stagedRepo(cwd, env), wantChanges ? diffIndex(cwd, "HEAD", env) : Promise.resolve("")]);
    const raw = headDiff ?? (await diffIndex(cwd, repo.base, env)) ?? "";
    const state: StagedState = { repo, changes: parseRawZ(raw) };
    if (blobs) state.blobs = blobs;
    return state;
  } catch (e) {
    await blobs?.close();
    throw e;
  }
}

/** Fingerprint salt for staged findings: the root commit's id, undefined before the first commit. */
export function stagedSalt(repo: StagedRepo): Promise<string | undefined> {
  return repo.head ? rootCommitSalt(repo.root) : Promise.resolve(undefined);
}

/**
 * Adds the author and email to findings and, when the scanner had no salt of
 * its own (none in the config), re-computes fingerprints with the root
 * commit's id: the same fingerprint `history` gives the same secret.
 */
async function describeFindings(scanner: Scanner, state: StagedState, report: ScanReport): Promise<void> {
  const all = [...report.findings, ...report.suppressed.map((s) => s.finding)];
  if (all.length === 0) return;
  const [{ author, email }, salt] = await Promise.all([
    authorIdent(state.repo.root),
    scanner.salt === undefined ? stagedSalt(state.repo) : Promise.resolve(undefined),
  ]);
  for (const f of all) {
    if (author !== undefined) f.author = author;
    if (email !== undefined) f.email = email;
    if (salt !== undefined) f.fingerprint = fingerprintOf(f.ruleId, f.secret, salt);
  }
}

/** Options for {@link scanStagedChanges}. */
export interface StagedScanOptions {
  /** Scan whole staged files, not only added lines. */
  allLines?: boolean;
}

/**
 * Scans the staged changes gathered by {@link prepareStaged} with `scanner`.
 * Findings carry the author and email of the commit to be, and no commit id.
 * Closes the state's cat-file process.
 */
export async function scanStagedChanges(scanner: Scanner, state: StagedState, opts: StagedScanOptions = {}): Promise<ScanReport> {
  const started = Date.now();
  const report = emptyReport();
  const blobs = state.blobs ?? new BlobReader(state.repo.root);
  try {
    await scanChanges(scanner, blobs, state.changes, report, { ...(opts.allLines ? { allLines: true } : {}) });
  } finally {
    await blobs.close();
  }
  await describeFindings(scanner, state, report);
  report.stats.durationMs = Date.now() - started;
  return report;
}
