import { checkSync, check } from "recheck";
const res=[String.raw`\b((?:AKIA|ASIA)[A-Z2-7]{16})\b`, String.raw`(a+)+$`, String.raw`(?:aws)?_?key["']?\s{0,30}(?::|=)\s{0,30}["']?([A-Za-z0-9/+=]{40})`, String.raw`(?i)password\s{0,5}[:=]\s{0,5}["']?([^\s"']{8,64})`.replace("(?i)",""), String.raw`-----BEGIN[ A-Z]{0,20}PRIVATE KEY-----[\s\S]{64,8000}?-----END`];
for (const mode of ["automaton","hybrid"]) {
const t=Date.now();
for (const re of res) {
  const r = checkSync(re, "", { checker: mode, timeout: 5000 });
  console.log(mode, re.slice(0,40), r.status, r.complexity?.type, r.complexity?.summary, Date.now()-t);
}
}
