/**
 * A secret found after decoding stands encoded in the line (base64, hex,
 * base64 inside base64). The encoded form is as good as the raw secret, so
 * redaction must hide it too: in lineText and in every output format.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { redactFinding, SecretRedactor } from "../../src/engine/redact.js";
import { knownFormats, renderReport } from "../../src/report/index.js";
import { emptyReport } from "../../src/core/report.js";
import { createScanner, type Scanner } from "../../src/core/scanner.js";
import { githubToken } from "../helpers/secrets.js";

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
