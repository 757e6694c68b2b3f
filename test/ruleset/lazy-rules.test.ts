/**
 * The pre-commit hook's built-in rules, loaded lazily (ruleset/builtin.ts
 * lazyBuiltinRules, dist/rules-index.bin): a rule is read and parsed from its own line
 * of dist/rules.json, and compiled, only when a text selects it. Shown equal to
 * the rules parsed whole: every field, JSON and copies; findings and
 * suppressed candidates of every rule's examples, by default and in audit
 * mode; configs that refine, disable and add rules and allowlists, and their
 * errors; a real `leakguard staged` against the same scan in this process;
 * and a damaged or stale index, which falls back to the whole file.
 * The lazy path needs the build (dist/), so the modules come from there.
 */
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../../src/config/load.js";
import type { EngineResult } from "../../src/engine/scan.js";
import type { Fragment, RuleDef, RuleExample } from "../../src/engine/types.js";
import { TestRepo } from "../helpers/git-repo.js";
import { runIn } from "../helpers/in-process.js";
import { awsKeyId, awsSecret, githubToken, randomToken } from "../helpers/secrets.js";
import { runCli } from "../helpers/cli.js";

type Load = typeof import("../../src/config/load.js");
type Builtin = typeof import("../../src/ruleset/builtin.js");
type Scanners = typeof import("../../src/core/scanner.js");
type Index = typeof import("../../src/ruleset/rule-index.js");
type Compile = typeof import("../../src/engine/compile.js");
type Push = typeof import("../../src/api/push.js");
type Place = typeof import("../../src/engine/place.js");

const DIST = new URL("../../dist/", import.meta.url);
const load = async (dist: URL) => ({
  config: (await import(new URL("config/load.js", dist).href)) as Load,
  builtin: (await import(new URL("ruleset/builtin.js", dist).href)) as Builtin,
  scanner: (await import(new URL("core/scanner.js", dist).href)) as Scanners,
});
const built = await load(DIST);
const { decodeRuleIndex } = (await import(new URL("ruleset/rule-index.js", DIST).href)) as Index;
const { compileRuleSet, readyRule } = (await import(new URL("engine/compile.js", DIST).href)) as Compile;
const { placeKey } = (await import(new URL("engine/place.js", DIST).href)) as Place;

const scratch = mkdtempSync(join(tmpdir(), "lg-lazy-rules-"));
/**
 * Copies the build into `root`/dist without the bin's code caches or their temporary files: other
 * test files run the real bin meanwhile, and on a fresh build its first runs write those caches (a
 * temporary file renamed into place, which a copy that had listed it then failed to find).
 */
function copyBuild(root: string): void {
  cpSync(fileURLToPath(DIST), join(root, "dist"), { recursive: true, filter: (from) => !basename(from).includes(".v8cache") });
}

/** A copied package finds its dependencies (smol-toml, ...) as an installed one does: Node loads the build natively. */
const linkDependencies = (root: string): void => symlinkSync(fileURLToPath(new URL("../../node_modules", import.meta.url)), join(root, "node_modules"), "dir");
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Findings and suppressed candidates as plain data (fingerprints included). */
const plain = (r: EngineResult): unknown => JSON.parse(JSON.stringify({ findings: r.findings, suppressed: r.suppressed }));

/** Scans `frags` with an eager and a lazy scanner made from `eager` and `lazy` configs; both results. */
function both(m: Awaited<ReturnType<typeof load>>, eager: ResolvedConfig, lazy: ResolvedConfig, frags: readonly Fragment[], minConfidence?: "low") {
  const opts = minConfidence ? { minConfidence } : {};
  const e = m.scanner.createScanner(eager, opts);
  const l = m.scanner.createScanner(lazy, opts);
  return { eager: frags.map((f) => plain(e.scanFragment(f))), lazy: frags.map((f) => plain(l.scanFragment(f))), lazyScanner: l };
}

const examples = JSON.parse(readFileSync(new URL("rules-examples.json", DIST), "utf8")) as Record<string, { examples?: RuleExample[]; negativeExamples?: Array<{ text: string; path?: string }> }>;
const exampleFragments: Fragment[] = Object.values(examples).flatMap((e) => [...(e.examples ?? []), ...(e.negativeExamples ?? [])].map((x) => ({ text: x.text, path: x.path ?? "example.txt" })));

