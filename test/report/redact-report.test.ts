/**
 * The single redaction step before rendering (redactReport): every text a
 * reporter prints is redacted against every secret the report knows.
 */
import { describe, expect, it } from "vitest";
import { redactFinding, SecretRedactor } from "../../src/engine/redact.js";
import type { Finding, SuppressedFinding, SuppressionReason } from "../../src/engine/types.js";
import { knownSecrets, redactReport, renderReport, SCAN_FORMATS } from "../../src/report/index.js";
import { emptyReport, type ScanReport } from "../../src/core/report.js";
import { githubToken, randomToken } from "../helpers/secrets.js";

function finding(secret: string, lineText: string, over: Partial<Finding> = {}): Finding {
  const column = lineText.indexOf(secret) + 1;
  return {
    ruleId: "test-rule",
    title: "test rule",
    severity: "high",
    confidence: "high",
    file: "app.env",
    line: 1,
    column,
    endLine: 1,
    endColumn: column + secret.length,
    secret,
    match: secret,
    fingerprint: "0".repeat(32),
    location: "app.env:test-rule:1",
    entropy: 4,
    tags: [],
    source: "file",
    lineText,
    ...over,
  };
}

const sup = (f: Finding, reason: SuppressionReason, detail?: string): SuppressedFinding => ({ finding: f, reason, ...(detail ? { detail } : {}) });

function report(findings: Finding[], suppressed: SuppressedFinding[] = [], extra: Partial<ScanReport> = {}): ScanReport {
  return { ...emptyReport(), findings, suppressed, ...extra };
}

const a = githubToken(2101);
const b = githubToken(2102);

describe("redactReport", () => {
  it("a line with two secrets: each finding's frame hides both", () => {
    const line = `A=${a} B=${b}`;
    const out = redactReport(report([finding(a, line), finding(b, line)]), false);
    for (const f of out.findings) expect(f.lineText).toBe(`A=${a.slice(0, 4)}… B=${b.slice(0, 4)}…`);
    // redactFinding alone knows only its own secret: the reason the report-wide step exists.
    expect(redactFinding(finding(a, line)).lineText).toContain(b);
  });

  it("every suppression reason that accepts a secret counts; a heuristic reject counts when it reads like a credential", () => {
    const line = (s: string): string => `T=${a} X=${s}`;
    for (const reason of ["inline-allow", "allowlist", "stopword", "path", "ignore-file", "baseline"] as const) {
      const s = randomToken(24, reason.length);
      const out = redactReport(report([finding(a, line(s))], [sup(finding(s, line(s)), reason)]), false);
      expect(out.findings[0]!.lineText, reason).toBe(`T=${a.slice(0, 4)}… X=${s.slice(0, 4)}…`);
    }
    const credential = randomToken(30, 7);
    const looks = redactReport(report([finding(a, line(credential))], [sup(finding(credential, line(credential)), "entropy")]), false);
    expect(looks.findings[0]!.lineText).not.toContain(credential);
    // Placeholders stay readable.
    for (const p of ["${API_TOKEN}", "your-token-here", "xxxxxxxxxxxxxxxx", "CHANGE_ME_LATER"]) {
      const out = redactReport(report([finding(a, line(p))], [sup(finding(p, line(p)), "placeholder")]), false);
      expect(out.findings[0]!.lineText, p).toBe(`T=${a.slice(0, 4)}… X=${p}`);
    }
  });

  it("a commit message riding on a file finding hides the secrets of the message's own findings", () => {
    const message = `add key\n\nold one: ${b}`;
    const fileFinding = finding(a, `K=${a}`, { commit: "c".repeat(40), message });
    const msgFinding = finding(b, `old one: ${b}`, { commit: "c".repeat(40), message, source: "commit-message", file: "", line: 3 });
    const out = redactReport(report([fileFinding, msgFinding]), false);
    for (const f of out.findings) expect(f.message).toBe(`add key\n\nold one: ${b.slice(0, 4)}…`);
  });

  it("secrets a source met without reporting (alsoRedact), suppression details, warnings and skip details are redacted too; alsoRedact is never passed on", () => {
    const r = report([finding(a, `K=${a}`, { message: `see ${b}` })], [sup(finding(a, `K=${a}`), "inline-allow", `reason: was ${b}`)], {
      alsoRedact: [b],
      warnings: [`odd.env: ${b} looked odd`],
      skipped: [{ path: "odd.env", reason: "error", detail: `choked near ${b}` }],
    });
    const out = redactReport(r, false);
    expect(out.findings[0]!.message).toBe(`see ${b.slice(0, 4)}…`);
    expect(out.suppressed[0]!.detail).toBe(`reason: was ${b.slice(0, 4)}…`);
    expect(out.warnings[0]).toBe(`odd.env: ${b.slice(0, 4)}… looked odd`);
    expect(out.skipped![0]!.detail).toBe(`choked near ${b.slice(0, 4)}…`);
    expect("alsoRedact" in out).toBe(false);
    expect(redactReport(r, true)).toBe(r);
  });

  it("overlapping secrets are hidden as one run; a neighbour's encoded form and each line of a multi-line secret are hidden", () => {
    const long = randomToken(40, 9);
    // `inner` starts inside `long` and ends after it: X holds both, overlapping.
    const inner = long.slice(10) + randomToken(12, 10);
    const text = `X=${long}${inner.slice(30)} Y=${long}`;
    const r = new SecretRedactor([long, inner]);
    const out = r.redact(text);
    for (let i = 0; i + 8 <= long.length; i++) expect(out).not.toContain(long.slice(i, i + 8));
    for (let i = 0; i + 8 <= inner.length; i++) expect(out).not.toContain(inner.slice(i, i + 8));
    expect(out).toBe(`X=${long.slice(0, 4)}… Y=${long.slice(0, 4)}…`);
    const encoded = Buffer.from(`token=${b}`).toString("base64");
    expect(new SecretRedactor([b]).redact(`A=${a} B=${encoded}`)).toBe(`A=${a} B=${encoded.slice(0, 4)}…`);
    const pem = `${randomToken(64, 11)}\n${randomToken(64, 12)}\n${randomToken(20, 13)}`;
    const second = pem.split("\n")[1]!;
    expect(new SecretRedactor([pem]).redact(`line: ${second}`)).toBe(`line: ${second.slice(0, 4)}…`);
    expect(knownSecrets(report([finding(a, a)])).count).toBe(1);
  });

  it("secrets sharing a prefix (a JWT header, ghp_) or an ending are each found, short ones too", () => {
    const head = "eyJhbGciOiJIUzI1NiJ9.";
    const sameHead = Array.from({ length: 50 }, (_, i) => head + randomToken(30, 100 + i));
    const sameTail = Array.from({ length: 50 }, (_, i) => randomToken(20, 200 + i) + "-----END KEY-----");
    const short = ["Pa55w0rd!x", "hunter2!"];
    const r = new SecretRedactor([...sameHead, ...sameTail, ...short]);
    for (const s of [sameHead[0]!, sameHead[49]!, sameTail[0]!, sameTail[49]!, ...short]) {
      expect(r.redact(`a ${s} b`)).toBe(`a ${s.slice(0, Math.min(4, Math.floor(s.length / 4)))}… b`);
    }
    // A secret shorter than 6 characters is hidden only where it is a finding's own.
    expect(new SecretRedactor(["abc12"]).redact("x abc12")).toBe("x abc12");
    expect(new SecretRedactor([]).redact("x abc12", ["abc12"])).toBe("x a…");
  });

  it("a redactor makes its lookup tables with its first secret: none for a clean report, and secrets added later are found", () => {
    const tables = (r: SecretRedactor): number[] => ["headPairs", "tailPairs", "shortPairs"].map((k) => (Reflect.get(r, k) as Uint8Array).length);
    const r = knownSecrets(report([]));
    expect(r.count).toBe(0);
    expect(tables(r)).toEqual([0, 0, 0]);
    expect(r.redact(`x ${a} y`)).toBe(`x ${a} y`);
    expect(new SecretRedactor(["abc12"]).count).toBe(0);
    r.add("hunter2!");
    r.add(a);
    r.add(b);
    expect(tables(r)).toEqual([65536, 65536, 65536]);
    expect(r.redact(`x ${a} hunter2! ${b} y`)).toBe(`x ${a.slice(0, 4)}… hu… ${b.slice(0, 4)}… y`);
  });

  it("every format: two secrets on one line, one suppressed by the baseline, shown with --show-suppressed", async () => {
    const line = `GITHUB_TOKEN=${a} OLD=${b}`;
    const r = report([finding(a, line, { commit: "c".repeat(40), message: `rotate ${b}` })], [sup(finding(b, line), "baseline", ".leakguard-baseline.json")]);
    for (const format of SCAN_FORMATS) {
      const out = await renderReport(format, r, { showSecrets: false, showSuppressed: true });
      for (const s of [a, b]) expect(out, format).not.toContain(s);
    }
  });
});

