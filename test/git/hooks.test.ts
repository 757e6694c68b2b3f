/**
 * The installed hooks, fired by real `git commit` runs: they block staged
 * secrets, let clean commits through, fail closed when leakguard cannot run,
 * chain with an existing hook, honour core.hooksPath, and uninstall cleanly.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { BIN } from "../helpers/cli.js";
import { GIT_TEST_ENV, TestRepo } from "../helpers/git-repo.js";
import { gitState } from "../helpers/git-state.js";
import { awsKeyId, githubToken } from "../helpers/secrets.js";
import { runIn, type RunResult } from "../helpers/in-process.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});
const scratch = mkdtempSync(join(tmpdir(), "lg-hooks-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function repo(): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  r.commitFiles({ "README.md": "# project\n" }, "init");
  return r;
}

/** Runs a real `git commit` (hooks fire); never throws. */
function gitCommit(r: TestRepo, ...args: string[]): { code: number; stderr: string; stdout: string } {
  const res = spawnSync("git", ["commit", ...args], { cwd: r.dir, env: { ...GIT_TEST_ENV, NO_COLOR: "1" }, encoding: "utf8" });
  return { code: res.status ?? -1, stderr: res.stderr, stdout: res.stdout };
}

const head = (r: TestRepo): string => r.head();
const hooksDir = (r: TestRepo): string => r.git("rev-parse", "--path-format=absolute", "--git-path", "hooks").trim();

function install(r: TestRepo, ...args: string[]): Promise<RunResult> {
  return runIn(r.dir, ["hook", "install", ...args]);
}

/** Points the installed hook's embedded leakguard at another script. */
function pointHookAt(r: TestRepo, script: string, type = "pre-commit"): void {
  const p = join(hooksDir(r), type);
  const text = readFileSync(p, "utf8").replace(/^LEAKGUARD_BIN=.*$/m, `LEAKGUARD_BIN='${script}'`);
  writeFileSync(p, text);
}

