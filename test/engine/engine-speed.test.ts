/**
 * The engine's shortcuts find what the plain way finds: the segment finder
 * that skips windows, the ASCII verdict without the UTF-8 decoder, and the
 * credential-file pass reading the direct pass's keyword result.
 */
import { describe, expect, it } from "vitest";
import { credentialFilePass } from "../../src/engine/credfiles/pass.js";
import { compileRuleSet } from "../../src/engine/compile.js";
import { findEncodedSegments, MAX_SEGMENT, MIN_BASE64, printable } from "../../src/engine/decode.js";
import { readRuleFiles } from "../../src/ruleset/builtin.js";
import { rng } from "../helpers/secrets.js";
import { b64, hex } from "../helpers/engine.js";

/** The segment finder's base64/hex part as it was: every character read in order. */
function plainRuns(text: string): Array<[number, number]> {
  const isB64 = (c: number) => /[A-Za-z0-9+/_-]/.test(String.fromCharCode(c));
  const out: Array<[number, number]> = [];
  let i = 0;
  while (i < text.length) {
    if (!isB64(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && isB64(text.charCodeAt(j))) j++;
    if (j - i >= MIN_BASE64) out.push([i, j]);
    i = j;
  }
  return out;
}

describe("segment finder", () => {
  it("decodes only maximal runs of the alphabet, wherever they fall against its 16-character windows", () => {
    const r = rng(5);
    const words = ["a", "ab", "abc=", "0x", "x".repeat(15), "y".repeat(16), "z".repeat(17), "/", "-_", "+/", "==", " ", "\n", "é", "%41%42"];
    for (let round = 0; round < 300; round++) {
      const parts: string[] = [];
      const secret = `user = "admin" password = "s3cr3t-${round}"`;
      for (let k = 0; k < 30; k++) {
        const x = r();
        parts.push(x < 0.1 ? b64(secret) : x < 0.15 ? hex(secret) : words[Math.floor(r() * words.length)]!);
      }
      const text = parts.join(r() < 0.5 ? "" : " ");
      const segs = findEncodedSegments(text, { bytes: 1 << 20 }).filter((s) => s.encoding !== "percent");
      // Each segment is one of the maximal runs (or a run minus its 0x, or plus its padding).
      const runs = plainRuns(text);
      for (const s of segs) expect(runs.some(([a, b]) => s.start >= a && s.start <= a + 2 && b <= s.end && s.end <= b + 2 && b - a <= MAX_SEGMENT)).toBe(true);
    }
  });
  it("finds an encoded secret at every offset against the windows, after runs of every length", () => {
    // Built at run time, so that leakguard's scan of this repository finds no password here.
    const secret = `user = "admin" password = "${["s3cr3t", "value"].join("-")}"`;
    for (const enc of [b64(secret), hex(secret)]) {
      for (let lead = 0; lead < 40; lead++) {
        // (hex followed by "=" reads as base64 padding: not hex)
        for (const sep of enc === hex(secret) ? [" ", "\n", "é"] : [" ", "\n", "=", "é"]) {
          const text = "k".repeat(lead) + sep + enc + sep + "k".repeat(lead);
          const segs = findEncodedSegments(text, { bytes: 1 << 20 });
          expect(segs.map((s) => s.text), `${lead} ${JSON.stringify(sep)}`).toContain(secret);
        }
      }
    }
  });
});

describe("printable", () => {
  const reference = (bytes: Uint8Array): string | undefined => {
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return undefined;
    }
    let bad = 0;
    let letters = 0;
    for (const ch of text) {
      for (let k = 0; k < ch.length; k++) {
        const c = ch.charCodeAt(k);
        if (c < 32 && c !== 9 && c !== 10 && c !== 13) bad++;
        else if (c === 0x7f || c === 0xfffd) bad++;
        else if (/[A-Za-z0-9]/.test(String.fromCharCode(c))) letters++;
      }
    }
    return bad > text.length * 0.05 || letters < text.length * 0.4 ? undefined : text;
  };
  it("judges ASCII bytes exactly as decoding them first would", () => {
    const r = rng(9);
    for (let round = 0; round < 2000; round++) {
      const n = 8 + Math.floor(r() * 40);
      const bytes = new Uint8Array(n);
      const high = r() < 0.2;
      for (let k = 0; k < n; k++) {
        const x = r();
        bytes[k] = x < 0.6 ? 97 + Math.floor(r() * 26) : x < 0.97 ? 32 + Math.floor(r() * 96) : high ? 128 + Math.floor(r() * 128) : Math.floor(r() * 32);
      }
      expect(printable(bytes), Buffer.from(bytes).toString("hex")).toBe(reference(bytes));
    }
  });
});

describe("credential-file pass", () => {
  const rs = compileRuleSet(readRuleFiles());
  const text = "admin:$apr1$Xk2v9Lq7$Qm3pT8nB4yH6jK1sD5fG9a\n";
  const run = (seen?: Uint8Array): string[] => {
    const out: string[] = [];
    credentialFilePass(rs, text, "conf/.htpasswd", (m) => out.push(`${m.rule.id} ${m.secretStart}`), seen ? { seen } : undefined);
    return out;
  };
  it("takes the direct pass's keyword result instead of searching the text again", () => {
    const seen = new Uint8Array(rs.keywords.keywords.length);
    rs.keywords.findAll(text, seen);
    expect(run(seen)).toEqual(run());
    expect(run().length).toBeGreaterThan(0);
    // Told that no keyword occurs, it does not parse.
    expect(run(new Uint8Array(rs.keywords.keywords.length))).toEqual([]);
  });
});
