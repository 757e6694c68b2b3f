/**
 * The history scan splices a blob version's keyword pass from the last
 * version scanned at the same path (sources/keyword-splice.ts): the spliced
 * record must be exactly the record of walking the whole new text, for any
 * two texts; replaying a record must do what the walk does (keywords seen,
 * anchor positions, runs); and a blob scanned with a spliced pass must give
 * the very outcome (findings, fingerprints, lines, suppressed candidates) of
 * scanning it whole.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KeywordMatcher, type KeywordPass, type KeywordPositions } from "../../src/engine/ahocorasick.js";
import { BASE64_ALPHABET, MIN_BASE64, type CharRuns } from "../../src/engine/char-runs.js";
import { compileRuleSet } from "../../src/engine/index.js";
import { DEFAULT_DECODERS } from "../../src/engine/passes.js";
import { readRuleFiles } from "../../src/ruleset/builtin.js";
import { scanFragment } from "../../src/engine/scan.js";
import { scanBlob, splicingBlobScanner, type BlobJob } from "../../src/sources/git-blob.js";
import { MAX_KEPT_TEXT, passOf, SpliceCache, splicedPass, splices } from "../../src/sources/keyword-splice.js";
import { b64, fakeAwsKeyId, fakeGithubPat, fakePassword, hex } from "../helpers/engine.js";
import { awsSecret, githubToken, randomToken } from "../helpers/secrets.js";

const KEYWORDS = ["ab", "b9", "xx", "9+", "a=", "-_", "key", "token"];

/** Lines of keyword pieces, base64-ish runs, separators and line breaks of every kind. */
const line = fc
  .array(
    fc.oneof(
      fc.string({ unit: fc.constantFrom("a", "B", "9", "+", "/", "-", "_", "x", "k", "e", "y"), minLength: 1, maxLength: 24 }),
      fc.constantFrom("key", "token", "ab", "xx", " ", "=", '"', "\r", "\t", b64("hello there, general")),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(""));
const text = fc.array(line, { maxLength: 12 }).map((lines) => lines.join("\n"));

/** An edit of a text's lines: replace, insert or delete a few, anywhere. */
const edited = fc.tuple(text, fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.array(line, { maxLength: 3 })), { maxLength: 3 }), fc.boolean()).map(([a, edits, tail]) => {
  const lines = a.split("\n");
  for (const [at, del, ins] of edits) lines.splice(at % (lines.length + 1), del, ...ins);
  return [a, lines.join("\n") + (tail ? "\n" : "")] as const;
});

const bytesOf = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "latin1"));
const plain = (p: KeywordPass): number[][] => [[...p.ends], [...p.states], [...p.runs]];
const positionsFor = (n: number): KeywordPositions => ({ want: new Uint8Array(n).fill(1), at: new Array<number[] | undefined>(n) });

