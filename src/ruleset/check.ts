/**
 * Rule hygiene, as one function shared by `leakguard rules test` and the test
 * suite: every positive example yields exactly its secret, every negative
 * example yields nothing, every known miss still misses, every positive
 * example holds one of the rule's keywords. Pure.
 */
import { compileRuleSet } from "../engine/compile.js";
import { scanFragment } from "../engine/scan.js";
import { DEFAULT_DECODERS } from "../engine/passes.js";
import type { RuleDef } from "../engine/types.js";

/** Examples are checked the way a scanner finds them: with the default passes (decoding, credential files), passed in, not registered by an import. */
const EXAMPLE_SCAN = { decoders: DEFAULT_DECODERS };

/** One failed check. */
export interface RuleProblem {
  ruleId: string;
  origin?: string;
  kind: "compile" | "example" | "negative" | "known-miss" | "keyword" | "count";
  message: string;
}

/** Options for {@link checkRule}. */
export interface CheckOptions {
  /** Minimum positive and negative examples per rule (0 = no minimum). */
  minExamples?: number;
}

/** Checks one rule against its own examples. */
export function checkRule(def: RuleDef, opts: CheckOptions = {}): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const add = (kind: RuleProblem["kind"], message: string): void => {
    const p: RuleProblem = { ruleId: def.id, kind, message };
    if (def.origin !== undefined) p.origin = def.origin;
    problems.push(p);
  };
  let rs;
  try {
    rs = compileRuleSet([def]);
  } catch (e) {
    add("compile", (e as Error).message);
    return problems;
  }
  const min = opts.minExamples ?? 0;
  const pos = def.examples ?? [];
  const neg = def.negativeExamples ?? [];
  if (pos.length < min) add("count", `has ${pos.length} positive examples, needs ${min}`);
  if (neg.length < min) add("count", `has ${neg.length} negative examples, needs ${min}`);
  const kws = (def.keywords ?? []).map((k) => k.toLowerCase());
  pos.forEach((ex, i) => {
    const { findings } = scanFragment(rs, { text: ex.text, path: ex.path ?? "example.txt" }, EXAMPLE_SCAN);
    const secrets = findings.map((f) => f.secret);
    if (!secrets.includes(ex.secret)) {
      add("example", `examples[${i}] should find ${JSON.stringify(ex.secret)} but found ${secrets.length ? secrets.map((s) => JSON.stringify(s)).join(", ") : "nothing"}`);
    } else {
      // Position check: the reported span must hold exactly the secret.
      const f = findings.find((x) => x.secret === ex.secret)!;
      const lines = ex.text.split(/\r\n|\r|\n/);
      const got = lines.slice(f.line - 1, f.endLine).join("\n");
      const start = f.column - 1;
      const endOffsetInJoined = lines.slice(f.line - 1, f.endLine - 1).reduce((n, l) => n + l.length + 1, 0) + f.endColumn - 1;
      const span = got.slice(start, endOffsetInJoined);
      // A secret found decoded (a parser's base64 field) stands at its encoded text.
      const shown = f.encoding === "base64" ? Buffer.from(span, "base64").toString("utf8") : span;
      if (shown !== ex.secret.replace(/\r\n|\r/g, "\n")) {
        add("example", `examples[${i}] reports ${f.line}:${f.column}-${f.endLine}:${f.endColumn}, which holds ${JSON.stringify(span)}, not the secret`);
      }
    }
    if (kws.length > 0 && !kws.some((k) => ex.text.toLowerCase().includes(k))) {
      add("keyword", `examples[${i}] contains none of the keywords ${kws.join(", ")}`);
    }
  });
  neg.forEach((ex, i) => {
    const { findings } = scanFragment(rs, { text: ex.text, path: ex.path ?? "example.txt" }, EXAMPLE_SCAN);
    if (findings.length > 0) {
      add("negative", `negativeExamples[${i}]${ex.reason ? " (" + ex.reason + ")" : ""} should find nothing but found ${findings.map((f) => JSON.stringify(f.secret)).join(", ")}`);
    }
  });
  (def.knownMisses ?? []).forEach((ex, i) => {
    const { findings } = scanFragment(rs, { text: ex.text, path: ex.path ?? "example.txt" }, EXAMPLE_SCAN);
    if (findings.some((f) => f.secret === ex.secret)) {
      add("known-miss", `knownMisses[${i}] is found now: move it to examples`);
    }
  });
  return problems;
}

/** Checks a whole rule list, including that ids are unique. */
export function checkRules(defs: readonly RuleDef[], opts: CheckOptions = {}): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const seen = new Map<string, string | undefined>();
  for (const d of defs) {
    if (seen.has(d.id)) {
      const p: RuleProblem = { ruleId: d.id, kind: "compile", message: `duplicate id (also in ${seen.get(d.id) ?? "another file"})` };
      if (d.origin !== undefined) p.origin = d.origin;
      problems.push(p);
    }
    seen.set(d.id, d.origin);
    problems.push(...checkRule(d, opts));
  }
  return problems;
}
