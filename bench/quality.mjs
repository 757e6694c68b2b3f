// Detection quality on corpora built at run time (no secret is stored in the
// repository). Four positive corpora and four negative ones:
//
//   ours        well-formed secrets of the formats our rules were written for
//               (100% by construction: it checks the rules do what they say)
//   docs        formats and usage layouts taken from each provider's own
//               documentation (bench/corpus/docs-corpus.json), written down
//               without looking at our rule regexes
//   layouts     credential files laid out as their tools document them
//               (bench/corpus/layout-corpus.json)
//   negatives   realistic non-secrets, documented non-secrets (public keys,
//               identifiers), the layouts filled with their documentation's
//               placeholder text, and every file of node_modules
//
//   node bench/quality.mjs            prints recall, precision and misses
//
// A planted secret counts as found when a finding's span overlaps where the
// secret (or its encoded form) stands. "audit" recall also counts candidates
// the rules' heuristics rejected (what --min-confidence low reports).
import { generateKeyPairSync, createHmac, randomBytes, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { docsCorpus, layoutCorpus, docsCases, docsBareCases, docsExamples, docsNonSecrets, layoutCases, layoutPlaceholderFiles } from "./corpus/generate.mjs";

const { createScanner } = await import("../dist/core/scanner.js");
const { loadConfig } = await import("../dist/config/load.js");
const { base62, crc32 } = await import("../dist/engine/validators.js");
const scanner = createScanner(loadConfig({ noConfigFile: true }));
const HEURISTIC = new Set(["entropy", "stopword", "placeholder", "validator"]);
const isGeneric = (ruleId) => ruleId.startsWith("generic-");
const pct = (a, b) => (b === 0 ? "n/a" : `${((100 * a) / b).toFixed(1)}%`);

// ------------------------------------------------------------ matching by position
function lineStarts(text) {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}
/** [start, end) offsets of a finding in `text`. */
function spanOf(f, starts) {
  return [starts[f.line - 1] + f.column - 1, starts[f.endLine - 1] + f.endColumn - 1];
}
const overlaps = ([a, b], targets) => targets.some(([s, e]) => a < e && b > s);

/** Scans one text: findings and heuristic rejects, each with its span. */
function scan(text, path) {
  const res = scanner.scanFragment({ text, path });
  const starts = lineStarts(text);
  return {
    findings: res.findings.map((f) => ({ f, span: spanOf(f, starts) })),
    rejected: res.suppressed.filter((s) => HEURISTIC.has(s.reason)).map((s) => ({ f: s.finding, reason: s.reason, span: spanOf(s.finding, starts) })),
  };
}

/** Judges one planted secret: found (by which rule, at what confidence), found only in audit mode, or missed. */
function judge(result, targets) {
  const hits = result.findings.filter((h) => overlaps(h.span, targets));
  if (hits.length) {
    const specific = hits.find((h) => !isGeneric(h.f.ruleId));
    const best = specific ?? hits[0];
    return { found: true, ruleId: best.f.ruleId, confidence: best.f.confidence, genericOnly: !specific };
  }
  const rej = result.rejected.filter((h) => overlaps(h.span, targets));
  if (rej.length) return { found: false, audit: true, why: `rejected by ${rej[0].f.ruleId} (${rej[0].reason})` };
  return { found: false, audit: false, why: "no rule matched" };
}

const add = (map, key, n = 1) => map.set(key, (map.get(key) ?? 0) + n);

// ------------------------------------------------------------ 1. ours: formats we wrote rules for
let seed = 0x2f6e2b1;
const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const pick = (alpha, n) => Array.from({ length: n }, () => alpha[Math.floor(rnd() * alpha.length)]).join("");
const B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX = "0123456789abcdef";
const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64 = B62 + "+/";
const URLSAFE = B62 + "-_";
const gh = (p) => { const b = pick(B62, 30); return `${p}_${b}${base62(crc32(b), 6)}`; };
const b64url = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
const jwt = () => { const h = b64url({ alg: "HS256", typ: "JWT" }); const p = b64url({ sub: randomUUID(), iat: 1700000000 + Math.floor(rnd() * 1e7), role: "service" }); return `${h}.${p}.${createHmac("sha256", randomBytes(16)).update(`${h}.${p}`).digest("base64url")}`; };
const pem = (type) => generateKeyPairSync(type, type === "rsa" ? { modulusLength: 1024 } : { namedCurve: "P-256" }).privateKey.export({ type: type === "rsa" ? "pkcs1" : "sec1", format: "pem" }).trim();

/** [label, secret generator] — the formats our rules were written for. */
const SECRETS = [
  ["aws-access-key-id", () => "AKIA" + pick(B32, 16)],
  ["aws-secret-access-key", () => pick(B64, 40)],
  ["github-pat", () => gh("ghp")],
  ["github-oauth", () => gh("gho")],
  ["github-fine-grained", () => `github_pat_${pick(B62, 22)}_${pick(B62, 59)}`],
  ["gitlab-pat", () => "glpat-" + pick(URLSAFE, 20)],
  ["slack-bot", () => `xoxb-${pick("0123456789", 12)}-${pick("0123456789", 13)}-${pick(B62, 24)}`],
  ["slack-webhook", () => `https://hooks.slack.com/services/T${pick(B32, 10)}/B${pick(B32, 10)}/${pick(B62, 24)}`],
  ["stripe-live", () => "sk_live_" + pick(B62, 99)],
  ["stripe-restricted", () => "rk_live_" + pick(B62, 99)],
  ["sendgrid", () => `SG.${pick(URLSAFE, 22)}.${pick(URLSAFE, 43)}`],
  ["npm", () => gh("npm")],
  ["pypi", () => "pypi-AgEIcHlwaS5vcmc" + pick(URLSAFE, 120)],
  ["openai", () => `sk-proj-${pick(URLSAFE, 48)}T3BlbkFJ${pick(URLSAFE, 48)}`],
  ["anthropic", () => `sk-ant-api03-${pick(URLSAFE, 93)}AA`],
  ["huggingface", () => "hf_" + pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 34)],
  ["gcp-api-key", () => "AIza" + pick(URLSAFE, 35)],
  ["digitalocean", () => "dop_v1_" + pick(HEX, 64)],
  ["docker-hub", () => "dckr_pat_" + pick(URLSAFE, 27)],
  ["shopify", () => "shpat_" + pick(HEX, 32)],
  // The auth token, not an SK… API key SID: a SID is an identifier (Twilio says so), the token is the secret.
  ["twilio-auth-token", () => pick(HEX, 32)],
  ["databricks", () => "dapi" + pick(HEX, 32)],
  ["groq", () => "gsk_" + pick(B62, 52)],
  ["linear", () => "lin_api_" + pick(B62, 40)],
  ["jwt", jwt],
  ["rsa-private-key", () => pem("rsa")],
  ["ec-private-key", () => pem("ec")],
  ["postgres-password", () => pick(B62, 18)],
  ["generic-password", () => pick(B62, 10) + "!" + pick(B62, 9)],
];

