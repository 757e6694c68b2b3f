import { checkSync } from "recheck";
import { translateRegex } from "./dist/engine/regex.js";
import { readRuleFiles } from "./dist/ruleset/builtin.js";
const d = readRuleFiles().find((d) => d.id === process.argv[2]);
const { source, flags } = translateRegex(d.regex);
for (let i = 0; i < 3; i++) {
  const t = Date.now();
  const r = checkSync(source, flags, { checker: "fuzz", randomSeed: 20261130, timeout: 10000 });
  console.log(r.status, r.complexity?.type ?? "", Date.now() - t, "ms", r.status === "unknown" ? r.error?.kind : "");
}
