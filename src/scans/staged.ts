/**
 * The staged source (I/O edge): exactly what `git commit` would record now.
 * The index is compared with HEAD (or the empty tree before the first
 * commit; during a merge too, so everything the merge brings in counts as
 * added), blobs come from the object store (never the working tree), and
 * only added lines are reported. The working tree is never read, so a
 * secret in an unstaged edit does not block, and one in a staged hunk does.
 *
 * Start-up cost matters (this runs on every commit; spawning is most of it),
 * so a clean commit of text files costs one git process: the work tree root
 * is found on the file system, and diff-index against HEAD gives both the
 * changes and, as a patch with whole-file context, the blobs' contents
 * (git/patch-blobs.ts). A blob the patch does not show whole (binary, over
 * 1 MiB, a pure rename scanned with --all-lines) is read by a cat-file
 * process started then. Only the first commit of a repository (no HEAD) or
 * an unusual layout (GIT_DIR, GIT_WORK_TREE…) asks rev-parse too. The author
 * is only needed to describe findings, so it is asked for only when there
 * are some (the fingerprint salt likewise, by the pipeline: api/pipeline.ts).
 * The installed pre-commit hook runs that diff-index itself while node
 * starts and pipes it in (git/staged-diff.ts): then a clean commit costs
 * leakguard no process at all.
 */
import { relative, resolve, sep } from "node:path";
import { readFileSync } from "node:fs";
import { GitError, InputError } from "../errors.js";
import { emptyReport, skipFile, type ScanReport } from "../core/report.js";
import { scanGuarded, stoppedDetail, type Scanner } from "../core/scanner.js";
import { messageFragment, messageToScan } from "../git/message.js";
import { BlobReader, KnownBlobs, type BlobSource } from "../git/blobs.js";
import { blobsFromPatch, splitRawAndPatch } from "../git/patch-blobs.js";
import { scanChanges } from "./changes.js";
import { parseRawZ, type RawChange } from "../git/rawdiff.js";
import { git, gitText } from "../git/run.js";
import { nearestDotGit } from "../git/repo.js";
import { OVER_BUDGET, PATCH_BUDGET, RAW_CHANGES, stagedDiffArgs, stagedDiffEnv, type PipedDiff } from "../git/staged-diff.js";

/** The empty tree's id per object format. */
export const EMPTY_TREE: Record<string, string> = {
  sha1: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
  sha256: "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321",
};

/** Where a staged scan runs. */
export interface StagedRepo {
  /** Work tree root. */
  root: string;
  /** What the index is compared with: "HEAD", or the empty tree before the first commit. */
  base: string;
}

/** Everything a staged scan needs from git, gathered at once. */
export interface StagedState {
  repo: StagedRepo;
  /** Index vs base; empty when not asked for. */
  changes: RawChange[];
  /** The blobs the changes need: those the diff showed, cat-file behind them for the rest. */
  blobs?: BlobSource;
}

const envOpt = (env?: NodeJS.ProcessEnv): { env?: NodeJS.ProcessEnv } => (env ? { env } : {});

/** Finds the work tree root, and HEAD or the empty tree as base, from `cwd` (one git call). */
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
  return { root, base: head && /^[0-9a-f]{40,64}$/.test(head) ? "HEAD" : EMPTY_TREE[format]! };
}

/**
 * The work tree root found without a process: the nearest folder upwards
 * holding `.git` (a folder, or a file in linked worktrees and submodules).
 * Undefined when git's environment steers discovery, or `cwd` is inside a
 * git dir: then git itself is asked.
 */
export function quickWorkTreeRoot(cwd: string, env: NodeJS.ProcessEnv): string | undefined {
  if (env.GIT_DIR || env.GIT_WORK_TREE || env.GIT_CEILING_DIRECTORIES || env.GIT_DISCOVERY_ACROSS_FILESYSTEM) return undefined;
  const from = resolve(cwd);
  const root = nearestDotGit(from);
  return root === undefined || relative(root, from).split(sep)[0] === ".git" ? undefined : root;
}

/** What one staged diff gives: the raw changes and the blobs its patch shows whole. */
export interface StagedDiff {
  raw: string;
  blobs: Map<string, Buffer>;
}

/**
 * The staged changes: index vs `base` ("HEAD" or a tree id), renames
 * detected, with a patch showing every text file whole (deletions left out).
 * Paths are root-relative from any cwd. With `mayFail`, a failing git (no
 * HEAD yet, not a work tree) gives undefined and the caller asks again the
 * slow way, which reports the error. Past `budget` bytes of output the
 * changes are asked for alone and no blob is taken.
 */
export async function diffIndex(cwd: string, base: string, env: NodeJS.ProcessEnv | undefined, mayFail: boolean, budget = PATCH_BUDGET): Promise<StagedDiff | undefined> {
  const r = await git(
    stagedDiffArgs(base),
    { cwd, okCodes: mayFail ? [0, 128] : [0], stdoutLimit: budget, env: stagedDiffEnv(env) },
  );
  if (r.truncated) return changesAlone(cwd, base, env);
  if (r.code !== 0) return undefined;
  return stagedDiffOf(r.stdout);
}

/** The {@link StagedDiff} of a change too large to take as a patch: the changes alone, no blob (they are read apart). */
async function changesAlone(cwd: string, base: string, env: NodeJS.ProcessEnv | undefined): Promise<StagedDiff> {
  return { raw: await rawDiffIndex(cwd, base, env), blobs: new Map() };
}

