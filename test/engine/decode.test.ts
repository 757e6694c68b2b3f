import { describe, expect, it } from "vitest";
import { compileRuleSet, scanFragment as scanEngine, type Finding } from "../../src/engine/index.js";
import { findEncodedSegments, nextConcatTrigger, printable, wellFormedUtf8 } from "../../src/engine/decode.js";
import { DEFAULT_DECODERS } from "../../src/engine/passes.js";
import type { CompiledRuleSet } from "../../src/engine/compile.js";
import type { Fragment } from "../../src/engine/types.js";

/** The engine with the default decoders, passed in as every scanner does. */
const scanFragment = (rs: CompiledRuleSet, frag: Fragment) => scanEngine(rs, frag, { decoders: DEFAULT_DECODERS });
import { readRuleFiles } from "../../src/ruleset/builtin.js";
import { b64, bytes, fakeAwsKeyId, fakeGithubPat, fakePassword, hex } from "../helpers/engine.js";

const rs = compileRuleSet(readRuleFiles());

/** The text a finding's span covers (single-line findings). */
function spanText(text: string, f: Finding): string {
  const line = text.split("\n")[f.line - 1]!;
  return line.slice(f.column - 1, f.endColumn - 1);
}

describe("decoding pass", () => {
  it("finds an AWS key inside base64 and reports the encoded segment's span", () => {
    const key = fakeAwsKeyId("d1");
    const enc = b64(`aws_access_key_id = ${key}\n`);
    const text = `# blob\nconst blob = "${enc}";\n`;
    const { findings } = scanFragment(rs, { text, path: "src/blob.js" });
    const f = findings.find((x) => x.ruleId === "aws-access-key-id");
    expect(f).toBeDefined();
    expect(f!.secret).toBe(key);
    expect(f!.encoding).toBe("base64");
    expect(spanText(text, f!)).toBe(enc);
  });

  it("unwraps two levels and names the chain", () => {
    const key = fakeAwsKeyId("d2");
    const inner = b64(`AWS_ACCESS_KEY_ID=${key}`);
    const outer = b64(`creds: ${inner}`);
    const text = `value: ${outer}\n`;
    const { findings } = scanFragment(rs, { text, path: "x.yaml" });
    const f = findings.find((x) => x.secret === key);
    expect(f?.encoding).toBe("base64>base64");
    expect(spanText(text, f!)).toBe(outer);
  });

  it("does not go deeper than two levels", () => {
    const key = fakeAwsKeyId("d3");
    const three = b64(b64(b64(`id ${key} end of line`)));
    const { findings } = scanFragment(rs, { text: `v = ${three}\n`, path: "x.txt" });
    expect(findings.find((x) => x.secret === key)).toBeUndefined();
  });

  it("decodes hex and percent-encoding", () => {
    const key = fakeAwsKeyId("d4");
    const h = hex(`aws key ${key} here`);
    const pw = fakePassword("d5", 14).replace("#", "!");
    const p = encodeURIComponent(`https://deploy:${pw}@git.acme.io/team/app.git`);
    const text = `a = ${h}\nb = /redirect?to=${p}\n`;
    const { findings } = scanFragment(rs, { text, path: "x.txt" });
    const fh = findings.find((x) => x.secret === key);
    expect(fh?.encoding).toBe("hex");
    expect(spanText(text, fh!)).toBe(h);
    const fp = findings.find((x) => x.ruleId === "url-basic-auth");
    expect(fp?.encoding).toBe("percent");
    expect(fp?.secret).toBe(pw);
  });

  it("reports a secret once: a specific decoded hit replaces a generic direct one", () => {
    const pat = fakeGithubPat("d6");
    const enc = b64(pat);
    const text = `token = "${enc}"\n`;
    const { findings } = scanFragment(rs, { text, path: "src/app.py" });
    expect(findings.map((f) => f.ruleId)).toEqual(["github-pat"]);
    expect(findings[0]!.encoding).toBe("base64");
  });

  it("reports a secret once: a direct specific hit wins over its decoding", () => {
    const pem = ["-----BEGIN RSA ", "PRIVATE KEY-----\n", bytes("pem", 300).toString("base64").replace(/(.{64})/g, "$1\n"), "\n-----END RSA ", "PRIVATE KEY-----\n"].join("");
    const text = `users:\n- name: admin\n  user:\n    client-key-data: ${b64(pem)}\n`;
    const { findings } = scanFragment(rs, { text, path: "kubeconfig" });
    expect(findings.map((f) => f.ruleId)).toEqual(["kubeconfig-client-key-data"]);
  });

  it("finds credentials in a Kubernetes Secret", () => {
    const pw = fakePassword("d7", 14);
    const text = `apiVersion: v1\nkind: Secret\ndata:\n  password: ${b64(pw)}\n`;
    const { findings } = scanFragment(rs, { text, path: "k8s/secret.yaml" });
    expect(findings.map((f) => f.ruleId)).toEqual(["kubernetes-secret-data"]);
  });

  // Cost is judged by `npm run bench:hostile`; here the 3 MiB blob must simply finish.
  it("finishes on huge base64 blobs and skips binary data URIs", () => {
    const blob = bytes("huge", 3 * 1024 * 1024).toString("base64");
    const key = fakeAwsKeyId("d8");
    const img = `<img src="data:image/png;base64,${b64("id " + key + " in an image")}">`;
    const { findings } = scanFragment(rs, { text: `x = "${blob}"\n${img}\n`, path: "big.js" });
    expect(findings).toEqual([]);
  });

  it("decodes UTF-8 text with non-ASCII letters", () => {
    const key = fakeAwsKeyId("d9");
    const enc = b64(`Zugangsschlüssel für Müller: ${key} — bitte löschen`);
    const { findings } = scanFragment(rs, { text: `note = "${enc}"\n`, path: "notes.txt" });
    expect(findings.find((x) => x.secret === key)?.encoding).toBe("base64");
  });

  it("only keeps segments that decode to printable text", () => {
    const budget = { bytes: 1 << 20 };
    const segs = findEncodedSegments(`a ${bytes("bin", 48).toString("base64")} b ${b64("hello there, general")} c`, budget);
    expect(segs.map((s) => s.encoding + ":" + s.text)).toEqual(["base64:hello there, general"]);
  });

  it("finds runs of the shortest length at the ends of the text, next to short runs and right after padding", () => {
    const sixteen = b64("hello world!"); // 12 bytes: 16 characters, no padding
    expect(sixteen).toHaveLength(16);
    const found = (text: string): string[] => findEncodedSegments(text, { bytes: 1 << 20 }).map((s) => `${s.start}-${s.end}:${s.text}`);
    expect(found(sixteen)).toEqual(["0-16:hello world!"]);
    expect(found(sixteen.slice(0, 15))).toEqual([]);
    expect(found(`ab.cd ${sixteen}`)).toEqual(["6-22:hello world!"]);
    expect(found(`${sixteen} ab.c`)).toEqual(["0-16:hello world!"]);
    const padded = b64("hello there, general"); // ends with one '='
    const second = b64("second message here!");
    expect(found(`${padded}${second}`)).toEqual([`0-${padded.length}:hello there, general`, `${padded.length}-${padded.length + second.length}:second message here!`]);
  });

  it("tells hex (with or without 0x), base64 and base64url runs apart, and decodes no run of both alphabets", () => {
    const plain = "status: all systems nominal";
    const url = Buffer.from(`${plain} ~~~ ???`).toString("base64url");
    expect(url).toMatch(/[-_]/);
    const mixed = `${url.slice(0, 8)}+/${url.slice(8)}`;
    const text = `a=0x${hex(plain)} b=${hex(plain)} c=${b64(plain)} d=${url} e=${mixed}`;
    const segs = findEncodedSegments(text, { bytes: 1 << 20 });
    expect(segs.map((s) => `${s.encoding}:${text.slice(s.start, s.end) === s.text ? "?" : s.text}`)).toEqual([
      `hex:${plain}`,
      `hex:${plain}`,
      `base64:${plain}`,
      `base64:${plain} ~~~ ???`,
    ]);
    expect(text.slice(segs[0]!.start, segs[0]!.end)).toBe(hex(plain));
  });

  it("stops decoding runs once the budget is spent, in text order", () => {
    const runs = [b64("first secret text"), b64("second secret text"), b64("third secret text")];
    const segs = findEncodedSegments(runs.join(" "), { bytes: 1 });
    expect(segs.map((s) => s.text)).toEqual(["first secret text"]);
  });
});

