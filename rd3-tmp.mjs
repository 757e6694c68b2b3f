import { checkSync } from "recheck";
import { readRuleFiles } from "/work/main/dist/ruleset/builtin.js";
import { translateRegex } from "/work/main/dist/engine/regex.js";
const P = { checker: "fuzz", randomSeed: 20261130, timeout: null, incubationTimeout: null, attackTimeout: null, recallTimeout: null, seedingTimeout: null };
for (const d of readRuleFiles()) {
  for (const [k, s] of [["regex", d.regex], ...(d.allowlists ?? []).flatMap((a, i) => (a.regexes ?? []).map((r) => [`al${i}:${a.regexTarget??"secret"}`, r]))]) {
    if (!s) continue;
    const { source, flags } = translateRegex(s);
    const a = checkSync(source, flags, { checker: "automaton", timeout: 3000 });
    if (a.status !== "unknown") continue;
    const t = Date.now();
    const r = checkSync(source, flags, P);
    console.log(d.id, k, r.status, r.complexity?.type, Date.now() - t, "ms");
  }
}
