/**
 * gitleaks' command line as a compatibility layer (README, "Migrating from gitleaks"), so a CI line
 * written for gitleaks runs unchanged:
 *
 *   gitleaks detect [--no-git] [-s DIR] [--log-opts OPTS]   → history DIR (scan DIR with --no-git)
 *   gitleaks protect --staged [-s DIR]                      → staged (in DIR)
 *   gitleaks git [DIR] / dir [PATH] / stdin                 → history / scan / scan -
 *   gitleaks git --pre-commit / --staged [DIR]              → staged (in DIR)
 *
 * Flags are translated into leakguard's own (`-c/--config`, `-r/--report-path`
 * → --output, `-f/--report-format` → --format, default json with a report
 * path, `--exit-code`, `--baseline-path` (a leakguard baseline or a gitleaks
 * JSON report), `--max-target-megabytes` → --max-file-size (0 or less: no limit), `--enable-rule`
 * → only these rules, `-v/--verbose` → the text report on stdout as well when
 * the report goes to a file). `--redact`, `--no-banner`, `--no-color`,
 * `-l/--log-level` and `--max-decode-depth` are accepted and change nothing:
 * leakguard always redacts, prints no banner, colours only a terminal, and
 * decodes two levels deep. `-i/--gitleaks-ignore-path` → one more ignore
 * file, `--ignore-gitleaks-allow` → inline markers suppress nothing.
 * `--follow-symlinks`, `--max-archive-depth`, `--timeout`, `--platform` and
 * `--log-opts` `--no-merges` / `--first-parent` are accepted with a note on
 * stderr saying they are not applied: each would scan less, never more. The
 * command then runs as leakguard's own.
 */
import { readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { isLeakguardReport } from "../suppress/import.js";
import { parseArgs, type FlagSpec } from "./args.js";
import type { CliIO, CommandContext, CommandModule } from "./context.js";
import { GITLEAKS_COMMANDS, SCAN_FLAGS } from "./flags.js";
import { preflight } from "./preflight.js";


const GITLEAKS_FLAGS: FlagSpec[] = [
  { name: "source", short: "s", type: "string", arg: "PATH", help: "folder or repository to scan (default .)" },
  { name: "config", short: "c", type: "string", arg: "FILE", help: "configuration file (.gitleaks.toml works unchanged)" },
  { name: "report-path", short: "r", type: "string", arg: "FILE", help: "write the report to FILE" },
  { name: "report-format", short: "f", type: "string", arg: "FORMAT", help: "json (default with --report-path), csv, junit, sarif, or any leakguard format" },
  { name: "redact", type: "bool", help: "accepted; leakguard always redacts (--show-secrets shows them)" },
  { name: "no-banner", type: "bool", help: "accepted; leakguard prints no banner" },
  { name: "no-color", type: "bool", help: "no colours" },
  { name: "log-level", short: "l", type: "string", arg: "LEVEL", help: "accepted, ignored" },
  { name: "verbose", short: "v", type: "bool", help: "also print the findings as text when the report goes to a file" },
  { name: "log-opts", type: "string", arg: "OPTS", help: "git log options: --all, A..B, --since=DATE, or a branch name" },
  { name: "no-git", type: "bool", help: "detect: scan the folder's files, not its history" },
  { name: "staged", type: "bool", help: "protect: scan the staged changes (leakguard's protect always does)" },
  { name: "baseline-path", short: "b", type: "string", arg: "FILE", help: "a leakguard baseline, or a gitleaks or leakguard JSON report: findings in it are not reported" },
  { name: "max-target-megabytes", type: "int", arg: "N", help: "skip files larger than N megabytes (0 or less: no limit)" },
  { name: "enable-rule", type: "list", arg: "ID", help: "only this rule (repeatable)" },
  { name: "max-decode-depth", type: "int", arg: "N", help: "accepted; leakguard decodes base64, hex and percent encodings two levels deep" },
  { name: "gitleaks-ignore-path", short: "i", type: "string", arg: "PATH", help: "a .gitleaksignore file, or a folder holding one: read as well as the root's ignore files" },
  { name: "ignore-gitleaks-allow", type: "bool", help: "inline markers (gitleaks:allow, leakguard:allow, pragma: allowlist secret) suppress nothing" },
  { name: "follow-symlinks", type: "bool", help: "accepted, not applied (a note says so): leakguard does not follow symbolic links" },
  { name: "max-archive-depth", type: "int", arg: "N", help: "accepted, not applied (a note says so): leakguard opens archives two levels deep (--no-archives: none)" },
  { name: "timeout", type: "int", arg: "SECONDS", help: "accepted, not applied (a note says so): no whole-scan timeout; --timeout-per-file bounds each file" },
  { name: "platform", type: "string", arg: "NAME", help: "accepted, ignored (a note says so): leakguard's reports carry no links" },
  { name: "pre-commit", type: "bool", help: "git: scan the staged changes (as protect)" },
];

/** The leakguard flags that do not clash with gitleaks' names (--fail-on, --show-secrets, …). */
const EXTRA = SCAN_FLAGS.filter((s) => !GITLEAKS_FLAGS.some((g) => g.name === s.name || (s.short && g.short === s.short)) && s.name !== "format" && s.name !== "output");

/** The leakguard command, positionals and flags for a gitleaks command line. */
export interface Translation {
  command: "scan" | "history" | "staged";
  positionals: string[];
  flags: CommandContext["flags"];
  /** Folder to run in (protect runs `staged` in --source). */
  cwd: string;
  /** Lines for stderr: gitleaks flags accepted but not applied, and why. */
  notes: string[];
}

/**
 * True when `--baseline-path` names a report to match like `baseline --from`:
 * a gitleaks JSON report (an array) or leakguard's own JSON report (gitleaks'
 * workflow: `detect -r base.json`, then `detect -b base.json`). False for a
 * leakguard baseline, and when unreadable or not JSON (the baseline reader then says why).
 */
function isReport(file: string): boolean {
  try {
    const text = readFileSync(file, "utf8");
    if (text.trimStart().startsWith("[")) return true;
    return isLeakguardReport(JSON.parse(text));
  } catch {
    return false;
  }
}

/**
 * gitleaks' `--log-opts` mapped onto history's selection flags. `--no-merges`
 * and `--first-parent` (gitleaks-action's) would leave commits out; history
 * scans them all, which can only report more: a note says so.
 */
function logOpts(value: string, flags: CommandContext["flags"], notes: string[]): void {
  const words = value.trim().split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const since = /^--(?:since|after)(?:=(.+))?$/.exec(w);
    if (w === "--all" || w === "-p" || w === "--full-history") continue;
    else if (w === "--no-merges" || w === "--first-parent") notes.push(`--log-opts ${w}: not applied; every commit in the selection is scanned (merges and merged branches too), which can only report more`);
    else if (since) flags.since = since[1] ?? words[++i];
    else if (/\.\./.test(w) && !w.startsWith("-")) flags.range = w;
    else if (!w.startsWith("-") && flags.branch === undefined) flags.branch = w;
    else throw new UsageError(`--log-opts: leakguard understands --all, A..B, --since=DATE, one branch name, --no-merges and --first-parent; not "${w}"`);
  }
  if (flags.since === undefined) delete flags.since;
}

