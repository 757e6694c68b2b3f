#!/usr/bin/env node
/**
 * Generates a benchmark repository: N commits (default 20000) of real code
 * taken from successive files in node_modules, evolving in place (each commit
 * edits 1–3 files with lines from the next source file, every 8th adds a new
 * file), with ~20 planted secrets built at run time (never literal here) at
 * known commits. Written with one `git fast-import` stream, so 20k commits
 * take well under two minutes.
 *
 *   node bench/gen-repo.mjs [--commits N] [--out DIR] [--secrets K] [--seed S]
 *
 * Prints the repository path on stdout; writes `<DIR>.planted.json` listing
 * every planted secret (kind, file, commit index and sha) for checks.
 */
import { base62, crc32, rng } from "./fake-tokens.mjs";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const COMMITS = Number(opt("commits", "20000"));
const SECRETS = Number(opt("secrets", "20"));
const SEED = Number(opt("seed", "7"));
const OUT = resolve(opt("out", join(mkdtempSync(join(tmpdir(), "lg-bench-")), "repo")));
const HERE = fileURLToPath(new URL(".", import.meta.url));
const NODE_MODULES = resolve(HERE, "..", "node_modules");

// Seeded (mulberry32) so a seed reproduces the same repository.
const rand = rng(SEED);
const int = (n) => Math.floor(rand() * n);

// --- fake secrets, built at run time -------------------------------------------------
const B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const pick = (alphabet, n) => Array.from({ length: n }, () => alphabet[int(alphabet.length)]).join("");
const KINDS = {
  "github-pat": () => {
    const body = pick(B62, 30);
    return ["gh" + "p_" + body + base62(crc32(body), 6), (s) => `export const GITHUB_TOKEN = "${s}";\n`];
  },
  "aws-access-key-id": () => ["AK" + "IA" + pick(B32, 16), (s) => `AWS_ACCESS_KEY_ID=${s}\n`],
};

// --- source pool: real files from node_modules ---------------------------------------
function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && /\.(m?js|cjs|ts|json|md)$/.test(e.name)) {
      const size = statSync(p).size;
      if (size > 200 && size <= 32 * 1024) out.push(p);
    }
  }
}
const pool = [];
walk(NODE_MODULES, pool);
if (pool.length < 50) throw new Error(`too few source files under ${NODE_MODULES}`);
let poolAt = 0;
const poolLines = new Map(); // read each source once, kept as lines
const nextSource = () => {
  const p = pool[poolAt++ % pool.length];
  let lines = poolLines.get(p);
  if (!lines) poolLines.set(p, (lines = readFileSync(p, "utf8").split("\n")));
  return { path: relative(NODE_MODULES, p), lines };
};
/** Files are kept as arrays of lines; this caps their growth. */
const MAX_LINES = 900;

// --- the commit plan -------------------------------------------------------------------
const T0 = Date.now(); const lap = (w) => process.env.GEN_DEBUG && process.stderr.write(`${w} ${Date.now() - T0}ms\n`);
execFileSync("git", ["init", "-q", "-b", "main", OUT]);
// glibc returns memory to the kernel after every large blob by default; under memory
// pressure those brk calls dominate fast-import's time (10× slower). Keep a pad instead.
const fi = spawn("git", ["fast-import", "--quiet", "--done"], {
  cwd: OUT,
  stdio: ["pipe", "inherit", "inherit"],
  env: { ...process.env, MALLOC_TOP_PAD_: String(256 << 20), MALLOC_TRIM_THRESHOLD_: String(512 << 20) },
});
const chunks = [];
let pendingBytes = 0;
let totalBytes = 0;
async function emit(s) {
  chunks.push(typeof s === "string" ? Buffer.from(s) : s);
  pendingBytes += chunks[chunks.length - 1].length;
  totalBytes += chunks[chunks.length - 1].length;
  if (pendingBytes > 4 << 20) await flush();
}
async function flush() {
  const buf = Buffer.concat(chunks);
  chunks.length = 0;
  pendingBytes = 0;
  if (!fi.stdin.write(buf)) await new Promise((r) => fi.stdin.once("drain", r));
}
const data = (s) => {
  const b = Buffer.from(s);
  return Buffer.concat([Buffer.from(`data ${b.length}\n`), b, Buffer.from("\n")]);
};

