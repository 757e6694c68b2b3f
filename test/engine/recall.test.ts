/**
 * Recall without losing precision (issue #12, engine side): audit mode
 * (`minConfidence: "low"`), weak passwords in config files lowered instead of
 * dropped, escaped and concatenated tokens, the most specific finding winning
 * on a span, and a PuTTY key's comment not making it a placeholder.
 */
import { describe, expect, it } from "vitest";
import { compileRuleSet, scanFragment, type Finding } from "../../src/engine/index.js";
import type { EngineOptions } from "../../src/engine/scan.js";
import { DEFAULT_DECODERS } from "../../src/engine/passes.js";
import { findConcatViews, findEscapeViews } from "../../src/engine/decode.js";
import { readRuleFiles } from "../../src/ruleset/builtin.js";
import { b64, bytes, fakeAwsKeyId, fakeGithubPat, fakePassword } from "../helpers/engine.js";

const defs = readRuleFiles();
const rs = compileRuleSet(defs);

function scan(text: string, path: string, opts: EngineOptions = {}, ruleSet = rs): Finding[] {
  return scanFragment(ruleSet, { text, path }, { decoders: DEFAULT_DECODERS, ...opts }).findings;
}

/** The original text a single-line finding's span covers. */
function spanText(text: string, f: Finding): string {
  return text.split("\n")[f.line - 1]!.slice(f.column - 1, f.endColumn - 1);
}

/** A GitHub PAT whose CRC-32 does not match its body (hand-made or truncated). */
function badCrcPat(seed: string): string {
  const good = fakeGithubPat(seed);
  const last = good.at(-1) === "A" ? "B" : "A";
  return good.slice(0, -1) + last;
}

/** An AWS key id with characters outside base32 (0, 1, 8, 9): a hand-made shape. */
function handMadeAwsKeyId(seed: string): string {
  return fakeAwsKeyId(seed).slice(0, -2) + "01";
}

describe("audit mode (minConfidence low)", () => {
  it("reports a GitHub token whose checksum fails at low confidence with the reason; the default drops it", () => {
    const pat = badCrcPat("a1");
    const text = `${pat}\n`;
    expect(scan(text, "notes/setup.sh")).toEqual([]);
    const [f, ...rest] = scan(text, "notes/setup.sh", { minConfidence: "low" });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "github-pat", confidence: "low", secret: pat, auditReason: "validator: github-crc32" });
    expect(f!.tags).toContain("rejected:validator");
  });

  it("reports an AWS key id with non-base32 characters only in audit mode", () => {
    const id = handMadeAwsKeyId("a2");
    const text = `const ids = ["${id}"];\n`;
    expect(scan(text, "src/ids.js")).toEqual([]);
    const found = scan(text, "src/ids.js", { minConfidence: "low" });
    expect(found.map((f) => [f.ruleId, f.confidence, f.auditReason])).toEqual([["aws-access-key-id", "low", "validator: aws-base32"]]);
  });

  it("reports placeholder words and word-plus-number values with their filter reason", () => {
    const text = "DB_PASSWORD=changeme\nROOT_PASSWORD=password123\n";
    expect(scan(text, ".env")).toEqual([]);
    const found = scan(text, ".env", { minConfidence: "low" });
    expect(found.map((f) => [f.secret, f.confidence, f.auditReason])).toEqual([
      ["changeme", "low", "placeholder: placeholder word"],
      ["password123", "low", "placeholder: word plus number"],
    ]);
    expect(found[1]!.tags).toContain("rejected:placeholder");
  });

  it("still drops what is not a value: env lookups, templates, expressions, documented examples", () => {
    const text = [
      "password: process.env.DB_PASSWORD,",
      'api_key = "${API_KEY}"',
      "const token = getToken();",
      "aws_access_key_id = " + ["AKIAIOSFODNN7", "EXAMPLE"].join(""),
    ].join("\n");
    expect(scan(text, "src/config.js", { minConfidence: "low" })).toEqual([]);
  });

  it("keeps the user's decisions: inline markers and allowlists suppress audit candidates too", () => {
    const pat = badCrcPat("a3");
    const inline = `${pat} # leakguard:allow rotated\n`;
    const res = scanFragment(rs, { text: inline, path: "a.sh" }, { minConfidence: "low", decoders: DEFAULT_DECODERS });
    expect(res.findings).toEqual([]);
    expect(res.suppressed.map((s) => s.reason)).toContain("inline-allow");
    const allowing = compileRuleSet(defs, [{ description: "vendored fixtures", paths: ["^vendor/"] }]);
    expect(scan(`${pat}\n`, "vendor/x.sh", { minConfidence: "low" }, allowing)).toEqual([]);
  });

  it("never lets an audit candidate displace a finding the default scan reports", () => {
    const pw = fakePassword("a4");
    const text = `DB_PASSWORD=${pw}\n`;
    const normal = scan(text, ".env");
    const audit = scan(text, ".env", { minConfidence: "low" });
    expect(audit).toEqual(normal);
    expect(audit[0]!.auditReason).toBeUndefined();
  });

  it("medium and high hide findings below them, as suppressed with reason confidence", () => {
    const text = `DB_PASSWORD=${fakePassword("a5")}\n`;
    expect(scan(text, ".env").map((f) => f.confidence)).toEqual(["low"]);
    const res = scanFragment(rs, { text, path: ".env" }, { minConfidence: "medium", decoders: DEFAULT_DECODERS });
    expect(res.findings).toEqual([]);
    expect(res.suppressed.map((s) => s.reason)).toEqual(["confidence"]);
    const pat = fakeGithubPat("a5");
    expect(scan(`${pat}\n`, "a.sh", { minConfidence: "high" }).map((f) => f.ruleId)).toEqual(["github-pat"]);
  });
});

