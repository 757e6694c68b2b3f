/**
 * The inventory a security lead reads, on real repositories through the CLI
 * in process: rotation records in .leakguardignore (exposure stops, risk
 * drops, nothing hidden unless asked), commit and file links from the
 * remote, private keys by type and body fingerprint.
 */
import { createHash, generateKeyPairSync } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { scanInventory } from "../src/api/inventory.js";
import { riskScore } from "../src/inventory/build.js";
import type { Inventory } from "../src/inventory/types.js";
import { TestRepo } from "./helpers/git-repo.js";
import { runIn } from "./helpers/in-process.js";
import { awsKeyId, githubToken } from "./helpers/secrets.js";
import { buildHistory, line } from "./helpers/history-fixture.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

/** A token added 2024-01-01 and deleted 2024-02-01; an AWS key id still at HEAD. */
function fixture() {
  const repo = new TestRepo();
  repos.push(repo);
  const token = githubToken(201);
  const aws = awsKeyId(202);
  const [intro] = buildHistory(repo, [
    { files: { "app.js": line("t", token), "aws.env": `AWS_ACCESS_KEY_ID=${aws}\n` }, message: "add", date: "2024-01-01T00:00:00Z", author: "Alice", email: "alice@example.test" },
    { files: { "app.js": null }, message: "drop", date: "2024-02-01T00:00:00Z", author: "Bob", email: "bob@example.test" },
  ]);
  return { repo, token, aws, intro };
}

