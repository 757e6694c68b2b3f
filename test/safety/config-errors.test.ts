/**
 * A broken `.leakguard.toml` (bad TOML, a regex that does not compile) ends
 * every command with exit 2 and one line naming the file, and leaves no git
 * child process behind (the pre-commit hook used to hang on the `git
 * cat-file --batch` that `staged` starts before the config is read). One
 * real `git commit` through the installed hook shows the commit blocked with
 * that line instead of hanging.
 */
import { spawnSync } from "node:child_process";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { scanHistory, scanStaged } from "../../src/index.js";
import { childProcesses, newChildProcesses, runIn } from "../helpers/in-process.js";
import { GIT_TEST_ENV, sharedRepos, TestRepo } from "../helpers/git-repo.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

const BAD_CONFIGS: Record<string, { toml: string; says: RegExp }> = {
  "bad TOML": { toml: '[[rules]\nid = "x"\n', says: /invalid TOML/ },
  "bad regex": { toml: '[[rules]]\nid = "broken-rule"\nregex = "key=(a"\n', says: /broken-rule.*missing closing \)/ },
};

const COMMANDS: string[][] = [["scan", "."], ["staged"], ["push"], ["history"], ["inventory"], ["baseline", "create"]];

/** A repository with one commit, a staged change, and `toml` as its (uncommitted) config. */
function makeRepo(toml: string): TestRepo {
  const r = new TestRepo();
  r.commitFiles({ "README.md": "# project\n" }, "init");
  r.write("app.txt", "hello\n").add("app.txt");
  r.write(".leakguard.toml", toml);
  return r;
}

/** {@link makeRepo}, removed after the test. */
function repoWith(toml: string): TestRepo {
  const r = makeRepo(toml);
  repos.push(r);
  return r;
}

/** One {@link makeRepo} repository per config for the commands refused at load (nothing runs far enough to write). */
const refused = sharedRepos(makeRepo);
afterAll(refused.removeAll);
const refusedRepo = refused.get;

describe("a config error ends every command with exit 2 and one line, leaving no child process", { timeout: 120_000 }, () => {
  for (const [kind, { toml, says }] of Object.entries(BAD_CONFIGS)) {
    for (const argv of COMMANDS) {
      it(`${argv.join(" ")}: ${kind}`, async () => {
        const r = refusedRepo(toml);
        const before = childProcesses();
        const res = await runIn(r.dir, argv);
        expect(res.code).toBe(2);
        const lines = res.stderr.trim().split("\n");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain(".leakguard.toml");
        expect(lines[0]).toMatch(says);
        expect(res.stdout).toBe("");
        expect(newChildProcesses(before)).toEqual([]);
      });
    }
  }

  it("the library functions reject and leave no child process either", async () => {
    const r = refusedRepo(BAD_CONFIGS["bad regex"]!.toml);
    const before = childProcesses();
    await expect(scanStaged({ cwd: r.dir })).rejects.toThrow(/broken-rule/);
    expect(newChildProcesses(before)).toEqual([]);
    await expect(scanHistory({ repo: r.dir })).rejects.toThrow(/broken-rule/);
    expect(newChildProcesses(before)).toEqual([]);
  });
});

describe("the installed pre-commit hook with a broken config", { timeout: 120_000 }, () => {
  it("blocks the commit with the one-line error instead of hanging", async () => {
    const r = repoWith(BAD_CONFIGS["bad TOML"]!.toml);
    expect((await runIn(r.dir, ["hook", "install"])).code).toBe(0);
    const before = r.head();
    // A generous kill timer only so that a regression fails instead of hanging the suite.
    const res = spawnSync("git", ["commit", "-m", "add app"], { cwd: r.dir, env: { ...GIT_TEST_ENV, NO_COLOR: "1" }, encoding: "utf8", timeout: 90_000 });
    expect(res.signal).toBeNull();
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/\.leakguard\.toml:\d+:\d+: invalid TOML/);
    expect(r.head()).toBe(before);
  });
});
