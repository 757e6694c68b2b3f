/**
 * `leakguard scan` end to end: the built CLI as a process on real folders.
 */
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runIn } from "../helpers/in-process.js";
import { awsKeyId, awsSecret, githubToken } from "../helpers/secrets.js";
import { removeTempFolders, tempFolder } from "../helpers/temp-folder.js";

const folder = (files: Record<string, string | Buffer>): string => tempFolder(files, "lg-scan-");
afterEach(removeTempFolders);

const CONTRACT_FIELDS = ["ruleId", "title", "severity", "confidence", "file", "line", "column", "endLine", "endColumn", "secret", "match", "fingerprint", "location", "entropy", "tags", "source"];

describe("leakguard scan", () => {
  const keyId = awsKeyId(21);
  const secret = awsSecret(22);
  const token = githubToken(23);
  let planted: Record<string, string>;
  beforeAll(() => {
    planted = {
      "config/prod.env": `AWS_ACCESS_KEY_ID=${keyId}\nAWS_SECRET_ACCESS_KEY=${secret}\nGITHUB_TOKEN=${token}\n`,
      "src/deploy.js": `const client = new Octokit({ auth: "${token}" });\n`,
      "README.md": "nothing to see\n",
    };
  });

  it("finds a planted AWS key pair and GitHub token in two files: exit 1, contract fields, same fingerprint, nothing raw", async () => {
    const d = folder(planted);
    const r = await runIn(d, ["scan", ".", "--format", "json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { tool: string; version: string; findings: Array<Record<string, unknown>>; summary: { findings: number } };
    expect(out.tool).toBe("leakguard");
    const byRule = (id: string) => out.findings.filter((f) => f.ruleId === id);
    expect(byRule("aws-access-key-id")).toHaveLength(1);
    expect(byRule("aws-secret-access-key")).toHaveLength(1);
    const gh = byRule("github-pat");
    expect(gh.map((f) => f.file).sort()).toEqual(["config/prod.env", "src/deploy.js"]);
    expect(gh[0]!.fingerprint).toBe(gh[1]!.fingerprint);
    for (const f of out.findings) for (const k of CONTRACT_FIELDS) expect(f, k).toHaveProperty(k);
    const col = planted["src/deploy.js"]!.indexOf(token) + 1;
    expect(gh.find((f) => f.file === "src/deploy.js")).toMatchObject({ line: 1, column: col, endColumn: col + token.length, location: "src/deploy.js:github-pat:1" });
    for (const raw of [keyId, secret, token]) {
      expect(r.stdout).not.toContain(raw);
      expect(r.stderr).not.toContain(raw);
    }
    const text = await runIn(d, ["scan"]);
    expect(text.code).toBe(1);
    for (const raw of [keyId, secret, token]) expect(text.stdout + text.stderr).not.toContain(raw);
    expect(text.stdout).toContain("config/prod.env");
  });

  it("prints secrets only with --show-secrets", async () => {
    const d = folder(planted);
    const r = await runIn(d, ["scan", "--format", "jsonl", "--show-secrets"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(token);
    expect(r.stdout.trim().split("\n").length).toBe(4);
  });

  it("exits 0 on a clean folder and honours --exit-code", async () => {
    expect((await runIn(folder({ "a.txt": "hello\n" }), ["scan"])).code).toBe(0);
    expect((await runIn(folder(planted), ["scan", "--exit-code", "3"])).code).toBe(3);
  });

  it("reads standard input with -", async () => {
    const r = await runIn(folder({}), ["scan", "-", "-f", "json", "--stdin-name", "pasted.txt"], { input: `token=${token}\n` });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { findings: Array<{ file: string; ruleId: string }> };
    expect(out.findings).toMatchObject([{ file: "pasted.txt", ruleId: "github-pat" }]);
  });

  it("exits 2 with one line on stderr for bad flags, bad formats, missing paths and bad configs", async () => {
    const d = folder({ "a.txt": "x" });
    for (const args of [["scan", "--bogus"], ["scan", "-f", "yaml"], ["scan", "nope/"], ["scan", "--exit-code", "x"], ["nocommand"]]) {
      const r = await runIn(d, args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/^leakguard: /);
      expect(r.stdout).toBe("");
    }
    const bad = folder({ ".leakguard.toml": "[[rules]]\nid = \"x\"\nregex = '''(unclosed'''\n" });
    const r = await runIn(bad, ["scan"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(".leakguard.toml");
    expect(r.stderr).toContain("x: regex");
  });

  it("respects .gitignore unless --no-gitignore, and include/exclude globs", async () => {
    const d = folder({ ".gitignore": "ignored/\n*.secret\n", "ignored/a.env": `GITHUB_TOKEN=${token}\n`, "b.secret": `GITHUB_TOKEN=${token}\n`, "keep/c.env": `GITHUB_TOKEN=${token}\n` });
    const files = async (args: string[]) =>
      (JSON.parse((await runIn(d, ["scan", "-f", "json", ...args])).stdout) as { findings: Array<{ file: string }> }).findings.map((f) => f.file).sort();
    expect(await files([])).toEqual(["keep/c.env"]);
    expect(await files(["--no-gitignore"])).toEqual(["b.secret", "ignored/a.env", "keep/c.env"]);
    expect(await files(["--no-gitignore", "--exclude", "ignored/**"])).toEqual(["b.secret", "keep/c.env"]);
    expect(await files(["--no-gitignore", "--include", "**/*.env"])).toEqual(["ignored/a.env", "keep/c.env"]);
  });

  it("skips binary and oversized files with a count, and never follows symlinks", async () => {
    const outside = folder({ "secret.env": `GITHUB_TOKEN=${token}\n` });
    const d = folder({ "bin.dat": Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(`GITHUB_TOKEN=${token}`)]), "big.env": `GITHUB_TOKEN=${token}\n` + "x".repeat(5000) });
    symlinkSync(join(outside, "secret.env"), join(d, "link.env"));
    symlinkSync(outside, join(d, "linkdir"));
    const r = await runIn(d, ["scan", "-f", "json", "--max-file-size", "1KB"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { summary: { skipped: Record<string, number> } };
    expect(out.summary.skipped).toMatchObject({ binary: 1, "too-large": 1, symlink: 2 });
  });
});