const json = async (dir: string, env: NodeJS.ProcessEnv = {}): Promise<Inventory> => {
  const r = await runIn(dir, ["inventory", "--format", "json", "--exit-code", "0"], { env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Inventory;
};

describe("rotation records", () => {
  it("exposure counts after removal until rotation; a rotated secret's risk drops; the record hides nothing", async () => {
    const fx = fixture();
    const now = "2024-06-01T00:00:00Z";
    const before = await scanInventory({ repo: fx.repo.dir, now });
    const row = before.rows.find((r) => r.ruleId === "github-pat")!;
    expect(row).toMatchObject({ atHead: false, state: "in-history", exposureDays: 152 }); // 2024-01-01 → 2024-06-01, not 31
    expect(row.removed?.date.slice(0, 10)).toBe("2024-02-01");

    // The short fingerprint the text report prints works as well as the full one.
    fx.repo.write(".leakguardignore", `# rotated after INC-7\n${row.fingerprint.slice(0, 12)} rotated 2024-03-01 by alice@example.com INC-7 revoked at GitHub\n`);
    const after = await scanInventory({ repo: fx.repo.dir, now });
    const rot = after.rows.find((r) => r.ruleId === "github-pat")!;
    expect(rot.rotated).toEqual({ date: "2024-03-01", by: "alice@example.com", reason: "INC-7 revoked at GitHub", source: ".leakguardignore:2" });
    expect(rot).toMatchObject({ state: "rotated", exposureDays: 60 });
    expect(rot.tags).toContain("rotated");
    expect(rot.risk).toBe(riskScore({ severity: rot.severity, confidence: rot.confidence, atHead: false, pushed: false, reused: false, exposureDays: 60, rotated: true }));
    expect(rot.risk).toBeLessThan(row.risk / 5);
    expect(after.summary.rotated).toBe(1);

    // history still reports it (tagged), so CI sees it unless the user also ignores it.
    const h = await runIn(fx.repo.dir, ["history", "--format", "json"]);
    expect(h.code).toBe(1);
    const found = (JSON.parse(h.stdout) as { findings: Array<{ ruleId: string; tags: string[] }> }).findings.find((f) => f.ruleId === "github-pat");
    expect(found?.tags).toContain("rotated");
    fx.repo.write(".leakguardignore", `${row.fingerprint} rotated 2024-03-01 by alice@example.com\n${row.fingerprint} rotated, no longer reported\n`);
    const hidden = await runIn(fx.repo.dir, ["history", "--format", "json"]);
    expect((JSON.parse(hidden.stdout) as { findings: Array<{ ruleId: string }> }).findings.map((f) => f.ruleId)).not.toContain("github-pat");
    // The inventory keeps the row either way: it is the record.
    const kept = await json(fx.repo.dir);
    expect(kept.rows.find((r) => r.ruleId === "github-pat")?.state).toBe("rotated");
  });

  it("an impossible rotation date is a clear error naming file and line; the old free-text form stays an ignore entry", async () => {
    const fx = fixture();
    const inv = await scanInventory({ repo: fx.repo.dir });
    const fp = inv.rows[0]!.fingerprint;
    fx.repo.write(".leakguardignore", `\n${fp} rotated 2024-02-30 by bob\n`);
    const bad = await runIn(fx.repo.dir, ["inventory", "--format", "json"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe("leakguard: .leakguardignore:2: rotated 2024-02-30 is not a date (YYYY-MM-DD)");
    expect(bad.stdout).toBe("");
    fx.repo.write(".leakguardignore", `${fp} rotated 2024-05, see INC-1234\n`);
    const old = await runIn(fx.repo.dir, ["history", "--format", "text", "--show-suppressed"]);
    expect(old.code).toBe(1); // the other secret
    expect(old.stdout).toContain("rotated 2024-05, see INC-1234");
    expect((await scanInventory({ repo: fx.repo.dir })).rows.every((r) => r.rotated === undefined)).toBe(true);
  });
});

describe("links from the remote", () => {
  const cases: Array<[string, string, (c: string) => string, (c: string, f: string) => string]> = [
    ["git@github.com:acme/app.git", "https://github.com/acme/app", (c) => `https://github.com/acme/app/commit/${c}`, (c, f) => `https://github.com/acme/app/blob/${c}/${f}`],
    ["https://oauth2:tok3n@gitlab.example.com/group/sub/app.git", "https://gitlab.example.com/group/sub/app", (c) => `https://gitlab.example.com/group/sub/app/-/commit/${c}`, (c, f) => `https://gitlab.example.com/group/sub/app/-/blob/${c}/${f}`],
    ["ssh://git@bitbucket.org/team/app.git", "https://bitbucket.org/team/app", (c) => `https://bitbucket.org/team/app/commits/${c}`, (c, f) => `https://bitbucket.org/team/app/src/${c}/${f}`],
  ];
  for (const [remote, web, commitUrl, fileUrl] of cases) {
    it(`${remote.replace(/tok3n/, "…")} → commit and file links in html and markdown`, async () => {
      const fx = fixture();
      fx.repo.git("remote", "add", "origin", remote);
      const inv = await json(fx.repo.dir);
      expect(inv.web?.url).toBe(web);
      const html = await runIn(fx.repo.dir, ["inventory", "--format", "html", "--exit-code", "0"]);
      expect(html.stdout).toContain(`href="${commitUrl(fx.intro)}"`);
      expect(html.stdout).toContain(`href="${fileUrl(fx.intro, "aws.env")}"`);
      expect(html.stdout).not.toContain("tok3n");
      const md = await runIn(fx.repo.dir, ["inventory", "--format", "markdown", "--exit-code", "0"]);
      expect(md.stdout).toContain(`(<${commitUrl(fx.intro)}>)`);
      expect(md.stdout).toContain(`[aws.env](<${fileUrl(fx.intro, "aws.env")}>)`);
    });
  }

  it("no remote, or an unknown host: no links", async () => {
    const fx = fixture();
    const none = await runIn(fx.repo.dir, ["inventory", "--format", "html", "--exit-code", "0"]);
    expect(none.stdout).not.toContain("/commit/");
    fx.repo.git("remote", "add", "origin", "https://git.example.org/acme/app.git");
    const inv = await json(fx.repo.dir);
    expect(inv.web).toBeUndefined();
  });
});

describe("private keys", () => {
  it("are shown by type and the SHA-256 of the decoded body, never their text, in every format", async () => {
    const repo = new TestRepo();
    repos.push(repo);
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    buildHistory(repo, [{ files: { "deploy/id_rsa": pem }, message: "key", date: "2024-01-01T00:00:00Z" }]);
    const der = privateKey.export({ type: "pkcs1", format: "der" });
    const sha = "SHA256:" + createHash("sha256").update(der).digest("base64").replace(/=+$/, "");
    const body = pem.split("\n").filter((l) => l.length >= 16 && !l.startsWith("-----"));
    for (const format of ["text", "json", "csv", "markdown", "html"]) {
      const r = await runIn(repo.dir, ["inventory", "--format", format, "--exit-code", "0"], { env: { COLUMNS: "200" } });
      expect(r.code, r.stderr).toBe(0);
      // The json run's rows give the key's facts (one scan fewer than asking for them apart).
      if (format === "json") expect((JSON.parse(r.stdout) as Inventory).rows[0]!.keyInfo).toEqual({ type: "RSA private key", sha256: sha });
      expect(r.stdout, format).not.toContain("-----BEGIN");
      expect(r.stdout, format).not.toContain("----…");
      for (const l of body) expect(r.stdout, format).not.toContain(l);
      if (format !== "text") expect(r.stdout, format).toContain(sha);
      expect(r.stdout, format).toContain("RSA private key");
    }
  });
});
