/** An inventory for the view tests, secrets built at run time. */
import { fingerprintOf } from "../../src/engine/fingerprint.js";
import type { Inventory, InventoryRow } from "../../src/inventory/types.js";
import { keyInfoOf } from "../../src/inventory/key-info.js";
import { awsKeyId, githubToken, randomToken, rng } from "./secrets.js";

export const INV_SECRETS = { github: githubToken(31), aws: awsKeyId(32), generic: randomToken(32, 33), script: "</script><script>alert(1)</script>" + randomToken(12, 34) };

function row(over: Partial<InventoryRow> & Pick<InventoryRow, "ruleId" | "secret" | "severity" | "risk">): InventoryRow {
  return {
    fingerprint: fingerprintOf(over.ruleId, over.secret, "inv-salt"),
    title: over.ruleId,
    confidence: "high",
    files: [],
    occurrences: 1,
    commits: [],
    commitCount: 1,
    introduced: { commit: "a".repeat(40), date: "2024-01-10T00:00:00Z", author: "A" },
    atHead: true,
    exposureDays: 10,
    reused: false,
    otherRules: [],
    pushed: false,
    tags: [],
    canary: false,
    remediation: "Revoke it at https://example.test/revoke",
    references: [],
    state: over.rotated ? "rotated" : over.atHead === false ? "in-history" : "at-head",
    ...over,
  };
}

/** Four secrets over 2023-11 … 2024-06, with hostile strings in paths and authors. */
export function fixtureInventory(): Inventory {
  const rows: InventoryRow[] = [
    row({
      ruleId: "aws-access-key-id",
      title: "AWS access key ID",
      secret: INV_SECRETS.aws,
      severity: "high",
      risk: 71,
      files: ["deploy/prod,eu.env", 'ops/"quoted" | pipe.yaml', "a/b.txt", "c/d.txt", "e/f.txt"],
      occurrences: 6,
      commits: ["b".repeat(40)],
      introduced: { commit: "b".repeat(40), date: "2023-11-02T09:00:00Z", author: "Doe, Jane <script>x</script>" },
      removed: { commit: "c".repeat(40), date: "2024-02-20T10:00:00Z", author: "B" },
      atHead: false,
      exposureDays: 110,
      pushed: true,
      references: ["https://docs.aws.amazon.com/IAM/", "javascript:alert(1)"],
    }),
    row({
      ruleId: "github-pat",
      title: "GitHub personal access token (classic)",
      secret: INV_SECRETS.github,
      severity: "critical",
      risk: 95,
      files: ["src/config.ts"],
      introduced: { commit: "d".repeat(40), date: "2024-03-15T12:00:00Z", author: "Ann" },
      exposureDays: 260,
      reused: true,
      otherRules: ["generic-api-key"],
    }),
    row({
      ruleId: "generic-api-key",
      title: "Generic API key",
      secret: INV_SECRETS.generic,
      severity: "medium",
      risk: 40,
      confidence: "low",
      files: ["=cmd|' /C calc'!A0.csv", "notes/new\nline.md"],
      introduced: { commit: "e".repeat(40), date: "2024-03-20T12:00:00Z", author: "Bob [x](http://evil.test) *bold*" },
      removed: { commit: "f".repeat(40), date: "2024-06-01T12:00:00Z", author: "Bob" },
      atHead: false,
      exposureDays: 73,
    }),
    row({
      ruleId: "custom-script",
      title: "Custom token </script>",
      secret: INV_SECRETS.script,
      severity: "low",
      risk: 12,
      files: ["web/<img src=x onerror=alert(1)>.html"],
      introduced: { commit: "1".repeat(40), date: "2024-06-03T12:00:00Z", author: "Eve" },
      exposureDays: 5,
      canary: true,
      tags: ["canary"],
    }),
  ];
  return {
    tool: "leakguard",
    version: "0.1.0",
    generatedAt: "2024-06-08T00:00:00Z",
    repository: "acme/app",
    head: { ref: "main", commit: "9".repeat(40) },
    rows,
    summary: { secrets: 4, atHead: 2, removedButInHistory: 2, reused: 1, rotated: 0, canaries: 1, bySeverity: { critical: 1, high: 1, medium: 1, low: 1 }, commitsScanned: 321 },
  };
}

/** An inventory with nothing in it. */
export function emptyInventory(): Inventory {
  return {
    tool: "leakguard",
    version: "0.1.0",
    generatedAt: "2024-06-08T00:00:00Z",
    repository: "acme/clean",
    rows: [],
    summary: { secrets: 0, atHead: 0, removedButInHistory: 0, reused: 0, rotated: 0, canaries: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0 }, commitsScanned: 3 },
  };
}

/** A PEM private key built at run time from seeded bytes (not a usable key; the armour split so no file holds it whole). */
export function pemKey(seed = 41, label = "RSA "): string {
  const r = rng(seed);
  const body = Buffer.from(Array.from({ length: 600 }, () => Math.floor(r() * 256))).toString("base64").replace(/(.{64})/g, "$1\n");
  return ["-----BEGIN ", label, "PRIVATE", " KEY-----\n", body, "\n-----END ", label, "PRIVATE", " KEY-----\n"].join("");
}

/**
 * What a security lead looks at: the fixture plus a GitHub remote (links), a
 * rotated secret, a private key, and remediation written in Markdown.
 */
export function leadInventory(): Inventory {
  const inv = fixtureInventory();
  inv.web = { host: "github", url: "https://github.com/acme/app" };
  const key = pemKey();
  inv.rows[0]!.rotated = { date: "2024-03-01", by: "alice@example.com", reason: "INC-42", source: ".leakguardignore:3" };
  inv.rows[0]!.state = "rotated";
  inv.rows[0]!.fileCommits = { "deploy/prod,eu.env": "b".repeat(40) };
  inv.rows[1]!.fileCommits = { "src/config.ts": "d".repeat(40) };
  inv.rows[1]!.remediation =
    "Revoke the token:\n\n- open **Settings › Developer settings**\n- run `gh auth refresh` <b>now</b>\n- see [the docs](https://docs.github.com/en/authentication) or [this](javascript:alert(1))";
  inv.rows.push({
    ...inv.rows[1]!,
    fingerprint: fingerprintOf("private-key-pem", key, "inv-salt"),
    ruleId: "private-key-pem",
    title: "Private key (PEM)",
    secret: key,
    keyInfo: keyInfoOf(key)!,
    severity: "high",
    risk: 80,
    files: ["deploy/keys/id_rsa"],
    fileCommits: { "deploy/keys/id_rsa": "7".repeat(40) },
    introduced: { commit: "7".repeat(40), date: "2024-04-02T08:00:00Z", author: "Mallory Maintainer-With-A-Long-Name", email: "mallory@example.test" },
    reused: false,
    otherRules: [],
    remediation: "Replace the key pair and remove the public key from every `authorized_keys`.",
  });
  inv.summary = { ...inv.summary, secrets: 5, atHead: 3, rotated: 1 };
  inv.summary.bySeverity = { critical: 1, high: 2, medium: 1, low: 1 };
  return inv;
}