describe("a spliced keyword pass", () => {
  const m = new KeywordMatcher(KEYWORDS);

  it("starts afresh after a line feed, for the built-in keywords too", () => {
    expect(splices(m)).toBe(true);
    expect(splices(compileRuleSet(readRuleFiles()).keywords)).toBe(true);
    // A keyword holding a line feed: nothing would be spliced.
    expect(splices(new KeywordMatcher(["a\nb"]))).toBe(false);
  });

  it("is the pass over the whole new text, for any earlier text", () => {
    fc.assert(
      fc.property(edited, text, ([a, b], other) => {
        const whole = passOf(m, b, bytesOf(b));
        const fromEdit = passOf(m, b, bytesOf(b), { bytes: bytesOf(a), pass: passOf(m, a, bytesOf(a)) });
        expect(plain(fromEdit)).toEqual(plain(whole));
        // Any earlier text will do, even an unrelated one.
        const fromOther = passOf(m, b, bytesOf(b), { bytes: bytesOf(other), pass: passOf(m, other, bytesOf(other)) });
        expect(plain(fromOther)).toEqual(plain(whole));
      }),
      { seed: 1207, numRuns: 1000 },
    );
  });

  it("replays to the same keywords, positions, count and runs as the walk", () => {
    fc.assert(
      fc.property(text, (t) => {
        const seenA = new Uint8Array(KEYWORDS.length);
        const posA = positionsFor(KEYWORDS.length);
        const runsA: CharRuns = { member: BASE64_ALPHABET, min: MIN_BASE64, starts: [] };
        const foundA = m.findAll(t, seenA, posA, runsA);
        const seenB = new Uint8Array(KEYWORDS.length);
        const posB = positionsFor(KEYWORDS.length);
        const runsB: CharRuns = { member: BASE64_ALPHABET, min: MIN_BASE64, starts: [] };
        const foundB = m.replay(passOf(m, t, bytesOf(t)), seenB, posB, runsB);
        expect(foundB).toBe(foundA);
        expect([...seenB]).toEqual([...seenA]);
        expect(posB.at).toEqual(posA.at);
        expect(runsB.starts).toEqual(runsA.starts);
      }),
      { seed: 1208, numRuns: 500 },
    );
  });

  it("keeps one version per path, within its byte budget", () => {
    const cache = new SpliceCache(300);
    const a = "key = 1\n".repeat(4);
    splicedPass(m, cache, "a.txt", a, bytesOf(a));
    expect(cache.take("a.txt")?.bytes.length).toBe(a.length);
    splicedPass(m, cache, "b.txt", a, bytesOf(a));
    // Over the budget: the least recently used went first.
    expect(cache.take("a.txt")).toBeUndefined();
  });

  // A dense one (a keyword every two characters) recorded ~8 bytes a character and took far longer than the walk.
  it("is not recorded for a text too large to keep: the engine walks it, and the path's earlier version goes", () => {
    const cache = new SpliceCache();
    const small = "key = 1\n".repeat(4);
    splicedPass(m, cache, "a.txt", small, bytesOf(small));
    const big = "xx".repeat(MAX_KEPT_TEXT / 2 + 1);
    expect(splicedPass(m, cache, "a.txt", big, bytesOf(big))).toBeUndefined();
    expect(cache.take("a.txt")).toBeUndefined();
    expect(splicedPass(m, cache, "a.txt", small, bytesOf(small))).toBeDefined();
  });
});

