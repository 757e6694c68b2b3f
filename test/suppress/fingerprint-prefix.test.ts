/**
 * The fingerprint a user sees can be pasted: the 12 digits of the text report
 * (and the SARIF message) work in `.leakguardignore`, the blocked-commit
 * guidance prints the exact line to add, and a prefix that names two different
 * secrets hides neither. In process through run(argv, io), real git.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Finding } from "../../src/engine/types.js";
import { emptyReport } from "../../src/core/report.js";
import { applySuppressions } from "../../src/suppress/index.js";
import { parseIgnoreFile } from "../../src/suppress/ignore-file.js";
import { TestRepo } from "../helpers/git-repo.js";
import { runIn } from "../helpers/in-process.js";
import { githubToken } from "../helpers/secrets.js";

vi.setConfig({ testTimeout: 60_000 });

const repos: TestRepo[] = [];
function repo(): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  r.commitFiles({ "README.md": "hello\n" }, "initial");
  return r;
}
afterEach(() => repos.splice(0).forEach((r) => r.remove()));

describe("short fingerprints", () => {
  it("the 12 digits the text report prints, pasted into .leakguardignore, suppress the finding", async () => {
    const r = repo();
    r.write("app.env", `TOKEN=${githubToken(61)}\n`);
    const first = await runIn(r.dir, ["scan", "."]);
    expect(first.code).toBe(1);
    const shown = /fingerprint ([0-9a-f]+)/.exec(first.stdout)![1]!;
    expect(shown).toHaveLength(12);
    const full = JSON.parse((await runIn(r.dir, ["scan", ".", "--format", "json"])).stdout).findings[0].fingerprint as string;
    expect(full).toHaveLength(32);
    expect(full.startsWith(shown)).toBe(true);
    // SARIF's message shows the same short form.
    const sarif = JSON.parse((await runIn(r.dir, ["scan", ".", "--format", "sarif"])).stdout);
    expect(sarif.runs[0].results[0].message.text).toContain(`(fingerprint ${shown})`);

    r.write(".leakguardignore", `${shown} test token\n`);
    const after = await runIn(r.dir, ["scan", ".", "--format", "json"]);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout).findings).toEqual([]);
  });

  it("a prefix shorter than 12 digits is a clear error naming the line", async () => {
    const r = repo();
    r.write(".leakguardignore", "# ok\nabcdef12 too short\n");
    const res = await runIn(r.dir, ["scan", "."]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^leakguard: \.leakguardignore:2: not a fingerprint \(12 to 32 hex digits\)/);
  });

  it("a prefix matching two different fingerprints hides neither and says so", async () => {
    const f = (fingerprint: string, line: number) => ({ ruleId: "r", file: "a.txt", line, fingerprint, location: `a.txt:r:${line}`, source: "file" }) as unknown as Finding;
    const report = emptyReport();
    report.findings = [f("abcdef012345" + "1".repeat(20), 1), f("abcdef012345" + "2".repeat(20), 2), f("9".repeat(32), 3)];
    const entries = parseIgnoreFile(`abcdef012345 ambiguous\n${"9".repeat(16)} unique\n`, ".leakguardignore");
    expect(entries.map((e) => e.kind)).toEqual(["fingerprint", "fingerprint"]);
    const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
    const dir = mkdtempSync(`${(await import("node:os")).tmpdir()}/lg-prefix-`);
    try {
      writeFileSync(`${dir}/.leakguardignore`, `abcdef012345 ambiguous\n${"9".repeat(16)} unique\n`);
      await applySuppressions(report, { root: dir });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(report.findings.map((x) => x.line)).toEqual([1, 2]);
    expect(report.suppressed.map((s) => s.finding.line)).toEqual([3]);
    expect(report.warnings).toEqual([".leakguardignore:1: fingerprint prefix abcdef012345 matches 2 different fingerprints; it hides none of them (write more digits)"]);
  });

  it("a blocked commit prints the exact ignore line; pasting it lets the commit through", async () => {
    const r = repo();
    r.write("config/app.env", `X=1\nTOKEN=${githubToken(62)}\n`);
    r.add();
    const blocked = await runIn(r.dir, ["staged"]);
    expect(blocked.code).toBe(1);
    const fp = JSON.parse((await runIn(r.dir, ["staged", "--format", "json"])).stdout).findings[0].fingerprint as string;
    const line = `${fp} # config/app.env:2 github-pat`;
    expect(blocked.stderr).toContain(`add these lines to .leakguardignore and commit again:\n       ${line}\n`);
    r.write(".leakguardignore", line + "\n");
    const passed = await runIn(r.dir, ["staged"]);
    expect(passed.stderr).toBe("");
    expect(passed.code).toBe(0);
  });
});