describe("weak passwords in config files lower confidence instead of being dropped", () => {
  const weak = ["Sum", "mer2024!"].join("");
  const layouts: Array<[string, string]> = [
    [".env", `DB_PASSWORD=${weak}\n`],
    ["config/database.yml", `production:\n  password: ${weak}\n`],
    ["src/main/resources/application.properties", `spring.datasource.password=${weak}\n`],
    ["conf/app.ini", `[db]\npassword = ${weak}\n`],
    ["config/app.json", `{ "db": { "password": "${weak}" } }\n`],
  ];
  for (const [path, text] of layouts) {
    it(`reports a word-plus-number password in ${path} at low confidence, tagged weak-password`, () => {
      const found = scan(text, path);
      expect(found.map((f) => [f.secret, f.confidence])).toEqual([[weak, "low"]]);
      expect(found[0]!.tags).toContain("weak-password");
      expect(found[0]!.auditReason).toBeUndefined();
    });
  }

  it("keeps genuine non-secrets dropped", () => {
    const text = [
      "DB_PASSWORD=password123",
      "DB_PASSWORD=changeme",
      "DB_PASSWORD=your_password_here",
      "DB_PASSWORD=xxxxxxxx",
      "DB_PASSWORD=${DB_PASSWORD}",
      "DB_PASSWORD=<password>",
      "DB_PASSWORD=",
      "DB_PASSWORD_FILE=/run/secrets/db",
      "API_TOKEN=Summer2024!",
    ].join("\n");
    expect(scan(text + "\n", ".env")).toEqual([]);
  });

  it("stays dropped in code, where word-plus-number literals are mostly labels and test data", () => {
    expect(scan(`const password = "${weak}";\n`, "src/login.js")).toEqual([]);
  });
});

describe("escaped and concatenated tokens", () => {
  it("decodes \\u escapes and reports the original span with encoding escape", () => {
    const pat = fakeGithubPat("e1");
    const escaped = "\\u0067" + pat.slice(1);
    const text = `const t = "${escaped}";\n`;
    const [f, ...rest] = scan(text, "src/a.js");
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "github-pat", secret: pat, encoding: "escape", line: 1, column: 12 });
    expect(spanText(text, f!)).toBe(escaped);
  });

  it("decodes \\x escapes in an AWS key id", () => {
    const id = fakeAwsKeyId("e2");
    const escaped = [...id.slice(0, 4)].map((c) => "\\x" + c.charCodeAt(0).toString(16)).join("") + id.slice(4);
    const text = `key_id = "${escaped}"\n`;
    const f = scan(text, "src/a.py").find((x) => x.ruleId === "aws-access-key-id");
    expect(f).toMatchObject({ secret: id, encoding: "escape" });
    expect(spanText(text, f!)).toBe(escaped);
  });

  it("joins adjacent literals split by + on one line and spans all of them", () => {
    const pat = fakeGithubPat("e3");
    const text = `  auth: "${pat.slice(0, 10)}" + "${pat.slice(10, 25)}" + '${pat.slice(25)}',\n`;
    const [f, ...rest] = scan(text, "src/client.ts");
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "github-pat", secret: pat, encoding: "concat" });
    expect(spanText(text, f!)).toBe(`${pat.slice(0, 10)}" + "${pat.slice(10, 25)}" + '${pat.slice(25)}`);
  });

  it("lets key-name rules see the key before an escaped or joined value", () => {
    const pw = fakePassword("e4");
    const text = `password = "${pw.slice(0, 6)}" + "${pw.slice(6)}"\n`;
    const found = scan(text, "src/db.py");
    expect(found.map((f) => [f.ruleId, f.secret, f.encoding])).toEqual([["generic-secret-assignment", pw, "concat"]]);
  });

  it("finds views only where a trigger is: escapes of token characters, quote-plus-quote", () => {
    expect(findEscapeViews('const s = "caf\\u00e9 na\\u00efve \\n \\x00";')).toEqual([]);
    expect(findConcatViews('const a = x + "b" + y;\nconst c = "d"\n+ "e";')).toEqual([]);
    const [v] = findConcatViews('k = "abcd" + "efgh";');
    expect(v!.text.slice(v!.decodedFrom)).toBe('abcdefgh"');
  });
});

