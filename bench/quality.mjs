// Detection quality on corpora built here, at run time (no secret is stored in
// the repository): recall on realistic secrets of many providers in many file
// formats, and false positives on realistic non-secrets and on real code.
//
//   node bench/quality.mjs            prints recall, precision and misses
//
// The provider tokens are random but well-formed (right prefix, length,
// alphabet, checksum where the format has one); private keys and JWTs are real
// ones generated with node:crypto.
import { generateKeyPairSync, createHmac, randomBytes, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const { createScanner } = await import("../dist/scanner.js");
const { loadConfig } = await import("../dist/config/load.js");
const { base62, crc32 } = await import("../dist/engine/validators.js");
const scanner = createScanner(loadConfig({ noConfigFile: true }));

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

/** [label, secret generator] — formats as providers document them. */
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
  ["twilio-api-key", () => "SK" + pick(HEX, 32)],
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

// ------------------------------------------------------------ recall
let found = 0;
let total = 0;
const misses = new Map();
for (const [label, gen] of SECRETS) {
  for (let i = 0; i < 4; i++) {
    const secret = gen();
    for (const [path, text] of contextFor(label, secret)) {
      total++;
      const fs = scanner.scanFragment({ text, path }).findings;
      const norm = (x) => x.replace(/\\n/g, "\n").trim();
      if (fs.some((f) => norm(f.secret) === norm(secret) || norm(secret).includes(norm(f.secret)) && f.secret.length >= 16)) found++;
      else misses.set(`${label} in ${path}`, (misses.get(`${label} in ${path}`) ?? 0) + 1);
    }
  }
  // Encoded forms: a Kubernetes Secret and a basic-auth header.
}
for (let i = 0; i < 8; i++) {
  total++;
  const tok = gh("ghp");
  const text = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci\ndata:\n  token: ${Buffer.from(tok).toString("base64")}\n`;
  if (scanner.scanFragment({ text, path: "k8s/secret.yaml" }).findings.length > 0) found++;
  else misses.set("base64 GitHub token in a Kubernetes Secret", (misses.get("base64 GitHub token in a Kubernetes Secret") ?? 0) + 1);
}

// ------------------------------------------------------------ false positives on realistic non-secrets
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
let negFindings = 0;
const negCauses = new Map();
for (const [path, gen] of NEGATIVES) {
  for (let i = 0; i < 10; i++) {
    for (const f of scanner.scanFragment({ text: gen(), path }).findings) {
      negFindings++;
      negCauses.set(`${f.ruleId} in ${path}`, (negCauses.get(`${f.ruleId} in ${path}`) ?? 0) + 1);
    }
  }
}

// ------------------------------------------------------------ false positives on real code
const root = new URL("../node_modules", import.meta.url).pathname;
let bytes = 0;
let codeFindings = 0;
const codeCauses = new Map();
const walk = (d) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.isFile() && statSync(p).size < 20 * 1048576) {
      const buf = readFileSync(p);
      if (buf.subarray(0, 8000).includes(0)) continue;
      bytes += buf.length;
      for (const f of scanner.scanFragment({ text: buf.toString("utf8"), path: p.slice(root.length + 1) }).findings) {
        codeFindings++;
        codeCauses.set(`${f.ruleId} in ${p.slice(root.length + 1)}`, 1);
      }
    }
  }
};
walk(root);

const recall = found / total;
const fp = negFindings + codeFindings;
console.log(`Rules: ${scanner.ruleSet.rules.length}`);
console.log(`Recall on the generated corpus: ${found}/${total} = ${(100 * recall).toFixed(1)}% (${SECRETS.length} formats × file contexts, plus encoded forms)`);
console.log(`Precision on that corpus plus the negatives: ${found}/${found + fp} = ${(100 * found / (found + fp)).toFixed(1)}%`);
console.log(`False positives: ${negFindings} on ${NEGATIVES.length * 10} realistic non-secret files; ${codeFindings} in ${(bytes / 1048576).toFixed(1)} MB of node_modules (${(codeFindings / (bytes / 10485760)).toFixed(2)} per 10 MB)`);
if (misses.size) console.log("Misses:\n" + [...misses].map(([k, v]) => `  ${v}× ${k}`).join("\n"));
if (negCauses.size || codeCauses.size) console.log("False positives:\n" + [...negCauses, ...codeCauses].map(([k, v]) => `  ${v}× ${k}`).join("\n"));
