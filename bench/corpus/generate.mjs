// Builds the documentation corpus and the credential-file layout corpus of
// `npm run quality` from their data files (docs-corpus.json,
// layout-corpus.json): random tokens in each documented format, written into
// each documented layout, with a fixed seed so a run is reproducible. Nothing
// here looks at leakguard's rules; the formats come from the data files only.
//
// Every generated case carries the spans where its secret stands in the text
// (raw or encoded), so a scanner's finding can be matched to it by position.
import { base62, crc32, rng } from "../fake-tokens.mjs";
import { createECDH, createHmac, createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";

const here = new URL(".", import.meta.url);
/** The documentation corpus data. */
export const docsCorpus = JSON.parse(readFileSync(new URL("docs-corpus.json", here), "utf8"));
/** The credential-file layout corpus data. */
export const layoutCorpus = JSON.parse(readFileSync(new URL("layout-corpus.json", here), "utf8"));

export { rng };

const ALPHA = docsCorpus.alphabets;
const pick = (alphabet, n, r) => {
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
};
const int = (min, max, r) => min + Math.floor(r() * (max - min + 1));

const uuid = (r) => `${pick(ALPHA.hex, 8, r)}-${pick(ALPHA.hex, 4, r)}-4${pick(ALPHA.hex, 3, r)}-${"89ab"[int(0, 3, r)]}${pick(ALPHA.hex, 3, r)}-${pick(ALPHA.hex, 12, r)}`;
const b64url = (s) => Buffer.from(s).toString("base64url");

/** Replaces `{{gen:SET:N}}` fillers inside a string. */
function fillGen(s, r) {
  return s.split("{{at}}").join("@").replace(/\{\{gen:(\w+):(\d+)\}\}/g, (_, set, n) => {
    if (!(set in ALPHA)) throw new Error(`unknown alphabet ${set}`);
    return pick(ALPHA[set], Number(n), r);
  });
}
/** Fills `{{gen:…}}` in every string of a JSON-like value. */
function fillDeep(v, r) {
  if (typeof v === "string") return fillGen(v, r);
  if (Array.isArray(v)) return v.map((x) => fillDeep(x, r));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fillDeep(x, r)]));
  return v;
}

/** A deterministic EC P-256 private key in PKCS#8 PEM (node cannot seed RSA generation). */
function pemKey(r) {
  const d = Buffer.from(pick(ALPHA.hex, 64, r), "hex");
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(d);
  const pub = ecdh.getPublicKey();
  const jwk = { kty: "EC", crv: "P-256", d: d.toString("base64url"), x: pub.subarray(1, 33).toString("base64url"), y: pub.subarray(33).toString("base64url") };
  return createPrivateKey({ key: jwk, format: "jwk" }).export({ type: "pkcs8", format: "pem" }).trim();
}

/**
 * Builds one token from a format description (see docs-corpus.json): a list
 * of literal strings and parts `{set,n|min,max}`, `{uuid}`, `{crc32b62:w}`
 * (checksum of the previous part), `{pick:[…]}`, `{b64json:{…}}`,
 * `{b64raw:[parts]}`, `{jwt:{…}}`, `{pem}`.
 */
export function buildToken(format, r) {
  const out = [];
  for (const part of format) {
    if (typeof part === "string") out.push(part);
    else if ("set" in part) {
      if (!(part.set in ALPHA)) throw new Error(`unknown alphabet ${part.set}`);
      out.push(pick(ALPHA[part.set], part.n ?? int(part.min, part.max, r), r));
    } else if ("uuid" in part) out.push(uuid(r));
    else if ("crc32b62" in part) out.push(base62(crc32(out[out.length - 1] ?? ""), part.crc32b62));
    else if ("pick" in part) out.push(part.pick[Math.floor(r() * part.pick.length)]);
    else if ("b64json" in part) out.push(Buffer.from(JSON.stringify(fillDeep(part.b64json, r))).toString("base64").replace(/=+$/, ""));
    else if ("b64raw" in part) out.push(Buffer.from(buildToken(part.b64raw, r)).toString("base64").replace(/=+$/, ""));
    else if ("jwt" in part) {
      const h = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
      const p = b64url(JSON.stringify(fillDeep(part.jwt, r)));
      out.push(`${h}.${p}.${createHmac("sha256", pick(ALPHA.alnum, 32, r)).update(`${h}.${p}`).digest("base64url")}`);
    } else if ("pem" in part) out.push(pemKey(r));
    else throw new Error(`unknown format part ${JSON.stringify(part)}`);
  }
  return out.join("");
}

/** All [start, end) spans of `needle` in `text`. */
function spansOf(text, needle) {
  const spans = [];
  if (!needle) return spans;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) spans.push([i, i + needle.length]);
  return spans;
}

