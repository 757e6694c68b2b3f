/**
 * The baseline, end to end through the built CLI in real git repositories:
 * create → a new secret → only the new one is reported; entries survive
 * lines moving; update drops what is gone and keeps reasons; a failed run
 * never touches the old file; detect-secrets and gitleaks imports.
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { formatBaseline, parseBaseline } from "../../src/suppress/baseline.js";
import { runIn } from "../helpers/in-process.js";
import { TestRepo } from "../helpers/git-repo.js";
import { awsKeyId, githubToken } from "../helpers/secrets.js";

// Each test runs the CLI several times (real processes, real git); a busy machine needs room.
vi.setConfig({ testTimeout: 120_000 });

const repos: TestRepo[] = [];
function repo(files: Record<string, string>): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  r.commitFiles(files, "initial");
  return r;
}
afterEach(() => repos.splice(0).forEach((r) => r.remove()));

interface JsonOut {
  findings: Array<{ ruleId: string; file: string; line: number; fingerprint: string }>;
}
const scanJson = async (r: TestRepo, ...args: string[]) => {
  const res = await runIn(r.dir, ["scan", "--format", "json", ...args, "."]);
  return { ...res, json: res.stdout ? (JSON.parse(res.stdout) as JsonOut) : undefined };
};
const readB = (r: TestRepo, name = ".leakguard-baseline.json") => parseBaseline(readFileSync(join(r.dir, name), "utf8"), name);

describe("leakguard baseline", () => {
  it("create, then only a new secret is reported; the baseline holds no secret", async () => {
    const old = githubToken(31);
    const r = repo({ "config/app.env": `GITHUB_TOKEN=${old}\n`, "README.md": "hello\n" });
    const c = await runIn(r.dir, ["baseline", "create", "--reason", "legacy, rotation tracked in OPS-12", "--reviewed-by", "kim"]);
    expect(c.code).toBe(0);
    expect(c.stderr).toMatch(/wrote \.leakguard-baseline\.json: 1 entry \(1 added\)/);
    const text = readFileSync(join(r.dir, ".leakguard-baseline.json"), "utf8");
    expect(text).not.toContain(old);
    expect(text).not.toMatch(/"line"|date|time/i);
    expect(readB(r).entries).toEqual([
      expect.objectContaining({ ruleId: "github-pat", file: "config/app.env", reason: "legacy, rotation tracked in OPS-12", reviewedBy: "kim" }),
    ]);

    expect((await scanJson(r, "--baseline", ".leakguard-baseline.json")).code).toBe(0);
    r.write("src/new.ts", `const t = "${githubToken(32)}";\n`);
    const s = await scanJson(r, "--baseline", ".leakguard-baseline.json");
    expect(s.code).toBe(1);
    expect(s.json!.findings.map((f) => f.file)).toEqual(["src/new.ts"]);
    // Without --baseline both are reported.
    expect((await scanJson(r)).json!.findings).toHaveLength(2);
  });

  it("--show-suppressed says which baseline entry hid a finding, with reason and reviewer", async () => {
    const r = repo({ "a.env": `T=${githubToken(33)}\n` });
    await runIn(r.dir, ["baseline", "create", "--reason", "test account", "--reviewed-by", "lee"]);
    const s = await runIn(r.dir, ["scan", "--baseline", ".leakguard-baseline.json", "--show-suppressed", "."]);
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/a\.env:1:\d+ github-pat ghp_… — baseline: \.leakguard-baseline\.json: test account; reviewed by lee/);
  });

  it("an entry survives its line moving; a copy into another file is new", async () => {
    const tok = githubToken(34);
    const r = repo({ "a.env": `T=${tok}\n` });
    await runIn(r.dir, ["baseline", "create"]);
    r.write("a.env", `# header\n\n\nOTHER=1\nT=${tok}\n`);
    expect((await scanJson(r, "--baseline", ".leakguard-baseline.json")).code).toBe(0);
    r.write("b.env", `T=${tok}\n`);
    const s = await scanJson(r, "--baseline", ".leakguard-baseline.json");
    expect(s.json!.findings.map((f) => f.file)).toEqual(["b.env"]);
  });

  it("update drops removed secrets (says so), keeps reasons, adds new ones", async () => {
    const keep = githubToken(35);
    const gone = awsKeyId(36);
    const r = repo({ "a.env": `T=${keep}\n`, "b.env": `K=${gone}\n` });
    await runIn(r.dir, ["baseline", "create", "--reason", "accepted 2024", "--reviewed-by", "kim"]);
    expect(readB(r).entries).toHaveLength(2);
    r.write("b.env", "K=removed\n");
    r.write("c.env", `T=${githubToken(37)}\n`);
    const u = await runIn(r.dir, ["baseline", "update"]);
    expect(u.code).toBe(0);
    expect(u.stderr).toMatch(/2 entries \(1 added, 1 kept, 1 dropped \(no longer found\)\)/);
    expect(u.stderr).toMatch(/dropped b\.env aws-access-key-id [0-9a-f]{12} \(accepted 2024\)/);
    const entries = readB(r).entries;
    expect(entries.map((e) => [e.file, e.reason ?? null])).toEqual([
      ["a.env", "accepted 2024"],
      ["c.env", null],
    ]);
  });

  it("create refuses to overwrite; a failed run leaves the old baseline byte for byte", async () => {
    const r = repo({ "a.env": `T=${githubToken(38)}\n` });
    await runIn(r.dir, ["baseline", "create", "--reason", "keep me"]);
    const before = readFileSync(join(r.dir, ".leakguard-baseline.json"), "utf8");
    const again = await runIn(r.dir, ["baseline", "create"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/\.leakguard-baseline\.json exists; 'leakguard baseline update' keeps its reasons/);
    // A broken config makes the run fail before anything is written.
    r.write(".leakguard.toml", `[[rules]]\nid = "x"\nregex = '''(x'''\n`);
    r.write("b.env", `T=${githubToken(39)}\n`);
    const u = await runIn(r.dir, ["baseline", "update"]);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/\.leakguard\.toml:3: x: regex: missing closing \)/);
    expect(readFileSync(join(r.dir, ".leakguard-baseline.json"), "utf8")).toBe(before);
    expect(readdirSync(r.dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("update refuses a baseline made with another salt instead of dropping every entry", async () => {
    const t = githubToken(46);
    const r1 = repo({ "a.env": `T=${t}\n` });
    await runIn(r1.dir, ["baseline", "create", "--reason", "precious"]);
    const r2 = repo({ "a.env": `T=${t}\n`, "later.txt": "x\n" });
    r2.write(".leakguard-baseline.json", readFileSync(join(r1.dir, ".leakguard-baseline.json"), "utf8"));
    const before = readFileSync(join(r2.dir, ".leakguard-baseline.json"), "utf8");
    const u = await runIn(r2.dir, ["baseline", "update"]);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/made with another fingerprint salt.*--force/);
    expect(readFileSync(join(r2.dir, ".leakguard-baseline.json"), "utf8")).toBe(before);
  });

  it("a missing or malformed --baseline file exits 2 naming it", async () => {
    const r = repo({ "a.txt": "x\n" });
    const a = await runIn(r.dir, ["scan", "--baseline", "nope.json", "."]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/nope\.json: cannot read baseline \(no such file\)/);
    r.write("bad.json", "{ not json");
    const b = await runIn(r.dir, ["scan", "--baseline", "bad.json", "."]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/bad\.json: not a leakguard baseline/);
  });
});

describe("baseline file layout", () => {
  const e = (fp: string, file: string) => ({ fingerprint: fp.repeat(32), ruleId: "github-pat", file });

  it("is sorted, one entry per line, stable whatever the input order", () => {
    const a = formatBaseline({ version: 1, saltId: "abc", entries: [e("b", "z.env"), e("a", "a.env"), e("c", "m.env")] });
    const b = formatBaseline({ version: 1, saltId: "abc", entries: [e("c", "m.env"), e("b", "z.env"), e("a", "a.env")] });
    expect(a).toBe(b);
    const lines = a.split("\n").filter((l) => l.includes('"fingerprint"'));
    expect(lines.map((l) => JSON.parse(l.replace(/,$/, "")).file)).toEqual(["a.env", "m.env", "z.env"]);
  });

  it("two branches adding different entries merge with git without a conflict (union of lines reads back)", () => {
    const r = new TestRepo();
    repos.push(r);
    r.write(".gitattributes", ".leakguard-baseline.json merge=union\n");
    r.write(".leakguard-baseline.json", formatBaseline({ version: 1, entries: [e("a", "a.env"), e("m", "m.env")] }));
    r.add();
    r.commit("base");
    r.git("checkout", "-q", "-b", "left");
    r.write(".leakguard-baseline.json", formatBaseline({ version: 1, entries: [e("a", "a.env"), e("m", "m.env"), e("z", "z.env")] }));
    r.add();
    r.commit("left");
    r.git("checkout", "-q", "main");
    r.write(".leakguard-baseline.json", formatBaseline({ version: 1, entries: [e("a", "a.env"), e("d", "d.env"), e("m", "m.env")] }));
    r.add();
    r.commit("main");
    r.git("merge", "-q", "--no-edit", "left");
    const merged = parseBaseline(readFileSync(join(r.dir, ".leakguard-baseline.json"), "utf8"), "merged");
    expect(merged.entries.map((x) => x.file).sort()).toEqual(["a.env", "d.env", "m.env", "z.env"]);
  });
});

describe("baseline create --from another scanner", () => {
  it("imports a detect-secrets .secrets.baseline by SHA-1 of the secret, never writing the hash", async () => {
    const accepted = githubToken(41);
    const fresh = githubToken(42);
    const r = repo({ "settings.py": `TOKEN = "${accepted}"\n`, "other.py": `TOKEN = "${fresh}"\n` });
    const sha = createHash("sha1").update(accepted).digest("hex");
    r.write(
      ".secrets.baseline",
      JSON.stringify({
        version: "1.5.0",
        plugins_used: [{ name: "GitHubTokenDetector" }],
        results: {
          "settings.py": [{ type: "GitHub Token", filename: "settings.py", hashed_secret: sha, is_verified: false, line_number: 1, is_secret: false }],
          "gone.py": [{ type: "Secret Keyword", filename: "gone.py", hashed_secret: "0".repeat(40), is_verified: false, line_number: 3 }],
        },
        generated_at: "2024-05-01T10:00:00Z",
      }),
    );
    const c = await runIn(r.dir, ["baseline", "create", "--from", ".secrets.baseline"]);
    expect(c.code).toBe(0);
    expect(c.stderr).toMatch(/detect-secrets, 2 entries\): 1 findings matched; 1 entries matched no finding; 1 finding not in it stay reported/);
    const text = readFileSync(join(r.dir, ".leakguard-baseline.json"), "utf8");
    expect(text).not.toContain(sha);
    expect(readB(r).entries).toEqual([expect.objectContaining({ file: "settings.py", reason: "imported from detect-secrets (GitHub Token): audited, not a secret" })]);
    const s = await scanJson(r, "--baseline", ".leakguard-baseline.json");
    expect(s.json!.findings.map((f) => f.file)).toEqual(["other.py"]);
  });

  it("imports a gitleaks JSON report by file and secret (rule ids differ) or by location when redacted", async () => {
    const a = awsKeyId(43);
    const b = githubToken(44);
    const r = repo({ "deploy/a.env": `KEY=${a}\n`, "b.env": `X=1\nT=${b}\n`, "c.env": `T=${githubToken(45)}\n` });
    r.write(
      "gitleaks.json",
      JSON.stringify([
        { Description: "AWS", StartLine: 1, File: "deploy/a.env", RuleID: "aws-access-token", Secret: a, Match: `KEY=${a}`, Commit: "", Fingerprint: "deploy/a.env:aws-access-token:1" },
        { Description: "GitHub", StartLine: 2, File: "b.env", RuleID: "github-pat", Secret: "REDACTED", Match: "REDACTED", Commit: "", Fingerprint: "b.env:github-pat:2" },
      ]),
    );
    const c = await runIn(r.dir, ["baseline", "create", "--from", "gitleaks.json"]);
    expect(c.code).toBe(0);
    r.git("clean", "-fq", "--", "gitleaks.json"); // the report itself holds the raw secrets
    expect(readB(r).entries.map((e) => [e.file, e.reason])).toEqual([
      ["b.env", "imported from gitleaks (github-pat)"],
      ["deploy/a.env", "imported from gitleaks (aws-access-token)"],
    ]);
    expect((await scanJson(r, "--baseline", ".leakguard-baseline.json")).json!.findings.map((f) => f.file)).toEqual(["c.env"]);
  });
});
