/**
 * husky, lefthook and simple-git-hooks own a repository's hooks: `hook install`
 * prints the exact line for the manager's configuration instead of refusing
 * over (or overwriting) the manager's generated file, and `hook doctor` judges
 * the manager's configuration for pre-commit, pre-push and commit-msg, then
 * self-tests through the hook git really runs. Real git with core.hooksPath and
 * husky-shaped files (husky itself is not needed); the lines call the
 * leakguard linked into the repository's node_modules/.bin by its path.
 */
import { chmodSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BIN } from "../helpers/cli.js";
import { TestRepo } from "../helpers/git-repo.js";
import { runIn } from "../helpers/in-process.js";

vi.setConfig({ testTimeout: 120_000 });

const repos: TestRepo[] = [];
afterEach(() => repos.splice(0).forEach((r) => r.remove()));

/** A repository with a package.json and leakguard installed locally (what `npm i -D leakguard` leaves). */
function project(pkg: Record<string, unknown> = {}): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  r.write("package.json", JSON.stringify({ name: "app", private: true, ...pkg }, null, 2) + "\n");
  r.commitFiles({ "README.md": "hello\n" }, "initial");
  mkdirSync(join(r.dir, "node_modules", ".bin"), { recursive: true });
  symlinkSync(BIN, join(r.dir, "node_modules", ".bin", "leakguard"));
  r.write(".gitignore", "node_modules/\n");
  return r;
}

/** The files husky v9 generates (`npx husky`): .husky/_/h and one wrapper per hook, core.hooksPath=.husky/_. */
function huskyInit(r: TestRepo): void {
  r.write(
    ".husky/_/h",
    [
      "#!/usr/bin/env sh",
      'n=$(basename "$0")',
      's=$(dirname "$(dirname "$0")")/$n',
      '[ ! -f "$s" ] && exit 0',
      'export PATH="node_modules/.bin:$PATH"',
      'sh -e "$s" "$@"',
      "c=$?",
      '[ $c != 0 ] && echo "husky - $n script failed (code $c)"',
      "exit $c",
      "",
    ].join("\n"),
  );
  for (const hook of ["h", "pre-commit", "pre-push", "commit-msg"]) {
    if (hook !== "h") r.write(`.husky/_/${hook}`, '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n');
    chmodSync(join(r.dir, ".husky/_", hook), 0o755);
  }
  r.git("config", "core.hooksPath", ".husky/_");
}

describe("husky", () => {
  it("hook install prints the line for .husky/pre-commit and leaves husky's files alone; doctor fails until it is added, then self-tests through husky", async () => {
    const r = project();
    huskyInit(r);
    const wrapper = readFileSync(join(r.dir, ".husky/_/pre-commit"), "utf8");
    const install = await runIn(r.dir, ["hook", "install"]);
    expect(install.code).toBe(0);
    expect(install.stdout).toContain("husky manages this repository's hooks (core.hooksPath=.husky/_)");
    expect(install.stdout).toContain("Add this to .husky/pre-commit:\n\n  ./node_modules/.bin/leakguard staged\n");
    expect(install.stdout).not.toContain("--chain");
    expect(readFileSync(join(r.dir, ".husky/_/pre-commit"), "utf8")).toBe(wrapper);
    const push = await runIn(r.dir, ["hook", "install", "--type", "pre-push"]);
    expect(push.stdout).toContain('Add this to .husky/pre-push:\n\n  ./node_modules/.bin/leakguard push --remote "$1"\n');

    const before = await runIn(r.dir, ["hook", "doctor"]);
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/^FAIL {2}husky runs leakguard for pre-commit: not configured; add to \.husky\/pre-commit: \.\/node_modules\/\.bin\/leakguard staged$/m);

    // The README's husky setup.
    r.write(".husky/pre-commit", "./node_modules/.bin/leakguard staged\n");
    r.write(".husky/commit-msg", './node_modules/.bin/leakguard staged --message-file "$1"\n');
    const after = await runIn(r.dir, ["hook", "doctor"]);
    expect(after.stdout).not.toContain("FAIL");
    expect(after.stdout).toMatch(/^ok {4}husky runs leakguard for pre-commit: \.husky\/pre-commit calls leakguard/m);
    expect(after.stdout).toMatch(/^ok {4}husky runs leakguard for commit-msg \(optional\): \.husky\/commit-msg calls leakguard/m);
    expect(after.stdout).toMatch(/^ok {4}husky runs leakguard for pre-push \(optional\): not configured; add to \.husky\/pre-push/m);
    expect(after.stdout).toMatch(/^ok {4}the pre-commit hook blocks a staged secret: blocked a planted secret/m);
    expect(after.code).toBe(0);
    const again = await runIn(r.dir, ["hook", "install"]);
    expect(again.stdout).toContain(".husky/pre-commit already runs leakguard for pre-commit; nothing to do");
  });

  it("a hooksPath without husky's wrapper for a configured hook is a FAIL naming 'npx husky'", async () => {
    const r = project();
    huskyInit(r);
    r.write(".husky/pre-commit", "./node_modules/.bin/leakguard staged\n");
    r.git("rm", "-q", "--cached", "--ignore-unmatch", ".husky/_/pre-commit");
    const { rmSync } = await import("node:fs");
    rmSync(join(r.dir, ".husky/_/pre-commit"));
    const d = await runIn(r.dir, ["hook", "doctor"]);
    expect(d.code).toBe(1);
    expect(d.stdout).toMatch(/^FAIL {2}husky runs leakguard for pre-commit: \.husky\/pre-commit calls leakguard, but git runs no executable .*pre-commit; run 'npx husky'$/m);
  });
});

