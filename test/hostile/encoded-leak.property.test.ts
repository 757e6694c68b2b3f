/**
 * A secret found after decoding stands encoded in the line (base64, hex,
 * base64 inside base64). The encoded form is as good as the raw secret, so
 * redaction must hide it too: in lineText and in every output format.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { MAX_CHECKED, redactFinding, SecretRedactor } from "../../src/engine/redact.js";
import { knownFormats, renderReport } from "../../src/report/index.js";
import { emptyReport } from "../../src/core/report.js";
import { createScanner, type Scanner } from "../../src/core/scanner.js";
import { awsKeyId, githubToken, randomToken } from "../helpers/secrets.js";

let scanner: Scanner;
beforeAll(() => {
  scanner = createScanner(loadConfig({ root: process.cwd(), noConfigFile: true }));
});

const b64 = (s: string): string => Buffer.from(s).toString("base64");
const hex = (s: string): string => Buffer.from(s).toString("hex");
const urlsafe = (s: string): string => Buffer.from(s).toString("base64url");
const ENCODERS: Record<string, (s: string) => string> = {
  base64: b64,
  hex,
  base64url: urlsafe,
  "base64>base64": (s) => b64(b64(s)),
  "percent>base64": (s) => encodeURIComponent(b64(s)),
};

describe("encoded secrets are redacted in their encoded form", () => {
  it("for random tokens, each encoding, every format: neither the secret nor its encoded segment is printed", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 }), fc.constantFrom(...Object.keys(ENCODERS)), fc.constantFrom("", "x = ", 'config: "'), async (seed, enc, lead) => {
        const token = githubToken(seed);
        const encoded = ENCODERS[enc]!(`GITHUB_TOKEN=${token}`);
        const res = scanner.scanFragment({ text: `# settings\n${lead}${encoded}\n`, path: "settings.yml" });
        const hits = res.findings.filter((f) => f.secret === token);
        expect(hits.length).toBeGreaterThanOrEqual(1);
        expect(hits.every((f) => f.encoding !== undefined)).toBe(true);
        for (const f of hits) {
          expect(f.lineText).toContain(encoded); // the library keeps the line as is
          const r = redactFinding(f);
          expect(r.lineText).not.toContain(encoded.slice(0, 24));
          expect(r.match).not.toContain(token);
        }
        const report = { ...emptyReport(), findings: hits };
        for (const format of knownFormats()) {
          const out = await renderReport(format, report, { showSecrets: false, showSuppressed: true, command: "scan" });
          expect(out.includes(token), `${format}: raw`).toBe(false);
          expect(out.includes(encoded.slice(0, 24)), `${format}: encoded`).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("leaves runs that do not hide the secret alone", () => {
    const token = githubToken(7);
    const other = b64("nothing secret in here at all");
    const known = new SecretRedactor([token]);
    expect(known.redact(`a ${other} b ${b64(token)}`)).toBe(`a ${other} b ${b64(token).slice(0, 4)}…`);
    expect(known.redact("deadbeefdeadbeefdeadbeefdeadbeef")).toBe("deadbeefdeadbeefdeadbeefdeadbeef");
  });
});

/**
 * Forms redaction cannot work out from the secret alone: string literals
 * joined by `+`, `\x` escapes, `0x` hex, a percent-encoded URL part with its
 * `/` left as is. The finding carries the text of its span (encodedSecret),
 * and that is hidden wherever it stands.
 */
