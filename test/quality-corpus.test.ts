/**
 * The data behind `npm run quality`'s documentation and credential-file
 * corpora (bench/corpus/*.json) is well-formed, its generation is
 * reproducible from a seed, and the data files themselves hold no secret.
 * No recall figure is asserted here: the corpus measures the rules, it is not
 * tuned to them.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as gen from "../bench/corpus/generate.mjs";
import { loadConfig } from "../src/config/load.js";
import { base62, crc32 } from "../src/engine/validators.js";
import { createScanner } from "../src/core/scanner.js";

interface Format {
  id: string;
  provider: string;
  credential: string;
  source: string;
  sourceKind: string;
  documented: string;
  format: unknown[];
  env?: string;
  usage?: [string, string][];
  examples?: { parts: string[]; note: string }[];
}
interface Layout {
  id: string;
  tool: string;
  source: string;
  sourceKind: string;
  path: string;
  template: string;
  kinds?: Record<string, string>;
  notSecret?: string[];
  placeholders?: Record<string, string>;
}
interface Case {
  text: string;
  secret: string;
  targets: [number, number][];
}
interface LayoutCase {
  layoutId: string;
  text: string;
  expected: { name: string; value: string; targets: [number, number][] }[];
}

const formats: Format[] = gen.docsCorpus.formats;
const layouts: Layout[] = gen.layoutCorpus.layouts;
const SOURCE_KINDS = ["docs", "docs-prefix", "third-party", "rule-notes", "memory"];

describe("documentation corpus data", () => {
  it("gives every format an id, a provider, an https source, how it was sourced, and what the source says", () => {
    expect(new Set(formats.map((f) => f.id)).size).toBe(formats.length);
    for (const f of formats) {
      expect(f.provider, f.id).toBeTruthy();
      expect(f.credential, f.id).toBeTruthy();
      expect(f.source, f.id).toMatch(/^https:\/\/\S+$/);
      expect(SOURCE_KINDS, f.id).toContain(f.sourceKind);
      expect(f.documented.length, f.id).toBeGreaterThan(5);
      if (f.env !== undefined) expect(f.env, f.id).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    }
    expect(new Set(formats.map((f) => f.provider)).size).toBeGreaterThanOrEqual(60);
  });

  it("places the token in every usage layout, and builds a token from every format", () => {
    const r = gen.rng(7);
    for (const f of formats) {
      for (const [path, template] of f.usage ?? []) {
        expect(path, f.id).toMatch(/^[^/].*[^/]$/);
        expect(/\{\{(secret|secret_json|b64auth)\}\}/.test(template), `${f.id} ${path}`).toBe(true);
      }
      const token: string = gen.buildToken(f.format, r);
      expect(token.length, f.id).toBeGreaterThanOrEqual(8);
      if (typeof f.format[0] === "string") expect(token.startsWith(f.format[0]), f.id).toBe(true);
    }
  });

  it("stores documented examples as pieces, never whole", () => {
    for (const f of formats) for (const ex of f.examples ?? []) {
      expect(ex.parts.length, f.id).toBeGreaterThanOrEqual(2);
      expect(ex.note, f.id).toBeTruthy();
    }
  });

  it("computes GitHub's checksum the way the engine validates it (CRC-32 in base62, written independently)", () => {
    const pat = formats.find((f) => f.id === "github-pat-classic")!;
    const r = gen.rng(11);
    for (let i = 0; i < 20; i++) {
      const t: string = gen.buildToken(pat.format, r);
      const body = t.slice(4, 34);
      expect(t.slice(34)).toBe(base62(crc32(body), 6));
    }
  });
});

describe("credential-file layout corpus data", () => {
  it("gives every layout an id, a tool, an https source and at least one expected secret", () => {
    expect(new Set(layouts.map((l) => l.id)).size).toBe(layouts.length);
    for (const l of layouts) {
      expect(l.tool, l.id).toBeTruthy();
      expect(l.source, l.id).toMatch(/^https:\/\/\S+$/);
      expect(SOURCE_KINDS, l.id).toContain(l.sourceKind);
      expect(/\{\{(s:|enc:)/.test(l.template), l.id).toBe(true);
    }
  });

  it("names only secrets the template holds in its documented-placeholder fillings", () => {
    for (const l of layouts) {
      const names = new Set([...l.template.matchAll(/\{\{s:(\w+):/g)].map((m) => m[1]).concat(Object.keys(l.kinds ?? {})));
      for (const k of Object.keys(l.placeholders ?? {})) expect(names.has(k), `${l.id}: ${k}`).toBe(true);
      for (const k of l.notSecret ?? []) expect(names.has(k), `${l.id}: ${k}`).toBe(true);
    }
  });
});

describe("corpus generation", () => {
  it("is the same for the same seed and different for another", () => {
    const a: Case[] = gen.docsCases(42, 1);
    const b: Case[] = gen.docsCases(42, 1);
    const c: Case[] = gen.docsCases(43, 1);
    expect(a.map((x) => x.text)).toEqual(b.map((x) => x.text));
    expect(a.map((x) => x.text)).not.toEqual(c.map((x) => x.text));
    const la: LayoutCase[] = gen.layoutCases(42, 1);
    const lb: LayoutCase[] = gen.layoutCases(42, 1);
    const lc: LayoutCase[] = gen.layoutCases(43, 1);
    expect(la.map((x) => x.text)).toEqual(lb.map((x) => x.text));
    expect(la.map((x) => x.text)).not.toEqual(lc.map((x) => x.text));
  });

  it("records where each planted secret stands (raw or encoded)", () => {
    const docs: Case[] = gen.docsCases(5, 1);
    for (const c of docs) {
      expect(c.targets.length, c.text).toBeGreaterThan(0);
      for (const [s, e] of c.targets) expect(e).toBeGreaterThan(s);
      if (c.text.includes(c.secret)) expect(c.targets.some(([s, e]) => c.text.slice(s, e) === c.secret)).toBe(true);
    }
    const lay: LayoutCase[] = gen.layoutCases(5, 1);
    for (const c of lay) for (const e of c.expected) {
      expect(e.targets.length, `${c.layoutId}: ${e.name}`).toBeGreaterThan(0);
      const inText = c.text.includes(e.value);
      const decoded = e.targets.some(([s, t]) => Buffer.from(c.text.slice(s, t), "base64").toString().includes(e.value));
      expect(inText || decoded, `${c.layoutId}: ${e.name}`).toBe(true);
    }
  });

  it("fills the documented placeholders without leaving template markers", () => {
    for (const f of gen.layoutPlaceholderFiles() as { layoutId: string; text: string }[]) expect(f.text, f.layoutId).not.toMatch(/\{\{(s|enc|gen|user|host|db):?/);
    for (const c of gen.docsCases(9, 1) as Case[]) expect(c.text).not.toMatch(/\{\{(secret|gen|also|b64auth)/);
  });
});

describe("the corpus data files", () => {
  it("hold nothing this repository's own scan reports", () => {
    const scanner = createScanner(loadConfig({ noConfigFile: true }));
    for (const name of ["docs-corpus.json", "layout-corpus.json", "generate.mjs"]) {
      const path = `bench/corpus/${name}`;
      const text = readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
      expect(scanner.scanText(text, path).map((f) => `${f.ruleId}:${f.line}`), path).toEqual([]);
    }
  });
});