describe("a blob scanned with a spliced pass", () => {
  const rs = compileRuleSet(readRuleFiles());
  const engine = { decoders: DEFAULT_DECODERS, salt: "s" };

  /** Versions of one file: secrets added, moved, edited around and removed, base64 runs and keywords in every part. */
  function versions(): string[] {
    const pat = fakeGithubPat("splice1");
    const key = fakeAwsKeyId("splice2");
    const pw = fakePassword("splice3");
    const filler = (n: number, tag: string): string[] => Array.from({ length: n }, (_, i) => `const ${tag}${i} = "${i % 7 === 0 ? b64(`value number ${i} of ${tag}`) : `plain ${i}`}";`);
    const head = filler(40, "head");
    const tail = filler(40, "tail");
    const out: string[] = [];
    const lines = [...head, ...tail];
    out.push(lines.join("\n"));
    lines.splice(10, 0, `token = "${pat}"`);
    out.push(lines.join("\n"));
    lines.splice(60, 0, `aws_access_key_id = ${key}`, `password = "${pw}"`);
    out.push(lines.join("\n") + "\n");
    lines.splice(0, 1, "// a changed first line");
    out.push(lines.join("\n"));
    lines.splice(10, 1);
    lines.push(`const blob = "${b64(`aws_access_key_id = ${key}\n`)}";`);
    out.push(lines.join("\n"));
    out.push(out[1]!);
    out.push("");
    out.push(lines.join("\r\n"));
    return out;
  }

  it("gives exactly the outcome of scanning it whole, version after version", () => {
    const spliced = splicingBlobScanner(rs, engine);
    const commit = { commit: "c".repeat(40) };
    let found = 0;
    for (const v of versions()) {
      const job: BlobJob = { path: "src/config.js", data: new Uint8Array(Buffer.from(v, "latin1")), commit, source: "file" };
      const want = scanBlob((f) => scanFragment(rs, f, engine), job);
      expect(spliced(job)).toEqual(want);
      if (want.kind === "scanned") found += want.result.findings.length;
    }
    expect(found).toBeGreaterThan(4);
  });

  // Random edits at any character of two files' histories, with secrets, encoded runs, every line break and
  // text that is not ASCII (as UTF-8 and as Latin-1 bytes): the splice may only change the speed.
  it("gives the outcome of scanning whole over random edit histories, whatever the text", () => {
    const pat = fakeGithubPat("splice5");
    const key = fakeAwsKeyId("splice6");
    const pw = fakePassword("splice7");
    const pieces = [
      `token = "${pat}"`, `aws_access_key_id = ${key}`, `password = "${pw}"`, `aws_secret_access_key = ${awsSecret(5)}`,
      githubToken(7), `"${b64(`aws_access_key_id = ${key}\n`)}"`, hex(`password = "${pw}"`), b64(`token=${pat}`),
      "api_key", "secret", "sk-", "$1$", "https://", "\n", "\r\n", "\r", "\n\n", "\t", " ", "=", ":", '"', "key", "tok", "en",
      randomToken(20, 9), "é", "日本", "\u2028", "😀", "\0",
    ];
    const piece = fc.oneof(fc.constantFrom(...pieces), fc.string({ unit: fc.constantFrom("a", "B", "9", "+", "/", "=", "-", "_", "\n", "\r", "k", "e", "y", "é"), maxLength: 20 }));
    const start = fc.array(piece, { maxLength: 40 }).map((p) => p.join(""));
    const edit = fc.tuple(fc.nat(), fc.nat(30), fc.array(piece, { maxLength: 6 }));
    const history = fc.tuple(start, fc.array(fc.tuple(edit, fc.constantFrom("p", "q")), { maxLength: 8 }));
    const commit = { commit: "c".repeat(40) };
    let found = 0;
    fc.assert(
      fc.property(history, ([first, edits]) => {
        const spliced = splicingBlobScanner(rs, engine);
        const check = (path: string, v: string, enc: BufferEncoding): void => {
          const job: BlobJob = { path, data: new Uint8Array(Buffer.from(v, enc)), commit, source: "file" };
          const want = scanBlob((f) => scanFragment(rs, f, engine), job);
          expect(spliced(job)).toEqual(want);
          if (want.kind === "scanned") found += want.result.findings.length;
        };
        const now: Record<string, string> = { p: first, q: first };
        check("p", first, "utf8");
        for (const [[at, del, ins], path] of edits) {
          const t = now[path]!;
          const pos = at % (t.length + 1);
          const next = (now[path] = t.slice(0, pos) + ins.join("") + t.slice(pos + del));
          check(path, next, "utf8");
          check(path, next, "latin1");
        }
      }),
      { seed: 7, numRuns: 300 },
    );
    expect(found).toBeGreaterThan(50);
  });

  it("scans a text that is not ASCII whole, as before", () => {
    const spliced = splicingBlobScanner(rs, engine);
    const commit = { commit: "c".repeat(40) };
    const pat = fakeGithubPat("splice4");
    for (const v of [`é\ntoken = "${pat}"\n`, `é\nx\ntoken = "${pat}"\n`]) {
      const job: BlobJob = { path: "a.txt", data: new Uint8Array(Buffer.from(v, "utf8")), commit, source: "file" };
      expect(spliced(job)).toEqual(scanBlob((f) => scanFragment(rs, f, engine), job));
    }
  });
});