/** The layouts a format is written into: its `.env` line, a shell export, and its documented usages. */
export function contextsOf(f) {
  const ctx = [];
  if (f.env) {
    ctx.push([".env", `# ${f.provider}\n${f.env}={{secret}}\n`]);
    ctx.push(["deploy/env.sh", `#!/bin/sh\nexport ${f.env}="{{secret}}"\n`]);
  }
  for (const [path, template] of f.usage ?? []) ctx.push([path, template]);
  if (ctx.length === 0) ctx.push(["config/credentials.txt", "{{secret}}\n"]);
  return ctx;
}

/** Renders a documentation-corpus template for one secret; returns text and the secret's spans. */
function renderDocTemplate(template, secret, r) {
  const user = "acmebot";
  // {{also:SET:N}}: a companion credential (the key ID beside a secret key): neither expected nor a false positive.
  const also = [];
  template = template.replace(/\{\{also:(\w+):(\d+)\}\}/g, (_, set, n) => {
    const v = pick(ALPHA[set], Number(n), r);
    also.push(v);
    return v;
  });
  const encoded = {
    "{{b64auth}}": Buffer.from(`${user}:${secret}`).toString("base64"),
    "{{secret_json}}": JSON.stringify(secret).slice(1, -1),
  };
  let text = fillGen(template, r);
  for (const [k, v] of Object.entries(encoded)) text = text.split(k).join(v);
  text = text.split("{{secret}}").join(secret);
  const targets = [...spansOf(text, secret), ...Object.values(encoded).flatMap((v) => spansOf(text, v))];
  return { text, targets, neutral: also.flatMap((v) => spansOf(text, v)) };
}

/**
 * The documentation corpus as test cases: for every format, `samples` random
 * tokens in each of its layouts. Each case: {formatId, provider, sourceKind,
 * estimated, path, text, secret, targets}.
 */
export function docsCases(seed = 0x5eed, samples = 3) {
  const r = rng(seed);
  const cases = [];
  for (const f of docsCorpus.formats) {
    for (const [path, template] of contextsOf(f)) {
      for (let i = 0; i < samples; i++) {
        const secret = buildToken(f.format, r);
        const { text, targets, neutral } = renderDocTemplate(template, secret, r);
        cases.push({ formatId: f.id, provider: f.provider, sourceKind: f.sourceKind, estimated: Boolean(f.estimated), path, text, secret, targets, neutral });
      }
    }
  }
  return cases;
}

/** True when a format carries something that identifies it without context (a prefix, a JWT, a PEM). */
export function selfIdentifying(f) {
  const first = f.format[0];
  return (typeof first === "string" && first.length >= 3) || f.format.some((p) => typeof p === "object" && ("jwt" in p || "pem" in p || "b64json" in p || "b64raw" in p));
}

/** Each format's tokens alone in a log line, with no variable name to hint at a credential. */
export function docsBareCases(seed = 0xba2e, samples = 3) {
  const r = rng(seed);
  const cases = [];
  for (const f of docsCorpus.formats) {
    for (let i = 0; i < samples; i++) {
      const secret = buildToken(f.format, r);
      const text = `2026-03-01T10:0${i}:00Z INFO request ok ${secret} 200\n`;
      cases.push({ formatId: f.id, provider: f.provider, selfIdentifying: selfIdentifying(f), path: "logs/app.log", text, secret, targets: spansOf(text, secret) });
    }
  }
  return cases;
}

/** The documented example strings (joined from their stored pieces), each in a neutral and a usage layout. */
export function docsExamples() {
  const out = [];
  for (const f of docsCorpus.formats) {
    for (const ex of f.examples ?? []) {
      const value = ex.parts.join("");
      const [path, template] = contextsOf(f)[0];
      out.push({ formatId: f.id, provider: f.provider, note: ex.note, value, path, text: template.split("{{secret}}").join(value).replace(/\{\{gen:(\w+):(\d+)\}\}/g, (_, s, n) => "0".repeat(Number(n))) });
    }
  }
  return out;
}

/** Documented non-secrets (public keys, identifiers) rendered with random values. */
export function docsNonSecrets(seed = 0x5eed, samples = 3) {
  const r = rng(seed ^ 0x77);
  const out = [];
  for (const n of docsCorpus.nonSecrets) for (let i = 0; i < samples; i++) out.push({ id: n.id, provider: n.provider, path: n.path, text: fillGen(n.template, r) });
  return out;
}

