/**
 * Hook managers (I/O edge: reads a few files at the repository root). husky,
 * lefthook and simple-git-hooks own the repository's git hooks; leakguard
 * must not write into the files they generate. Instead `hook install` prints
 * the exact line to add to the manager's own configuration, and `hook doctor`
 * checks that configuration for each hook type.
 *
 * The lines are the ones the README documents: `./node_modules/.bin/leakguard …`
 * (the project's own copy, called by path: not through npx, which can reach
 * the network, and whose own failure would read as a finding).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { HookType } from "./install.js";

/** A hook manager found in a repository. */
export interface HookManager {
  name: "husky" | "lefthook" | "simple-git-hooks";
  /** Why we think so, e.g. `core.hooksPath=.husky/_`. */
  evidence: string;
  /** The file where the line goes, relative to the repository root. */
  configFile(type: HookType): string;
  /** The exact text to add to {@link configFile} for `type`. */
  snippet(type: HookType): string;
  /** True when the manager's configuration runs leakguard for `type`. */
  runsLeakguard(type: HookType): boolean;
}

/** The leakguard command each hook type runs, as a shell line (`$1`: the hook's first argument). */
export function hookCommand(type: HookType, firstArg = '"$1"'): string {
  if (type === "pre-push") return `./node_modules/.bin/leakguard push --remote ${firstArg}`;
  if (type === "commit-msg") return `./node_modules/.bin/leakguard staged --message-file ${firstArg}`;
  return "./node_modules/.bin/leakguard staged";
}

/** True when `text` holds the leakguard command for `type` (any way of calling the binary). */
function callsLeakguard(text: string, type: HookType): boolean {
  const lines = text.split(/\r?\n/).filter((l) => !/^\s*#/.test(l));
  return lines.some((l) => {
    if (!/\bleakguard\s/.test(l)) return false;
    if (type === "pre-push") return /\bleakguard\s+push\b/.test(l);
    if (type === "commit-msg") return /\bleakguard\s+staged\b.*--message-file/.test(l);
    return /\bleakguard\s+staged\b/.test(l) && !/--message-file/.test(l);
  });
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function husky(root: string, hooksPath: string): HookManager | undefined {
  const rel = hooksPath ? relative(root, join(root, hooksPath)).split("\\").join("/") : "";
  // husky v9 sets core.hooksPath=.husky/_ (its generated wrappers); v4–v8 used .husky.
  const m = /^(.*?)(?:\/_)?$/.exec(rel);
  const dir = m && /(^|\/)\.husky$/.test(m[1]!) ? m[1]! : undefined;
  if (dir === undefined) return undefined;
  return {
    name: "husky",
    evidence: `core.hooksPath=${hooksPath}`,
    configFile: (type) => `${dir}/${type}`,
    snippet: (type) => hookCommand(type),
    runsLeakguard: (type) => callsLeakguard(read(join(root, dir, type)) ?? "", type),
  };
}

const LEFTHOOK_FILES = ["lefthook.yml", "lefthook.yaml", ".lefthook.yml", ".lefthook.yaml", "lefthook-local.yml"];

/** The block of a top-level YAML key (`pre-commit:` up to the next top-level key). */
function yamlSection(text: string, key: string): string {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.replace(/\s+#.*$/, "").trimEnd() === `${key}:`);
  if (start < 0) return "";
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (/^\S/.test(l)) break;
    out.push(l);
  }
  return out.join("\n");
}

function lefthook(root: string): HookManager | undefined {
  const files = LEFTHOOK_FILES.filter((f) => existsSync(join(root, f)));
  if (files.length === 0) return undefined;
  const main = files.find((f) => !f.includes("-local")) ?? files[0]!;
  return {
    name: "lefthook",
    evidence: main,
    configFile: () => main,
    snippet: (type) =>
      [`${type}:`, "  commands:", "    leakguard:", `      run: ${hookCommand(type, "{1}")}`, ...(type === "pre-push" ? ["      use_stdin: true"] : [])].join("\n"),
    runsLeakguard: (type) => files.some((f) => callsLeakguard(yamlSection(read(join(root, f)) ?? "", type), type)),
  };
}

const SGH_FILES = [".simple-git-hooks.json", "simple-git-hooks.json", ".simple-git-hooks.cjs", "simple-git-hooks.cjs", ".simple-git-hooks.js", "simple-git-hooks.js"];

function simpleGitHooks(root: string): HookManager | undefined {
  let config: Record<string, unknown> | undefined;
  let file: string | undefined;
  let raw = "";
  const pkgText = read(join(root, "package.json"));
  if (pkgText !== undefined) {
    try {
      const sgh = (JSON.parse(pkgText) as Record<string, unknown>)["simple-git-hooks"];
      if (sgh && typeof sgh === "object") {
        config = sgh as Record<string, unknown>;
        file = "package.json";
      }
    } catch {
      // Not our file to judge; a broken package.json simply names no manager.
    }
  }
  if (!file) {
    file = SGH_FILES.find((f) => existsSync(join(root, f)));
    if (!file) return undefined;
    raw = read(join(root, file)) ?? "";
    if (file.endsWith(".json")) {
      try {
        config = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        config = undefined;
      }
    }
  }
  const where = file;
  return {
    name: "simple-git-hooks",
    evidence: where === "package.json" ? `"simple-git-hooks" in package.json` : where,
    configFile: () => where,
    snippet: (type) => `"${type}": ${JSON.stringify(hookCommand(type))}   (then run 'npx simple-git-hooks')`,
    runsLeakguard: (type) => {
      const v = config?.[type];
      // A .js config cannot be evaluated here; its text is searched instead.
      return typeof v === "string" ? callsLeakguard(v, type) : config === undefined && callsLeakguard(raw, type);
    },
  };
}

/**
 * The hook manager of the repository at `root` (`hooksPath`: the value of
 * core.hooksPath, or ""), if any: husky by core.hooksPath, lefthook and
 * simple-git-hooks by their configuration files.
 */
export function detectHookManager(root: string, hooksPath: string): HookManager | undefined {
  return husky(root, hooksPath) ?? lefthook(root) ?? simpleGitHooks(root);
}

/** The command that makes each manager write git's hook files. */
export const MANAGER_INSTALL: Record<HookManager["name"], string> = {
  husky: "npx husky",
  lefthook: "npx lefthook install",
  "simple-git-hooks": "npx simple-git-hooks",
};
