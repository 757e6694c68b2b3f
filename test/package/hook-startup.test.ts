/**
 * What a clean `leakguard staged` (the pre-commit hook) loads: start-up is
 * most of what the hook costs, so node's built-ins that only a finding, a
 * report file or a worker needs are loaded on first use, and so are the
 * built-in rules' details (how to rotate, links, their file: only reports and
 * `leakguard rules` show them). Shown on a real run of bin/leakguard.js (a
 * child process: in this process vitest has loaded them all already), with
 * node's own list of the built-ins it loaded and the package's data files read.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GIT_TEST_ENV, TestRepo } from "../helpers/git-repo.js";
import { githubToken } from "../helpers/secrets.js";
import { readRuleFiles } from "../../src/ruleset/builtin.js";
import { pipedDiffWords, STAGED_DIFF_ENV, stagedDiffShell, TRAILER_HEAD } from "../../src/git/staged-diff.js";

const shQuote = (word: string): string => `'${word.replace(/'/g, "'\\''")}'`;

const BIN = fileURLToPath(new URL("../../bin/leakguard.js", import.meta.url));
const LAZY = ["crypto", "fs/promises", "worker_threads", "os"];
const scratch = mkdtempSync(join(tmpdir(), "lg-hook-startup-"));
const preload = join(scratch, "list-builtins.cjs");
let repo: TestRepo;

/** Runs `leakguard staged` in the repository; the built-ins it loaded, of those we watch, and the rule files of dist/ it read. */
function staged(format = "json", piped = false, flags: string[] = []): { code: number; loaded: string[]; read: string[]; parsed: number; stdout: string; memory: string[]; tableReads: number; spawned: boolean; streams: string[] } {
  const node = [process.execPath, "--require", preload, BIN, "staged", "--format", format, ...flags];
  // Piped: as the installed hook's script runs it, git's staged diff and its trailer through a pipe (git/staged-diff.ts).
  const { unset, command } = stagedDiffShell(shQuote);
  const script = `${unset}; { ${command}; printf '${TRAILER_HEAD.replace("\n", "\\n")}%s\\n' "$?"; } | ${node.map(shQuote).join(" ")}`;
  const r = spawnSync(piped ? "sh" : node[0]!, piped ? ["-c", script] : node.slice(1), {
    cwd: repo.dir,
    env: { ...GIT_TEST_ENV, NO_COLOR: "1", ...(piped ? { [STAGED_DIFF_ENV]: pipedDiffWords() } : {}) },
    encoding: "utf8",
  });
  const line = (name: string): string[] => (r.stderr.split("\n").find((l) => l.startsWith(`${name}:`)) ?? "").slice(name.length + 1).split(",");
  return {
    code: r.status ?? -1,
    loaded: line("builtins").filter((m) => LAZY.includes(m)),
    read: line("read").filter(Boolean),
    parsed: Number(line("parsed")[0]),
    stdout: r.stdout,
    memory: line("memory"),
    tableReads: Number(line("tables")[0]),
    spawned: line("builtins").includes("child_process"),
    streams: line("builtins").filter((m) => ["stream", "net", "tty"].includes(m)),
  };
}

beforeAll(() => {
  writeFileSync(
    preload,
    [
      'const fs = require("node:fs");',
      "const read = [];",
      "let tableReads = 0;",
      // Read whole (readFileSync) or opened to be read in place or on the thread pool (openSync).
      "for (const name of ['readFileSync', 'openSync']) {",
      "  const original = fs[name];",
      "  fs[name] = function (p, ...rest) {",
      '    const m = /\\/dist\\/(rules[\\w-]*\\.(?:json|bin)|keywords\\.bin)$/.exec(String(p));',
      "    if (m && !read.includes(m[1])) read.push(m[1]);",
      "    if (m && m[1] === 'keywords.bin') tableReads++;",
      "    return original.call(this, p, ...rest);",
      "  };",
      "}",
      // Which memory each file of dist/ was read into (its read calls' ArrayBuffer, numbered in order of first use).
      "const names = new Map(), buffers = [], memory = {};",
      "const open = fs.openSync;",
      "fs.openSync = function (p, ...rest) {",
      "  const fd = open.call(this, p, ...rest);",
      '  const m = /\\/dist\\/(?:bundle\\/)?([\\w.-]+)$/.exec(String(p));',
      "  if (m) names.set(fd, m[1].replace(/\\.[0-9a-f]{16}-staged-.*\\.v8cache$/, '.v8cache'));",
      "  return fd;",
      "};",
      "for (const name of ['readSync', 'read']) {",
      "  const original = fs[name];",
      "  fs[name] = function (fd, buf, ...rest) {",
      "    const file = names.get(fd);",
      "    if (file !== undefined && buf && buf.buffer) {",
      "      if (!buffers.includes(buf.buffer)) buffers.push(buf.buffer);",
      "      memory[file] = buffers.indexOf(buf.buffer);",
      "    }",
      "    return original.call(this, fd, buf, ...rest);",
      "  };",
      "}",
      "let parsed = 0;",
      "const parse = JSON.parse;",
      "JSON.parse = function (text, ...rest) {",
      '  if (typeof text === "string") parsed = Math.max(parsed, text.length);',
      "  return parse.call(this, text, ...rest);",
      "};",
      // Written to the file descriptor: process.stderr would load the stream modules it lists.
      'process.on("exit", () => fs.writeSync(2, "builtins:" + process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice(13)).join(",") + "\\nread:" + read.join(",") + "\\nparsed:" + parsed + "\\ntables:" + tableReads + "\\nmemory:" + Object.entries(memory).map(([f, i]) => f + "=" + i).sort().join(",") + "\\n"));',
      "",
    ].join("\n"),
  );
  repo = new TestRepo();
  repo.commitFiles({ "README.md": "# x\n" }, "init");
});
afterAll(() => {
  repo.remove();
  rmSync(scratch, { recursive: true, force: true });
});

