/**
 * `leakguard hook doctor` (I/O edge): proves the installed pre-commit hook
 * really blocks a secret, without touching the user's index, working tree,
 * refs or object store. A synthetic secret, built at run time, is written as
 * a blob into a temporary object folder (the repository's objects serve as
 * an alternate) and staged into a temporary copy of the index; the hook
 * script then runs with GIT_INDEX_FILE / GIT_OBJECT_DIRECTORY pointing there,
 * exactly as `git commit` would run it, and must exit non-zero naming the
 * planted file.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { base62, crc32 } from "../engine/validators.js";
import { GitError } from "../errors.js";
import { detectHookManager, MANAGER_INSTALL, type HookManager } from "./managers.js";
import { HOOK_TYPES, hookState, renderHook, type HookState, type HookType } from "./install.js";
import { gitEnv, gitText } from "../git/run.js";

/** One check and its outcome. */
export interface DoctorCheck {
  ok: boolean;
  /** Set on a check that passed but suggests something (shown as a warning; the hooks stay healthy). */
  warning?: boolean;
  /** What was checked. */
  name: string;
  /** What was found, and what to do when it is wrong. */
  detail: string;
}

/** The doctor's verdict. */
export interface DoctorReport {
  healthy: boolean;
  checks: DoctorCheck[];
}

const B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A GitHub-format token with a valid checksum, random each run: never a real one. */
export function syntheticSecret(): string {
  const body = [...randomBytes(30)].map((b) => B62[b % 62]).join("");
  return `ghp_${body}${base62(crc32(body), 6)}`;
}

interface Paths {
  /** Extra environment for every git the doctor runs (and the hook it tries). */
  env: NodeJS.ProcessEnv | undefined;
  root: string;
  hooks: string;
  objects: string;
  index: string;
  commonHooks: string;
}

async function paths(cwd: string, env: NodeJS.ProcessEnv | undefined): Promise<Paths> {
  const out = await gitText(
    ["rev-parse", "--path-format=absolute", "--show-toplevel", "--git-path", "hooks", "--git-path", "objects", "--git-path", "index", "--git-common-dir"],
    { cwd, okCodes: [0, 128], ...(env ? { env } : {}) },
  );
  const [root, hooks, objects, index, common] = out.split("\n");
  if (!root || !hooks || !objects || !index || !common) throw new GitError(`${cwd}: not inside a git work tree`);
  return { env, root, hooks, objects, index, commonHooks: join(common, "hooks") };
}

