/**
 * The hostile inputs, in one place: pathological strings aimed at the rules'
 * regexes (runs of one character, headers without an end, keyword floods,
 * base64 runs, nested encodings). Used by test/hostile/content.test.ts (no
 * timing: it must finish and stay correct), bench/hostile.mjs (growth with
 * size) and bench/engine.mjs (throughput). Plain JavaScript so that the test
 * suite and the benchmarks can both import it.
 *
 * @param {(seed: number) => string} githubToken  a fake token builder (the
 *   tests' or the benchmarks'), so no secret is ever stored here.
 * @returns {Record<string, (n: number) => string>} generators of n characters.
 */
export function hostilePatterns(githubToken) {
  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const B62 = B64.slice(0, 62);
  // mulberry32: deterministic, so every run scans the same bytes.
  const randomFrom = (alphabet, n, seed) => {
    let a = seed >>> 0;
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = alphabet[((t ^ (t >>> 14)) >>> 0) % alphabet.length];
    }
    return out.join("");
  };
  const fill = (unit, n) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
  return {
    "run of a": (n) => "a".repeat(n),
    "a=a=a=": (n) => fill("a=", n),
    "double quotes": (n) => '"'.repeat(n),
    "single quotes": (n) => "'".repeat(n),
    backslashes: (n) => "\\".repeat(n),
    spaces: (n) => " ".repeat(n),
    newlines: (n) => "\n".repeat(n),
    CRs: (n) => "\r".repeat(n),
    "BEGIN without END": (n) => fill("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA" + "A".repeat(48) + "\n", n),
    "BEGIN headers only": (n) => fill("-----BEGIN ", n),
    "base64 run": (n) => randomFrom(B64, n, 7),
    "hex run": (n) => randomFrom("0123456789abcdef", n, 8),
    "nested base64": (n) => {
      let s = `token=${githubToken(9)}`;
      while (s.length < n / 2) s = Buffer.from(s).toString("base64");
      return fill(s + "\n", n);
    },
    "percent-encoding": (n) => fill("%25", n),
    "key=value flood": (n) => fill("api_key=", n),
    "password: flood": (n) => fill('password: "', n),
    "AKIA flood": (n) => fill("AKIA", n),
    "ghp_ flood": (n) => fill("ghp_", n),
    "token-like words": (n) => fill(`${randomFrom(B62, 40, 10)} `, n),
    "xoxb- flood": (n) => fill("xoxb-1", n),
    "https://user: flood": (n) => fill("https://user:", n),
    "long identifiers": (n) => fill("aVeryLongIdentifierName_" + "x".repeat(200) + "=", n),
    "minified js": (n) => fill('function a(b,c){return b.map(function(d){return d*c+"x"})};var e={k:"v",n:1};', n),
    "tokens every 1 KiB": (n) => fill(`${"x".repeat(1000)} GITHUB_TOKEN=${githubToken(11)}\n`, n),
  };
}