// ------------------------------------------------------------ layout corpus
const WORDS = ["Summer", "Winter", "Autumn", "Spring", "Welcome", "Dragon", "Monkey", "Sunshine", "Football", "Shadow", "Password", "Letmein", "Qwerty", "Princess", "Master"];
const USERS = ["deploy", "appuser", "jenkins", "svc_billing", "admin", "backup", "webmaster", "ci"];
const HOSTS = ["db.internal.example.com", "10.0.3.17", "ftp.example.net", "files.example.org", "pg-prod-1.example.com"];
const DBS = ["app_production", "billing", "wordpress", "crm", "analytics"];
const CRYPT = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const WPSALT = "!#$%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/** A random value of a layout secret kind (see layout-corpus.json). */
export function layoutValue(kind, r) {
  const [k, ...rest] = kind.split(":");
  if (k in ALPHA) return pick(ALPHA[k], Number(rest[0]), r);
  switch (k) {
    case "password": return pick(ALPHA.alnum, int(10, 14, r), r) + "!@#%^*-_"[int(0, 7, r)] + pick(ALPHA.alnum, int(3, 6, r), r);
    case "weak": return WORDS[int(0, WORDS.length - 1, r)] + String(int(1990, 2026, r)) + "!?#$"[int(0, 3, r)];
    case "awsid": return "AKIA" + pick(ALPHA.b32, 16, r);
    case "awssecret": return pick(ALPHA.b64, 40, r);
    case "ghp": { const b = pick(ALPHA.alnum, 30, r); return `ghp_${b}${base62(crc32(b), 6)}`; }
    case "npm": { const b = pick(ALPHA.alnum, 30, r); return `npm_${b}${base62(crc32(b), 6)}`; }
    case "pypi": return "pypi-AgEIcHlwaS5vcmc" + pick(ALPHA.b64url, int(80, 160, r), r);
    case "sha512crypt": return `$6$${pick(CRYPT, 16, r)}$${pick(CRYPT, 86, r)}`;
    case "apr1": return `$apr1$${pick(CRYPT, 8, r)}$${pick(CRYPT, 22, r)}`;
    case "bcrypt": return `$2y$10$${pick(CRYPT, 53, r)}`;
    case "wpsalt": return pick(WPSALT, 64, r);
    case "django": return pick("abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)", 50, r);
    default: throw new Error(`unknown secret kind ${kind}`);
  }
}

/**
 * Renders one layout: fills non-secret fields, draws every secret, encodes
 * where the template says. `values` (name → text) overrides the drawn
 * secrets (used for the documented-placeholder negatives).
 */
export function renderLayout(layout, r, values) {
  const fills = { "{{user}}": USERS[int(0, USERS.length - 1, r)], "{{host}}": HOSTS[int(0, HOSTS.length - 1, r)], "{{db}}": DBS[int(0, DBS.length - 1, r)] };
  const kinds = { ...(layout.kinds ?? {}) };
  for (const m of layout.template.matchAll(/\{\{s:(\w+):([^}]+)\}\}/g)) kinds[m[1]] = m[2];
  const secrets = {};
  for (const [name, kind] of Object.entries(kinds)) secrets[name] = values ? (values[name] ?? "") : layoutValue(kind, r);
  let text = fillGen(layout.template, r);
  for (const [k, v] of Object.entries(fills)) text = text.split(k).join(v);
  const encodedOf = {};
  text = text.replace(/\{\{enc:b64:(\w+)\}\}/g, (_, n) => ((encodedOf[n] ??= []).push(Buffer.from(secrets[n]).toString("base64")), Buffer.from(secrets[n]).toString("base64")));
  text = text.replace(/\{\{enc:b64pair:(\w+):(\w+)\}\}/g, (_, u, n) => {
    const e = Buffer.from(`${u}:${secrets[n]}`).toString("base64");
    (encodedOf[n] ??= []).push(e);
    return e;
  });
  text = text.replace(/\{\{s:(\w+):[^}]+\}\}/g, (_, n) => secrets[n]);
  const notSecret = new Set(layout.notSecret ?? []);
  const expected = Object.entries(secrets)
    .filter(([name, v]) => !notSecret.has(name) && v !== "")
    .map(([name, value]) => ({ name, kind: kinds[name], value, targets: [...spansOf(text, value), ...(encodedOf[name] ?? []).flatMap((e) => spansOf(text, e))] }));
  const neutral = Object.entries(secrets).filter(([name, v]) => notSecret.has(name) && v !== "").flatMap(([name, v]) => [...spansOf(text, v), ...(encodedOf[name] ?? []).flatMap((e) => spansOf(text, e))]);
  return { text, expected, neutral };
}

/** The layout corpus as cases: `samples` renderings of every layout. */
export function layoutCases(seed = 0x1a70, samples = 3) {
  const r = rng(seed);
  const out = [];
  for (const l of layoutCorpus.layouts) for (let i = 0; i < samples; i++) out.push({ layoutId: l.id, tool: l.tool, sourceKind: l.sourceKind, path: l.path, ...renderLayout(l, r) });
  return out;
}

/** Every layout filled with its documentation's placeholder text: files that hold no secret. */
export function layoutPlaceholderFiles(seed = 0x1a70) {
  const r = rng(seed ^ 0x99);
  return layoutCorpus.layouts.map((l) => ({ layoutId: l.id, path: l.path, text: renderLayout(l, r, l.placeholders ?? {}).text }));
}