/** Runs the hook at `hook` against a temporary index holding a planted secret. */
async function selfTest(p: Paths, hook: string): Promise<DoctorCheck> {
  const name = "the pre-commit hook blocks a staged secret";
  const tmp = mkdtempSync(join(tmpdir(), "leakguard-doctor-"));
  try {
    const objects = join(tmp, "objects");
    mkdirSync(objects);
    const index = join(tmp, "index");
    if (existsSync(p.index)) copyFileSync(p.index, index);
    const env = {
      ...p.env,
      GIT_INDEX_FILE: index,
      GIT_OBJECT_DIRECTORY: objects,
      GIT_ALTERNATE_OBJECT_DIRECTORIES: p.objects,
    };
    const file = `leakguard-doctor-${randomBytes(4).toString("hex")}.env`;
    const blob = (
      await gitText(["hash-object", "-w", "--stdin"], { cwd: p.root, env, input: `GITHUB_TOKEN=${syntheticSecret()}\n` })
    ).trim();
    await gitText(["update-index", "--add", "--cacheinfo", `100644,${blob},${file}`], { cwd: p.root, env });
    const started = Date.now();
    // leakguard's part alone: a chained hook (run first) could touch the work tree, or block in leakguard's place.
    const r = spawnSync(hook, [], { cwd: p.root, env: gitEnv({ ...env, LEAKGUARD_HOOK_NO_CHAIN: "doctor-self-test" }), input: "", encoding: "utf8", timeout: 120_000 });
    const ms = Date.now() - started;
    const said = `${r.stdout ?? ""}\n${r.stderr ?? ""}`;
    if (r.error) return { ok: false, name, detail: `could not run ${hook}: ${r.error.message}` };
    if (r.status === 0) {
      return { ok: false, name, detail: `the hook let a planted secret through (exit 0): it scans nothing; reinstall with 'leakguard hook install --force'` };
    }
    if (!said.includes(file)) {
      // The hook's first own line names what is missing (node, leakguard) and the fix follows it.
      const lines = said.split("\n").map((l) => l.trim()).filter(Boolean);
      const i = lines.findIndex((l) => l.startsWith("leakguard:"));
      const why = i >= 0 ? lines.slice(i, i + 2).join(" ") : (lines.pop() ?? "");
      return { ok: false, name, detail: `the hook failed (exit ${r.status ?? r.signal}) without reporting the planted secret: ${why.slice(0, 400)}` };
    }
    return { ok: true, name, detail: `blocked a planted secret in a temporary index (exit ${r.status}, ${ms} ms)` };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function installCheck(p: Paths, s: HookState, hooksPath: string): DoctorCheck {
  const name = "a leakguard pre-commit hook is installed where git runs hooks";
  if (!s.exists) {
    const inDefault = p.commonHooks !== p.hooks ? hookState(p.commonHooks, "pre-commit") : undefined;
    if (inDefault?.ours) {
      return { ok: false, name, detail: `core.hooksPath is ${hooksPath}, so git never runs ${inDefault.path}; run 'leakguard hook install' again` };
    }
    return { ok: false, name, detail: `no hook at ${s.path}; run 'leakguard hook install'` };
  }
  if (!s.ours) {
    return { ok: false, name, detail: `${s.path} was not written by leakguard (it may still call it; doctor self-tests only leakguard's own hook)` };
  }
  return { ok: true, name, detail: `${s.path}${s.chained ? ` (runs ${s.path}.local before it)` : ""}` };
}

/**
 * A leakguard hook script with what differs between installs left out: the
 * node and CLI paths it runs (`hook install` takes them from the process that
 * installs) and the version in its header (a release that leaves the script
 * alone leaves it current).
 */
function scriptShape(text: string): string {
  return text.replace(/^(LEAKGUARD_NODE|LEAKGUARD_BIN)=.*$/gm, "$1=").replace(WRITTEN_BY, "$1)");
}

/** The header line naming the version that wrote a hook script: the text before the version, the version. */
const WRITTEN_BY = /^(# Written by .*\(leakguard )([^)]*)\)/m;

/** The install command that rewrites leakguard's own `type` hook (no --force needed for leakguard's own). */
function installCommand(type: HookType): string {
  return type === "pre-commit" ? "leakguard hook install" : `leakguard hook install --type ${type}`;
}

/**
 * Whether the leakguard hook script `text` is what this version writes for
 * `type`. One an earlier version wrote keeps working, but without what came
 * since (for pre-commit: the staged diff piped in while node starts).
 */
export function hookScriptCurrent(type: HookType, text: string): boolean {
  return scriptShape(text) === scriptShape(renderHook(type, "", ""));
}

/** A warning when leakguard's `type` hook at `s` is not what this version writes; undefined when it is. */
function staleScript(type: HookType, s: HookState): DoctorCheck | undefined {
  if (!s.ours || s.text === undefined || hookScriptCurrent(type, s.text)) return undefined;
  const written = WRITTEN_BY.exec(s.text)?.[2];
  return {
    ok: true,
    warning: true,
    name: `the ${type} hook script is this version's`,
    detail: `${s.path} was written by ${written ? `leakguard ${written}` : "another leakguard version"} and differs from what this version writes; it still works, but without this version's changes to it: rewrite it with '${installCommand(type)}'`,
  };
}

/**
 * Checks for a repository whose hooks a manager owns: per hook type, that the
 * manager's configuration runs leakguard (pre-commit required, the others
 * optional) and that git really runs the manager's hook file; then the same
 * self-test through git's pre-commit hook.
 */
async function managedChecks(p: Paths, m: HookManager): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [{ ok: true, name: `hooks are managed by ${m.name}`, detail: `${m.evidence}; leakguard runs from ${m.name}'s configuration` }];
  let selfTestHook: string | undefined;
  for (const type of HOOK_TYPES) {
    const required = type === "pre-commit";
    const name = `${m.name} runs leakguard for ${type}${required ? "" : " (optional)"}`;
    if (!m.runsLeakguard(type)) {
      checks.push({ ok: !required, name, detail: `not configured; add to ${m.configFile(type)}: ${m.snippet(type).split("\n").join(" / ")}` });
      continue;
    }
    const s = hookState(p.hooks, type);
    if (!s.exists || !s.executable) {
      checks.push({ ok: false, name, detail: `${m.configFile(type)} calls leakguard, but git runs no executable ${s.path}; run '${MANAGER_INSTALL[m.name]}'` });
      continue;
    }
    checks.push({ ok: true, name, detail: `${m.configFile(type)} calls leakguard; git runs it through ${s.path}` });
    if (required) selfTestHook = s.path;
  }
  if (selfTestHook) checks.push(await selfTest(p, selfTestHook));
  return checks;
}

/** Checks the hooks of the repository at `cwd`. Changes nothing. `env`: extra environment for git and the hook tried. */
export async function hookDoctor(cwd: string, env?: NodeJS.ProcessEnv): Promise<DoctorReport> {
  const p = await paths(cwd, env);
  const hooksPath = (await gitText(["config", "--get", "core.hooksPath"], { cwd: p.root, okCodes: [0, 1], ...(env ? { env } : {}) })).trim();
  const manager = detectHookManager(p.root, hooksPath);
  // A manager's own hook is not leakguard's, and is not meant to be: judge its configuration instead.
  if (manager && !hookState(p.hooks, "pre-commit").ours) {
    const checks = await managedChecks(p, manager);
    return { healthy: checks.every((c) => c.ok), checks };
  }
  const checks: DoctorCheck[] = [];
  const s = hookState(p.hooks, "pre-commit");
  const installed = installCheck(p, s, hooksPath);
  checks.push(installed);
  if (s.exists) {
    checks.push(
      s.executable
        ? { ok: true, name: "the hook is executable", detail: "mode allows execution" }
        : { ok: false, name: "the hook is executable", detail: `git ignores ${s.path}: not executable; run 'chmod +x' on it or reinstall` },
    );
  }
  if (installed.ok && s.executable) checks.push(await selfTest(p, s.path));
  const stale = staleScript("pre-commit", s);
  if (stale) checks.push(stale);
  const problems = checks.filter((c) => !c.ok).length;
  for (const type of HOOK_TYPES.filter((t) => t !== "pre-commit")) {
    const o = hookState(p.hooks, type);
    checks.push({ ok: true, name: `${type} hook (optional)`, detail: o.ours ? `installed at ${o.path}` : o.exists ? `${o.path} is not leakguard's` : "not installed" });
    const old = staleScript(type, o);
    if (old) checks.push(old);
  }
  return { healthy: problems === 0, checks };
}