/** True when `p` is a folder (false when missing: the ignore reader then skips it). */
function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Translates `argv` (after the gitleaks subcommand `name`) for a run in `cwd`. */
export function translate(name: string, argv: readonly string[], cwd: string): Translation {
  // gitleaks' --redact takes an optional percentage (--redact=50): leakguard always redacts fully.
  const normal = argv.map((a) => (/^--redact=\d+$/.test(a) ? "--redact" : a));
  const { flags: g, positionals } = parseArgs(normal, [...GITLEAKS_FLAGS, ...EXTRA], name);
  const abs = (p: unknown): string | undefined => (typeof p === "string" ? resolve(cwd, p) : undefined);
  const flags: CommandContext["flags"] = {};
  for (const e of EXTRA) if (g[e.name] !== undefined) flags[e.name] = g[e.name];
  if (g.config !== undefined) flags.config = abs(g.config);
  const report = abs(g["report-path"]);
  if (report !== undefined) flags.output = report;
  const fmt = g["report-format"] as string | undefined;
  if (fmt?.toLowerCase() === "template") throw new UsageError("--report-format template is not supported; use json, csv, junit or sarif");
  flags.format = fmt ?? (report !== undefined ? "json" : "text");
  if (g["exit-code"] !== undefined) flags["exit-code"] = g["exit-code"];
  const baseline = abs(g["baseline-path"]);
  // A gitleaks or leakguard JSON report, or leakguard's own baseline file.
  if (baseline !== undefined) flags[isReport(baseline) ? "gitleaks-baseline" : "baseline"] = baseline;
  const mb = g["max-target-megabytes"] as number | undefined;
  // gitleaks: 0 or less means no limit (not a 0-byte limit that skips every file).
  if (mb !== undefined) flags["max-file-size"] = mb > 0 ? `${mb}MB` : String(Number.MAX_SAFE_INTEGER);
  if (g["enable-rule"] !== undefined) flags["enable-rule"] = g["enable-rule"];
  if (g.verbose === true && report !== undefined) flags["also-text"] = true;
  flags["no-progress"] = true;
  const source = (g.source as string | undefined) ?? ".";
  const notes: string[] = [];
  if (g["log-opts"] !== undefined && (name === "detect" || name === "git") && g["no-git"] !== true) logOpts(g["log-opts"] as string, flags, notes);
  const ignorePath = abs(g["gitleaks-ignore-path"]);
  // gitleaks reads PATH when it is a file, else PATH/.gitleaksignore; the root's ignore files are read either way.
  if (ignorePath !== undefined) flags["gitleaks-ignore"] = [isDir(ignorePath) ? join(ignorePath, ".gitleaksignore") : ignorePath];
  if (g["ignore-gitleaks-allow"] === true) flags["ignore-inline-allow"] = true;
  if (g["follow-symlinks"] === true) notes.push("--follow-symlinks: not applied; leakguard does not follow symbolic links (a link is counted, the file it points to is scanned only where it lies inside the scanned folder)");
  if (g["max-archive-depth"] !== undefined) notes.push(`--max-archive-depth ${String(g["max-archive-depth"])}: not applied; leakguard opens archives two levels deep (deeper ones are an archive-depth skip; --no-archives opens none)`);
  if (g.timeout !== undefined) notes.push(`--timeout ${String(g.timeout)}: not applied; leakguard has no whole-scan timeout (--timeout-per-file bounds each file, blob and message)`);
  if (g.platform !== undefined) notes.push(`--platform ${String(g.platform)}: ignored; leakguard's reports carry no links to a hosting platform`);
  const extra = (n: number): void => {
    if (positionals.length > n) throw new UsageError(`'leakguard ${name}' (gitleaks compatibility) got an unexpected argument: ${positionals[n]}`);
  };
  switch (name) {
    case "detect":
      extra(0);
      return g["no-git"] === true ? { command: "scan", positionals: [source], flags, cwd, notes } : { command: "history", positionals: [source], flags, cwd, notes };
    case "protect":
      extra(0);
      return { command: "staged", positionals: [], flags, cwd: resolve(cwd, source), notes };
    case "git":
      extra(1);
      // gitleaks' git --staged / --pre-commit: the change about to be committed, as protect.
      if (g["pre-commit"] === true || g.staged === true) {
        if (g.staged !== true) notes.push("git --pre-commit: scans the staged changes (what the commit records); changes not staged are not scanned, add --staged to say so");
        return { command: "staged", positionals: [], flags, cwd: resolve(cwd, positionals[0] ?? source), notes };
      }
      return { command: "history", positionals: [positionals[0] ?? source], flags, cwd, notes };
    case "dir":
      extra(1);
      return { command: "scan", positionals: [positionals[0] ?? source], flags, cwd, notes };
    default:
      extra(0);
      return { command: "scan", positionals: ["-"], flags, cwd, notes };
  }
}

