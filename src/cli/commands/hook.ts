/** `leakguard hook install|uninstall|doctor`: the git hooks that run leakguard. */
import { hookDoctor } from "../../hooks/doctor.js";
import { detectHookManager } from "../../hooks/managers.js";
import { HOOK_TYPES, hookState, hooksDir, installHook, uninstallHook, type HookType } from "../../hooks/install.js";
import { gitText } from "../../git/run.js";
import { UsageError } from "../../errors.js";
import { bool, str } from "../common.js";
import type { CommandContext } from "../context.js";
import type { FlagSpec } from "../args.js";

export const summary = "Install, remove or check the git hooks that run leakguard (pre-commit, pre-push, commit-msg).";
export const usage = "leakguard hook install|uninstall|doctor [--type pre-commit|pre-push|commit-msg] [--chain|--force]";
export const scanning = false;
export const flags: FlagSpec[] = [
  { name: "type", type: "string", arg: "TYPE", help: "pre-commit (default), pre-push or commit-msg" },
  { name: "chain", type: "bool", help: "keep an existing hook as <name>.local and run it too (before leakguard; pre-push: after)" },
  { name: "force", type: "bool", help: "replace an existing hook that leakguard did not write (kept as <name>.leakguard-backup)" },
];

/**
 * When husky, lefthook or simple-git-hooks owns the hooks: what to add to its
 * configuration (or that it runs leakguard already), instead of writing into
 * files the manager generates. Undefined when no manager is found.
 */
async function managerAdvice(cwd: string, type: HookType, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const root = (await gitText(["rev-parse", "--show-toplevel"], { cwd, env, okCodes: [0, 128] })).trim();
  if (!root) return undefined; // not a work tree: installHook says so
  const hooksPath = (await gitText(["config", "--get", "core.hooksPath"], { cwd: root, env, okCodes: [0, 1] })).trim();
  const m = detectHookManager(root, hooksPath);
  if (!m || hookState(await hooksDir(cwd, env), type).ours) return undefined;
  const file = m.configFile(type);
  if (m.runsLeakguard(type)) return `leakguard: ${m.name} manages this repository's hooks (${m.evidence}) and ${file} already runs leakguard for ${type}; nothing to do ('leakguard hook doctor' checks it)\n`;
  return [
    `leakguard: ${m.name} manages this repository's hooks (${m.evidence}); leakguard does not write into its files.`,
    `Add this to ${file}:`,
    "",
    ...m.snippet(type).split("\n").map((l) => `  ${l}`),
    "",
    `Then 'leakguard hook doctor' checks it. (--force installs leakguard's own hook into ${m.name}'s folder anyway.)`,
    "",
  ].join("\n");
}

function typeOf(ctx: CommandContext): HookType {
  const t = str(ctx, "type") ?? "pre-commit";
  if (!(HOOK_TYPES as readonly string[]).includes(t)) throw new UsageError(`--type ${t} is not one of ${HOOK_TYPES.join(", ")}`);
  return t as HookType;
}

export async function run(ctx: CommandContext): Promise<number> {
  const [sub, extra] = ctx.positionals;
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}" (usage: ${usage})`);
  const out = ctx.io.stdout;
  if (sub === "install") {
    if (bool(ctx, "chain") && bool(ctx, "force")) throw new UsageError("--chain and --force exclude each other");
    if (!bool(ctx, "chain") && !bool(ctx, "force")) {
      const advice = await managerAdvice(ctx.io.cwd, typeOf(ctx), ctx.io.env);
      if (advice) {
        out.write(advice);
        return 0;
      }
    }
    const r = await installHook(ctx.io.cwd, { type: typeOf(ctx), chain: bool(ctx, "chain"), force: bool(ctx, "force"), env: ctx.io.env });
    const note =
      r.action === "chained"
        ? ` (the existing hook now runs ${typeOf(ctx) === "pre-push" ? "after" : "before"} it, from ${r.kept})`
        : r.action === "replaced"
          ? ` (the old hook is kept as ${r.kept})`
          : "";
    out.write(`leakguard: ${r.action} ${r.path}${note}\n`);
    return 0;
  }
  if (sub === "uninstall") {
    const r = await uninstallHook(ctx.io.cwd, typeOf(ctx), ctx.io.env);
    const msg =
      r.action === "absent" ? `no hook at ${r.path}; nothing to remove` : r.action === "restored" ? `removed leakguard's hook; ${r.path} is the earlier hook again` : `removed ${r.path}`;
    out.write(`leakguard: ${msg}\n`);
    return 0;
  }
  if (sub === "doctor") {
    const report = await hookDoctor(ctx.io.cwd, ctx.io.env);
    for (const c of report.checks) out.write(`${!c.ok ? "FAIL" : c.warning ? "warn" : "ok  "}  ${c.name}: ${c.detail}\n`);
    out.write(report.healthy ? "leakguard: hooks are healthy\n" : "leakguard: hooks need attention (see FAIL above)\n");
    return report.healthy ? 0 : 1;
  }
  throw new UsageError(sub === undefined ? `hook needs a subcommand (usage: ${usage})` : `unknown hook subcommand '${sub}' (usage: ${usage})`);
}
