/**
 * The pre-commit hook's piped diff (src/git/staged-diff.ts): the installed
 * script runs the staged diff-index itself while node starts and pipes it in,
 * so a clean commit costs leakguard no git process. Shown structurally with
 * git's trace2 events: GIT_TRACE2_ENV_VARS records LEAKGUARD_STAGED_DIFF for
 * every git run inside leakguard (which inherits it) and not for the script's
 * own git; on Linux git also names its parent process (node or the script). Whatever is piped in that is not a complete, successful run of the
 * same command is ignored and leakguard asks git itself: the answer stays right.
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { BIN } from "../helpers/cli.js";
import { GIT_TEST_ENV, TestRepo } from "../helpers/git-repo.js";
import { githubToken } from "../helpers/secrets.js";
import { runIn } from "../helpers/in-process.js";
import { EMPTY_TREE } from "../../src/scans/staged.js";
import {
  acceptedOutput,
  OVER_BUDGET,
  pipedDiffBudget,
  pipedDiffWords,
  PATCH_BUDGET,
  RAW_CHANGES,
  readPipedDiff,
  STAGED_DIFF_ENV,
  stagedDiffArgs,
  TEST_BUDGET_ENV,
  TRAILER_HEAD,
} from "../../src/git/staged-diff.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});
const scratch = mkdtempSync(join(tmpdir(), "lg-piped-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function repo(init = true): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  if (init) r.commitFiles({ "README.md": "# project\n" }, "init");
  return r;
}

/** One git run seen in the trace: its arguments, and whether it ran inside leakguard. */
interface GitRun {
  argv: string;
  inLeakguard: boolean;
}

let traces = 0;
/** Environment tracing every git run into a new file; `runs()` reads it back. */
function traced(): { env: NodeJS.ProcessEnv; runs: () => GitRun[] } {
  const file = join(scratch, `trace-${++traces}.json`);
  return {
    env: { GIT_TRACE2_EVENT: file, GIT_TRACE2_ENV_VARS: STAGED_DIFF_ENV },
    runs: () => {
      const bySid = new Map<string, GitRun>();
      let text = "";
      try {
        text = readFileSync(file, "utf8");
      } catch {
        return [];
      }
      for (const line of text.split("\n").filter(Boolean)) {
        const e = JSON.parse(line) as { sid: string; event: string; argv?: string[]; param?: string; ancestry?: string[] };
        if (e.event === "start") bySid.set(e.sid, { argv: e.argv!.slice(1).join(" "), inLeakguard: false });
        if (e.event === "def_param" && e.param === STAGED_DIFF_ENV) bySid.get(e.sid)!.inLeakguard = true;
        // Where git records its parent process (Linux): node started it, whatever version of leakguard
        // runs (not the `git commit` this test starts).
        const run = bySid.get(e.sid);
        if (e.event === "cmd_ancestry" && run && !run.argv.startsWith("commit ") && /^node/.test(e.ancestry?.[0] ?? "")) run.inLeakguard = true;
      }
      return [...bySid.values()];
    },
  };
}

const isDiff = (g: GitRun): boolean => g.argv.includes("diff-index");

/** Runs a real `git commit` (hooks fire). */
function gitCommit(r: TestRepo, env: NodeJS.ProcessEnv, ...args: string[]): { code: number; out: string } {
  const res = spawnSync("git", ["commit", ...args], { cwd: r.dir, env: { ...GIT_TEST_ENV, NO_COLOR: "1", ...env }, encoding: "utf8" });
  return { code: res.status ?? -1, out: res.stdout + res.stderr };
}

/**
 * Runs `node args...` in `cwd` with `input` on stdin through a shell pipe, as
 * the hook script gives it (node's own child stdio would be a socket).
 */
