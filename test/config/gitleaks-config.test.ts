/**
 * Configuration files in the gitleaks schema load unchanged: custom rules with
 * Go regex syntax, every allowlist form gitleaks v8 has had, `[extend]`.
 * Broken files end the CLI with exit 2 and one line naming file and line.
 */
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { createScanner } from "../../src/core/scanner.js";
import { runIn } from "../helpers/in-process.js";
import { awsKeyId, githubToken, randomToken } from "../helpers/secrets.js";
import { removeTempFolders, tempFolder } from "../helpers/temp-folder.js";

// Each test runs the CLI several times (real processes, real git); a busy machine needs room.
vi.setConfig({ testTimeout: 120_000 });

const folder = (files: Record<string, string>): string => tempFolder(files, "lg-cfg-");
afterAll(removeTempFolders);

// A config as a team migrating from gitleaks would have it (gitleaks v8.2x layout).
const GITLEAKS_TOML = String.raw`
title = "acme gitleaks config"

[extend]
useDefault = true
disabledRules = ["github-oauth-token"]

[[rules]]
id = "acme-api-key"
description = "ACME API key"
# Go syntax: (?i) prefix, named group, \z-free but a scoped (?-i:…)
regex = '''(?i)(?:acme|(?-i:ACM))[\w.-]{0,20}[\s'"]{0,3}(?:=|:)\s{0,5}['"]?(?P<key>acme_[[:alnum:]]{32})\b'''
secretGroup = 1
entropy = 3.5
keywords = ["acme"]
tags = ["acme", "internal"]

  [[rules.allowlists]]
  description = "test doubles in line with TEST marker"
  condition = "AND"
  regexTarget = "line"
  regexes = ['''(?i)\bTEST\b''']
  paths = ['''(?:^|/)spec/''']

[[rules]]
id = "acme-session"
description = "ACME session"
regex = '''sess=(acme_s_[A-Za-z0-9]{24})'''
keywords = ["sess="]
  # pre-8.21 single allowlist table
  [rules.allowlist]
  stopwords = ["ciuser"]

[allowlist]
description = "vendored"
paths = ['''^vendor/''']

[[allowlists]]
description = "shared sandbox account ids"
targetRules = ["aws-access-key-id"]
regexTarget = "match"
regexes = ['''ZZ7ZZ7ZZ$''']

[[allowlists]]
description = "a commit we rewrote away"
commits = ["0123456789abcdef0123456789abcdef01234567"]
`;