/** Help for the compatibility commands. */
export function gitleaksHelp(name: string): string {
  const lines = GITLEAKS_FLAGS.map((s) => `  ${s.short ? `-${s.short}, ` : "    "}--${s.name}${s.type === "bool" ? "" : ` ${s.arg}`}`.padEnd(32) + ` ${s.help}`);
  return `gitleaks compatibility: 'leakguard ${name}' runs gitleaks' '${name}' command line as leakguard (see README, Migrating from gitleaks).\n\nOptions:\n${lines.join("\n")}\n  Also: leakguard's --fail-on, --min-confidence, --show-secrets, --quiet, …\n`;
}

/** How the report path was given on `argv` (`-r out/`, `--report-path=out/`), for messages; undefined when not given. */
function reportFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = /^(--report-path|-r)=(.*)$/.exec(a);
    if (eq) return `${eq[1]} ${eq[2]}`;
    if ((a === "--report-path" || a === "-r") && i + 1 < argv.length) return `${a} ${argv[i + 1]}`;
  }
  return undefined;
}

/** Runs a gitleaks command line through the leakguard command it maps to. */
export async function runGitleaks(name: string, argv: readonly string[], io: CliIO, load: (c: string) => Promise<CommandModule>): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout.write(gitleaksHelp(name));
    return 0;
  }
  const t = translate(name, argv, io.cwd);
  // The same checks as leakguard's own commands, before the scan (the report path named as given).
  preflight(t.flags, t.cwd, reportFlag(argv) ?? `--report-path ${String(t.flags.output)}`);
  for (const n of t.notes) io.stderr.write(`leakguard: note: ${n}\n`);
  const mod = await load(t.command);
  const env = argv.includes("--no-color") ? { ...io.env, NO_COLOR: "1" } : io.env;
  return mod.run({ flags: t.flags, positionals: t.positionals, command: t.command, io: { ...io, cwd: t.cwd, env } });
}
