/** The shared scanning flags, in a module of their own so that start-up does not load the engine. */
import type { FlagSpec } from "./args.js";

/** The per-file time budget (every scanning command; baseline lists it too). */
export const TIMEOUT_FLAG: FlagSpec = {
  name: "timeout-per-file",
  type: "int",
  arg: "MS",
  help: "give up on a file, blob or message after MS milliseconds, reported as skipped (default 10000; 0 = never)",
};

/** `--min-confidence` (every scanning command; baseline lists it too). */
export const MIN_CONFIDENCE_FLAG: FlagSpec = {
  name: "min-confidence",
  type: "string",
  arg: "LEVEL",
  help: "report only findings of at least LEVEL (high, medium); low = audit: also what the heuristics rejected, with the reason",
};

/** Flags every scanning command takes (README, "Commands"). */
export const SCAN_FLAGS: FlagSpec[] = [
  { name: "config", type: "string", arg: "FILE", help: "configuration file (default: .leakguard.toml, else .gitleaks.toml)" },
  { name: "no-config", type: "bool", help: "ignore config files at the root" },
  { name: "config-from", type: "string", arg: "REF", help: "read .leakguard.toml and the ignore files from git revision REF (e.g. origin/main), not the work tree" },
  { name: "no-repo-config", type: "bool", help: "ignore the repository's .leakguard.toml and ignore files: built-in rules plus --config only" },
  { name: "format", short: "f", type: "string", arg: "FORMAT", help: "text, json, jsonl, sarif, junit, csv, github" },
  { name: "output", short: "o", type: "string", arg: "FILE", help: "write the report to FILE (a regular file is replaced atomically; a device or FIFO is written through)" },
  { name: "baseline", type: "string", arg: "FILE", help: "report only findings not in this baseline" },
  { name: "show-secrets", type: "bool", help: "print secrets unredacted" },
  { name: "show-suppressed", type: "bool", help: "also list suppressed candidates and why" },
  { name: "report-unused-ignores", type: "bool", help: "warn about ignore-file and baseline entries that match no finding" },
  { name: "exit-code", type: "int", arg: "N", help: "exit code when something is found (default 1)" },
  { name: "fail-on-skip", type: "bool", help: "exit 1 when any file was not scanned (binary, too large, timed out, unreadable, archive limits)" },
  { name: "fail-on-unscanned", type: "bool", help: "exit 1 when a text was left unscanned or scanned only in part (too large, timed out, an internal error, unreadable, archive limits), not for binaries or links (the hooks use it)" },
  { name: "fail-on", type: "string", arg: "SEVERITY", help: "exit 1 only for findings at or above SEVERITY (low, medium, high, critical); all are still reported" },
  MIN_CONFIDENCE_FLAG,
  { name: "sarif-root-uri", type: "bool", help: "sarif: name the scanned root's absolute file URI in originalUriBaseIds (off: the file holds no path of this machine)" },
  { name: "no-progress", type: "bool", help: "no progress line on stderr" },
  { name: "quiet", short: "q", type: "bool", help: "print findings only: no summary, warnings or progress" },
  TIMEOUT_FLAG,
];

/** gitleaks' commands, accepted as a compatibility layer (here, not in gitleaks.ts, so start-up need not load that module). */
export const GITLEAKS_COMMANDS = ["detect", "protect", "dir", "git", "stdin"] as const;