describe("a realistic gitleaks config", () => {
  const dir = folder({ ".gitleaks.toml": GITLEAKS_TOML });
  const config = loadConfig({ root: dir });
  const scanner = createScanner(config);
  const acme = "acme_" + randomToken(32, 11);
  const scan = (text: string, path = "app/settings.py", commit?: string) =>
    scanner.scanFragment({ text, path, ...(commit ? { commit: { commit } } : {}) });

  it("is found at the root as .gitleaks.toml and extends the built-in rules", () => {
    expect(config.file).toBe(join(dir, ".gitleaks.toml"));
    const ids = config.rules.map((r) => r.id);
    expect(ids).toContain("aws-access-key-id");
    expect(ids).toContain("acme-api-key");
    expect(ids).not.toContain("github-oauth-token");
  });

  it("runs the Go-syntax rule: (?i), (?-i:…), named group, POSIX class", () => {
    const r = scan(`ACME_TOKEN = "${acme}"\nACM_key: ${acme}\nacm_key: ${acme}\n`);
    const hits = r.findings.filter((f) => f.ruleId === "acme-api-key");
    expect(hits.map((f) => [f.line, f.secret])).toEqual([
      [1, acme],
      [2, acme],
    ]);
    expect(hits[0]!.tags).toEqual(expect.arrayContaining(["acme", "internal"]));
  });

  it("[[rules.allowlists]] with condition AND needs every criterion", () => {
    const text = `acme_key = "${acme}"  # TEST double\n`;
    expect(scan(text, "spec/acme.py").findings).toHaveLength(0);
    expect(scan(text, "spec/acme.py").suppressed[0]).toMatchObject({ reason: "allowlist" });
    // Same line outside spec/: only one criterion holds, so it is reported.
    expect(scan(text, "src/acme.py").findings).toHaveLength(1);
  });

  it("old-style [rules.allowlist] stopwords", () => {
    const dummy = "acme_s_CIuser" + randomToken(18, 3);
    const real = "acme_s_" + randomToken(24, 5);
    const r = scan(`sess=${dummy}\nsess=${real}\n`);
    expect(r.findings.map((f) => f.secret)).toEqual([real]);
    expect(r.suppressed.map((s) => s.reason)).toContain("stopword");
  });

  it("global [allowlist] paths and [[allowlists]] targetRules with regexTarget match", () => {
    expect(scan(`k = ${awsKeyId(7)}\n`, "vendor/lib/conf.txt").findings).toHaveLength(0);
    const example = ["AKIA", "QRTWXPLM", "ZZ7ZZ7ZZ"].join("");
    const r = scan(`k = ${example}\ngh = ${githubToken(8)}\n`);
    expect(r.findings.map((f) => f.ruleId)).toEqual(["github-pat"]);
    expect(r.suppressed.find((s) => s.finding.ruleId === "aws-access-key-id")?.detail).toMatch(/shared sandbox account ids/);
  });

  it("[[allowlists]] commits hides findings of that commit only", () => {
    const text = `k = ${awsKeyId(9)}\n`;
    expect(scan(text, "a.txt", "0123456789abcdef0123456789abcdef01234567").findings).toHaveLength(0);
    expect(scan(text, "a.txt", "fedcba9876543210fedcba9876543210fedcba98").findings).toHaveLength(1);
  });

  it("keys load case-insensitively, as gitleaks (viper) reads them", () => {
    const d = folder({
      "c.toml": `[[rules]]\nid = "x-key"\nRegex = '''xk_([a-z0-9]{20})'''\nSecretGroup = 1\nkeywords = ["xk_"]\n[rules.allowList]\nstopWords = ["sample"]\n`,
    });
    const cfg = loadConfig({ configFile: join(d, "c.toml") });
    const rule = cfg.rules.find((r) => r.id === "x-key")!;
    expect(rule.secretGroup).toBe(1);
    expect(rule.allowlists?.[0]?.stopwords).toEqual(["sample"]);
  });

  it("a rule with a built-in id refines it: given fields win, allowlists add up", () => {
    const d = folder({
      "c.toml": `[[rules]]\nid = "github-pat"\nseverity = "low"\n[[rules.allowlists]]\npaths = ['''^legacy/''']\n`,
    });
    const sc = createScanner(loadConfig({ configFile: join(d, "c.toml") }));
    const text = `T=${githubToken(12)}\n`;
    expect(sc.scanText(text, "src/a.env").map((f) => [f.ruleId, f.severity])).toEqual([["github-pat", "low"]]);
    expect(sc.scanText(text, "legacy/a.env")).toEqual([]);
  });

  it("without secretGroup the first capture group that matched is the secret, as in gitleaks", () => {
    const d = folder({
      "c.toml": `[extend]\nuseDefault = false\n[[rules]]\nid = "two-forms"\nregex = '''(?:tok1=([a-z0-9]{12})|tok2:([a-z0-9]{12}))'''\n`,
    });
    const sc = createScanner(loadConfig({ configFile: join(d, "c.toml") }));
    expect(sc.scanText("tok1=abcdef012345\ntok2:zyxwvu987654\n").map((f) => f.secret)).toEqual(["abcdef012345", "zyxwvu987654"]);
  });

  it("[extend] useDefault = false starts empty; skipReport rules never report", () => {
    const d = folder({
      "c.toml": `[extend]\nuseDefault = false\n[[rules]]\nid = "only"\nregex = '''only_[0-9]{8}'''\n[[rules]]\nid = "part"\nregex = '''part_[0-9]{8}'''\nskipReport = true\n`,
    });
    const cfg = loadConfig({ configFile: join(d, "c.toml") });
    expect(cfg.rules.map((r) => r.id)).toEqual(["only"]);
  });

  it("[extend] path reads the parent config first", () => {
    const d = folder({
      "base.toml": `[[rules]]\nid = "base-rule"\nregex = '''base_[0-9]{8}'''\n`,
      "c.toml": `[extend]\npath = "base.toml"\ndisabledRules = ["aws-secret-access-key"]\n`,
    });
    const ids = loadConfig({ configFile: join(d, "c.toml") }).rules.map((r) => r.id);
    expect(ids).toContain("base-rule");
    expect(ids).toContain("aws-access-key-id");
    expect(ids).not.toContain("aws-secret-access-key");
  });

  it("a rule the extended config turns off stays off (the built-ins loaded again for the extending file do not bring it back)", () => {
    const d = folder({
      "base.toml": `[extend]\ndisabledRules = ["github-pat"]\n`,
      "mid.toml": `[extend]\npath = "base.toml"\n`,
      "c.toml": `[extend]\npath = "mid.toml"\ndisabledRules = ["aws-secret-access-key"]\n`,
    });
    const cfg = loadConfig({ configFile: join(d, "c.toml") });
    const ids = cfg.rules.map((r) => r.id);
    expect(ids).not.toContain("github-pat");
    expect(ids).not.toContain("aws-secret-access-key");
    expect(ids).toContain("aws-access-key-id");
    expect(cfg.sources!.map((s) => s.disabledRules)).toEqual([["aws-secret-access-key"], [], ["github-pat"]]);
  });
});

