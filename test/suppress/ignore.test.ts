/**
 * Ignore files, inline markers and the fingerprint salt, in real git
 * repositories through the built CLI and the library API.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { scanPaths } from "../../src/api/paths.js";
import { parseIgnoreFile } from "../../src/suppress/ignore-file.js";
import { runIn } from "../helpers/in-process.js";
import { GIT_TEST_ENV, TestRepo } from "../helpers/git-repo.js";
import { awsKeyId, githubToken } from "../helpers/secrets.js";

// Each test runs the CLI several times (real processes, real git); a busy machine needs room.
vi.setConfig({ testTimeout: 120_000 });

const repos: TestRepo[] = [];
function repo(files: Record<string, string>, date?: string): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  r.commitFiles(files, "initial", date);
  return r;
}
afterEach(() => repos.splice(0).forEach((r) => r.remove()));

interface Out {
  findings: Array<{ ruleId: string; file: string; line: number; fingerprint: string; location: string }>;
  summary: { warnings?: unknown };
}
const json = async (r: TestRepo, ...args: string[]) => {
  const res = await runIn(r.dir, ["scan", "--format", "json", ...args]);
  return { ...res, out: res.stdout ? (JSON.parse(res.stdout) as Out) : undefined };
};

describe("parseIgnoreFile", () => {
  it("reads fingerprints, locations (also with a commit or spaces in the path), scopes and reasons", () => {
    const fp = "a".repeat(32);
    const sha = "b".repeat(40);
    const text = [
      "# accepted findings",
      "",
      `${fp}  rotated 2024-05, INC-12`,
      `${fp} path=test/** # fixture only`,
      "src/app.env:aws-access-key-id:12",
      `${sha}:deploy/my app.env:github-pat:3 - old deploy key`,
    ].join("\n");
    expect(parseIgnoreFile(text, ".leakguardignore").map(({ kind, value, path, reason, line }) => ({ kind, value, path, reason, line }))).toEqual([
      { kind: "fingerprint", value: fp, path: undefined, reason: "rotated 2024-05, INC-12", line: 3 },
      { kind: "fingerprint", value: fp, path: "test/**", reason: "fixture only", line: 4 },
      { kind: "location", value: "src/app.env:aws-access-key-id:12", path: undefined, reason: undefined, line: 5 },
      { kind: "location", value: `${sha}:deploy/my app.env:github-pat:3`, path: undefined, reason: "old deploy key", line: 6 },
    ]);
  });

  it("names the file and line of an entry it cannot read", () => {
    expect(() => parseIgnoreFile("# ok\nnot-an-entry\n", ".leakguardignore")).toThrow(/^\.leakguardignore:2: not a fingerprint/);
  });
});

describe(".leakguardignore and .gitleaksignore", () => {
  it("a fingerprint entry survives a move and rename, and does not hide a different secret on the same line", async () => {
    const a = githubToken(51);
    const b = githubToken(52);
    const r = repo({ "conf/a.env": `T=${a}\n` });
    const fp = (await json(r, ".")).out!.findings[0]!.fingerprint;
    r.write(".leakguardignore", `# reviewed\n${fp} test token of the staging bot\n`);
    expect((await json(r, ".")).code).toBe(0);
    // Move and rename (git mv), and push the line down.
    mkdirSync(join(r.dir, "deploy"));
    r.git("mv", "conf/a.env", "deploy/b.env");
    r.write("deploy/b.env", `# moved\nX=1\nT=${a}\n`);
    r.commit("move");
    expect((await json(r, ".")).code).toBe(0);
    // Another secret on the very same line is still reported.
    r.write("deploy/b.env", `# moved\nX=1\nT=${a} U=${b}\n`);
    const s = await json(r, ".");
    expect(s.code).toBe(1);
    expect(s.out!.findings.map((f) => [f.file, f.line])).toEqual([["deploy/b.env", 3]]);
    expect(s.out!.findings[0]!.fingerprint).not.toBe(fp);
  });

  it("path= limits a fingerprint entry to a glob", async () => {
    const t = githubToken(53);
    const r = repo({ "test/fixtures/t.env": `T=${t}\n`, "src/t.env": `T=${t}\n` });
    const fp = (await json(r, ".")).out!.findings[0]!.fingerprint;
    r.write(".leakguardignore", `${fp} path=test/** fixture\n`);
    expect((await json(r, ".")).out!.findings.map((f) => f.file)).toEqual(["src/t.env"]);
  });

  it("honours a .gitleaksignore with gitleaks' file:rule:line entries, and shows why with --show-suppressed", async () => {
    const r = repo({ "a.env": `K=${awsKeyId(54)}\nT=${githubToken(55)}\n` });
    r.write(".gitleaksignore", "a.env:aws-access-key-id:1\n");
    const s = await json(r, ".");
    expect(s.out!.findings.map((f) => f.ruleId)).toEqual(["github-pat"]);
    const t = await runIn(r.dir, ["scan", "--show-suppressed", "."]);
    expect(t.stdout).toMatch(/a\.env:1:\d+ aws-access-key-id AKIA… — ignore-file: \.gitleaksignore:1/);
  });

  it("--report-unused-ignores warns about stale entries without changing the exit code", async () => {
    const r = repo({ "a.env": `T=${githubToken(56)}\n` });
    const fp = (await json(r, ".")).out!.findings[0]!.fingerprint;
    r.write(".leakguardignore", `${fp} in use\n${"c".repeat(32)} the old key, long gone\nold.env:github-pat:4\n`);
    const t = await runIn(r.dir, ["scan", "--report-unused-ignores", "."]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/warning: \.leakguardignore:2: ignore entry matches no finding: c{32}/);
    expect(t.stdout).toMatch(/warning: \.leakguardignore:3: ignore entry matches no finding: old\.env:github-pat:4/);
    expect(t.stdout).not.toMatch(/\.leakguardignore:1:/);
    expect((await runIn(r.dir, ["scan", "."])).stdout).not.toMatch(/matches no finding/);
    // Baseline entries too: one still used, one for a removed file.
    r.write("b.env", `T=${githubToken(59)}\n`);
    await runIn(r.dir, ["baseline", "create"]);
    r.write("b.env", "T=gone\n");
    const b = await runIn(r.dir, ["scan", "--baseline", ".leakguard-baseline.json", "--report-unused-ignores", "."]);
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/warning: \.leakguard-baseline\.json: baseline entry matches no finding: b\.env github-pat [0-9a-f]{12}/);
    expect(b.stdout).not.toMatch(/baseline entry matches no finding: a\.env/);
  });

  it("applies to `staged` and `push` too, with ignore files at the repository root even from a subfolder", async () => {
    const r = repo({ "README.md": "hi\n" });
    r.write("app/conf/a.env", `T=${githubToken(60)}\n`);
    r.add();
    const first = await runIn(join(r.dir, "app"), ["staged", "--format", "json"]);
    expect(first.code).toBe(1);
    const fp = (JSON.parse(first.stdout) as Out).findings[0]!.fingerprint;
    r.write(".leakguardignore", `${fp} CI bot token, tracked in SEC-9\n`);
    const again = await runIn(join(r.dir, "app"), ["staged", "--show-suppressed"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/ignore-file: \.leakguardignore:1: CI bot token, tracked in SEC-9/);
    // The same fingerprint as `scan` gives (salted with the root commit).
    expect((await json(r, ".")).out!.findings).toEqual([]);
  });

  it("a malformed ignore file exits 2 naming file and line", async () => {
    const r = repo({ "a.txt": "x\n" });
    r.write(".leakguardignore", "\n\nsomething odd\n");
    const t = await runIn(r.dir, ["scan", "."]);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/^leakguard: \.leakguardignore:3: not a fingerprint/);
  });

  it("the library's scanPaths applies ignore files and the baseline too", async () => {
    const r = repo({ "a.env": `T=${githubToken(57)}\nK=${awsKeyId(58)}\n` });
    r.write(".leakguardignore", "a.env:github-pat:1 bot token\n");
    const rep = await scanPaths(["."], { root: r.dir });
    expect(rep.findings.map((f) => f.ruleId)).toEqual(["aws-access-key-id"]);
    expect(rep.suppressed.find((s) => s.reason === "ignore-file")?.detail).toBe(".leakguardignore:1: bot token");
    expect((await scanPaths(["."], { root: r.dir, ignoreFiles: [] })).findings).toHaveLength(2);
  });
});

describe("inline markers", () => {
  it("leakguard:allow, gitleaks:allow and pragma: allowlist secret, with the reason in --show-suppressed", async () => {
    const a = githubToken(61);
    const r = repo({
      "a.py": [
        `T1 = "${a}"  # leakguard:allow test double for the CI bot`,
        `T2 = "${githubToken(62)}"  // gitleaks:allow`,
        `T3 = "${githubToken(63)}"  # pragma: allowlist secret`,
        `T4 = "${githubToken(64)}"`,
        `/* leakguard:allow ${a} */ T5 = "${a}"`,
      ].join("\n"),
    });
    const s = await json(r, ".");
    expect(s.out!.findings.map((f) => f.line)).toEqual([4]);
    const t = await runIn(r.dir, ["scan", "--show-suppressed", "."]);
    expect(t.stdout).toMatch(/a\.py:1:\d+ github-pat ghp_… — inline-allow: leakguard:allow: test double for the CI bot/);
    expect(t.stdout).toMatch(/a\.py:2:\d+ github-pat ghp_… — inline-allow: gitleaks:allow\n/);
    expect(t.stdout).toMatch(/a\.py:3:\d+ github-pat ghp_… — inline-allow: pragma: allowlist secret\n/);
    // A secret written after the marker is not echoed as its "reason".
    expect(t.stdout).toMatch(/a\.py:5:\d+ .*inline-allow: leakguard:allow: …/);
    expect(t.stdout).not.toContain(a);
  });
});

describe("fingerprint salt", () => {
  it("comes from the root commit: the same in every clone, different in another repository", async () => {
    const t = githubToken(71);
    const r1 = repo({ "a.env": `T=${t}\n` }, "2024-01-01T00:00:00Z");
    execFileSync("git", ["clone", "-q", "--", r1.dir, r1.dir + "-clone"], { env: GIT_TEST_ENV, stdio: "ignore" });
    const clone = new TestRepo({ dir: r1.dir + "-clone" }); // re-init of an existing repository changes nothing
    repos.push(clone);
    const r2 = repo({ "a.env": `T=${t}\n` }, "2024-01-02T00:00:00Z");
    const fp = async (r: TestRepo) => (await json(r, ".")).out!.findings[0]!.fingerprint;
    expect(await fp(clone)).toBe(await fp(r1));
    expect(await fp(r2)).not.toBe(await fp(r1));
    // A plain folder (no repository) and the same value under another rule differ again.
    expect((await runIn("/", ["scan", "--format", "json", "-"], { input: `T=${t}\n` })).stdout).not.toContain(await fp(r1));
  });

  it("salt = \"…\" in the config wins over the root commit, so fingerprints match across repositories", async () => {
    const t = githubToken(72);
    const cfg = `salt = "acme-monorepo-split"\n`;
    const r1 = repo({ "a.env": `T=${t}\n`, ".leakguard.toml": cfg }, "2024-01-01T00:00:00Z");
    const r2 = repo({ "b.env": `T=${t}\n`, ".leakguard.toml": cfg }, "2024-02-01T00:00:00Z");
    expect((await json(r1, ".")).out!.findings[0]!.fingerprint).toBe((await json(r2, ".")).out!.findings[0]!.fingerprint);
  });

  it("a baseline made in another repository is flagged, not silently useless", async () => {
    const t = githubToken(73);
    const r1 = repo({ "a.env": `T=${t}\n` }, "2024-01-01T00:00:00Z");
    const r2 = repo({ "a.env": `T=${t}\n` }, "2024-03-01T00:00:00Z");
    await runIn(r1.dir, ["baseline", "create"]);
    const s = await runIn(r2.dir, ["scan", "--baseline", `${r1.dir}/.leakguard-baseline.json`, "."]);
    expect(s.code).toBe(1);
    expect(s.stdout).toMatch(/made with another fingerprint salt/);
  });
});
