/**
 * A gitleaks rule with a `path` and no `regex` (gitleaks' pkcs12-file) flags
 * each file whose path it matches, as gitleaks does ("file detected: PATH"):
 * in scan, staged, push and history, binary files included, once per file,
 * with a stable fingerprint and nothing of the file's content printed.
 * In process through run(argv, io), real git.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TestRepo } from "../helpers/git-repo.js";
import { runIn } from "../helpers/in-process.js";
import { randomToken } from "../helpers/secrets.js";

vi.setConfig({ testTimeout: 120_000 });

const repos: TestRepo[] = [];
afterEach(() => repos.splice(0).forEach((r) => r.remove()));

const CONFIG = [
  "[extend]",
  "useDefault = true",
  "[[rules]]",
  'id = "pkcs12-file"',
  'description = "Found a PKCS #12 file, which commonly contain bundled private keys."',
  "path = '''(?i)(?:^|/)[^/]+\\.p(?:12|fx)$'''",
  'tags = ["file"]',
  "",
].join("\n");

/** Bytes that read as binary (a NUL early on) and hold a token-shaped run: the report must not show it. */
const inner = randomToken(40, 7);
const p12 = (): Buffer => Buffer.concat([Buffer.from([0x30, 0x82, 0x0a, 0x00, 0x02, 0x01, 0x03]), Buffer.from(inner), Buffer.alloc(64, 0)]);

function repo(): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  r.write(".gitleaks.toml", CONFIG).write("README.md", "hello\n");
  r.add();
  r.commit("initial");
  return r;
}
type F = { ruleId: string; file: string; line: number; commit?: string; secret: string; fingerprint: string; match?: string };
const flagged = (stdout: string): F[] => (JSON.parse(stdout) as { findings: F[] }).findings.filter((f) => f.ruleId === "pkcs12-file");

describe("path-only rules", () => {
  it("scan: a binary .p12 and a text .pfx are each flagged once, at line 1; a folder scan with the rule in --config too; nothing raw", async () => {
    const r = repo();
    r.write("certs/prod.p12", p12()).write("certs/dev.PFX", "not binary\n").write("certs/readme.txt", "see prod.p12\n");
    const res = await runIn(r.dir, ["scan", ".", "-f", "json"]);
    expect(res.code).toBe(1);
    const fs = flagged(res.stdout);
    expect(fs.map((f) => f.file).sort()).toEqual(["certs/dev.PFX", "certs/prod.p12"]);
    for (const f of fs) expect(f.line).toBe(1);
    expect(res.stdout).not.toContain(inner);
    // The fingerprint is the rule's and the path's: the same on every run, one per file.
    const again = flagged((await runIn(r.dir, ["scan", ".", "-f", "json"])).stdout);
    expect(again.map((f) => f.fingerprint)).toEqual(fs.map((f) => f.fingerprint));
    expect(new Set(fs.map((f) => f.fingerprint)).size).toBe(2);
    // The text report names the file; SARIF too.
    const text = await runIn(r.dir, ["scan", "."]);
    expect(text.stdout).toContain("certs/prod.p12");
    expect(text.stdout).toContain("[pkcs12-file]");
    const sarif = JSON.parse((await runIn(r.dir, ["scan", ".", "-f", "sarif"])).stdout);
    const uris = sarif.runs[0].results.filter((x: { ruleId: string }) => x.ruleId === "pkcs12-file").map((x: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => x.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris.sort()).toEqual(["certs/dev.PFX", "certs/prod.p12"]);
    // A gitleaks command line with the rule in -c.
    writeFileSync(join(r.dir, "other.toml"), CONFIG);
    const gl = await runIn(r.dir, ["dir", ".", "-c", "other.toml", "-f", "json"]);
    expect(flagged(gl.stdout).map((f) => f.file).sort()).toEqual(["certs/dev.PFX", "certs/prod.p12"]);
  });

  it("a path allowlist of the rule and an ignore entry keep a file quiet", async () => {
    const r = repo();
    r.write("certs/prod.p12", p12()).write("test/fixture.p12", p12());
    writeFileSync(join(r.dir, ".gitleaks.toml"), CONFIG + "[[rules.allowlists]]\npaths = ['''^test/''']\n");
    const res = await runIn(r.dir, ["scan", ".", "-f", "json"]);
    expect(flagged(res.stdout).map((f) => f.file)).toEqual(["certs/prod.p12"]);
    const fp = flagged(res.stdout)[0]!.fingerprint;
    writeFileSync(join(r.dir, ".leakguardignore"), `${fp}\n`);
    const quiet = await runIn(r.dir, ["scan", ".", "-f", "json"]);
    expect(flagged(quiet.stdout)).toEqual([]);
  });

  it("staged: a staged binary .p12 blocks the commit; unchanged it does not block the next one", async () => {
    const r = repo();
    r.write("keys/client.p12", p12());
    r.add();
    const s = await runIn(r.dir, ["staged", "-f", "json"]);
    expect(s.code).toBe(1);
    expect(flagged(s.stdout).map((f) => [f.file, f.line])).toEqual([["keys/client.p12", 1]]);
    expect(s.stdout).not.toContain(inner);
    r.commit("add the key");
    r.write("README.md", "hello again\n");
    r.add();
    const next = await runIn(r.dir, ["staged", "-f", "json"]);
    expect(next.code).toBe(0);
    expect(flagged(next.stdout)).toEqual([]);
  });

  it("history and push: the file is reported once, at the commit that added it, binary or not", async () => {
    const r = repo();
    const base = r.head();
    r.write("keys/client.p12", p12());
    r.add();
    const added = r.commit("add the key");
    r.write("keys/client.p12", Buffer.concat([p12(), Buffer.from([1, 2, 3])]));
    r.add();
    r.commit("replace the key");
    r.write("keys/old.pfx", "text\n");
    r.add();
    const pfx = r.commit("a text pfx");
    r.git("rm", "-q", "keys/old.pfx");
    r.commit("remove it");
    const h = await runIn(r.dir, ["history", "-f", "json"]);
    expect(h.code).toBe(1);
    expect(flagged(h.stdout).map((f) => [f.file, f.commit]).sort()).toEqual([["keys/client.p12", added], ["keys/old.pfx", pfx]].sort());
    expect(h.stdout).not.toContain(inner);
    const p = await runIn(r.dir, ["push", "-f", "json", `${base}..HEAD`]);
    expect(p.code).toBe(1);
    // push reports per commit: the key's addition and its replacement, and the pfx.
    expect(flagged(p.stdout).map((f) => f.file).sort()).toEqual(["keys/client.p12", "keys/client.p12", "keys/old.pfx"]);
    // The inventory lists each file as one secret: the key still at HEAD, the pfx removed.
    const inv = JSON.parse((await runIn(r.dir, ["inventory", "-f", "json"])).stdout) as { rows: Array<{ ruleId: string; files: string[]; atHead: boolean }> };
    const rows = inv.rows.filter((x) => x.ruleId === "pkcs12-file");
    expect(rows.map((x) => [x.files, x.atHead]).sort()).toEqual([[["keys/client.p12"], true], [["keys/old.pfx"], false]]);
    expect(JSON.stringify(inv)).not.toContain(inner);
    expect(readFileSync(join(r.dir, ".gitleaks.toml"), "utf8")).toBe(CONFIG);
  });
});
