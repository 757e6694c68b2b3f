/**
 * Stage one of the CLI: argv to raw values, by a declarative flag table. Knows
 * nothing of what flags mean; rejects unknown flags and missing values with a
 * {@link UsageError} naming the flag.
 */
import { UsageError } from "../errors.js";
import { didYouMean } from "../util/suggest.js";

/** One flag a command accepts. */
export interface FlagSpec {
  name: string;
  type: "bool" | "string" | "list" | "int";
  short?: string;
  /** For help text. */
  help?: string;
  /** Value placeholder for help text. */
  arg?: string;
}

/** Parsed argv. */
export interface ParsedArgs {
  flags: Record<string, string | boolean | number | string[] | undefined>;
  positionals: string[];
}

/** Parses `argv` against `specs`; `command` names the command in errors. */
export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[], command: string): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const flags: ParsedArgs["flags"] = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let spec: FlagSpec | undefined;
    let inline: string | undefined;
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (eq >= 0) inline = a.slice(eq + 1);
      spec = byName.get(name);
      if (!spec) throw new UsageError(`unknown flag --${name} for 'leakguard ${command}'${didYouMean(name, [...byName.keys()], (n) => `--${n}`)} (see 'leakguard ${command} --help')`);
    } else if (a.startsWith("-") && a.length > 1) {
      spec = byShort.get(a.slice(1));
      if (!spec) throw new UsageError(`unknown flag ${a} for 'leakguard ${command}' (see 'leakguard ${command} --help')`);
    } else {
      positionals.push(a);
      continue;
    }
    const flag = `--${spec.name}`;
    if (spec.type === "bool") {
      if (inline !== undefined) {
        if (!/^(true|false)$/.test(inline)) throw new UsageError(`${flag} takes no value (or =true/=false), got "${inline}"`);
        flags[spec.name] = inline === "true";
      } else flags[spec.name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value${spec.arg ? ` (${spec.arg})` : ""}`);
    }
    if (spec.type === "int") {
      if (!/^-?\d+$/.test(value)) throw new UsageError(`${flag} needs a whole number, got "${value}"`);
      flags[spec.name] = Number(value);
    } else if (spec.type === "list") {
      const prev = (flags[spec.name] as string[] | undefined) ?? [];
      flags[spec.name] = [...prev, value];
    } else flags[spec.name] = value;
  }
  return { flags, positionals };
}

/** Help lines for a flag table. */
export function flagHelp(specs: readonly FlagSpec[]): string {
  return specs
    .map((s) => {
      const left = `${s.short ? `-${s.short}, ` : "    "}--${s.name}${s.type === "bool" ? "" : ` ${s.arg ?? s.type.toUpperCase()}`}`;
      return `  ${left.padEnd(30)} ${s.help ?? ""}`;
    })
    .join("\n");
}
