/**
 * Real git repositories in temporary folders, for tests. No mocks: every
 * helper runs the git binary (a fresh repository is a copy of one that
 * `git init` made in this process).
 */
import { execFileSync, type ExecFileSyncOptions } from "node:child_process";
import { appendFileSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

/** Environment that isolates tests from the user's git config. */
export const GIT_TEST_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Test Author",
  GIT_AUTHOR_EMAIL: "author@example.test",
  GIT_COMMITTER_NAME: "Test Author",
  GIT_COMMITTER_EMAIL: "author@example.test",
  GIT_TERMINAL_PROMPT: "0",
  // Nor the user's ~/.config/git (ignore, attributes), which git reads whatever GIT_CONFIG_GLOBAL
  // says: a global `*.env` ignore left the tests' files unstaged. Not a folder: git finds nothing there.
  XDG_CONFIG_HOME: "/dev/null",
};
// Node reads and parses this certificate file at every start (~30 ms of CPU of
// a ~100 ms start on the development VM), and the suite starts ~130 node
// processes (the bin, hooks fired by git); leakguard opens no TLS connection.
delete GIT_TEST_ENV.NODE_EXTRA_CA_CERTS;

/** An empty repository's git dir as folders and files (relative paths), held in memory. */
interface GitDirImage {
  dirs: string[];
  files: Array<[string, Buffer]>;
}

/**
 * The git dir of an empty repository (bare or not) that `git init -b main`
 * made once in this process, without git's sample hooks, kept in memory (the
 * folder git wrote is removed at once). Writing it out is what a fresh `git
 * init` writes, without forking the test process for git.
 */
const initialized = new Map<"bare" | "work", GitDirImage>();
function initializedGitDir(bare: boolean): GitDirImage {
  const kind = bare ? "bare" : "work";
  let image = initialized.get(kind);
  if (!image) {
    const home = mkdtempSync(join(tmpdir(), "lg-init-"));
    try {
      execFileSync("git", ["init", "-q", "-b", "main", ...(bare ? ["--bare"] : []), home], { env: GIT_TEST_ENV, stdio: "ignore" });
      const gitDir = bare ? home : join(home, ".git");
      image = { dirs: [], files: [] };
      for (const e of readdirSync(gitDir, { recursive: true, withFileTypes: true })) {
        const rel = relative(gitDir, join(e.parentPath, e.name));
        if (e.isDirectory()) image.dirs.push(rel);
        else if (!e.name.endsWith(".sample")) image.files.push([rel, readFileSync(join(gitDir, rel))]);
      }
      image.dirs.sort();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
    initialized.set(kind, image);
  }
  return image;
}

/** Writes an empty repository's git dir at `gitDir`. */
function writeGitDir(gitDir: string, image: GitDirImage): void {
  mkdirSync(gitDir, { recursive: true });
  for (const d of image.dirs) mkdirSync(join(gitDir, d), { recursive: true });
  for (const [f, data] of image.files) writeFileSync(join(gitDir, f), data);
}

/** A temporary repository. */
export class TestRepo {
  readonly dir: string;
  constructor(opts: { bare?: boolean; dir?: string } = {}) {
    this.dir = opts.dir ?? mkdtempSync(join(tmpdir(), "lg-repo-"));
    if (opts.dir === undefined) writeGitDir(opts.bare ? this.dir : join(this.dir, ".git"), initializedGitDir(opts.bare === true));
    else this.git("init", "-q", "-b", "main", ...(opts.bare ? ["--bare"] : []));
    // Written straight into the new config file: three `git config` runs cost
    // more than the rest of a small test (each spawn forks the test process).
    // maintenance.auto off: every `git commit` would start one more git
    // (`git maintenance run --auto`) that only finds nothing to pack.
    if (!opts.bare) appendFileSync(join(this.dir, ".git", "config"), "[user]\n\tname = Test Author\n\temail = author@example.test\n[commit]\n\tgpgsign = false\n[maintenance]\n\tauto = false\n");
  }
  /** Runs git in the repo; returns stdout. */
  git(...args: string[]): string {
    return execFileSync("git", args, { cwd: this.dir, env: GIT_TEST_ENV, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] } as ExecFileSyncOptions) as unknown as string;
  }
  /** Runs git with options (input, env); returns stdout. */
  gitWith(args: string[], opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv }): string {
    return execFileSync("git", args, { cwd: this.dir, env: { ...GIT_TEST_ENV, ...opts.env }, encoding: "utf8", input: opts.input ?? "" }) as unknown as string;
  }
  /** Writes a file (creating folders). */
  write(path: string, content: string | Buffer): this {
    const p = join(this.dir, path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
    return this;
  }
  /** Stages paths (default all). */
  add(...paths: string[]): this {
    this.git("add", "-A", "--", ...(paths.length ? paths : ["."]));
    return this;
  }
  /**
   * Commits what is staged; returns the new commit id. `date` (ISO) sets both
   * author and committer dates so history order is deterministic.
   */
  commit(message: string, opts: { date?: string; allowEmpty?: boolean; noVerify?: boolean } = {}): string {
    const env = opts.date ? { GIT_AUTHOR_DATE: opts.date, GIT_COMMITTER_DATE: opts.date } : {};
    this.gitWith(["commit", "-q", "-m", message, ...(opts.allowEmpty ? ["--allow-empty"] : []), ...(opts.noVerify ? ["--no-verify"] : [])], { env });
    return this.head();
  }
  /** The commit HEAD names: read from the loose ref when there is one (no spawn), else from `git rev-parse`. */
  head(): string {
    const gitDir = join(this.dir, ".git");
    try {
      if (statSync(gitDir).isDirectory()) {
        const head = readFileSync(join(gitDir, "HEAD"), "utf8").trim();
        if (/^[0-9a-f]{40,64}$/.test(head)) return head;
        const ref = /^ref: (refs\/heads\/[^\s]+)$/.exec(head)?.[1];
        if (ref) {
          const id = readFileSync(join(gitDir, ref), "utf8").trim();
          if (/^[0-9a-f]{40,64}$/.test(id)) return id;
        }
      }
    } catch {
      // packed ref, worktree or anything unusual: ask git
    }
    return this.git("rev-parse", "HEAD").trim();
  }
  /** Writes, stages and commits one or more files. */
  commitFiles(files: Record<string, string>, message = "change", date?: string): string {
    for (const [p, c] of Object.entries(files)) this.write(p, c);
    // git add and git commit from one small shell: the test process (large) is forked once, not twice.
    const env = { ...GIT_TEST_ENV, LG_TEST_MESSAGE: message, ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}) };
    const paths = Object.keys(files);
    execFileSync("sh", ["-c", 'git add -A -- "$@" && git commit -q -m "$LG_TEST_MESSAGE"', "sh", ...(paths.length ? paths : ["."])], {
      cwd: this.dir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    return this.head();
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * One repository per key, made by `make` on first use and shared by every
 * test that asks for the same key (tests that only read it); `removeAll`
 * (from afterAll) removes them.
 */
export function sharedRepos<K>(make: (key: K) => TestRepo): { get(key: K): TestRepo; removeAll(): void } {
  const made = new Map<K, TestRepo>();
  return {
    get(key: K): TestRepo {
      let r = made.get(key);
      if (!r) {
        r = make(key);
        made.set(key, r);
      }
      return r;
    },
    removeAll(): void {
      for (const r of made.values()) r.remove();
      made.clear();
    },
  };
}
