/** `leakguard rules list|test`: the loaded rules, and their own examples run as tests. */
import { UsageError } from "../../errors.js";
import { withBuiltinExamples } from "../../ruleset/builtin.js";
import { checkRules } from "../../ruleset/check.js";
import { compileRuleSet } from "../../engine/compile.js";
import { configFor } from "../common.js";
import type { CommandContext } from "../context.js";
import type { FlagSpec } from "../args.js";

export const summary = "List the loaded rules, or run every rule's examples (built-in and custom).";
export const usage = "leakguard rules list|test [--config FILE] [--format text|json] [--rule ID]";
export const scanning = false;
export const flags: FlagSpec[] = [
  { name: "config", type: "string", arg: "FILE", help: "configuration file with custom rules" },
  { name: "no-config", type: "bool", help: "ignore config files at the root" },
  { name: "format", short: "f", type: "string", arg: "FORMAT", help: "text or json" },
  { name: "rule", type: "list", arg: "ID", help: "only this rule (repeatable)" },
];

export async function run(ctx: CommandContext): Promise<number> {
  const [sub] = ctx.positionals;
  const cfg = configFor(ctx, ctx.io.cwd);
  const only = (ctx.flags.rule as string[] | undefined) ?? [];
  const defs = only.length ? cfg.rules.filter((r) => only.includes(r.id)) : cfg.rules;
  const fmt = ((ctx.flags.format as string | undefined) ?? "text").toLowerCase();
  if (fmt !== "text" && fmt !== "json") throw new UsageError(`--format ${fmt} is not one of text, json`);
  if (sub === "list") {
    compileRuleSet(cfg.rules, cfg.allowlists);
    if (fmt === "json") {
      const rows = defs.map((r) => ({
        id: r.id,
        description: r.description,
        severity: r.severity ?? "high",
        confidence: r.confidence ?? "medium",
        keywords: r.keywords ?? [],
        tags: r.tags ?? [],
        origin: r.origin,
      }));
      ctx.io.stdout.write(JSON.stringify(rows, null, 2) + "\n");
    } else {
      const w = Math.max(4, ...defs.map((r) => r.id.length));
      ctx.io.stdout.write(`${"ID".padEnd(w)}  SEVERITY  CONFIDENCE  KEYWORDS\n`);
      for (const r of defs) {
        ctx.io.stdout.write(`${r.id.padEnd(w)}  ${(r.severity ?? "high").padEnd(8)}  ${(r.confidence ?? "medium").padEnd(10)}  ${(r.keywords ?? []).join(", ")}\n`);
      }
      ctx.io.stdout.write(`${defs.length} rules\n`);
    }
    return 0;
  }
  if (sub === "test") {
    const tested = withBuiltinExamples(defs);
    const problems = checkRules(tested);
    const examples = tested.reduce((n, r) => n + (r.examples?.length ?? 0) + (r.negativeExamples?.length ?? 0), 0);
    if (fmt === "json") {
      ctx.io.stdout.write(JSON.stringify({ rules: defs.length, examples, problems }, null, 2) + "\n");
    } else {
      for (const p of problems) ctx.io.stdout.write(`FAIL ${p.origin ? p.origin + ": " : ""}${p.ruleId}: ${p.message}\n`);
      ctx.io.stdout.write(`${defs.length} rules, ${examples} examples: ${problems.length === 0 ? "all pass" : `${problems.length} problem${problems.length === 1 ? "" : "s"}`}\n`);
    }
    return problems.length === 0 ? 0 : 1;
  }
  throw new UsageError(`'leakguard rules' needs 'list' or 'test'${sub ? `, not '${sub}'` : ""}`);
}