describe("pre-commit hook", { timeout: 120_000 }, () => {
  it("blocks a staged secret on a real commit; lets a clean one through, whatever the work tree or untouched old lines hold", async () => {
    const r = repo();
    expect((await install(r)).code).toBe(0);
    const st = readFileSync(join(hooksDir(r), "pre-commit"), "utf8");
    expect(st).toContain(process.execPath);
    // An old secret, committed before the hook: the clean commit below touches its file, not its line.
    r.write("legacy.ini", `a = 1\ntoken = ${githubToken(43)}\n`).add();
    r.commit("legacy", { noVerify: true });
    const before = head(r);
    r.write("deploy.sh", `export GITHUB_TOKEN=${githubToken(41)}\n`).add();
    const blocked = gitCommit(r, "-m", "add deploy");
    expect(blocked.code).not.toBe(0);
    expect(head(r)).toBe(before);
    expect(blocked.stdout + blocked.stderr).toContain("deploy.sh");
    expect(blocked.stderr).toContain("git commit --no-verify");
    expect(blocked.stdout + blocked.stderr).not.toContain(githubToken(41));

    // One clean commit shows three things (each hook firing costs a leakguard process):
    // the fixed file passes; a secret only in the unstaged work tree is not read;
    // an old secret in an untouched line of a touched file does not block (--all-lines would).
    r.write("deploy.sh", "export GITHUB_TOKEN=$(vault read token)\n").add();
    r.write("app.cfg", "name = app\n").add();
    r.write("app.cfg", `name = app\nkey = ${awsKeyId(42)}\n`);
    r.write("legacy.ini", `a = 2\ntoken = ${githubToken(43)}\n`).add("legacy.ini");
    const all = await runIn(r.dir, ["staged", "--all-lines"]);
    expect([all.code, all.stdout.includes("legacy.ini")]).toEqual([1, true]);
    const clean = gitCommit(r, "-q", "-m", "clean deploy");
    expect(clean.code, clean.stderr).toBe(0);
    expect(head(r)).not.toBe(before);
    expect(r.git("show", "HEAD:app.cfg")).toBe("name = app\n");
    expect(r.git("show", "HEAD:legacy.ini")).toContain("a = 2\n");
  });

  it("also guards `git commit <path>` (git's temporary index)", async () => {
    const r = repo();
    await install(r);
    r.write("only.txt", "v1\n").add();
    r.commit("only", { noVerify: true });
    r.write("only.txt", `v2 ${githubToken(44)}\n`);
    const before = head(r);
    expect(gitCommit(r, "-m", "path commit", "--", "only.txt").code).not.toBe(0);
    expect(head(r)).toBe(before);
  });

  it("fails closed when leakguard crashes, exits oddly, or is gone", async () => {
    const r = repo();
    await install(r);
    r.write("x.txt", "clean\n").add();
    const crash = join(scratch, "crash.mjs");
    writeFileSync(crash, "process.kill(process.pid, 'SIGKILL');\n");
    pointHookAt(r, crash);
    const before = head(r);
    const killed = gitCommit(r, "-m", "x");
    expect(killed.code).not.toBe(0);
    expect(killed.stderr).toMatch(/could not run \(exit code 137:/);
    expect(killed.stderr).toContain("git commit --no-verify");

    const odd = join(scratch, "odd.mjs");
    writeFileSync(odd, "process.exit(70);\n");
    pointHookAt(r, odd);
    expect(gitCommit(r, "-m", "x").stderr).toMatch(/could not run \(exit code 70:/);

    // Gone, and nothing to fall back to: PATH holds only what git and sh need.
    pointHookAt(r, join(scratch, "missing.js"));
    // Where each tool is, from one shell (not one process per tool and per link).
    const tools = ["git", "sh", "dirname", "cat"];
    const found = spawnSync("sh", ["-c", 'for t in "$@"; do command -v "$t"; done', "sh", ...tools], { encoding: "utf8" }).stdout.trim().split("\n");
    expect(found).toHaveLength(tools.length);
    const gitBin = found[0]!;
    const binDir = join(scratch, "bin");
    rmSync(binDir, { recursive: true, force: true });
    mkdirSync(binDir, { recursive: true });
    tools.forEach((tool, i) => symlinkSync(found[i]!, join(binDir, tool)));
    const gone = spawnSync(gitBin, ["commit", "-m", "x"], { cwd: r.dir, env: { ...GIT_TEST_ENV, PATH: binDir }, encoding: "utf8" });
    expect(gone.status).not.toBe(0);
    expect(gone.stderr).toContain("leakguard: leakguard is not installed at");
    expect(gone.stderr).toContain("blocked to be safe");
    expect(head(r)).toBe(before);
  });

  it("falls back to the project's node_modules/.bin, then PATH, when the installing copy is gone", async () => {
    const r = repo();
    await install(r);
    pointHookAt(r, join(scratch, "moved-away.js"));
    r.write("k.txt", `k=${githubToken(49)}\n`).add("k.txt");
    // A devDependency: ./node_modules/.bin/leakguard in the work tree.
    const shim = `#!/bin/sh\necho via-shim >&2\nexec '${process.execPath}' '${BIN}' "$@"\n`;
    r.write("node_modules/.bin/leakguard", shim);
    chmodSync(join(r.dir, "node_modules/.bin/leakguard"), 0o755);
    const viaProject = gitCommit(r, "-m", "k");
    expect(viaProject.code).not.toBe(0);
    expect(viaProject.stderr).toContain("via-shim");
    expect(viaProject.stdout + viaProject.stderr).toContain("github-pat");
    rmSync(join(r.dir, "node_modules"), { recursive: true });
    // A global install: leakguard on PATH.
    const binDir = join(scratch, "global-bin");
    mkdirSync(binDir, { recursive: true });
    writeFileSync(join(binDir, "leakguard"), shim.replace("via-shim", "via-path"), { mode: 0o755 });
    const viaPath = spawnSync("git", ["commit", "-m", "k"], { cwd: r.dir, env: { ...GIT_TEST_ENV, PATH: `${binDir}:${process.env.PATH}` }, encoding: "utf8" });
    expect(viaPath.status).not.toBe(0);
    expect(viaPath.stderr).toContain("via-path");
  });

  it("refuses to replace a foreign hook without --chain or --force", async () => {
    const r = repo();
    const p = join(hooksDir(r), "pre-commit");
    writeFileSync(p, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    const res = await install(r);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("--chain");
    expect(res.stderr).toContain("--force");
    expect(readFileSync(p, "utf8")).toBe("#!/bin/sh\nexit 0\n");
    expect((await runIn(r.dir, ["hook", "uninstall"])).code).toBe(2);
    expect(readFileSync(p, "utf8")).toBe("#!/bin/sh\nexit 0\n");

    const forced = await install(r, "--force");
    expect(forced.code).toBe(0);
    expect(readFileSync(`${p}.leakguard-backup`, "utf8")).toBe("#!/bin/sh\nexit 0\n");
  });

  it("chains an existing hook: theirs first, then ours; uninstall restores theirs", async () => {
    const r = repo();
    const p = join(hooksDir(r), "pre-commit");
    const theirs = '#!/bin/sh\necho ran >> "$(git rev-parse --git-dir)/theirs-ran"\n';
    writeFileSync(p, theirs, { mode: 0o755 });
    expect((await install(r, "--chain")).code).toBe(0);
    expect(readFileSync(`${p}.local`, "utf8")).toBe(theirs);
    const ran = join(r.dir, ".git", "theirs-ran");

    r.write("ok.txt", "fine\n").add();
    expect(gitCommit(r, "-q", "-m", "ok").code).toBe(0);
    expect(readFileSync(ran, "utf8")).toBe("ran\n");

    r.write("bad.txt", `t=${githubToken(45)}\n`).add();
    expect(gitCommit(r, "-q", "-m", "bad").code).not.toBe(0);
    expect(readFileSync(ran, "utf8")).toBe("ran\nran\n"); // theirs ran first, then leakguard blocked

    expect((await install(r)).code).toBe(0); // re-install keeps the chain
    expect(readFileSync(`${p}.local`, "utf8")).toBe(theirs);
    expect((await runIn(r.dir, ["hook", "uninstall"])).code).toBe(0);
    expect(readFileSync(p, "utf8")).toBe(theirs);
    expect(existsSync(`${p}.local`)).toBe(false);
  });

  it("a chained formatter's `git add` is scanned: what it stages is what git commits", async () => {
    const r = repo();
    r.commitFiles({ "app.js": "const a = 1;\n" }, "init");
    writeFileSync(join(hooksDir(r), "pre-commit"), "#!/bin/sh\ngit add -u\n", { mode: 0o755 });
    expect((await install(r, "--chain")).code).toBe(0);
    r.write("app.js", "const a = 1;\nconst b = 2;\n").add("app.js");
    r.write("app.js", `const a = 1;\nconst b = 2;\nconst k = "${awsKeyId(46)}";\n`); // not staged: the formatter stages it
    const before = head(r);
    const res = gitCommit(r, "-q", "-m", "change");
    expect(res.code).not.toBe(0);
    expect(res.stdout + res.stderr).toContain("aws-access-key-id");
    expect(head(r)).toBe(before);
  });

  it("a staged text it cannot scan (larger than the limit) is named and blocks the commit; a binary passes", async () => {
    const r = repo();
    r.commitFiles({ ".leakguard.toml": "[scan]\nmaxFileSize = 1000\n" }, "init");
    await install(r);
    r.write("logo.bin", Buffer.from([0, 1, 2, 3, 0, 255])).add("logo.bin");
    expect(gitCommit(r, "-q", "-m", "binary").code).toBe(0);
    r.write("big.js", `const k = "${awsKeyId(47)}";\n` + "// filler\n".repeat(200)).add("big.js");
    const before = head(r);
    const res = gitCommit(r, "-q", "-m", "big");
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/leakguard: warning: big\.js: skipped, larger than 1000 bytes/);
    expect(res.stderr).toMatch(/not scanned to the end \(--fail-on-unscanned\)/);
    expect(head(r)).toBe(before);
  });

  it("honours core.hooksPath", async () => {
    const r = repo();
    r.git("config", "core.hooksPath", ".githooks");
    expect((await install(r)).code).toBe(0);
    expect(existsSync(join(r.dir, ".githooks", "pre-commit"))).toBe(true);
    expect(existsSync(join(r.dir, ".git", "hooks", "pre-commit"))).toBe(false);
    r.write("k.txt", `k=${awsKeyId(46)}\n`).add("k.txt");
    expect(gitCommit(r, "-m", "k").code).not.toBe(0);
    expect((await runIn(r.dir, ["hook", "doctor"])).code).toBe(0);
  });

  it("install, doctor and uninstall run git with the CLI's environment (in process: io.env), as the scans do", async () => {
    const r = repo();
    // Configuration given through the environment only: the process's own git would not see it.
    const env = { GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "core.hooksPath", GIT_CONFIG_VALUE_0: ".envhooks" };
    expect((await runIn(r.dir, ["hook", "install"], { env })).code).toBe(0);
    expect(existsSync(join(r.dir, ".envhooks", "pre-commit"))).toBe(true);
    expect(existsSync(join(r.dir, ".git", "hooks", "pre-commit"))).toBe(false);
    const doctor = await runIn(r.dir, ["hook", "doctor"], { env });
    expect(doctor.code, doctor.stdout).toBe(0);
    expect((await runIn(r.dir, ["hook", "uninstall"], { env })).code).toBe(0);
    expect(existsSync(join(r.dir, ".envhooks", "pre-commit"))).toBe(false);
  });

  it("installs once for all linked worktrees", async () => {
    const r = repo();
    const wt = join(scratch, `wt-${Date.now()}`);
    r.git("worktree", "add", "-q", "-b", "side", wt);
    const res = await runIn(wt, ["hook", "install"]);
    expect(res.code).toBe(0);
    expect(existsSync(join(r.dir, ".git", "hooks", "pre-commit"))).toBe(true);
    writeFileSync(join(wt, "s.txt"), `s=${githubToken(47)}\n`);
    spawnSync("git", ["add", "s.txt"], { cwd: wt, env: GIT_TEST_ENV });
    const c = spawnSync("git", ["commit", "-m", "s"], { cwd: wt, env: GIT_TEST_ENV, encoding: "utf8" });
    expect(c.status).not.toBe(0);
    r.git("worktree", "remove", "--force", wt);
  });

  it("uninstall removes only leakguard's hook", async () => {
    const r = repo();
    await install(r);
    const p = join(hooksDir(r), "pre-commit");
    expect((await runIn(r.dir, ["hook", "uninstall"])).code).toBe(0);
    expect(existsSync(p)).toBe(false);
    const again = await runIn(r.dir, ["hook", "uninstall"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("nothing to remove");
  });
});

describe("the hooks' node", { timeout: 120_000 }, () => {
  // leakguard opens no network connection; node would load the file at every start (~40 ms per commit).
  it("starts without the user's NODE_EXTRA_CA_CERTS, which stays set for the chained hook", async () => {
    const r = repo();
    writeFileSync(join(hooksDir(r), "pre-commit"), '#!/bin/sh\necho "chained sees: $NODE_EXTRA_CA_CERTS" >&2\n', { mode: 0o755 });
    expect((await install(r, "--chain")).code).toBe(0);
    for (const type of ["commit-msg", "pre-push"]) expect((await install(r, "--type", type)).code).toBe(0);
    const missing = join(scratch, "no-such-ca.pem");
    r.write("a.txt", "a\n").add();
    const res = spawnSync("git", ["commit", "-m", "clean"], { cwd: r.dir, env: { ...GIT_TEST_ENV, NO_COLOR: "1", NODE_EXTRA_CA_CERTS: missing }, encoding: "utf8" });
    expect(res.status, res.stderr).toBe(0);
    // node warns at start-up about a certificate file it cannot load: no leakguard node loaded it.
    expect(res.stderr).not.toContain("extra certs");
    expect(res.stderr).toContain(`chained sees: ${missing}`);
    // The same for each hook script (they share one way to start leakguard).
    for (const type of ["pre-commit", "commit-msg", "pre-push"]) expect(readFileSync(join(hooksDir(r), type), "utf8")).toContain('NODE_EXTRA_CA_CERTS= "$lg_node"');
  });
});

describe("commit-msg hook", { timeout: 120_000 }, () => {
  it("blocks a secret in the commit message and passes a clean one", async () => {
    const r = repo();
    expect((await install(r, "--type", "commit-msg")).code).toBe(0);
    r.write("a.txt", "a\n").add();
    const before = head(r);
    const res = gitCommit(r, "-m", `rotate key\n\nold one was ${githubToken(48)}`);
    expect(res.code).not.toBe(0);
    expect(head(r)).toBe(before);
    expect(res.stdout + res.stderr).toContain("commit-message");
    expect(gitCommit(r, "-q", "-m", "rotate key").code).toBe(0);
  });

  it("scans a `#` line too: with -m git records it (cleanup whitespace), and the hook cannot tell", async () => {
    const r = repo();
    expect((await install(r, "--type", "commit-msg")).code).toBe(0);
    r.write("a.txt", "a\n").add();
    const before = head(r);
    const res = gitCommit(r, "-q", "-m", "deploy fix", "-m", `# AWS_ACCESS_KEY_ID=${awsKeyId(49)}`);
    expect(res.code).not.toBe(0);
    expect(head(r)).toBe(before);
  });
});

describe("leakguard hook doctor", { timeout: 120_000 }, () => {
  it("self-tests leakguard's part alone: a chained hook neither runs (touching the work tree) nor blocks in leakguard's place", async () => {
    const r = repo();
    const theirs = '#!/bin/sh\necho ran >> "$(git rev-parse --show-toplevel)/TOUCHED"\nif git diff --cached --name-only | grep -q "\\.env$"; then echo "refusing .env files" >&2; exit 1; fi\n';
    writeFileSync(join(hooksDir(r), "pre-commit"), theirs, { mode: 0o755 });
    expect((await install(r, "--chain")).code).toBe(0);
    const healthy = await runIn(r.dir, ["hook", "doctor"]);
    expect(healthy.code, healthy.stdout).toBe(0);
    expect(existsSync(join(r.dir, "TOUCHED"))).toBe(false);
    // leakguard cannot run: the chained hook's own refusal must not pass for leakguard's block.
    pointHookAt(r, join(scratch, "nonexistent.js"));
    const broken = await runIn(r.dir, ["hook", "doctor"]);
    expect(broken.code).not.toBe(0);
    expect(existsSync(join(r.dir, "TOUCHED"))).toBe(false);
  });


  it("proves a healthy hook blocks a planted secret, changing nothing", async () => {
    const r = repo();
    await install(r);
    r.write("staged.txt", "staged\n").add();
    r.write("README.md", "# edited, unstaged\n");
    const before = gitState(r);
    const res = await runIn(r.dir, ["hook", "doctor"]);
    expect(res.stdout).toContain("blocked a planted secret");
    expect(res.code).toBe(0);
    expect(gitState(r)).toEqual(before);
  });

  it("warns, and stays healthy, when an installed hook script is not what this version writes; hook install rewrites it", async () => {
    const r = repo();
    await install(r);
    await install(r, "--type", "pre-push");
    const p = join(hooksDir(r), "pre-commit");
    const current = readFileSync(p, "utf8");
    let res = await runIn(r.dir, ["hook", "doctor"]);
    expect(res.stdout).not.toMatch(/^warn/m);
    expect(res.code).toBe(0);
    // What an earlier version wrote: another version in the header, and no piped diff (leakguard runs git itself).
    const older = current
      .replace(/\(leakguard [^)]*\)/, "(leakguard 0.9.0)")
      .replace(/\n\{\n[\s\S]*?\n\} \| \(\n[\s\S]*?\n  run_leakguard staged (.*)\n\)\n/, "\nrun_leakguard staged $1\n");
    expect(older).not.toContain("export LEAKGUARD_STAGED_DIFF");
    expect(older).toContain("run_leakguard staged --quiet");
    writeFileSync(p, older);
    // Still a working hook: it blocks a secret in a real commit.
    r.write("deploy.env", `GITHUB_TOKEN=${githubToken(41)}\n`).add("deploy.env");
    const before = head(r);
    expect(gitCommit(r, "-q", "-m", "leak").code).not.toBe(0);
    expect(head(r)).toBe(before);
    r.git("rm", "-q", "--cached", "deploy.env");
    res = await runIn(r.dir, ["hook", "doctor"]);
    expect(res.stdout).toContain("blocked a planted secret");
    const warnings = res.stdout.split("\n").filter((l) => l.startsWith("warn"));
    expect(warnings).toEqual([expect.stringMatching(/^warn {2}the pre-commit hook script is this version's: .*pre-commit was written by leakguard 0\.9\.0 and differs .*'leakguard hook install'$/)]);
    expect(res.stdout).toContain("leakguard: hooks are healthy");
    expect(res.code).toBe(0);
    // Only the version differs: the same script, nothing to rewrite.
    writeFileSync(p, current.replace(/\(leakguard [^)]*\)/, "(leakguard 0.9.0)"));
    expect((await runIn(r.dir, ["hook", "doctor"])).stdout).not.toMatch(/^warn/m);
    // An older pre-push hook is named with the command for its type.
    writeFileSync(p, older);
    const pp = join(hooksDir(r), "pre-push");
    writeFileSync(pp, readFileSync(pp, "utf8").replace(/\n$/, "\n# an older line\n"));
    res = await runIn(r.dir, ["hook", "doctor"]);
    expect(res.stdout.split("\n").filter((l) => l.startsWith("warn")).map((l) => /'([^']*)'$/.exec(l)?.[1])).toEqual([
      "leakguard hook install",
      "leakguard hook install --type pre-push",
    ]);
    // The suggested commands rewrite both (leakguard's own hooks need no --force).
    expect((await install(r)).code).toBe(0);
    expect((await install(r, "--type", "pre-push")).code).toBe(0);
    expect(readFileSync(p, "utf8")).toBe(current);
    res = await runIn(r.dir, ["hook", "doctor"]);
    expect(res.stdout).not.toMatch(/^warn/m);
    expect(res.code).toBe(0);
  });

  it("reports a missing, non-executable or toothless hook, and a hooksPath mismatch", async () => {
    const r = repo();
    let res = await runIn(r.dir, ["hook", "doctor"]);
    expect([res.code, res.stdout.includes("leakguard hook install")]).toEqual([1, true]);

    await install(r);
    const p = join(hooksDir(r), "pre-commit");
    chmodSync(p, 0o644);
    res = await runIn(r.dir, ["hook", "doctor"]);
    expect([res.code, res.stdout.includes("not executable")]).toEqual([1, true]);

    chmodSync(p, 0o755);
    writeFileSync(p, readFileSync(p, "utf8").replace("run_leakguard staged", "true || run_leakguard staged"));
    res = await runIn(r.dir, ["hook", "doctor"]);
    expect([res.code, res.stdout.includes("scans nothing")]).toEqual([1, true]);

    await install(r);
    r.git("config", "core.hooksPath", "elsewhere");
    res = await runIn(r.dir, ["hook", "doctor"]);
    expect([res.code, res.stdout.includes("core.hooksPath")]).toEqual([1, true]);
  });
});

describe("hook install keeps the user's hooks", { timeout: 60_000 }, () => {
  it("a second --force keeps the first backup; a link to a hook not checked out yet is someone's hook, not nothing", async () => {
    const r = repo();
    const p = join(hooksDir(r), "pre-commit");
    writeFileSync(p, "#!/bin/sh\necho A\n", { mode: 0o755 });
    expect((await install(r, "--force")).code).toBe(0);
    writeFileSync(p, "#!/bin/sh\necho B\n", { mode: 0o755 }); // another tool rewrote it
    expect((await install(r, "--force")).code).toBe(0);
    expect(readFileSync(`${p}.leakguard-backup`, "utf8")).toBe("#!/bin/sh\necho A\n");
    expect(readFileSync(`${p}.leakguard-backup.1`, "utf8")).toBe("#!/bin/sh\necho B\n");

    const q = join(hooksDir(r), "pre-push");
    symlinkSync("../../tools/pre-push", q);
    const res = await install(r, "--type", "pre-push");
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/not written by leakguard/);
    expect(lstatSync(q).isSymbolicLink()).toBe(true);
    expect((await install(r, "--type", "pre-push", "--chain")).code).toBe(0);
    expect(lstatSync(`${q}.local`).isSymbolicLink()).toBe(true);
    expect((await runIn(r.dir, ["hook", "uninstall", "--type", "pre-push"])).code).toBe(0);
    expect(lstatSync(q).isSymbolicLink()).toBe(true);
  });
});