describe("broken configs exit 2 naming file and line", () => {
  const cases: Array<[string, string, RegExp]> = [
    ["bad TOML", `title = "x"\n[[rules]\nid = "a"\n`, /^leakguard: .*bad\.toml:2:\d+: invalid TOML/],
    [
      "bad regex",
      `title = "x"\n\n[[rules]]\nid = "acme"\nregex = '''(?i)acme_(\\w+'''\n`,
      /^leakguard: .*bad\.toml:5: acme: regex: missing closing \)$/m,
    ],
    [
      "unsupported Go syntax",
      `[[rules]]\nid = "uni"\nkeywords = ["x"]\nregex = '''x\\pL+'''\n`,
      /bad\.toml:4: uni: regex: Unicode classes \\p\{…\} are not supported/,
    ],
    ["unknown rule field", `[[rules]]\nid = "a"\nregex = "a"\n\n[[rules]]\nid = "b"\nregex = "b"\nsecretGroups = 1\n`, /bad\.toml:8: b: unknown field "secretGroups"/],
    [
      "unknown allowlist field",
      `[[rules]]\nid = "a"\nregex = "a"\n[[rules.allowlists]]\nregexes = ["x"]\nregexTargets = "line"\n`,
      /bad\.toml:6: a: allowlists\[0\]: unknown field "regexTargets"/,
    ],
    ["unknown top-level table", `title = "t"\n\n[rulez]\nx = 1\n`, /bad\.toml:3: top level: unknown field "rulez"/],
    ["gitleaks v7 whitelist", `[whitelist]\nfiles = ["x"]\n`, /bad\.toml:1: top level: \[whitelist\] is gitleaks v7 syntax/],
    ["bad allowlist regex", `[[allowlists]]\nregexes = ['''a(''']\n`, /bad\.toml:2: allowlists\[0\]: regexes\[0\]: missing closing \)/],
    ["secretGroup too big", `[[rules]]\nid = "g"\nregex = '''a(b)'''\nsecretGroup = 2\n`, /bad\.toml:4: g: secretGroup 2 but the regex has 1 capture group$/m],
    ["bad condition", `[[allowlists]]\ncondition = "XOR"\nregexes = ["x"]\n`, /bad\.toml:2: allowlists\[0\]: condition must be "OR" or "AND"/],
    ["composite rule", `[[rules]]\nid = "c"\nregex = "c"\n[[rules.required]]\nid = "d"\n`, /bad\.toml:4: c: composite rules/],
    ["extend url", `[extend]\nurl = "https://example.test/x.toml"\n`, /bad\.toml:2: extend: url is not supported/],
    ["wrong type", `[[rules]]\nid = "w"\nregex = "w"\nentropy = "high"\n`, /bad\.toml:4: w: entropy must be a number/],
  ];
  for (const [name, text, re] of cases) {
    it(name, async () => {
      const d = folder({ "bad.toml": text, "a.txt": "nothing here\n" });
      const r = await runIn(d, ["scan", "--config", "bad.toml", "--no-progress", "a.txt"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stdout).toBe("");
    });
  }

  it("a .leakguard.toml found at the root is checked the same way", async () => {
    const d = folder({ ".leakguard.toml": `[scan]\nmaxFileSize = "10MB"\nexclud = ["x"]\n`, "a.txt": "x\n" });
    const r = await runIn(d, ["scan", "a.txt"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.leakguard\.toml:3: scan: unknown field "exclud"/);
  });

  it("an existing .gitleaks.toml works unchanged with --config and finds the custom rule", async () => {
    const acme = "acme_" + randomToken(32, 21);
    const d = folder({ "gl.toml": GITLEAKS_TOML, "settings.py": `ACME_KEY = "${acme}"\n` });
    const r = await runIn(d, ["scan", "--config", "gl.toml", "--format", "json", "settings.py"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; line: number; secret: string }> };
    expect(out.findings.map((f) => [f.ruleId, f.line])).toEqual([["acme-api-key", 1]]);
    expect(r.stdout).not.toContain(acme);
  });
});