/** The changes and blobs in the output of `git diff-index` run with {@link stagedDiffArgs}. */
export function stagedDiffOf(out: Buffer): StagedDiff {
  const { raw, patch } = splitRawAndPatch(out);
  return { raw, blobs: patch ? blobsFromPatch(patch) : new Map() };
}

/** The staged changes alone (index vs `base`), for a change too large to take as a patch. */
async function rawDiffIndex(cwd: string, base: string, env: NodeJS.ProcessEnv | undefined): Promise<string> {
  return gitText(["diff-index", ...RAW_CHANGES, base, "--"], { cwd, ...envOpt(env) });
}

/** Name and email of who would author the commit (`git var GIT_AUTHOR_IDENT`). */
export async function authorIdent(cwd: string, env?: NodeJS.ProcessEnv): Promise<{ author?: string; email?: string }> {
  const out = await gitText(["var", "GIT_AUTHOR_IDENT"], { cwd, okCodes: [0, 128], ...envOpt(env) }).catch(() => "");
  const m = /^(.*?) <([^>]*)>/.exec(out.trim());
  return m ? { author: m[1]!, email: m[2]! } : {};
}

/** Options of {@link prepareStaged}. */
export interface PrepareStagedOptions {
  /** Extra environment for git. */
  env?: NodeJS.ProcessEnv;
  /** False: the repository alone, no staged changes. */
  changes?: boolean;
  /**
   * What {@link quickWorkTreeRoot} gave for `cwd` and this environment, when
   * the caller asked already (undefined: no root found, git is asked);
   * absent, it is asked here.
   */
  quickRoot?: string | undefined;
  /**
   * The output of `git diff-index` against HEAD ({@link stagedDiffArgs}),
   * run already in this environment and this folder by the pre-commit hook's
   * script (git/staged-diff.ts), taken instead of running it again when the
   * work tree root is found on the file system; {@link OVER_BUDGET} when
   * that output was past the patch budget (then the changes are asked for
   * alone, as {@link diffIndex} does past its budget).
   */
  piped?: PipedDiff;
}

/**
 * Asks git what a staged scan needs, concurrently: the repository and the
 * staged changes (unless `changes` is false).
 */
export async function prepareStaged(cwd: string, opts: PrepareStagedOptions = {}): Promise<StagedState> {
  const env = opts.env;
  const wantChanges = opts.changes !== false;
  // Fast path, one process: the root from the file system, the diff against HEAD.
  const root = !wantChanges ? undefined : Object.hasOwn(opts, "quickRoot") ? opts.quickRoot : quickWorkTreeRoot(cwd, { ...process.env, ...env });
  const quick = root === undefined ? undefined : await headDiff(cwd, env, opts.piped);
  if (root !== undefined && quick !== undefined) return withChanges({ root, base: "HEAD" }, quick, cwd, env);
  // Asks git for the root and base (first commit, unusual layouts), then diffs if asked.
  const repo = await stagedRepo(cwd, env);
  return wantChanges ? withChanges(repo, (await diffIndex(cwd, repo.base, env, false))!, cwd, env) : { repo, changes: [] };
}

/** The staged diff against HEAD: from what the hook script piped in, else from git (undefined when git fails). */
function headDiff(cwd: string, env: NodeJS.ProcessEnv | undefined, piped: PipedDiff | undefined): StagedDiff | Promise<StagedDiff | undefined> {
  if (piped === OVER_BUDGET) return changesAlone(cwd, "HEAD", env);
  return piped !== undefined ? stagedDiffOf(piped) : diffIndex(cwd, "HEAD", env, true);
}

/** The state of a staged scan from its diff: blobs the patch showed at hand, cat-file behind them. */
function withChanges(repo: StagedRepo, diff: StagedDiff, cwd: string, env: NodeJS.ProcessEnv | undefined): StagedState {
  return { repo, changes: parseRawZ(diff.raw), blobs: new KnownBlobs(diff.blobs, cwd, env) };
}

/** Adds the author and email of the commit to be to every finding (asked only when there are some). */
async function describeFindings(state: StagedState, report: ScanReport): Promise<void> {
  const all = [...report.findings, ...report.suppressed.map((s) => s.finding)];
  if (all.length === 0) return;
  const { author, email } = await authorIdent(state.repo.root);
  for (const f of all) {
    if (author !== undefined) f.author = author;
    if (email !== undefined) f.email = email;
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
  await describeFindings(state, report);
  report.stats.durationMs = Date.now() - started;
  return report;
}

/** The comment character git strips from messages: unset means "#"; "auto" stays "auto" (git picks one per message). */
async function commentChar(root: string): Promise<string> {
  const v = (await gitText(["config", "--get", "core.commentChar"], { cwd: root, okCodes: [0, 1] }).catch(() => "")).replace(/\n$/, "");
  return v || "#";
}

/**
 * Scans a commit message file as git may record it in the repository at
 * `root` (up to the scissors line, comment lines included: see
 * messageToScan): what the commit-msg hook checks.
 */
export async function scanMessageFile(scanner: Scanner, file: string, root: string): Promise<ScanReport> {
  const comment = await commentChar(root);
  let raw: string;
  try {
    raw = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(`${file}: cannot read the commit message (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const report = emptyReport();
  const res = await scanGuarded(scanner, messageFragment(messageToScan(raw, comment)));
  if (res.stopped) skipFile(report, { path: "(commit message)", reason: "timeout", detail: stoppedDetail(scanner.timeBudgetMs) });
  report.findings = res.findings;
  report.suppressed = res.suppressed;
  report.stats.bytes = Buffer.byteLength(raw);
  return report;
}