describe("lazily loaded built-in rules", () => {
  it("read as the rules parsed whole: every field, JSON, and copies that keep the details", async () => {
    const eager = built.builtin.builtinRules();
    // Rules no one has read yet: a module instance of this test's own. The shared one's rules are read by
    // whatever ran before in this worker (another file's staged run of the build), which a rule keeps.
    const unread = (await import(new URL("ruleset/builtin.js?unread", DIST).href)) as Builtin;
    const lazy = unread.lazyBuiltinRules();
    expect(lazy).not.toBe(built.builtin.lazyBuiltinRules());
    expect(lazy).not.toBe(eager);
    expect(lazy.map((r) => r.id)).toEqual(eager.map((r) => r.id));
    // Before a field is read, a rule is its id (and its parser, which the index holds).
    expect(Object.keys(lazy[0]!)).toEqual(["id"]);
    const parsers = lazy.filter((r) => r.parser !== undefined).map((r) => r.id);
    expect(parsers).toEqual(eager.filter((r) => r.parser !== undefined).map((r) => r.id));
    expect(Object.keys(lazy.find((r) => r.parser !== undefined)!)).toEqual(["id"]);
    const fields = new Set(eager.flatMap((r) => Object.keys(r)));
    for (const [i, r] of lazy.entries()) {
      for (const f of [...fields, "remediation", "references", "origin"] as Array<keyof RuleDef>) expect(r[f], `${r.id} ${f}`).toEqual(eager[i]![f]);
    }
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(eager));
    expect(lazy.map((r) => ({ ...unread.withOwnDetails(r) }))).toEqual(eager.map((r) => ({ ...built.builtin.withOwnDetails(r) })));
  });

  it("compile, once made ready, to the rules compiled whole: every field, in the same order, for every rule", () => {
    const eager = compileRuleSet(built.builtin.builtinRules());
    const lazy = compileRuleSet(built.builtin.lazyBuiltinRules(), [], { lazy: built.builtin.lazyRuleRows() });
    // Ids into each set's own keyword list, read as the literals they name.
    const literals = (set: typeof lazy, ids: number[] | undefined) => ids?.map((id) => set.keywords.keywords[id]);
    // A compiled allowlist's checks are closures of its own compile: compared by their code.
    const allowlists = (r: (typeof eager.rules)[number]) => r.allowlists.map((a) => Object.entries(a).map(([k, v]) => [k, typeof v === "function" ? String(v) : v]));
    expect(lazy.rules.filter((r) => r.pending).length).toBeGreaterThan(500);
    for (const [i, e] of eager.rules.entries()) {
      const pending = lazy.rules[i]!;
      // The same fields in the same order before and after (one hidden class for the scan loop).
      expect(Object.keys(pending), pending.id).toEqual(Object.keys(e));
      const l = readyRule(pending);
      expect(l).toBe(pending);
      expect(Object.keys(l), l.id).toEqual(Object.keys(e));
      for (const f of Object.keys(e) as Array<keyof typeof e>) {
        if (f === "keywordIds" || f === "anchorIds") expect(literals(lazy, l[f]), `${l.id} ${f}`).toEqual(literals(eager, e[f]));
        else if (f === "def") expect(JSON.stringify(l.def), l.id).toBe(JSON.stringify(e.def));
        else if (f === "allowlists") expect(allowlists(l), l.id).toStrictEqual(allowlists(e));
        else expect(l[f], `${l.id} ${f}`).toStrictEqual(e[f]);
      }
    }
  });

  it("give a path the place key the rules compiled whole give, before any text selects them (their paths and allowlists are read from the rules made ready)", () => {
    const eager = compileRuleSet(built.builtin.builtinRules());
    const lazy = compileRuleSet(built.builtin.lazyBuiltinRules(), [], { lazy: built.builtin.lazyRuleRows() });
    expect(lazy.rules.filter((r) => r.pending).length).toBeGreaterThan(500);
    for (const path of ["src/a.js", ".pypirc", "tests/fixture.env", "package-lock.json", ".aws/credentials", "vendor/x.min.js"]) {
      expect(placeKey(lazy, path), path).toBe(placeKey(eager, path));
    }
  });

  it("compile only the rules a text selects, and every rule's examples give the same findings and suppressed candidates, by default and in audit mode", () => {
    const eager = built.config.loadConfig({ noConfigFile: true });
    const lazy = built.config.loadConfigLazily({ noConfigFile: true });
    const first = both(built, eager, lazy, [{ text: "export const answer = 42;\n", path: "src/a.js" }]);
    expect(first.lazy).toEqual(first.eager);
    const pending = first.lazyScanner.ruleSet.rules.filter((r) => r.pending).length;
    expect(pending).toBeGreaterThan(first.lazyScanner.ruleSet.rules.length - 20);
    const r = both(built, eager, lazy, exampleFragments);
    expect(r.lazy).toEqual(r.eager);
    expect(r.eager.filter((x) => (x as { findings: unknown[] }).findings.length > 0).length).toBeGreaterThan(500);
    const audit = both(built, eager, lazy, exampleFragments, "low");
    expect(audit.lazy).toEqual(audit.eager);
  });

  it("stay unread when a source asks whether any rule is path-only (the hook's staged scan asks every time)", async () => {
    const { hasPathOnlyRules } = (await import(new URL("engine/path-rules.js", DIST).href)) as typeof import("../../src/engine/path-rules.js");
    const scanner = built.scanner.createScanner(built.config.loadConfigLazily({ noConfigFile: true }));
    // Each rule's definition made unreadable: asking must go by what the rule knows without it (reading a
    // lazily loaded rule's regex or path loads its body; the other tests here may have loaded them already).
    const sealed = new Proxy({}, { get: () => { throw new Error("a rule definition was read"); } });
    const rs = { ...scanner.ruleSet, rules: scanner.ruleSet.rules.map((r) => ({ ...r, def: sealed })) } as typeof scanner.ruleSet;
    expect(hasPathOnlyRules(rs)).toBe(false);
  });

  it("give each rule the keyword and anchor ids the rules parsed whole get, compiled in order from the first rule or not", () => {
    const eager = built.config.loadConfig({ noConfigFile: true });
    const lazy = built.config.loadConfigLazily({ noConfigFile: true });
    const idsOf = (c: ResolvedConfig) => {
      const rs = built.scanner.createScanner(c).ruleSet;
      return { keywords: rs.keywords.keywords, rules: rs.rules.map((r) => [r.id, r.keywordIds, r.anchorIds ?? null]) };
    };
    // In order: a literal's number in the index is its id, without a map of the literals.
    expect(idsOf(lazy)).toEqual(idsOf(eager));
    // Out of order (a rule left out, and a config's rule first): the ids follow the map again.
    const rules = (c: ResolvedConfig): RuleDef[] => {
      const rest = c.rules.filter((r) => r.id !== "aws-access-key-id");
      return [{ id: "acme-key", description: "Acme key", regex: "acme_[a-z0-9]{24}", keywords: ["acme_", "token"] }, ...rest.slice(1, 40), rest[0]!, ...rest.slice(40)];
    };
    expect(idsOf({ ...lazy, rules: rules(lazy) })).toEqual(idsOf({ ...eager, rules: rules(eager) }));
  });

  it("under a config that refines, disables and extends rules not loaded yet, scans and fails alike", () => {
    const dir = mkdtempSync(join(scratch, "cfg-"));
    writeFileSync(
      join(dir, ".leakguard.toml"),
      [
        "[extend]",
        'disabledRules = ["aws-access-key-id"]',
        "[[rules]]",
        'id = "github-pat"',
        "entropy = 1.0",
        "[[rules.allowlists]]",
        "regexes = ['''ghp_0{36}''']",
        "[[rules]]",
        'id = "acme-key"',
        'description = "Acme key"',
        "regex = '''acme_[a-z0-9]{24}'''",
        'keywords = ["acme_"]',
        "[allowlist]",
        "paths = ['''^fixtures/''']",
        "",
      ].join("\n"),
    );
    const eager = built.config.loadConfig({ root: dir });
    const lazy = built.config.loadConfigLazily({ root: dir });
    const texts: Fragment[] = [
      { text: `token = "${githubToken(7)}"\nother = "ghp_${"0".repeat(36)}"\n`, path: "app.py" },
      { text: `key = "acme_${randomToken(24, 9).toLowerCase()}"\n`, path: "acme.env" },
      { text: `AWS_ACCESS_KEY_ID=${awsKeyId(4)}\nAWS_SECRET_ACCESS_KEY=${awsSecret(5)}\n`, path: "deploy.sh" },
      { text: `token = "${githubToken(8)}"\n`, path: "fixtures/t.py" },
      ...exampleFragments.slice(0, 200),
    ];
    const r = both(built, eager, lazy, texts);
    expect(r.lazy).toEqual(r.eager);
    expect(JSON.stringify(r.lazy.slice(0, 4))).toContain("acme-key");
    // A refinement that does not compile fails the same way, lazily or not.
    writeFileSync(join(dir, ".leakguard.toml"), '[[rules]]\nid = "slack-webhook-url"\nsecretGroup = 7\n');
    const fail = (cfg: ResolvedConfig): string => {
      try {
        built.scanner.createScanner(cfg);
        return "compiled";
      } catch (e) {
        return (e as Error).message;
      }
    };
    const message = fail(built.config.loadConfig({ root: dir }));
    expect(message).toMatch(/slack-webhook-url: secretGroup 7/);
    expect(fail(built.config.loadConfigLazily({ root: dir }))).toBe(message);
  });

  it("`leakguard staged` reports what the same scan in this process (rules parsed whole) reports", async () => {
    const repo = new TestRepo();
    try {
      repo.commitFiles({ "README.md": "# x\n" }, "init");
      repo.write("app.js", `const token = "${githubToken(11)}";\nexport const answer = 42;\n`);
      repo.write("deploy.sh", `export AWS_ACCESS_KEY_ID=${awsKeyId(12)}\nexport AWS_SECRET_ACCESS_KEY=${awsSecret(13)}\n`);
      repo.write(".pgpass", `db.example.com:5432:app:admin:${randomToken(20, 14)}\n`);
      repo.write("encoded.txt", `blob = "${Buffer.from(`token=${githubToken(15)}`).toString("base64")}"\n`);
      repo.write("settings.py", `PASSWORD = "${randomToken(18, 16)}"\nDEBUG = True\n`);
      repo.add(".");
      const args = ["staged", "--format", "json", "--show-secrets"];
      const child = runCli(args, { cwd: repo.dir });
      const here = await runIn(repo.dir, args);
      const strip = (s: string) => {
        const j = JSON.parse(s) as { summary: Record<string, unknown>; findings: unknown[] };
        delete j.summary.durationMs;
        return j;
      };
      const inProcess = strip(here.stdout);
      expect(inProcess.findings.length).toBeGreaterThanOrEqual(4);
      expect([child.code, strip(child.stdout)]).toEqual([here.code, inProcess]);
    } finally {
      repo.remove();
    }
  });

  it("`leakguard push` (the pre-push hook) loads them so, and reports what the same scan in this process (rules parsed whole) reports", async () => {
    const repo = new TestRepo();
    try {
      const base = repo.commitFiles({ "README.md": "# x\n" }, "init");
      repo.commitFiles({ "app.js": `const token = "${githubToken(21)}";\nexport const answer = 42;\n`, "settings.py": `PASSWORD = "${randomToken(18, 22)}"\nDEBUG = True\n` }, "app");
      repo.commitFiles({ "deploy.sh": `export AWS_ACCESS_KEY_ID=${awsKeyId(23)}\nexport AWS_SECRET_ACCESS_KEY=${awsSecret(24)}\n`, ".pgpass": `db.example.com:5432:app:admin:${randomToken(20, 25)}\n` }, "deploy");
      const head = repo.commitFiles({ "encoded.txt": `blob = "${Buffer.from(`token=${githubToken(26)}`).toString("base64")}"\n` }, `encoded, and ${githubToken(27)}`);
      const input = `refs/heads/main ${head} refs/heads/main ${base}\n`;
      const args = ["push", "--format", "json", "--show-secrets"];
      const child = runCli(args, { cwd: repo.dir, input });
      const here = await runIn(repo.dir, args, { input });
      const strip = (s: string) => {
        const j = JSON.parse(s) as { summary: Record<string, unknown>; findings: Array<{ ruleId: string; source?: string }> };
        delete j.summary.durationMs;
        return j;
      };
      const inProcess = strip(here.stdout);
      expect(inProcess.findings.length).toBeGreaterThanOrEqual(6);
      expect(inProcess.findings.some((f) => f.source === "commit-message")).toBe(true);
      expect([child.code, strip(child.stdout)]).toEqual([here.code, inProcess]);
      // The library's push (built) scans with the lazily loaded rules.
      const { runPush } = (await import(new URL("api/push.js", DIST).href)) as Push;
      const lazily = await runPush({ cwd: repo.dir, prePushInput: input });
      expect(lazily.config.rules).toBe(built.builtin.lazyBuiltinRules());
      expect(lazily.report.findings.map((f) => f.fingerprint)).toEqual(inProcess.findings.map((f) => (f as unknown as { fingerprint: string }).fingerprint));
    } finally {
      repo.remove();
    }
  });

  it("read every rule's line from the bundle opened once, when the index was checked: a file replaced or removed by then is not read", async () => {
    const root = mkdtempSync(join(scratch, "pkg-"));
    copyBuild(root);
    cpSync(fileURLToPath(new URL("../../rules/", import.meta.url)), join(root, "rules"), { recursive: true });
    copyFileSync(fileURLToPath(new URL("../../package.json", import.meta.url)), join(root, "package.json"));
    linkDependencies(root);
    const m = await load(new URL(`file://${join(root, "dist")}/`));
    const lazy = m.builtin.lazyBuiltinRules();
    expect(lazy[0]!.regex).toBe(built.builtin.builtinRules()[0]!.regex);
    // A reinstall meanwhile: the rules file gone (and the rule files, the fallback), another in its place.
    rmSync(join(root, "rules"), { recursive: true });
    rmSync(join(root, "dist", "rules.json"));
    writeFileSync(join(root, "dist", "rules.json"), "[]\n");
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(built.builtin.builtinRules()));
  });

  it("falls back to the rules parsed whole when the index is damaged, stale or missing; a damaged rule line is read from the whole file", async () => {
    const good = readFileSync(new URL("rules-index.bin", DIST));
    const index = decodeRuleIndex(good)!;
    expect(index.ids).toEqual(built.builtin.builtinRules().map((r) => r.id));
    const n = index.ids.length;
    const m = index.lits.length;
    // Bytes changed in a copy: the version, the first rule's end (past the second's), a literal number out of range, the text part.
    const changed = (at: number, value: number): Buffer => {
      const b = Buffer.from(good);
      b.writeInt32LE(value, at);
      return b;
    };
    expect(decodeRuleIndex(Buffer.alloc(0))).toBeUndefined();
    expect(decodeRuleIndex(good.subarray(0, good.length - 1))).toBeUndefined();
    expect(decodeRuleIndex(changed(4, 99))).toBeUndefined();
    expect(decodeRuleIndex(changed(24, index.ends[1]! + 10))).toBeUndefined();
    expect(decodeRuleIndex(changed(24 + 3 * n * 4 + (m - 1) * 4, index.literals.length))).toBeUndefined();
    // Literals numbered out of the order the rows first name them (row 0's first literal is number 0).
    expect(index.lits[0]).toBe(0);
    expect(decodeRuleIndex(changed(24 + 3 * n * 4, 1))).toBeUndefined();
    expect(decodeRuleIndex(Buffer.concat([good.subarray(0, good.length - 2), Buffer.from("!!")]))).toBeUndefined();
    const frags = exampleFragments.filter((_, i) => i % 7 === 0);
    const reference = both(built, built.config.loadConfig({ noConfigFile: true }), built.config.loadConfig({ noConfigFile: true }), frags).eager;
    const cases: Array<[string, (dist: string) => void]> = [
      ["missing index", (d) => rmSync(join(d, "rules-index.bin"))],
      ["damaged index", (d) => writeFileSync(join(d, "rules-index.bin"), good.subarray(0, 1000))],
      ["stale index", (d) => writeFileSync(join(d, "rules.json"), readFileSync(join(d, "rules.json"), "latin1") + " ")],
      // One rule's line broken (same size): that rule comes from the TOML files, the others from their lines.
      ["damaged rule line", (d) => writeFileSync(join(d, "rules.json"), readFileSync(join(d, "rules.json"), "latin1").replace('{"id":"github-pat"', '{"id"-"github-pat"'))],
    ];
    for (const [name, damage] of cases) {
      const root = mkdtempSync(join(scratch, "pkg-"));
      copyBuild(root);
      cpSync(fileURLToPath(new URL("../../rules/", import.meta.url)), join(root, "rules"), { recursive: true });
      copyFileSync(fileURLToPath(new URL("../../package.json", import.meta.url)), join(root, "package.json"));
      linkDependencies(root);
      damage(join(root, "dist"));
      const m = await load(new URL(`file://${join(root, "dist")}/`));
      const lazy = m.config.loadConfigLazily({ noConfigFile: true });
      const r = both(m, m.config.loadConfig({ noConfigFile: true }), lazy, frags);
      expect(r.lazy, name).toEqual(reference);
      expect(r.eager, name).toEqual(reference);
      expect(lazy.rules === m.builtin.builtinRules(), name).toBe(name !== "damaged rule line");
    }
  });
});