/** File contexts a secret is written in: [path, render(name, secret)]. */
const CONTEXTS = [
  [".env", (n, s) => `# service config\n${n.toUpperCase().replace(/-/g, "_")}=${s}\n`],
  ["config/settings.yaml", (n, s) => `service:\n  name: billing\n  ${n.replace(/-/g, "_")}: "${s}"\n`],
  ["config/app.json", (n, s) => JSON.stringify({ service: "billing", [n.replace(/-/g, "_")]: s }, null, 2)],
  ["src/client.py", (n, s) => `import os\n\n${n.toUpperCase().replace(/-/g, "_")} = "${s}"\nclient = Client(${n.replace(/-/g, "_")})\n`],
  ["deploy/run.sh", (n, s) => `#!/bin/sh\nexport ${n.toUpperCase().replace(/-/g, "_")}='${s}'\n./deploy\n`],
];

function contextFor(label, secret) {
  if (label === "postgres-password") return [["config/database.yml", `production:\n  url: postgres://app_user:${secret}@db.internal:5432/app\n`]];
  if (label === "generic-password") return [["config/app.properties", `db.user=app\ndb.password=${secret}\n`], ["src/db.ts", `const pool = new Pool({ user: "app", password: "${secret}" });\n`]];
  if (label.endsWith("private-key")) return [["deploy/id_key.pem", secret + "\n"], ["config/key.json", JSON.stringify({ private_key: secret + "\n" })]];
  if (label === "aws-secret-access-key") return [[".aws/credentials", `[default]\naws_access_key_id = AKIA${pick(B32, 16)}\naws_secret_access_key = ${secret}\n`]];
  return CONTEXTS.map(([p, render]) => [p, render(label, secret)]);
}

/** Targets of `secret` in `text`: its raw occurrences, and the JSON-escaped ones (a PEM inside JSON). */
function targetsOf(text, secret) {
  const out = [];
  for (const needle of [secret, JSON.stringify(secret).slice(1, -1), JSON.stringify(secret + "\n").slice(1, -1)]) {
    for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) out.push([i, i + needle.length]);
  }
  return out;
}

