/**
 * The composite action's main step (action.yml, step `scan`) run by bash as
 * the runner would, against the built CLI (install: source, the default):
 * exit code and report path land in GITHUB_OUTPUT, the SARIF file is valid,
 * and exit 1 does not stop the step (so the upload step still runs). A fake
 * `npx` on PATH records any registry download the step would make.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GIT_TEST_ENV, TestRepo } from "../helpers/git-repo.js";
import { githubToken } from "../helpers/secrets.js";
import { schemaErrors } from "../helpers/sarif-validate.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The `run: |` script of the step with `id`, de-indented (a small reader for this one file's layout). */
function stepScript(id: string): string {
  const lines = readFileSync(join(ROOT, "action.yml"), "utf8").split("\n");
  const at = lines.findIndex((l) => l.trim() === `id: ${id}`);
  const run = lines.findIndex((l, i) => i > at && l.trim() === "run: |");
  const body: string[] = [];
  for (const l of lines.slice(run + 1)) {
    if (l.trim() !== "" && !l.startsWith("        ")) break;
    body.push(l.slice(8));
  }
  return body.join("\n");
}

/** An input's `default:` in action.yml, unquoted. */
function inputDefault(name: string): string {
  const lines = readFileSync(join(ROOT, "action.yml"), "utf8").split("\n");
  const at = lines.findIndex((l) => l === `  ${name}:`);
  const line = lines.slice(at + 1).find((l) => l.startsWith("    default:"));
  return (line ?? "").slice("    default:".length).trim().replace(/^"(.*)"$/, "$1");
}

describe("action.yml", { timeout: 120_000 }, () => {
  let dir: string;
  let npxLog: string;
  let fakeBin: string;
  const token = githubToken(41);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "lg-action-"));
    writeFileSync(join(dir, "app.env"), `GITHUB_TOKEN=${token}\n`);
    // A stand-in npx: records its arguments instead of downloading anything.
    fakeBin = join(dir, "fake-bin");
    npxLog = join(dir, "npx-calls");
    mkdirSync(fakeBin);
    writeFileSync(join(fakeBin, "npx"), `#!/bin/sh\necho "$*" >> "${npxLog}"\nexit 0\n`);
    chmodSync(join(fakeBin, "npx"), 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function runStep(inputs: Record<string, string>): { code: number; stdout: string; outputs: Record<string, string> } {
    const out = join(dir, `gh-output-${Math.random().toString(36).slice(2)}`);
    writeFileSync(out, "");
    const env = {
      ...GIT_TEST_ENV,
      GITHUB_OUTPUT: out,
      GITHUB_ACTIONS: "true",
      LG_ACTION_PATH: ROOT,
      LG_COMMAND: "scan",
      LG_PATH: ".",
      LG_ARGS: "",
      LG_FORMAT: "sarif",
      LG_OUTPUT: "",
      LG_INSTALL: inputDefault("install"),
      LG_VERSION: "",
      LG_TEMP: dir,
      PATH: `${fakeBin}:${process.env.PATH}`,
      ...inputs,
    };
    const r = spawnSync("bash", ["-e", "-c", stepScript("scan")], { cwd: dir, env, encoding: "utf8" });
    const outputs = Object.fromEntries(readFileSync(out, "utf8").trim().split("\n").filter(Boolean).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    return { code: r.status ?? -1, stdout: r.stdout + r.stderr, outputs };
  }

  function npxCalls(): string[] {
    if (!existsSync(npxLog)) return [];
    const calls = readFileSync(npxLog, "utf8").trim().split("\n");
    rmSync(npxLog);
    return calls;
  }

  it("by default runs the action's own checkout: leakguard is not fetched from the npm registry", () => {
    expect(inputDefault("install")).toBe("source");
    const r = runStep({ LG_FORMAT: "json", LG_PATH: "app.env" });
    expect(r.code).toBe(0);
    expect(r.outputs["exit-code"]).toBe("1");
    expect(npxCalls()).toEqual([]);
  });

  it("install npm runs the released version matching the action (for the day leakguard is published)", () => {
    const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
    const r = runStep({ LG_INSTALL: "npm", LG_FORMAT: "json", LG_PATH: "app.env" });
    expect(r.code).toBe(0);
    expect(npxCalls()).toEqual([`--yes leakguard@${version} scan --format json --no-progress -- app.env`]);
  });

  it("an unknown install value fails with exit 2 and downloads nothing", () => {
    const r = runStep({ LG_INSTALL: "sources" });
    expect(r.code).toBe(2);
    expect(r.outputs["exit-code"]).toBe("2");
    expect(r.stdout).toContain("::error title=leakguard::input install must be source or npm (got 'sources')");
    expect(npxCalls()).toEqual([]);
  });

  it("writes SARIF to the temp folder, reports exit code 1 as an output and does not fail the step", () => {
    const r = runStep({ LG_ARGS: "--exclude *.sarif --exclude gh-output-*" });
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual({ "exit-code": "1", report: join(dir, "leakguard.sarif") });
    const log = JSON.parse(readFileSync(join(dir, "leakguard.sarif"), "utf8"));
    expect(schemaErrors(log)).toEqual([]);
    expect(log.runs[0].results.map((x: any) => x.ruleId)).toEqual(["github-pat"]);
    expect(r.stdout).not.toContain(token);
  });

  it("format github prints annotations to the log", () => {
    const r = runStep({ LG_FORMAT: "github", LG_PATH: "app.env" });
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual({ "exit-code": "1", report: "" });
    expect(r.stdout).toMatch(/^::error file=app\.env,line=1,/m);
  });

  it("config-from and no-repo-config: a config the pull request adds does not silence the scan", () => {
    const repo = new TestRepo();
    try {
      repo.commitFiles({ "app.env": `GITHUB_TOKEN=${token}\n` }, "main");
      repo.git("checkout", "-q", "-b", "pr");
      repo.commitFiles({ ".leakguard.toml": "[allowlist]\npaths = ['.*']\n" }, "silence");
      const exitCode = (inputs: Record<string, string>): string | undefined => {
        // The step runs in another folder: --root makes the repository the scanned root (its config, its paths).
        const r = runStep({ LG_FORMAT: "json", LG_OUTPUT: join(dir, "pr.json"), LG_PATH: repo.dir, LG_ARGS: `--root ${repo.dir}`, ...inputs });
        expect(r.stdout).not.toContain(token);
        return r.outputs["exit-code"];
      };
      expect(exitCode({})).toBe("0");
      expect(exitCode({ LG_CONFIG_FROM: "main" })).toBe("1");
      expect(exitCode({ LG_NO_REPO_CONFIG: "true" })).toBe("1");
    } finally {
      repo.remove();
    }
  });

  it("a run that cannot start fails the step with exit 2", () => {
    const r = runStep({ LG_ARGS: "--no-such-flag" });
    expect(r.code).toBe(2);
    expect(r.outputs["exit-code"]).toBe("2");
    expect(r.stdout).toContain("::error title=leakguard::leakguard could not run (exit 2)");
  });
});
