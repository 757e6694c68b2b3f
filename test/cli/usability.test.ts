/**
 * The command line a CI author and a new user meet: --fail-on and
 * --min-confidence, "did you mean" for typos, case-insensitive format names,
 * `leakguard help <command>`, and help text for every option. In process
 * through run(argv, io).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runIn } from "../helpers/in-process.js";
import { randomToken } from "../helpers/secrets.js";

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** A folder with custom rules of known severity and confidence, and one file hitting each. */
function project(): string {
  const d = mkdtempSync(join(tmpdir(), "lg-usab-"));
  dirs.push(d);
  writeFileSync(
    join(d, ".leakguard.toml"),
    [
      "[[rules]]",
      'id = "demo-low"',
      'description = "Demo low-severity token"',
      "regex = '''demolow_([a-z0-9]{16})'''",
      "secretGroup = 1",
      'keywords = ["demolow_"]',
      'severity = "low"',
      'confidence = "low"',
      "entropy = 3.0",
      "",
      "[[rules]]",
      'id = "demo-critical"',
      'description = "Demo critical token"',
      "regex = '''democrit_([a-z0-9]{16})'''",
      "secretGroup = 1",
      'keywords = ["democrit_"]',
      'severity = "critical"',
      'confidence = "high"',
      "",
    ].join("\n"),
  );
  return d;
}
const ids = (out: string): string[] => (JSON.parse(out) as { findings: Array<{ ruleId: string }> }).findings.map((f) => f.ruleId).sort();

describe("--fail-on and --min-confidence", () => {
  it("--fail-on SEVERITY reports everything but exits 1 only at or above it", async () => {
    const d = project();
    writeFileSync(join(d, "a.env"), `x = demolow_${randomToken(16, 111).toLowerCase()}\n`);
    const low = await runIn(d, ["scan", ".", "--format", "json", "--fail-on", "high"]);
    expect(ids(low.stdout)).toEqual(["demo-low"]);
    expect(low.code).toBe(0);
    expect((await runIn(d, ["scan", ".", "--format", "json", "--fail-on", "LOW"])).code).toBe(1);
    writeFileSync(join(d, "b.env"), `y = democrit_${randomToken(16, 112).toLowerCase()}\n`);
    const both = await runIn(d, ["scan", ".", "--format", "json", "--fail-on", "high", "--exit-code", "7"]);
    expect(ids(both.stdout)).toEqual(["demo-critical", "demo-low"]);
    expect(both.code).toBe(7);
  });

  it("a bad --fail-on is exit 2 with a suggestion, before any scan", async () => {
    const d = project();
    const r = await runIn(d, ["scan", "does-not-exist", "--fail-on", "hihg"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("leakguard: --fail-on hihg is not one of low, medium, high, critical; did you mean high?\n");
  });

  it("--min-confidence high hides lower-confidence findings (shown as suppressed); low is audit mode with the heuristics' rejects", async () => {
    const d = project();
    writeFileSync(join(d, "a.env"), `x = demolow_${randomToken(16, 113).toLowerCase()}\ny = democrit_${randomToken(16, 114).toLowerCase()}\nz = demolow_aaaaaaaaaaaaaaaa\n`);
    expect(ids((await runIn(d, ["scan", ".", "--format", "json"])).stdout)).toEqual(["demo-critical", "demo-low"]);
    const high = await runIn(d, ["scan", ".", "--format", "json", "--min-confidence", "high"]);
    expect(ids(high.stdout)).toEqual(["demo-critical"]);
    const shown = await runIn(d, ["scan", ".", "--min-confidence", "high", "--show-suppressed"]);
    expect(shown.stdout).toMatch(/demo-low .* — confidence: confidence low is below --min-confidence high/);
    const audit = await runIn(d, ["scan", ".", "--format", "json", "--min-confidence", "low"]);
    const rejected = (JSON.parse(audit.stdout) as { findings: Array<{ ruleId: string; line: number; tags: string[]; confidence: string }> }).findings.find((f) => f.line === 3);
    expect(rejected).toMatchObject({ ruleId: "demo-low", confidence: "low" });
    expect(rejected!.tags).toContain("rejected:entropy");
  });
});

describe("typos, help and format names", () => {
  it("did you mean: commands, flags and format names", async () => {
    const d = project();
    expect((await runIn(d, ["scna"])).stderr).toBe("leakguard: unknown command 'scna'; did you mean 'leakguard scan'? (see 'leakguard --help')\n");
    expect((await runIn(d, ["histroy"])).stderr).toContain("did you mean 'leakguard history'?");
    const flag = await runIn(d, ["scan", "--show-secret"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("unknown flag --show-secret for 'leakguard scan'; did you mean --show-secrets?");
    expect((await runIn(d, ["scan", ".", "--format", "jsno"])).stderr).toContain("did you mean json?");
    // Nothing near: no guess.
    expect((await runIn(d, ["zzzzzz"])).stderr).toBe("leakguard: unknown command 'zzzzzz' (see 'leakguard --help')\n");
  });

  it("format names are case-insensitive", async () => {
    const d = project();
    const r = await runIn(d, ["scan", ".", "--format", "SARIF"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).version).toBe("2.1.0");
    expect((await runIn(d, ["rules", "list", "--format", "JSON"])).code).toBe(0);
  });

  it("leakguard help <command> is that command's --help; inventory's lists its own formats", async () => {
    const d = project();
    const a = await runIn(d, ["help", "history"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe((await runIn(d, ["history", "--help"])).stdout);
    expect((await runIn(d, ["help", "hsitory"])).stderr).toContain("did you mean 'leakguard history'?");
    const inv = (await runIn(d, ["inventory", "--help"])).stdout;
    expect(inv).toMatch(/--format FORMAT +text, json, jsonl, sarif, junit, csv, github, markdown, html$/m);
    expect(inv.match(/--format/g)!.length).toBe(2); // the usage line and one option, not the scan formats too
  });

  it("leakguard --help names every subcommand that each command's own help names", async () => {
    const d = project();
    const top = (await runIn(d, ["--help"])).stdout;
    for (const cmd of ["baseline", "hook", "rules"]) {
      const own = (await runIn(d, [cmd, "--help"])).stdout;
      const subs = new RegExp(`^Usage: leakguard ${cmd} ([a-z]+(?:\\|[a-z]+)+) `, "m").exec(own)?.[1];
      expect(subs, cmd).toBeDefined();
      expect(top, cmd).toMatch(new RegExp(`^  ${cmd} ${subs!.replace(/\|/g, "\\|")} +\\S`, "m"));
    }
    expect(top).toMatch(/^  hook install\|uninstall\|doctor +install, remove or check the git hooks$/m);
  });

  it("every option of every command has a description", async () => {
    const d = project();
    for (const cmd of ["scan", "staged", "push", "history", "inventory", "baseline", "hook", "rules"]) {
      const help = (await runIn(d, [cmd, "-h"])).stdout;
      const options = help.slice(help.indexOf("Options:\n") + 9).split("\n").filter(Boolean);
      expect(options.length, cmd).toBeGreaterThan(0);
      for (const line of options) expect(line.slice(33).trim(), `${cmd}: ${line}`).not.toBe("");
      expect(help, cmd).toMatch(/-h, --help +show this help/);
    }
  });
});