const ours = { total: 0, found: 0, findings: 0, extra: 0, misses: new Map() };
for (const [label, gen] of SECRETS) {
  for (let i = 0; i < 4; i++) {
    const secret = gen();
    for (const [path, text] of contextFor(label, secret)) {
      ours.total++;
      const r = scan(text, path);
      const targets = targetsOf(text, secret);
      // The access key ID written beside an AWS secret is a companion credential, not a false positive.
      const companions = label === "aws-secret-access-key" ? [...text.matchAll(/AKIA[A-Z2-7]{16}/g)].map((m) => [m.index, m.index + 20]) : [];
      ours.findings += r.findings.length;
      ours.extra += r.findings.filter((h) => !overlaps(h.span, targets) && !overlaps(h.span, companions)).length;
      if (judge(r, targets).found) ours.found++;
      else add(ours.misses, `${label} in ${path}`);
    }
  }
}
for (let i = 0; i < 8; i++) {
  ours.total++;
  const tok = gh("ghp");
  const enc = Buffer.from(tok).toString("base64");
  const text = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci\ndata:\n  token: ${enc}\n`;
  const r = scan(text, "k8s/secret.yaml");
  const targets = targetsOf(text, enc);
  ours.findings += r.findings.length;
  ours.extra += r.findings.filter((h) => !overlaps(h.span, targets)).length;
  if (judge(r, targets).found) ours.found++;
  else add(ours.misses, "base64 GitHub token in a Kubernetes Secret");
}

// ------------------------------------------------------------ 2. documentation corpus
const docs = { total: 0, found: 0, audit: 0, generic: 0, findings: 0, extra: 0, extraRules: new Map(), byKind: new Map(), byFormat: new Map(), confidence: new Map() };
for (const c of docsCases()) {
  const r = scan(c.text, c.path);
  const v = judge(r, c.targets);
  docs.total++;
  docs.findings += r.findings.length;
  for (const h of r.findings) if (!overlaps(h.span, c.targets) && !overlaps(h.span, c.neutral)) { docs.extra++; add(docs.extraRules, `${h.f.ruleId} in ${c.path} (${c.formatId})`); }
  const kind = docs.byKind.get(c.sourceKind) ?? { total: 0, found: 0 };
  kind.total++;
  const fmt = docs.byFormat.get(c.formatId) ?? { provider: c.provider, sourceKind: c.sourceKind, estimated: c.estimated, total: 0, found: 0, generic: 0, misses: new Map() };
  fmt.total++;
  if (v.found) {
    docs.found++; kind.found++; fmt.found++;
    add(docs.confidence, v.confidence);
    if (v.genericOnly) { docs.generic++; fmt.generic++; }
  } else {
    if (v.audit) docs.audit++;
    add(fmt.misses, `${c.path}: ${v.why}`);
  }
  docs.byKind.set(c.sourceKind, kind);
  docs.byFormat.set(c.formatId, fmt);
}

// The same formats alone in a log line: does a rule recognise the format itself, without a variable name?
const bare = { total: 0, found: 0, findings: 0, extra: 0, selfTotal: 0, selfFound: 0, missed: new Map() };
for (const c of docsBareCases()) {
  const r = scan(c.text, c.path);
  const v = judge(r, c.targets);
  bare.total++;
  bare.findings += r.findings.length;
  bare.extra += r.findings.filter((h) => !overlaps(h.span, c.targets)).length;
  if (c.selfIdentifying) bare.selfTotal++;
  if (v.found) { bare.found++; if (c.selfIdentifying) bare.selfFound++; }
  else if (c.selfIdentifying) add(bare.missed, `${c.provider} · ${c.formatId}`);
}

// Documented example strings: placeholders should not be reported, or only at low confidence.
const examples = docsExamples().map((e) => {
  const r = scan(e.text, e.path);
  const targets = targetsOf(e.text, e.value);
  const hit = r.findings.find((h) => overlaps(h.span, targets));
  const rej = r.rejected.find((h) => overlaps(h.span, targets));
  const outcome = hit ? `reported by ${hit.f.ruleId} at ${hit.f.confidence} confidence` : rej ? `not reported (${rej.f.ruleId} rejected it: ${rej.reason})` : "not reported";
  return { ...e, ok: !hit || hit.f.confidence === "low", outcome };
});

// ------------------------------------------------------------ 3. credential-file layout corpus
const layouts = { total: 0, found: 0, audit: 0, generic: 0, findings: 0, extra: 0, extraRules: new Map(), byLayout: new Map() };
for (const c of layoutCases()) {
  const r = scan(c.text, c.path);
  const all = c.expected.flatMap((e) => e.targets);
  layouts.findings += r.findings.length;
  for (const h of r.findings) if (!overlaps(h.span, all) && !overlaps(h.span, c.neutral)) { layouts.extra++; add(layouts.extraRules, `${h.f.ruleId} in ${c.path}`); }
  const lay = layouts.byLayout.get(c.layoutId) ?? { tool: c.tool, path: c.path, total: 0, found: 0, misses: new Map() };
  for (const e of c.expected) {
    const v = judge(r, e.targets);
    layouts.total++; lay.total++;
    if (v.found) { layouts.found++; lay.found++; if (v.genericOnly) layouts.generic++; }
    else { if (v.audit) layouts.audit++; add(lay.misses, `${e.name} (${e.kind}): ${v.why}`); }
  }
  layouts.byLayout.set(c.layoutId, lay);
}

// ------------------------------------------------------------ 4. negatives
const NEGATIVES = [
  ["package-lock.json", () => JSON.stringify({ packages: { "node_modules/x": { version: "1.2.3", resolved: "https://registry.npmjs.org/x/-/x-1.2.3.tgz", integrity: "sha512-" + Buffer.from(randomBytes(64)).toString("base64") } } }, null, 2)],
  ["src/ids.ts", () => `export const REQUEST_ID = "${randomUUID()}";\nexport const COMMIT = "${randomBytes(20).toString("hex")}";\n`],
  [".env.example", () => "AWS_SECRET_ACCESS_KEY=your-secret-key-here\nGITHUB_TOKEN=<your-token>\nDATABASE_URL=postgres://user:password@localhost:5432/db\nSTRIPE_KEY=${STRIPE_KEY}\n"],
  ["src/auth.ts", () => `const token = await getToken(req);\nconst password = process.env.DB_PASSWORD;\nconst apiKey = config.get("apiKey");\nif (secret === undefined) throw new Error("missing secret");\n`],
  ["README.md", () => "Set `API_KEY` in your environment, e.g. `export API_KEY=xxxxxxxxxxxxxxxx`.\nThe token looks like `ghp_` followed by 36 characters.\n"],
  ["src/hash.py", () => `EXPECTED_SHA256 = "${randomBytes(32).toString("hex")}"\nchecksum_md5 = "${randomBytes(16).toString("hex")}"\n`],
  ["config/k8s.yaml", () => "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db\n        key: password\n"],
  ["src/i18n.json", () => JSON.stringify({ password_label: "Password", token_expired: "Your session token has expired", secret_hint: "Keep this secret" })],
];
const negSets = [];
function negative(name, files) {
  const set = { name, files: files.length, findings: 0, causes: new Map() };
  for (const { path, text } of files) for (const h of scan(text, path).findings) { set.findings++; add(set.causes, `${h.f.ruleId} in ${path}`); }
  negSets.push(set);
  return set;
}
negative("realistic non-secrets", NEGATIVES.flatMap(([path, gen]) => Array.from({ length: 10 }, () => ({ path, text: gen() }))));
negative("documented non-secrets (public keys, identifiers)", docsNonSecrets());
negative("credential layouts with their docs' placeholders", layoutPlaceholderFiles());

const root = new URL("../node_modules", import.meta.url).pathname;
let bytes = 0;
const nm = { name: "node_modules", files: 0, findings: 0, causes: new Map() };
const walk = (d) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.isFile() && statSync(p).size < 20 * 1048576) {
      const buf = readFileSync(p);
      if (buf.subarray(0, 8000).includes(0)) continue;
      bytes += buf.length;
      nm.files++;
      for (const f of scanner.scanFragment({ text: buf.toString("utf8"), path: p.slice(root.length + 1) }).findings) { nm.findings++; add(nm.causes, `${f.ruleId} in ${p.slice(root.length + 1)}`); }
    }
  }
};
walk(root);

// ------------------------------------------------------------ report
const negFindings = negSets.reduce((a, s) => a + s.findings, 0);
const providers = new Set(docsCorpus.formats.map((f) => f.provider));
console.log(`Rules: ${scanner.ruleSet.rules.length}\n`);
console.log("positive corpus                         secrets   found   recall   audit recall  precision in its files");
const row = (name, s, auditFound) => console.log(`${name.padEnd(40)}${String(s.total).padStart(7)} ${String(s.found).padStart(7)} ${pct(s.found, s.total).padStart(8)} ${(auditFound === undefined ? "-" : pct(s.found + auditFound, s.total)).padStart(14)}  ${pct(s.findings - s.extra, s.findings)} (${s.extra} of ${s.findings} findings on no planted secret)`);
row("ours (formats we wrote rules for)", ours);
row(`documentation (${docsCorpus.formats.length} formats, ${providers.size} providers)`, docs, docs.audit);
row("  the same tokens alone in a log line", bare);
console.log(`${"  … of them self-identifying formats".padEnd(40)}${String(bare.selfTotal).padStart(7)} ${String(bare.selfFound).padStart(7)} ${pct(bare.selfFound, bare.selfTotal).padStart(8)}`);
row(`credential-file layouts (${layoutCorpus.layouts.length} layouts)`, layouts, layouts.audit);
console.log("\nnegative corpus                                      files  findings");
for (const s of [...negSets, nm]) console.log(`${(s.name === "node_modules" ? `node_modules (${(bytes / 1048576).toFixed(1)} MB)` : s.name).padEnd(52)}${String(s.files).padStart(6)} ${String(s.findings).padStart(9)}`);
const allFound = ours.found + docs.found + layouts.found + bare.found;
const allExtra = ours.extra + docs.extra + layouts.extra + bare.extra;
console.log(`\nPrecision over every corpus: ${allFound} / ${allFound + allExtra + negFindings + nm.findings} = ${pct(allFound, allFound + allExtra + negFindings + nm.findings)}; node_modules: ${(nm.findings / (bytes / 10485760)).toFixed(2)} findings per 10 MB`);

console.log(`\nDocumentation corpus: found only by a generic (keyword) rule, format not recognised by a provider rule: ${docs.generic} of ${docs.found}`);
console.log("Recall by how the format was sourced: " + [...docs.byKind].map(([k, v]) => `${k} ${v.found}/${v.total} (${pct(v.found, v.total)})`).join(", "));
console.log("Confidence of documentation-corpus findings: " + [...docs.confidence].map(([k, v]) => `${k} ${v}`).join(", "));

const fmtLine = ([id, v]) => `  ${v.provider} · ${id} [${v.sourceKind}${v.estimated ? ", estimated" : ""}]: ${v.found}/${v.total}` + (v.generic ? ` (${v.generic} only by a generic rule)` : "") + (v.misses.size ? "\n" + [...v.misses].map(([m, n]) => `      ${n}× ${m}`).join("\n") : "");
const missedFormats = [...docs.byFormat].filter(([, v]) => v.found < v.total).sort((a, b) => a[1].provider.localeCompare(b[1].provider));
console.log(`\nDocumentation corpus misses by provider (${missedFormats.length} of ${docs.byFormat.size} formats not always found):`);
console.log(missedFormats.map(fmtLine).join("\n"));
const genericFormats = [...docs.byFormat].filter(([, v]) => v.found === v.total && v.generic > 0);
if (genericFormats.length) console.log(`\nFound, but only through the variable name (no provider rule recognised the format):\n` + genericFormats.map(([id, v]) => `  ${v.provider} · ${id}: ${v.generic}/${v.total}`).join("\n"));

if (bare.missed.size) console.log(`\nSelf-identifying formats (prefix, JWT, PEM) not recognised alone in a log line:\n` + [...bare.missed].map(([k, v]) => `  ${v}× ${k}`).join("\n"));

console.log(`\nDocumented example strings (placeholders: should not be reported, or only at low confidence):`);
for (const e of examples) console.log(`  ${e.ok ? "ok  " : "FAIL"} ${e.provider} · ${e.formatId}: ${e.outcome} — ${e.note}`);

const missedLayouts = [...layouts.byLayout].filter(([, v]) => v.found < v.total);
console.log(`\nCredential-file layout misses (${missedLayouts.length} of ${layouts.byLayout.size} layouts not fully found):`);
console.log(missedLayouts.map(([id, v]) => `  ${v.tool} · ${id} (${v.path}): ${v.found}/${v.total}\n` + [...v.misses].map(([m, n]) => `      ${n}× ${m}`).join("\n")).join("\n"));

if (ours.misses.size) console.log("\nOur corpus misses:\n" + [...ours.misses].map(([k, v]) => `  ${v}× ${k}`).join("\n"));
const extras = [...docs.extraRules, ...layouts.extraRules];
if (extras.length) console.log("\nFindings on no planted secret in the positive corpora:\n" + extras.map(([k, v]) => `  ${v}× ${k}`).join("\n"));
const fps = [...negSets, nm].flatMap((s) => [...s.causes].map(([k, v]) => `  ${v}× ${k} [${s.name}]`));
if (fps.length) console.log("\nFalse positives in the negative corpora:\n" + fps.join("\n"));
