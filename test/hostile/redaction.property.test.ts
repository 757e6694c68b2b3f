/**
 * Long secrets and long lines: the engine cuts `match` after 300 characters
 * and `lineText` to a window on long lines. A cut must never fall inside an
 * occurrence of the secret, or redaction (which replaces whole occurrences)
 * would print part of it raw. Property: after redaction, no 8-character
 * piece of the secret is left in any field, whatever the lengths and
 * positions.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileRuleSet } from "../../src/engine/compile.js";
import { redactFinding } from "../../src/engine/redact.js";
import { scanFragment } from "../../src/engine/scan.js";
import { redactReport } from "../../src/report/index.js";
import { emptyReport } from "../../src/core/report.js";
import { randomToken } from "../helpers/secrets.js";

// A rule for long secrets (like PEM bodies or long API tokens), anchored on a prefix.
const rs = compileRuleSet([{ id: "long-token", description: "long token", regex: "tok_([a-z0-9]{20,2000})", keywords: ["tok_"], skipFilters: true }]);

function pieces(secret: string, k = 8): string[] {
  const out: string[] = [];
  for (let i = 0; i + k <= secret.length; i++) out.push(secret.slice(i, i + k));
  return out;
}

describe("redaction of cut fields", () => {
  it("no piece of a long secret survives in match or lineText, with repeats on one long line", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 900 }),
        fc.integer({ min: 1, max: 1e9 }),
        fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 600 }),
        (len, seed, gaps, tail) => {
          const secret = randomToken(len, seed).toLowerCase();
          // Filler of characters the secret never holds: "-" and "." and spaces.
          const pad = (n: number): string => "-. ".repeat(Math.ceil(n / 3)).slice(0, n);
          const line = gaps.map((g) => `${pad(g)} key = tok_${secret}`).join("") + pad(tail);
          const res = scanFragment(rs, { text: `first line\n${line}\nlast`, path: "x.txt" });
          expect(res.findings.length).toBe(gaps.length);
          for (const f of res.findings) {
            expect(f.secret).toBe(secret);
            const r = redactFinding(f);
            const inMatch = new Set(pieces(r.match));
            const inLine = new Set(pieces(r.lineText ?? ""));
            // The leaked pieces, collected and compared once: an expect per piece cost most of the run.
            expect(pieces(secret).filter((p) => inMatch.has(p)), "match").toEqual([]);
            expect(pieces(secret).filter((p) => inLine.has(p)), "lineText").toEqual([]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("several secrets on one long line: no window or match cut falls inside a neighbour, and every field hides them all", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ len: fc.integer({ min: 20, max: 400 }), seed: fc.integer({ min: 1, max: 1e9 }), gap: fc.integer({ min: 0, max: 500 }) }), { minLength: 2, maxLength: 5 }),
        fc.integer({ min: 0, max: 600 }),
        fc.boolean(),
        (parts, tail, joined) => {
          const secrets = parts.map((x) => randomToken(x.len, x.seed).toLowerCase());
          const pad = (n: number): string => "-. ".repeat(Math.ceil(n / 3)).slice(0, n);
          // joined: one long match holding every secret (a match longer than 300 characters is cut too).
          const line = parts.map((x, i) => `${pad(x.gap)}${joined && i > 0 ? "," : " key = "}tok_${secrets[i]}`).join("") + pad(tail);
          const res = scanFragment(rs, { text: `first line\n${line}\nlast`, path: "x.txt" });
          expect(res.findings.length).toBeGreaterThanOrEqual(1);
          const report = { ...emptyReport(), findings: res.findings, suppressed: res.suppressed };
          const safe = redactReport(report, false);
          // Every 8-character piece of the printed fields, looked up once per piece of a secret.
          const printed = new Set(safe.findings.flatMap((f) => [...pieces(f.match), ...pieces(f.lineText ?? "")]));
          expect(secrets.flatMap((secret) => pieces(secret).filter((p) => printed.has(p)))).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });
});