const files = new Map(); // path → current text
const AUTHORS = [["Ada Lovelace", "ada@example.test"], ["Linus Q", "linus@example.test"], ["Grace H", "grace@example.test"], ["Ken T", "ken@example.test"]];
const START = Date.parse("2019-01-01T00:00:00Z") / 1000;
const plantAt = new Map(); // commit index → planted secret
for (let k = 0; k < SECRETS; k++) {
  const at = Math.floor(((k + 0.5) * COMMITS) / SECRETS);
  const kind = k % 3 === 2 ? "aws-access-key-id" : "github-pat";
  plantAt.set(at, { kind, removeAfter: k % 4 === 1 ? 50 + int(200) : undefined });
}
const removals = new Map(); // commit index → path to delete
const planted = [];

/** Replaces a few lines at a random place with a few lines of another real file. */
function edit(lines, add) {
  const at = int(lines.length);
  const del = int(Math.min(lines.length > MAX_LINES ? 40 : 6, lines.length - at));
  const from = int(Math.max(1, add.length - 20));
  lines.splice(at, del, ...add.slice(from, from + 1 + int(20)));
  return lines;
}

for (let i = 0; i < COMMITS; i++) {
  const [an, ae] = AUTHORS[i % AUTHORS.length];
  const when = START + i * 3600;
  const ops = [];
  let msg = `change ${i}`;
  if (i < 40 || i % 8 === 0) {
    const s = nextSource();
    const path = `src/${s.path}`;
    files.set(path, s.lines.slice(0, MAX_LINES));
    ops.push(["M", path]);
    msg = `add ${path}`;
  }
  // Planted files stay as planted (only their removal touches them), so the manifest is exact.
  const keys = [...files.keys()].filter((k) => !k.startsWith("config/"));
  for (let n = 1 + int(2); n > 0 && keys.length; n--) {
    const path = keys[int(keys.length)];
    files.set(path, edit(files.get(path), nextSource().lines));
    ops.push(["M", path]);
  }
  const plan = plantAt.get(i);
  if (plan) {
    const [secret, render] = KINDS[plan.kind]();
    const path = `config/settings-${planted.length}.${plan.kind === "github-pat" ? "js" : "env"}`;
    files.set(path, `// settings ${planted.length}\n${render(secret)}`.split("\n"));
    ops.push(["M", path]);
    planted.push({ kind: plan.kind, file: path, commitIndex: i, secret, removedAt: plan.removeAfter !== undefined ? i + plan.removeAfter : undefined });
    if (plan.removeAfter !== undefined) removals.set(i + plan.removeAfter, path);
  }
  const gone = removals.get(i);
  if (gone && files.has(gone)) {
    files.delete(gone);
    ops.push(["D", gone]);
  }
  await emit(`commit refs/heads/main\nmark :${i + 1}\nauthor ${an} <${ae}> ${when} +0000\ncommitter ${an} <${ae}> ${when} +0000\n`);
  await emit(data(msg));
  for (const [op, path] of ops) {
    if (op === "D") await emit(`D ${path}\n`);
    else {
      await emit(`M 100644 inline ${path}\n`);
      await emit(data(files.get(path).join("\n")));
    }
  }
  await emit("\n");
  if (i > 0 && i % 5000 === 0) await emit(`tag v${i / 5000}\nfrom :${i + 1}\ntagger Ada Lovelace <ada@example.test> ${when} +0000\n${"data"} 8\nrelease\n\n`);
}
lap(`stream ${(totalBytes / 1e6).toFixed(0)}MB`); await emit("done\n");
await flush();
fi.stdin.end();
const code = await new Promise((r) => fi.on("close", r));
if (code !== 0) throw new Error(`git fast-import failed (${code})`);

lap("fast-import"); // Resolve commit shas of the planted secrets (mark i+1 = commit index i).
const shas = execFileSync("git", ["rev-list", "--reverse", "main"], { cwd: OUT, encoding: "utf8" }).trim().split("\n");
for (const p of planted) {
  p.commit = shas[p.commitIndex];
  if (p.removedAt !== undefined) p.removedCommit = shas[p.removedAt];
  delete p.secret; // the manifest names where, not what
}
execFileSync("git", ["checkout", "-q", "-f", "main"], { cwd: OUT });
lap("checkout"); writeFileSync(`${OUT}.planted.json`, JSON.stringify({ repo: OUT, commits: COMMITS, planted }, null, 2));
process.stdout.write(OUT + "\n");