describe("decoded secrets whose written form only the scan knows", () => {
  const escaped = (s: string): string => [...s].map((c) => "\\x" + c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
  const WRITTEN: Record<string, (s: string) => string> = {
    concat: (s) => `const token = "${s.slice(0, 11)}" + "${s.slice(11)}";`,
    escape: (s) => `const token = "${s.slice(0, 4)}${escaped(s.slice(4))}";`,
    "0x hex": (s) => `blob = 0x${hex(`GITHUB_TOKEN=${s}`)}`,
  };

  it("for random tokens, each written form, every format: neither the secret nor its written form is printed; --show-secrets keeps the line", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 }), fc.constantFrom(...Object.keys(WRITTEN)), async (seed, how) => {
        const token = githubToken(seed);
        const line = WRITTEN[how]!(token);
        const res = scanner.scanFragment({ text: `// settings\n${line}\n`, path: "settings.js" });
        const hits = res.findings.filter((f) => f.secret === token);
        expect(hits.length, how).toBeGreaterThanOrEqual(1);
        const f = hits.find((x) => x.encodedSecret !== undefined)!;
        expect(f, how).toBeDefined();
        expect(line).toContain(f.encodedSecret);
        const r = redactFinding(f);
        expect(r.encodedSecret).toBeUndefined();
        expect(r.lineText).not.toContain(f.encodedSecret!.slice(0, 24));
        const report = { ...emptyReport(), findings: hits };
        for (const format of knownFormats()) {
          const out = await renderReport(format, report, { showSecrets: false, showSuppressed: true, command: "scan" });
          expect(out.includes(token), `${format}: raw`).toBe(false);
          expect(out.includes(f.encodedSecret!.slice(0, 24)), `${format}: written form`).toBe(false);
        }
        const shown = await renderReport("text", report, { showSecrets: true, showSuppressed: true, command: "scan" });
        expect(shown).toContain(f.encodedSecret!.slice(0, 24));
      }),
      { numRuns: 40 },
    );
  });

  it("a commit message holding the written form is redacted on every finding of the commit, the file's too", async () => {
    const token = githubToken(11);
    const message = `rotate ${WRITTEN.concat!(token)}`;
    const inMessage = scanner.scanFragment({ text: message, path: "", source: "commit-message" }).findings.filter((f) => f.secret === token);
    expect(inMessage.length).toBeGreaterThanOrEqual(1);
    const other = githubToken(12);
    const inFile = scanner.scanFragment({ text: `token = "${other}"\n`, path: "a.env" }).findings;
    expect(inFile.length).toBe(1);
    const findings = [...inMessage, ...inFile].map((f) => ({ ...f, message }));
    for (const format of knownFormats()) {
      const out = await renderReport(format, { ...emptyReport(), findings }, { showSecrets: false, showSuppressed: true, command: "history" });
      expect(out.includes(token), `${format}: raw`).toBe(false);
      expect(out.includes(token.slice(11)), `${format}: second literal`).toBe(false);
    }
  });
});

describe("a text too long to check for encoded secrets", () => {
  it("is not shown: a base64 form of a known secret past the limit never prints", () => {
    const token = githubToken(13);
    const long = "x".repeat(MAX_CHECKED) + "\n" + b64(`GITHUB_TOKEN=${token}`);
    const out = new SecretRedactor([token]).redact(long);
    expect(out.includes(b64(`GITHUB_TOKEN=${token}`).slice(0, 24))).toBe(false);
    expect(out).toMatch(/not shown: too long/);
    const short = "x".repeat(200_000) + "\n" + b64(`GITHUB_TOKEN=${token}`);
    expect(new SecretRedactor([token]).redact(short).endsWith("…")).toBe(true);
  });
});

describe("a long line's code frame", () => {
  it("never cuts a word in two: a secret known from another file, undetected on the line, is not printed in part", async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const password = randomToken(24, 200 + seed);
      const env = scanner.scanFragment({ text: `db_password = "${password}"\n`, path: "settings.env" }).findings;
      expect(env.length, String(seed)).toBe(1);
      const key = awsKeyId(300 + seed);
      // The window (80 characters before the key) ends inside the password, which nothing detects here.
      const pad = 40 + (seed % 20);
      const line = "var a=1;".repeat(40) + `{db:"${password}"}` + "q".repeat(pad) + `var k="${key}";` + ";".repeat(400);
      const found = scanner.scanFragment({ text: line + "\n", path: "app.min.js" }).findings.filter((f) => f.secret === key);
      expect(found.length).toBe(1);
      const out = await renderReport("text", { ...emptyReport(), findings: [...env, ...found] }, { showSecrets: false, command: "scan" });
      for (let n = 8; n <= password.length; n++) expect(out.includes(password.slice(-n)), `seed ${seed}: ${n} characters of the password`).toBe(false);
    }
  });
});