describe("lefthook", () => {
  it("install prints the lefthook.yml block; doctor checks the configuration and that lefthook wrote git's hook", async () => {
    const r = project();
    r.write("lefthook.yml", "pre-push:\n  commands:\n    lint:\n      run: npm run lint\n");
    const install = await runIn(r.dir, ["hook", "install"]);
    expect(install.code).toBe(0);
    expect(install.stdout).toContain("lefthook manages this repository's hooks (lefthook.yml)");
    expect(install.stdout).toContain("Add this to lefthook.yml:\n\n  pre-commit:\n    commands:\n      leakguard:\n        run: ./node_modules/.bin/leakguard staged\n");
    expect((await runIn(r.dir, ["hook", "doctor"])).stdout).toMatch(/^FAIL {2}lefthook runs leakguard for pre-commit: not configured/m);
    r.write("lefthook.yml", "pre-commit:\n  commands:\n    leakguard:\n      run: ./node_modules/.bin/leakguard staged\n");
    const d = await runIn(r.dir, ["hook", "doctor"]);
    expect(d.code).toBe(1);
    expect(d.stdout).toMatch(/^FAIL {2}lefthook runs leakguard for pre-commit: lefthook\.yml calls leakguard, but git runs no executable .*; run 'npx lefthook install'$/m);
  });
});

describe("simple-git-hooks", () => {
  it("a configured package.json and the hook simple-git-hooks writes: install has nothing to do, doctor is healthy and self-tests", async () => {
    const r = project({ "simple-git-hooks": { "pre-commit": "./node_modules/.bin/leakguard staged" } });
    // What `npx simple-git-hooks` writes: the command as a shell script.
    const hook = join(r.dir, ".git", "hooks", "pre-commit");
    r.write(".git/hooks/pre-commit", "#!/bin/sh\n./node_modules/.bin/leakguard staged\n");
    chmodSync(hook, 0o755);
    const install = await runIn(r.dir, ["hook", "install"]);
    expect(install.stdout).toContain("package.json already runs leakguard for pre-commit; nothing to do");
    expect(readFileSync(hook, "utf8")).toBe("#!/bin/sh\n./node_modules/.bin/leakguard staged\n");
    const msg = await runIn(r.dir, ["hook", "install", "--type", "commit-msg"]);
    expect(msg.stdout).toContain(`Add this to package.json:\n\n  "commit-msg": "./node_modules/.bin/leakguard staged --message-file \\"$1\\""`);
    const d = await runIn(r.dir, ["hook", "doctor"]);
    expect(d.stdout).toMatch(/^ok {4}the pre-commit hook blocks a staged secret/m);
    expect(d.code).toBe(0);
  });

  it("--force still installs leakguard's own hook when asked", async () => {
    const r = project({ "simple-git-hooks": { "pre-commit": "npm test" } });
    r.write(".git/hooks/pre-commit", "#!/bin/sh\nnpm test\n");
    const res = await runIn(r.dir, ["hook", "install", "--force"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^leakguard: replaced /);
  });
});