describe("the most specific finding wins on a span", () => {
  const k8s = (value: string): string =>
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci\ntype: Opaque\ndata:\n  token: ${value}\n`;

  it("a GitHub token in a Kubernetes Secret's data is github-pat (base64) tagged kubernetes-secret", () => {
    const pat = fakeGithubPat("s1");
    const text = k8s(b64(pat));
    const found = scan(text, "deploy/secret.yaml");
    expect(found.map((f) => [f.ruleId, f.encoding])).toEqual([["github-pat", "base64"]]);
    expect(found[0]!.tags).toContain("kubernetes-secret");
    expect(spanText(text, found[0]!)).toBe(b64(pat));
  });

  it("a plain value in a Kubernetes Secret stays kubernetes-secret-data", () => {
    const found = scan(k8s(b64(fakePassword("s2", 20))), "deploy/secret.yaml");
    expect(found.map((f) => f.ruleId)).toEqual(["kubernetes-secret-data"]);
  });

  it("a token as a Docker registry password is github-pat tagged docker-config", () => {
    const pat = fakeGithubPat("s3");
    const text = `{\n  "auths": {\n    "ghcr.io": {\n      "auth": "${b64("bot:" + pat)}"\n    }\n  }\n}\n`;
    const found = scan(text, ".docker/config.json");
    expect(found.map((f) => [f.ruleId, f.encoding])).toEqual([["github-pat", "base64"]]);
    expect(found[0]!.tags).toContain("docker-config");
  });

  it("a PEM key inside a Terraform state value is one finding, tagged terraform-state", () => {
    const body = bytes("tf-pem", 600).toString("base64").replace(/(.{64})/g, "$1\n").trim();
    const pem = ["-----BEGIN RSA ", "PRIVATE KEY-----\n", body, "\n-----END RSA ", "PRIVATE KEY-----\n"].join("");
    const state = JSON.stringify({ resources: [{ instances: [{ attributes: { id: "k1", private_key_pem: pem } }] }] }, null, 2);
    const found = scan(state, "infra/terraform.tfstate");
    expect(found.map((f) => f.ruleId)).toEqual(["private-key-pem"]);
    expect(found[0]!.tags).toContain("terraform-state");
  });
});

describe("PuTTY keys", () => {
  it("a key's comment does not make it a placeholder", () => {
    const lines = (seed: string, n: number): string[] => bytes(seed, n).toString("base64").match(/.{1,64}/g)!;
    const pub = lines("ppk-pub", 150);
    const priv = lines("ppk-priv", 300);
    const ppk = [
      "PuTTY-User-Key-File-2: ssh-rsa",
      "Encryption: none",
      "Comment: dummy-key",
      `Public-Lines: ${pub.length}`,
      ...pub,
      `Private-Lines: ${priv.length}`,
      ...priv,
      "Private-MAC: " + bytes("ppk-mac", 20).toString("hex"),
      "",
    ].join("\n");
    expect(scan(ppk, "keys/deploy.ppk").map((f) => f.ruleId)).toEqual(["private-key-putty"]);
  });

  it("a placeholder in the key material itself still is one", () => {
    const ppk = [
      "PuTTY-User-Key-File-2: ssh-rsa",
      "Encryption: none",
      "Comment: rsa-key-20240115",
      "Public-Lines: 1",
      "AAAAB3NzaC1yc2EAAAADAQABAAABAQ",
      "Private-Lines: 1",
      "AAAAxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
      "Private-MAC: 00",
      "",
    ].join("\n");
    expect(scan(ppk, "docs/putty.txt")).toEqual([]);
  });
});
