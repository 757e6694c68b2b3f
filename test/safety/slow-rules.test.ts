/**
 * No regex a repository's config brings can make a command run past its
 * time budget:
 * - a catastrophic one (`(a+)+$`) is refused at load, naming the rule, the
 *   file and why (exit 2), for scan, staged and history;
 * - one the static check lets through but that is still slow on crafted
 *   input (`[a-z]+@` is quadratic on a long run of letters) is stopped by
 *   the watchdog thread: the file is reported as timed out and the command
 *   completes, with the other files scanned.
 * The watchdog needs the compiled worker (dist/), so those cases run the
 * built CLI's `run` in process. Nothing here measures time: the assertions
 * are on the reported skip.
 */
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/context.js";
import { childProcesses, newChildProcesses, runIn } from "../helpers/in-process.js";
import { sharedRepos, TestRepo } from "../helpers/git-repo.js";
import { buildHistory } from "../helpers/history-fixture.js";
import { SLOW_RULE_TOML, slowText, WATCHDOG_TEST_BUDGET_MS } from "../helpers/slow-regex.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

/** A repository whose own `.leakguard.toml` is `toml`, with `files` committed or staged. */
function repoWith(toml: string, files: Record<string, string>, commit: boolean): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  r.commitFiles({ "README.md": "# project\n" }, "init");
  r.write(".leakguard.toml", toml);
  for (const [p, text] of Object.entries(files)) r.write(p, text);
  r.add(...Object.keys(files));
  if (commit) r.commit("add files", { noVerify: true });
  return r;
}

/** One repository per config for the refused-at-load cases (nothing runs far enough to write): `app.txt` committed, and changed and staged again. */
const refused = sharedRepos((toml: string): TestRepo => {
  const r = new TestRepo();
  buildHistory(r, [
    { files: { "README.md": "# project\n" }, message: "init", date: "2024-01-01T00:00:00Z" },
    { files: { "app.txt": "hello\n" }, message: "add files", date: "2024-01-02T00:00:00Z" },
  ]);
  r.write(".leakguard.toml", toml).write("app.txt", "hello again\n").add("app.txt");
  return r;
});
afterAll(refused.removeAll);
const refusedRepo = refused.get;

describe("a catastrophic regex in the repository's config is refused at load", () => {
  const configs: Record<string, { toml: string; names: RegExp }> = {
    "rule regex": { toml: '[[rules]]\nid = "slow-rule"\nregex = "(a+)+$"\n', names: /\.leakguard\.toml:3: slow-rule: regex refused: .*exponential/ },
    "rule path": { toml: '[[rules]]\nid = "slow-path"\npath = "(\\\\w+\\\\s?)*$"\n', names: /\.leakguard\.toml:3: slow-path: path refused: .*exponential/ },
    "allowlist regex": { toml: '[allowlist]\nregexes = ["(a|ab)*$"]\n', names: /\.leakguard\.toml:2: allowlist: regexes\[0\] refused: .*alternatives/ },
    "rule allowlist regex": {
      toml: '[[rules]]\nid = "mine"\nregex = "key=[a-z]{8}"\n[[rules.allowlists]]\nregexes = [".*.*x"]\n',
      names: /\.leakguard\.toml:5: mine: allowlists\[0\]: regexes\[0\] refused: .*polynomial/,
    },
  };
  for (const [what, { toml, names }] of Object.entries(configs)) {
    for (const argv of [["scan", "."], ["staged"], ["history"]]) {
      it(`${what}: ${argv[0]}`, async () => {
        const r = refusedRepo(toml);
        const before = childProcesses();
        const res = await runIn(r.dir, argv);
        expect(res.code).toBe(2);
        const lines = res.stderr.trim().split("\n");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(names);
        expect(newChildProcesses(before)).toEqual([]);
      });
    }
  }
});

type RunFn = (argv: readonly string[], io: CliIO) => Promise<number>;
const distMain = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
const distRun = async (): Promise<RunFn> => ((await import(distMain)) as { run: RunFn }).run;

const BUDGET = String(WATCHDOG_TEST_BUDGET_MS);

interface JsonReport {
  findings: Array<{ file: string; ruleId: string }>;
  summary: { skipped: Record<string, number>; warnings: string[] };
}

describe("the watchdog stops a configured regex that runs past the budget", { timeout: 120_000 }, () => {
  const cases: Array<{ argv: string[]; commit: boolean; slow: RegExp }> = [
    { argv: ["scan", "."], commit: false, slow: /^slow\.txt: (?:not scanned, timed out|time budget ran out)/ },
    { argv: ["staged"], commit: false, slow: /^slow\.txt: (?:not scanned, timed out|time budget ran out)/ },
    { argv: ["history"], commit: true, slow: /^[0-9a-f]{12}:slow\.txt: (?:not scanned, timed out|time budget ran out)/ },
  ];
  for (const { argv, commit, slow } of cases) {
    it(`${argv[0]}: the slow file is reported as timed out, the others are scanned`, async () => {
      const r = repoWith(SLOW_RULE_TOML, { "slow.txt": slowText(), "ok.txt": "mail x@\n" }, commit);
      const res = await runIn(r.dir, [...argv, "--timeout-per-file", BUDGET, "--format", "json"], { run: await distRun() });
      expect(res.stderr).not.toMatch(/internal error/);
      const report = JSON.parse(res.stdout) as JsonReport;
      expect(report.findings.map((f) => [f.file, f.ruleId])).toEqual([["ok.txt", "at-sign"]]);
      expect(report.summary.skipped.timeout).toBe(1);
      // Stopped by the watchdog mid-regex ("not scanned"), or by the engine's own budget check when a busy
      // machine held the thread past the budget before the slow regex began ("time budget ran out"): both are the timeout.
      expect(report.summary.warnings.filter((w) => slow.test(w)), JSON.stringify(report.summary.warnings)).toHaveLength(1);
      expect(res.code).toBe(1);
    });
  }

  it("history --cache never remembers a timed-out blob as clean", async () => {
    const r = repoWith(SLOW_RULE_TOML, { "slow.txt": slowText() }, true);
    const run = await distRun();
    const argv = ["history", "--timeout-per-file", BUDGET, "--format", "json", "--cache", ".lg-cache"];
    for (let i = 0; i < 2; i++) {
      const res = await runIn(r.dir, argv, { run });
      const report = JSON.parse(res.stdout) as JsonReport;
      expect(report.summary.skipped.timeout).toBe(1);
    }
  });
});
