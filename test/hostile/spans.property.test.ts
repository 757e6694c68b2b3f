/**
 * Property tests: wherever a secret stands (random lines, LF/CRLF/CR mix,
 * non-ASCII and astral characters before it), the finding points at it; the
 * decoders round-trip; LineIndex agrees with a naive split.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { LineIndex } from "../../src/engine/lines.js";
import { createScanner, type Scanner } from "../../src/core/scanner.js";
import { decodeBytes } from "../../src/sources/text.js";
import { awsKeyId, githubToken } from "../helpers/secrets.js";

let scanner: Scanner;
beforeAll(() => {
  scanner = createScanner(loadConfig({ root: process.cwd(), noConfigFile: true }));
});

const EOL = fc.constantFrom("\n", "\r\n", "\r");
// Filler that cannot join a token: spaces, punctuation, non-ASCII letters, CJK, emoji.
const FILLER_CHARS = [" ", ".", ",", ";", "é", "ß", "日", "本", "😀", "𝄞", "—", "ü", "(", ")", "#"];
const filler = fc.array(fc.constantFrom(...FILLER_CHARS), { maxLength: 40 }).map((a) => a.join(""));
const line = fc.tuple(filler, EOL).map(([t, e]) => t + e);
const secret = fc.oneof(
  fc.integer({ min: 1, max: 1e9 }).map((s) => githubToken(s)),
  fc.integer({ min: 1, max: 1e9 }).map((s) => awsKeyId(s)),
);

/** Naive 1-based line and column of `offset` in `text`. */
function naive(text: string, offset: number): { line: number; column: number } {
  const parts = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: parts.length, column: parts[parts.length - 1]!.length + 1 };
}

describe("span mapping", () => {
  it("line, column, endLine and endColumn point at a planted secret in the original text", () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), filler, secret, filler, fc.array(line, { maxLength: 5 }), (before, lead, s, trail, after) => {
        const head = before.join("") + lead + " ";
        const text = head + s + " " + trail + "\n" + after.join("");
        // Reported or suppressed (a random key can fail an entropy check): the span is mapped the same way.
        const res = scanner.scanFragment({ text, path: "app.conf" });
        const hits = [...res.findings, ...res.suppressed.map((x) => x.finding)].filter((f) => f.secret === s);
        expect(hits.length).toBeGreaterThanOrEqual(1);
        const want = naive(text, head.length);
        for (const f of hits) {
          expect([f.line, f.column, f.endLine, f.endColumn]).toEqual([want.line, want.column, want.line, want.column + s.length]);
          // The position, read back from the original text's lines, is the secret.
          const lines = text.split(/\r\n|\r|\n/);
          expect(lines[f.line - 1]!.slice(f.column - 1, f.endColumn - 1)).toBe(s);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("decoders", () => {
  const text = fc.string({ unit: "binary", maxLength: 300 });
  // A BOM is trusted only with evidence: valid UTF-16 holding ASCII-range
  // characters (every secret is ASCII) and no NUL (text with NUL is binary);
  // other BOM-led bytes are scanned as bytes.
  const withAscii = text.filter((s) => /[\x20-\x7e]/.test(s) && !s.includes("\u0000"));
  it("UTF-16 LE and BE with a BOM round-trip any text holding ASCII", () => {
    fc.assert(
      fc.property(withAscii, (s) => {
        const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, "utf16le")]);
        const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, "utf16le").swap16()]);
        expect(decodeBytes(le)).toEqual({ kind: "text", text: s, encoding: "utf-16le" });
        expect(decodeBytes(be)).toEqual({ kind: "text", text: s, encoding: "utf-16be" });
      }),
      { numRuns: 300 },
    );
  });

  it("UTF-16 without a BOM round-trips Latin text", () => {
    const latin = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz ABC=:_-0123456789\n\r\téüß"), minLength: 8, maxLength: 300 });
    fc.assert(
      fc.property(latin, (s) => {
        expect(decodeBytes(Buffer.from(s, "utf16le"))).toEqual({ kind: "text", text: s, encoding: "utf-16le" });
        expect(decodeBytes(Buffer.from(s, "utf16le").swap16())).toEqual({ kind: "text", text: s, encoding: "utf-16be" });
      }),
      { numRuns: 200 },
    );
  });

  it("UTF-8 round-trips any text without NUL (a leading BOM is dropped)", () => {
    fc.assert(
      fc.property(text, (s) => {
        fc.pre(!s.includes("\0") && !s.startsWith("\uFEFF") && !s.startsWith("version https://git-lfs"));
        expect(decodeBytes(Buffer.from(s, "utf8"))).toEqual({ kind: "text", text: s, encoding: "utf-8" });
        expect(decodeBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s, "utf8")]))).toEqual({ kind: "text", text: s, encoding: "utf-8" });
      }),
      { numRuns: 300 },
    );
  });

  it("random bytes never throw, and decoded UTF-8 holds one U+FFFD per bad sequence: lines never shift", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const d = decodeBytes(bytes);
        if (d.kind !== "text" || d.encoding !== "utf-8") return;
        // Newlines are ASCII and never part of a bad sequence: the line count is the byte count of LF/CR structure.
        const lf = new LineIndex(d.text).lineCount;
        const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
        expect(lf).toBe(new LineIndex(Buffer.from(body).toString("latin1")).lineCount);
      }),
      { numRuns: 500 },
    );
  });
});

describe("LineIndex", () => {
  const chunk = fc.oneof(fc.constantFrom("\n", "\r\n", "\r", "\r\r\n", "\n\r"), fc.string({ unit: "binary", maxLength: 8 }));
  const text = fc.array(chunk, { maxLength: 30 }).map((a) => a.join(""));
  it("position() and lineText() agree with a naive split at every offset", () => {
    fc.assert(
      fc.property(text, (t) => {
        const idx = new LineIndex(t);
        const lines = t.split(/\r\n|\r|\n/);
        expect(idx.lineCount).toBe(lines.length);
        lines.forEach((l, i) => expect(idx.lineText(i + 1)).toBe(l));
        for (let o = 0; o <= t.length; o++) {
          // An offset inside a CRLF pair belongs to the line the pair ends.
          if (t[o - 1] === "\r" && t[o] === "\n") continue;
          expect(idx.position(o)).toEqual(naive(t, o));
        }
      }),
      { numRuns: 300 },
    );
  });
});