function piped(cwd: string, input: Buffer, args: string[], env: NodeJS.ProcessEnv): { code: number; stdout: string; stderr: string } {
  const file = join(scratch, `input-${++traces}`);
  writeFileSync(file, input);
  const res = spawnSync("sh", ["-c", 'f=$1; shift; cat "$f" | "$@"', "sh", file, process.execPath, ...args], {
    cwd,
    env: { ...GIT_TEST_ENV, NO_COLOR: "1", GITHUB_ACTIONS: "", ...env },
    encoding: "utf8",
  });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

/** git's staged diff as the hook script pipes it: output, then the trailer with `status`. */
function scriptOutput(r: TestRepo, status = 0): Buffer {
  const out = spawnSync("git", stagedDiffArgs("HEAD"), { cwd: r.dir, env: GIT_TEST_ENV });
  return Buffer.concat([out.stdout, Buffer.from(`${TRAILER_HEAD}${status}\n`)]);
}

describe("the pre-commit hook's piped diff", { timeout: 120_000 }, () => {
  it("a clean commit through the installed hook: leakguard runs no git at all; a secret is blocked the same way", async () => {
    const r = repo();
    expect((await runIn(r.dir, ["hook", "install"])).code).toBe(0);
    r.write("app.js", "export const name = 'app';\n").add();
    const clean = traced();
    const ok = gitCommit(r, clean.env, "-q", "-m", "clean");
    expect(ok.code, ok.out).toBe(0);
    const runs = clean.runs();
    expect(runs.filter(isDiff)).toEqual([{ argv: stagedDiffArgs("HEAD").join(" "), inLeakguard: false }]);
    expect(runs.filter((g) => g.inLeakguard)).toEqual([]);

    const before = r.head();
    r.write("deploy.sh", `export GITHUB_TOKEN=${githubToken(61)}\n`).add();
    const dirty = traced();
    const blocked = gitCommit(r, dirty.env, "-m", "deploy");
    expect(blocked.code).not.toBe(0);
    expect(r.head()).toBe(before);
    expect(blocked.out).toContain("deploy.sh");
    expect(blocked.out).not.toContain(githubToken(61));
    // Findings ask git who the author is; the diff itself came through the pipe.
    expect(dirty.runs().filter((g) => g.inLeakguard && isDiff(g))).toEqual([]);
    expect(dirty.runs().some((g) => g.inLeakguard && g.argv.startsWith("var GIT_AUTHOR_IDENT"))).toBe(true);
  });

  it("the first commit (no HEAD: the script's git fails) falls back to leakguard's own git, and blocks a secret", async () => {
    const r = repo(false);
    expect((await runIn(r.dir, ["hook", "install"])).code).toBe(0);
    r.write("first.env", `TOKEN=${githubToken(62)}\n`).add();
    const t = traced();
    const blocked = gitCommit(r, t.env, "-m", "first");
    expect(blocked.code).not.toBe(0);
    expect(blocked.out).toContain("first.env");
    expect(t.runs().filter((g) => g.inLeakguard).some(isDiff)).toBe(true);
    r.write("first.env", "TOKEN=from-vault\n").add();
    expect(gitCommit(r, {}, "-q", "-m", "first").code).toBe(0);
  });

  it("`git commit <path>`: the script's git reads git's temporary index, through the pipe", async () => {
    const r = repo();
    expect((await runIn(r.dir, ["hook", "install"])).code).toBe(0);
    r.write("only.txt", "v1\n").add();
    r.commit("only", { noVerify: true });
    r.write("other.txt", "staged, clean\n").add();
    r.write("only.txt", `v2 ${githubToken(63)}\n`); // not staged: only `git commit -- only.txt` records it
    const before = r.head();
    const t = traced();
    const res = gitCommit(r, t.env, "-m", "path commit", "--", "only.txt");
    expect(res.code).not.toBe(0);
    expect(res.out).toContain("only.txt");
    expect(r.head()).toBe(before);
    expect(t.runs().filter((g) => g.inLeakguard && isDiff(g))).toEqual([]);
  });

  it("a change past the patch budget: leakguard asks git for the changes alone, not for the whole patch again", () => {
    const r = repo();
    expect(spawnSync(process.execPath, [BIN, "hook", "install"], { cwd: r.dir, env: GIT_TEST_ENV }).status).toBe(0);
    // A budget this small makes any change a very large one (the real one is 32 MiB).
    const small = { [TEST_BUDGET_ENV]: "200" };
    r.write("deploy.sh", `# deploy\n${"echo step\n".repeat(30)}export GITHUB_TOKEN=${githubToken(65)}\n`).add();
    const before = r.head();
    const dirty = traced();
    const blocked = gitCommit(r, { ...dirty.env, ...small }, "-m", "deploy");
    expect(blocked.code).not.toBe(0);
    expect(r.head()).toBe(before);
    expect(blocked.out).toContain("deploy.sh");
    expect(blocked.out).not.toContain(githubToken(65));
    const changesAlone = ["diff-index", ...RAW_CHANGES, "HEAD", "--"].join(" ");
    expect(dirty.runs().filter((g) => g.inLeakguard && isDiff(g)).map((g) => g.argv)).toEqual([changesAlone]);

    r.write("deploy.sh", `# deploy\n${"echo step\n".repeat(30)}export GITHUB_TOKEN="$(vault read token)"\n`).add();
    const clean = traced();
    const ok = gitCommit(r, { ...clean.env, ...small }, "-q", "-m", "deploy");
    expect(ok.code, ok.out).toBe(0);
    expect(clean.runs().filter((g) => g.inLeakguard && isDiff(g)).map((g) => g.argv)).toEqual([changesAlone]);
  });

  // A budget of 0 is smaller than the failed git's trailer alone, which once counted as a very large change.
  it.each(["200", "0"])("past a budget of %s bytes, a first commit (the script's git fails, piping nothing) still falls back to leakguard's whole diff", (budget) => {
    const r = repo(false);
    expect(spawnSync(process.execPath, [BIN, "hook", "install"], { cwd: r.dir, env: GIT_TEST_ENV }).status).toBe(0);
    r.write("first.env", `${"# settings\n".repeat(30)}TOKEN=${githubToken(66)}\n`).add();
    const t = traced();
    const blocked = gitCommit(r, { ...t.env, [TEST_BUDGET_ENV]: budget }, "-m", "first");
    expect(blocked.code).not.toBe(0);
    expect(blocked.out).toContain("first.env");
    // As without a budget: the diff against HEAD fails, then the one against the empty tree runs.
    const own = t.runs().filter((g) => g.inLeakguard && isDiff(g));
    expect(own.map((g) => g.argv)).toEqual([stagedDiffArgs("HEAD").join(" "), stagedDiffArgs(EMPTY_TREE.sha1!).join(" ")]);
  });

  it("ignores a pipe that is cut short, garbled, from a failed git or from another command, and asks git itself", () => {
    const r = repo();
    r.write("deploy.sh", `export GITHUB_TOKEN=${githubToken(64)}\n`).add();
    const good = scriptOutput(r);
    const words = pipedDiffWords();
    // What each of these would say if it were believed: nothing staged.
    const empty = Buffer.from(`${TRAILER_HEAD}0\n`);
    const cases: Array<[string, Buffer, string | undefined]> = [
      ["cut short", good.subarray(0, good.length - 20), words],
      ["no trailer", good.subarray(0, good.length - `${TRAILER_HEAD}0\n`.length), words],
      ["git failed", scriptOutput(r, 128), words],
      ["garbled trailer", Buffer.concat([good.subarray(0, good.length - 2), Buffer.from("0 \n")]), words],
      ["another command", empty, words.replace("-M", "-C")],
      ["no variable (an older hook)", empty, undefined],
    ];
    for (const [name, input, value] of cases) {
      const t = traced();
      const res = piped(r.dir, input, [BIN, "staged", "--no-progress", "--format", "json"], { ...t.env, [STAGED_DIFF_ENV]: value });
      expect([name, res.code], res.stderr).toEqual([name, 1]);
      expect(JSON.parse(res.stdout).findings.map((f: { file: string }) => f.file)).toEqual(["deploy.sh"]);
      const ownDiffs = t.runs().filter(isDiff);
      expect([name, ownDiffs.length > 0 && ownDiffs.every((g) => g.inLeakguard || value === undefined)]).toEqual([name, true]);
    }
    // The same secret through a good pipe: found, and no git run for the diff.
    const t = traced();
    const res = piped(r.dir, good, [BIN, "staged", "--no-progress", "--format", "json"], { ...t.env, [STAGED_DIFF_ENV]: words });
    expect(res.code, res.stderr).toBe(1);
    expect(JSON.parse(res.stdout).findings.map((f: { file: string }) => f.file)).toEqual(["deploy.sh"]);
    expect(t.runs().filter(isDiff)).toEqual([]);
  });

  it("a clean piped run never loads node:child_process", () => {
    const r = repo();
    r.write("app.js", "export const name = 'app';\n").add();
    const report = join(scratch, "modules.txt");
    const preload = join(scratch, "preload.cjs");
    writeFileSync(
      preload,
      `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(report)}, String(process.moduleLoadList.includes("NativeModule child_process"))));\n`,
    );
    const run = (input: Buffer): string => {
      const res = piped(r.dir, input, ["--require", preload, BIN, "staged", "--no-progress"], { [STAGED_DIFF_ENV]: pipedDiffWords() });
      expect(res.code, res.stderr).toBe(0);
      return readFileSync(report, "utf8");
    };
    expect(run(scriptOutput(r))).toBe("false");
    expect(run(scriptOutput(r, 1))).toBe("true"); // the fallback spawns git
  });
});

describe("readPipedDiff / acceptedOutput", () => {
  it("takes git's output only before the trailer of exit status 0", () => {
    const out = Buffer.from(":100644 100644 a b M\0f\0");
    expect(acceptedOutput(Buffer.concat([out, Buffer.from(`${TRAILER_HEAD}0\n`)]))).toEqual(out);
    expect(acceptedOutput(Buffer.from(`${TRAILER_HEAD}0\n`))).toEqual(Buffer.alloc(0));
    expect(acceptedOutput(Buffer.concat([out, Buffer.from(`${TRAILER_HEAD}1\n`)]))).toBeUndefined();
    expect(acceptedOutput(Buffer.concat([out, Buffer.from(`${TRAILER_HEAD}0`)]))).toBeUndefined();
    expect(acceptedOutput(out)).toBeUndefined();
    expect(acceptedOutput(Buffer.alloc(0))).toBeUndefined();
  });

  it("reads nothing from what is not a pipe, or with other words", () => {
    const file = join(scratch, "not-a-pipe");
    writeFileSync(file, `${TRAILER_HEAD}0\n`);
    const fd = openSync(file, "r");
    try {
      expect(readPipedDiff(fd, pipedDiffWords())).toBeUndefined();
      expect(readPipedDiff(fd, "diff-index HEAD")).toBeUndefined();
    } finally {
      closeSync(fd);
    }
  });

  // 300,000 bytes come in several pipe reads (~64 KB each) into a buffer that grows.
  it.each([4000, 300_000])("says so past the budget (git is then asked for the changes alone): a %i-byte file", (bytes) => {
    const r = repo();
    r.write("big.txt", "x".repeat(bytes) + "\n").add();
    const input = scriptOutput(r);
    const code = (budget: number): string =>
      `const { readPipedDiff } = await import(${JSON.stringify(new URL("../../dist/git/staged-diff.js", import.meta.url).href)});` +
      `const b = readPipedDiff(0, process.env.W, ${budget}); process.stdout.write(b === undefined ? "none" : typeof b === "string" ? b : String(b.length));`;
    const run = (budget: number, from = input): string => piped(r.dir, from, ["--input-type=module", "-e", code(budget)], { W: pipedDiffWords() }).stdout;
    const size = input.length - `${TRAILER_HEAD}0\n`.length;
    expect(run(size)).toBe(String(size));
    expect(run(size - 1)).toBe(OVER_BUDGET);
    // Within the budget a failed git's output is not taken, nor within a trailer's length past it (a budget
    // smaller than a failed git's trailer alone once took that trailer for a large change);
    // further past it the trailer is not waited for.
    expect(run(size, scriptOutput(r, 1))).toBe("none");
    expect(run(size - 1, scriptOutput(r, 1))).toBe("none");
    expect(run(size, scriptOutput(r, 128))).toBe("none");
    expect(run(0, Buffer.from(`${TRAILER_HEAD}128\n`))).toBe("none");
    expect(run(size - 3, scriptOutput(r, 1))).toBe(OVER_BUDGET);
  });

  it("reads with the real budget unless a test sets a number of bytes", () => {
    expect(pipedDiffBudget({})).toBe(PATCH_BUDGET);
    expect(pipedDiffBudget({ [TEST_BUDGET_ENV]: "200" })).toBe(200);
    for (const bad of ["", "2e3", "-1", " 200", "0x10"]) expect(pipedDiffBudget({ [TEST_BUDGET_ENV]: bad })).toBe(PATCH_BUDGET);
  });
});