describe("a secret standing in a path or an author", () => {
  it("is redacted in file, location, author and email, in every format, and kept with --show-secrets", async () => {
    const token = githubToken(21);
    const f = finding(token, `token = "${token}"`, { file: `keys/${token}.txt`, location: `c0ffee:keys/${token}.txt:test-rule:1`, commit: "c0ffee", author: `ci ${token}`, email: `${token}@example.com` });
    for (const format of SCAN_FORMATS) {
      const out = await renderReport(format, report([f]), { showSecrets: false, showSuppressed: true, command: "history" });
      expect(out.includes(token), format).toBe(false);
    }
    expect(await renderReport("json", report([f]), { showSecrets: true, command: "history" })).toContain(`keys/${token}.txt`);
  });
});

describe("names a short secret must not cut", () => {
  it("a short password (the word 'secret') leaves paths, locations and rule ids whole; a long one in a path is still redacted", async () => {
    const short = finding("secret", 'password = "secret"', { ruleId: "generic-secret-assignment", file: "src/secret/config.js", location: "src/secret/config.js:generic-secret-assignment:1" });
    const token = githubToken(22);
    const long = finding(token, `t = "${token}"`, { file: `keys/${token}.txt`, location: `keys/${token}.txt:test-rule:1` });
    const out = JSON.parse(await renderReport("json", report([short, long]), { showSecrets: false, command: "scan" })) as { findings: Array<{ file: string; location: string }> };
    expect(out.findings[0]).toMatchObject({ file: "src/secret/config.js", location: "src/secret/config.js:generic-secret-assignment:1" });
    expect(out.findings[1]!.file.includes(token)).toBe(false);
    expect(out.findings[1]!.location).toBe(`${out.findings[1]!.file}:test-rule:1`);
  });
});
