/**
 * The import rule: the folders of src/ are layers, and a module may import
 * only from its own folder or from a lower layer (ARCHITECTURE.md draws the
 * same picture). A type-only import may also reach sideways or up into the
 * data models (a report type, a config type), never into api/ or cli/. The
 * engine stays pure: no file system, process, child processes or threads.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

/** Lowest first. A folder (or top-level file) may import from its own entry and earlier ones. */
const LAYERS: readonly (readonly string[])[] = [
  ["errors.ts", "version.ts"],
  ["engine"],
  ["ruleset", "util"],
  ["git"],
  ["config"],
  ["core"],
  ["sources"],
  ["scans", "suppress", "inventory"],
  ["report", "hooks"],
  ["api"],
  ["cli"],
  ["index.ts"],
];

/** Layers nothing else may import, not even for types. */
const TOP = new Set(["api", "cli", "index.ts"]);

/** Node built-ins the pure engine may use (hashing only). */
const ENGINE_BUILTINS = new Set(["node:crypto"]);
/** The one engine module that may use node:module: to load node:crypto when first used (start-up of the hook). */
const HASHING = "engine/hashing.ts";

/**
 * Known edges that break the rule, each with the reason it is tolerated.
 * Every entry must still exist (a stale one fails), so the list only shrinks.
 */
const EXCEPTIONS: ReadonlyMap<string, string> = new Map([
  // The worker script is a thread's entry point, a small program of its own: it
  // reads files and blobs in the worker (sources/) for the pool that core/ owns.
  ["core/scan-worker.ts -> sources/git-blob.ts", "thread entry point: decodes blobs where they are scanned"],
  ["core/scan-worker.ts -> sources/file-read.ts", "thread entry point: reads files where they are scanned"],
  ["core/scan-worker.ts -> sources/blob-delta.ts", "thread entry point: scans only what a blob version adds, where it is scanned"],
  ["core/scan-worker.ts -> sources/summary-store.ts", "thread entry point: keeps the fast path's blob summaries in the thread that scans"],
]);

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
  spec: string;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Every import of a module: static, re-export and dynamic `import()`. */
function importsOf(file: string): Edge[] {
  const text = readFileSync(file, "utf8");
  const from = relative(SRC, file);
  const edges: Edge[] = [];
  const add = (spec: string, typeOnly: boolean) => {
    const to = spec.startsWith(".") ? relative(SRC, resolve(dirname(file), spec)).replace(/\.js$/, ".ts") : spec;
    edges.push({ from, to, typeOnly, spec });
  };
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?([^;]*?)\s+from\s+"([^"]+)"/gms)) {
    const clause = m[3]!;
    // `import { type A, type B }` is type-only too.
    const allTypes = /^\{[^}]*\}$/s.test(clause.trim()) && clause.replace(/[{}\s]/g, "").split(",").filter(Boolean).every((s) => s.startsWith("type"));
    add(m[4]!, Boolean(m[2]) || allTypes);
  }
  for (const m of text.matchAll(/^\s*import\s+"([^"]+)"/gm)) add(m[1]!, false);
  for (const m of text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)) add(m[1]!, false);
  return edges;
}

/** The layer entry of a path under src/: its first folder, or the file itself at the top. */
const unitOf = (path: string): string => path.split("/")[0]!;
const rankOf = (unit: string): number => LAYERS.findIndex((l) => l.includes(unit));

const ALL = tsFiles(SRC).flatMap(importsOf);
const LOCAL = ALL.filter((e) => e.spec.startsWith("."));

describe("architecture: the layers of src/", () => {
  it("places every folder and top-level module of src/ in a layer", () => {
    const units = new Set(readdirSync(SRC).filter((n) => !n.endsWith(".d.ts")));
    const unplaced = [...units].filter((u) => rankOf(u) < 0);
    expect(unplaced).toEqual([]);
  });

  it("imports only downwards (type-only imports may reach models sideways or up, never api/cli)", () => {
    const bad: string[] = [];
    const used = new Set<string>();
    for (const e of LOCAL) {
      const a = unitOf(e.from);
      const b = unitOf(e.to);
      if (a === b) continue;
      const key = `${e.from} -> ${e.to}`;
      const ok = rankOf(b) < rankOf(a) || (e.typeOnly && !TOP.has(b));
      if (ok) continue;
      if (EXCEPTIONS.has(key)) used.add(key);
      else bad.push(`${key}${e.typeOnly ? " (type)" : ""}`);
    }
    expect(bad).toEqual([]);
    expect([...EXCEPTIONS.keys()].filter((k) => !used.has(k)), "stale exceptions: remove them").toEqual([]);
  });

  it("keeps the engine pure: no fs, process, child processes, threads or npm packages beyond glob matching", () => {
    const bad = ALL.filter((e) => unitOf(e.from) === "engine")
      .filter((e) => !e.spec.startsWith(".") || !(unitOf(e.to) === "engine" || e.to === "errors.ts"))
      .filter((e) => !ENGINE_BUILTINS.has(e.spec) && e.spec !== "micromatch" && !(e.from === HASHING && e.spec === "node:module"))
      .map((e) => `${e.from} -> ${e.spec}`);
    expect(bad).toEqual([]);
    // hashing.ts loads node:crypto and nothing else.
    expect(readFileSync(join(SRC, HASHING), "utf8").match(/\)\("node:[\w/]+"\)/g)).toEqual([')("node:crypto")']);
    const processUse = tsFiles(join(SRC, "engine")).filter((f) => /\bprocess\.(env|cwd|exit|argv|stdout|stderr)\b/.test(readFileSync(f, "utf8")));
    expect(processUse.map((f) => relative(SRC, f))).toEqual([]);
  });

  it("keeps git plumbing free of scanning: git/ imports no rules, config or reports", () => {
    const bad = LOCAL.filter((e) => unitOf(e.from) === "git" && !["git", "engine", "errors.ts", "util"].includes(unitOf(e.to)));
    expect(bad.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it("finds imports of every kind (the rule cannot pass by reading nothing)", () => {
    expect(LOCAL.length).toBeGreaterThan(300);
    expect(ALL.some((e) => e.spec === "node:crypto")).toBe(true);
    expect(LOCAL.some((e) => e.typeOnly)).toBe(true);
    // A dynamic import (lazy command loading) is seen too.
    expect(LOCAL.some((e) => e.from === "cli/main.ts" && e.to.startsWith("cli/commands/"))).toBe(true);
  });
});