describe("decoded bytes to text", () => {
  /** Byte strings built mostly from the bytes that decide UTF-8's edge cases, with a seeded generator. */
  function* edgyBytes(count: number, maxLength: number): Generator<Uint8Array> {
    const edges = [0x00, 0x09, 0x41, 0x61, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff];
    let seed = 11;
    const next = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x7fffffff);
    for (let i = 0; i < count; i++) {
      const b = new Uint8Array(Math.floor(next() * (maxLength + 1)));
      for (let k = 0; k < b.length; k++) b[k] = next() < 0.8 ? edges[Math.floor(next() * edges.length)]! : Math.floor(next() * 256);
      yield b;
    }
  }
  const fatal = new TextDecoder("utf-8", { fatal: true });

  it("wellFormedUtf8 says exactly when the fatal decoder accepts the bytes", () => {
    // Mismatches collected and compared once: an expect per case costs more than the case.
    const mismatches: string[] = [];
    let accepted = 0;
    for (const b of edgyBytes(3_000, 9)) {
      let ok = true;
      try {
        fatal.decode(b);
      } catch {
        ok = false;
      }
      if (wellFormedUtf8(b) !== ok) mismatches.push(`${[...b]}`);
      if (ok) accepted++;
    }
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(75);
    expect(wellFormedUtf8(Buffer.from("\uFEFFk\u00e9y \u{10FFFF}"))).toBe(true);
  });

  it("printable gives the decoder's verdict, text mostly letters and digits with few control characters, without decoding what cannot pass", () => {
    const reference = (b: Uint8Array): string | undefined => {
      if (b.length < 8) return undefined;
      let text: string;
      try {
        text = fatal.decode(b);
      } catch {
        return undefined;
      }
      let bad = 0;
      let letters = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f || c === 0xfffd) bad++;
        else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)) letters++;
      }
      return bad <= text.length * 0.05 && letters >= text.length * 0.4 ? text : undefined;
    };
    const mismatches: string[] = [];
    let texts = 0;
    for (const b of edgyBytes(2_000, 24)) {
      const want = reference(b);
      if (printable(b) !== want) mismatches.push(`${[...b]}`);
      if (want !== undefined) texts++;
    }
    expect(mismatches).toEqual([]);
    // UTF-8 text with a BOM, letters around accents, and letters just two in five characters (kept).
    for (const s of ["\uFEFFpass=w\u00f6rter1234", "cl\u00e9 = \"abc123def456\"", "\u00e9\u00e9\u00e9\u00e9abcd", "ab\u00e9\u00e9\u00e9"]) {
      const b = Buffer.from(s);
      expect(printable(b)).toBe(reference(b));
      if (reference(b) !== undefined) texts++;
    }
    expect(texts).toBeGreaterThan(0);
  });
});

describe("concat view triggers", () => {
  it("the next trigger is the first place any of the four stands, from any start", () => {
    const triggers = ['" + "', "' + '", '"+"', "'+'"];
    const firstOf = (text: string, from: number): number => {
      let p = -1;
      for (const t of triggers) {
        const i = text.indexOf(t, from);
        if (i >= 0 && (p < 0 || i < p)) p = i;
      }
      return p;
    };
    const alphabet = ['"', "'", " ", "+", "a", "\n"];
    let seed = 5;
    const next = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x7fffffff);
    const mismatches: string[] = [];
    let found = 0;
    for (let i = 0; i < 3000; i++) {
      let text = "";
      for (let k = Math.floor(next() * 14); k > 0; k--) text += alphabet[Math.floor(next() * alphabet.length)];
      for (let from = 0; from <= text.length; from++) {
        const want = firstOf(text, from);
        if (nextConcatTrigger(text, from) !== want) mismatches.push(`${JSON.stringify(text)} from ${from}`);
        if (want >= 0) found++;
      }
    }
    expect(mismatches).toEqual([]);
    expect(found).toBeGreaterThan(200);
  });
});
