/**
 * Rule metadata for reporters that describe rules (SARIF): description,
 * remediation, references, tags. Reporters receive findings only, so the rules
 * come from {@link ReportOptions.rules} when the caller has them (custom rules
 * from a config), else from the built-in rule set; a rule found in neither is
 * described from its findings alone.
 */
import type { Confidence, Finding, RuleDef, Severity } from "../engine/types.js";
import { builtinRules } from "../ruleset/builtin.js";

/** What a reporter needs to know about one rule. */
export interface RuleMeta {
  id: string;
  description: string;
  severity: Severity;
  confidence: Confidence;
  tags: string[];
  references: string[];
  remediation?: string;
}

function fromDef(def: RuleDef, sample: Finding): RuleMeta {
  const m: RuleMeta = {
    id: def.id,
    description: def.description || sample.title,
    severity: def.severity ?? sample.severity,
    confidence: def.confidence ?? sample.confidence,
    tags: def.tags ?? [],
    references: def.references ?? [],
  };
  if (def.remediation) m.remediation = def.remediation;
  return m;
}

/**
 * Metadata for every rule that fired in `findings`, in order of first firing.
 * `rules` (a config's rules) wins over the built-in rules of the same id.
 */
export function firedRules(findings: readonly Finding[], rules?: ReadonlyArray<RuleDef>): RuleMeta[] {
  const defs = new Map<string, RuleDef>();
  const lookup = (id: string): RuleDef | undefined => {
    if (defs.size === 0) {
      let builtin: RuleDef[] = [];
      try {
        builtin = builtinRules();
      } catch {
        // No rules on disk (a library bundled without them): describe from findings.
      }
      for (const d of builtin) defs.set(d.id, d);
      for (const d of rules ?? []) defs.set(d.id, d);
    }
    return defs.get(id);
  };
  const out = new Map<string, RuleMeta>();
  for (const f of findings) {
    if (out.has(f.ruleId)) continue;
    const def = lookup(f.ruleId);
    out.set(
      f.ruleId,
      def
        ? fromDef(def, f)
        : { id: f.ruleId, description: f.title, severity: f.severity, confidence: f.confidence, tags: [], references: [] },
    );
  }
  return [...out.values()];
}