describe("a clean staged run's start-up", { timeout: 60_000 }, () => {
  it("loads neither node:crypto, node:fs/promises, node:worker_threads nor node:os, and reads neither the rules' details nor their examples", () => {
    repo.write("clean.js", "export const answer = 42;\n").add("clean.js");
    const r = staged();
    expect([r.code, r.loaded]).toEqual([0, []]);
    // rules.json is opened to read the lines of the rules a text selects (and the keyword-less ones), not read whole.
    expect(r.read.sort()).toEqual(["keywords.bin", "rules-index.bin", "rules.json"]);
  });

  it("reads its program, the program's code cache and the keyword automaton into one buffer, whose pages are touched once", () => {
    repo.write("clean3.js", "export const none = null;\n").add("clean3.js");
    staged(); // writes the code cache, should there be none
    for (const piped of [false, true]) {
      const r = staged("json", piped);
      expect(r.code).toBe(0);
      const at = Object.fromEntries(r.memory.map((e) => e.split("=")));
      const [program, cache, automaton] = [at["cli-staged.cjs"], at["cli-staged.cjs.v8cache"], at["keywords.bin"]];
      expect(program).toBeDefined();
      expect([cache, automaton]).toEqual([program, program]);
    }
  });

  it("reads the keyword automaton once, with the diff piped in (when the scan needs it) as with git spawned (ahead, on the thread pool, while git runs)", () => {
    repo.write("clean4.js", "export const once = 1;\n").add("clean4.js");
    for (const piped of [false, true]) {
      const r = staged("json", piped);
      expect([r.code, r.spawned, r.tableReads]).toEqual([0, !piped, 1]);
    }
  });

  it("parses the rules' index, not every rule: the longest text given to JSON.parse is a fraction of dist/rules.json", () => {
    repo.write("clean2.js", "export const question = 6 * 7;\n").add("clean2.js");
    const r = staged();
    expect(r.code).toBe(0);
    const whole = statSync(fileURLToPath(new URL("../../dist/rules.json", import.meta.url))).size;
    expect(r.parsed).toBeGreaterThan(0);
    expect(r.parsed).toBeLessThan(whole / 4);
  });

  it("a report that describes rules (SARIF) reads their details: the remediation and links of the rule that fired", () => {
    repo.write("token.js", `const token = "${githubToken(6)}";\n`).add("token.js");
    const r = staged("sarif");
    expect(r.code).toBe(1);
    expect(r.read).toContain("rules-details.json");
    const rule = readRuleFiles().find((d) => d.id === "github-pat")!;
    const sarif = JSON.parse(r.stdout) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string; help: { text: string } }> } } }> };
    const help = sarif.runs[0]!.tool.driver.rules.find((d) => d.id === "github-pat")!.help.text;
    expect(help).toContain(`What to do: ${rule.remediation!}`);
    for (const url of rule.references!) expect(help).toContain(`- ${url}`);
  });

  it("loads node:crypto once there is a finding to fingerprint", () => {
    repo.write("config.js", `const token = "${githubToken(5)}";\n`).add("config.js");
    const r = staged();
    expect(r.code).toBe(1);
    expect(r.loaded).toContain("crypto");
  });

  it("writes nothing on a clean commit through the hook (--quiet, text), so it creates neither stdout nor stderr: node's stream modules stay unloaded", () => {
    repo.commit("earlier tests' files", { noVerify: true });
    repo.write("clean5.js", "export const quiet = true;\n").add("clean5.js");
    const hookFlags = ["--quiet", "--no-progress"];
    const clean = staged("text", true, hookFlags);
    expect([clean.code, clean.stdout, clean.spawned, clean.streams]).toEqual([0, "", false, []]);
    // A finding is printed as before.
    repo.write("token5.js", `const token = "${githubToken(9)}";\n`).add("token5.js");
    const found = staged("text", true, hookFlags);
    expect(found.code).toBe(1);
    expect(found.stdout).toContain("[github-pat]");
  });
});
