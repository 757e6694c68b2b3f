// Maintenance check (not part of the build): lists the exports of src/**/*.ts that no other
// src module imports, by name or through `export *` / a literal dynamic import. Each line is
// `file<TAB>name<TAB>used-in-file|UNUSED`; UNUSED names are dead unless something outside src
// uses them (bin/ calls cli/main's `main`, scripts/ the keyword tables, report/inventory/index.ts
// loads the inventory formats by a template path). Usage: node scripts/unused-exports.mjs [ROOT]
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, dirname, resolve, relative } from "node:path";
const root = resolve(process.argv[2] ?? ".");
const src = join(root, "src");
const files = [];
(function walk(d) { for (const n of readdirSync(d)) { const p = join(d, n); if (statSync(p).isDirectory()) walk(p); else if (p.endsWith(".ts") && !p.endsWith(".d.ts")) files.push(p); } })(src);
const text = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));
const exportsOf = new Map();
for (const [f, t] of text) {
  const names = new Set();
  for (const m of t.matchAll(/^export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\*?|const|let|var|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm)) names.add(m[1]);
  for (const m of t.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}(?!\s*from)/gm)) for (const p of m[1].split(",")) { const n = p.trim().split(/\s+as\s+/).pop().replace(/^type\s+/, ""); if (n) names.add(n); }
  exportsOf.set(f, names);
}
const resolveSpec = (from, spec) => {
  if (!spec.startsWith(".")) return undefined;
  const base = resolve(dirname(from), spec).replace(/\.js$/, "");
  for (const c of [base + ".ts", join(base, "index.ts")]) if (text.has(c)) return c;
  return undefined;
};
const used = new Map(files.map((f) => [f, new Set()]));
const star = new Set();
for (const [f, t] of text) {
  for (const m of t.matchAll(/(?:import|export)\s+(type\s+)?(?:([A-Za-z_$][\w$]*)\s*,?\s*)?(?:\{([^}]*)\}|\*\s*(?:as\s+\w+)?)?\s*from\s*["']([^"']+)["']/g)) {
    const target = resolveSpec(f, m[4]);
    if (!target) continue;
    if (m[0].includes("*")) { star.add(target); continue; }
    if (m[2]) used.get(target).add("default");
    for (const p of (m[3] ?? "").split(",")) { const n = p.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0]; if (n) used.get(target).add(n); }
  }
  // dynamic imports: the whole module counts as used (default + named via destructuring are hard to see)
  for (const m of t.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) { const target = resolveSpec(f, m[1]); if (target) star.add(target); }
}
for (const [f, names] of exportsOf) {
  if (star.has(f)) continue;
  for (const n of names) {
    if (used.get(f).has(n)) continue;
    const t = text.get(f);
    const inFile = (t.match(new RegExp(`\\b${n.replace(/\$/g, "\\$")}\\b`, "g")) ?? []).length > 1;
    console.log(`${relative(root, f)}\t${n}\t${inFile ? "used-in-file" : "UNUSED"}`);
  }
}
