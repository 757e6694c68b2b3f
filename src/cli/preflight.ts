/**
 * The checks every scanning command line passes before any work, whether it
 * came as leakguard's own (main.ts) or through the gitleaks layer
 * (gitleaks.ts): threshold values parse, and the report's target can be
 * written. A typo or an unwritable report path then costs no scan and leaves
 * nothing half-written: exit 2 with one line naming the flag as it was given.
 */
import { resolve } from "node:path";
import { checkOutputTarget } from "../util/write-output.js";
import type { CommandContext } from "./context.js";
import { parseConfidence, parseSeverity } from "./thresholds.js";

/** Throws a UsageError for a bad --fail-on / --min-confidence or an unwritable report target; `outputLabel` names the report flag as the user wrote it. */
export function preflight(flags: CommandContext["flags"], cwd: string, outputLabel?: string): void {
  parseSeverity("--fail-on", flags["fail-on"] as string | undefined);
  parseConfidence("--min-confidence", flags["min-confidence"] as string | undefined);
  const out = flags.output;
  if (typeof out === "string") checkOutputTarget(resolve(cwd, out), outputLabel ?? `--output ${out}`);
}
