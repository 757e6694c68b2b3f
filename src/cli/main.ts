/**
 * The CLI entry: picks the command, parses its flags (stage one, args.ts),
 * runs it, and turns every outcome into exactly one exit code in one place:
 * 0 nothing reported, 1 (or --exit-code) findings, 2 could not run.
 * Commands load lazily so the pre-commit hook pays only for `staged`.
 */
import { writeSync } from "node:fs";
import { isLeakguardError, UsageError } from "../errors.js";
import { scrubText } from "../util/scrub.js";
import { VERSION } from "../version.js";
import { flagHelp, parseArgs, type FlagSpec } from "./args.js";
import { GITLEAKS_COMMANDS, SCAN_FLAGS } from "./flags.js";
import { didYouMean } from "../util/suggest.js";
import { preflight } from "./preflight.js";
import type { CliIO, CommandModule } from "./context.js";

/** For bin/leakguard.js: it lends the buffer it read the program into to the stored keyword automaton's read. */
export { lendReadBuffer } from "../ruleset/keyword-tables.js";

/** The commands; each lives in ./commands/<name>.js and loads only when used (literal paths, so bundlers and vitest see them). */
const LOADERS: Record<string, () => Promise<unknown>> = {
  scan: () => import("./commands/scan.js"),
  staged: () => import("./commands/staged.js"),
  push: () => import("./commands/push.js"),
  history: () => import("./commands/history.js"),
  inventory: () => import("./commands/inventory.js"),
  baseline: () => import("./commands/baseline.js"),
  hook: () => import("./commands/hook.js"),
  rules: () => import("./commands/rules.js"),
};
const COMMANDS = Object.keys(LOADERS);

const USAGE = `leakguard ${VERSION}: keeps secrets out of git repositories

Usage: leakguard <command> [options]

Commands:
  scan [PATH...]                  scan files and folders (default .); - reads stdin
  staged                          scan what 'git commit' would record (pre-commit)
  push [RANGE]                    scan the commits a push would send (pre-push)
  history [REPO]                  scan every commit reachable from any ref
  inventory [REPO]                one row per distinct secret across history
  inventory merge FILE...         several repositories' inventories → one for the organisation
  baseline create|update          write the baseline of today's findings
  hook install|uninstall|doctor   install, remove or check the git hooks
  rules list|test                 list the rules; run every rule's examples

gitleaks' command line works too: detect, protect --staged, dir, git, stdin
(with -s, -c, -r, -f, --redact, --log-opts, --exit-code, --baseline-path, …).

Exit codes: 0 nothing found, 1 findings (--exit-code N), 2 could not run.
Run 'leakguard <command> --help' for a command's options.
`;

/** Loads a command module; a missing module is a usage error, not a crash. */
async function loadCommand(name: string): Promise<CommandModule> {
  if (!COMMANDS.includes(name)) throw new UsageError(`unknown command '${name}'${didYouMean(name, [...COMMANDS, ...GITLEAKS_COMMANDS], (c) => `'leakguard ${c}'`)} (see 'leakguard --help')`);
  try {
    return (await LOADERS[name]!()) as CommandModule;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND") {
      throw new UsageError(`command '${name}' is not available in this build`);
    }
    throw e;
  }
}

/**
 * A leakguard error's message as printed. A usage error quotes only the
 * command line; any other may quote a file's content (an ignore-file line, a
 * config value, a baseline, git's stderr naming a ref), where a token pasted
 * by mistake must not reach a CI log: scrubbed (util/scrub.ts).
 */
function shown(e: Error): string {
  return e instanceof UsageError ? e.message : scrubText(e.message);
}

/** Message of an unexpected error, without a stack unless LEAKGUARD_DEBUG is set. */
function internal(e: unknown, env: NodeJS.ProcessEnv): string {
  // Scrubbed: a message can quote the input that caused it (see util/scrub.ts).
  const msg = scrubText(e instanceof Error ? e.message : String(e));
  const detail = env.LEAKGUARD_DEBUG && e instanceof Error && e.stack ? `\n${scrubText(e.stack)}` : " (set LEAKGUARD_DEBUG=1 for details)";
  return `internal error: ${msg}${detail}`;
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    let [name, ...rest] = argv;
    if (name === undefined) {
      io.stderr.write(USAGE);
      return 2;
    }
    // `leakguard help scan` is `leakguard scan --help`.
    if (name === "help" && rest.length > 0) [name, rest] = [rest[0]!, ["--help"]];
    if (name === "--help" || name === "-h" || name === "help") {
      io.stdout.write(USAGE);
      return 0;
    }
    if (name === "--version" || name === "-V" || name === "version") {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if ((GITLEAKS_COMMANDS as readonly string[]).includes(name)) {
      const { runGitleaks } = await import("./gitleaks.js");
      return await runGitleaks(name, rest, io, loadCommand);
    }
    const mod = await loadCommand(name);
    // A command's own flag replaces a shared one of the same name (inventory's --format lists its formats).
    const own = mod.flags ?? [];
    const shared = mod.scanning === false ? [] : SCAN_FLAGS.filter((s) => !own.some((o) => o.name === s.name));
    const specs: FlagSpec[] = [...shared, ...own, { name: "help", short: "h", type: "bool", help: "show this help" }];
    const parsed = parseArgs(rest, specs, name);
    if (parsed.flags.help === true) {
      io.stdout.write(`${mod.summary}\n\nUsage: ${mod.usage}\n\nOptions:\n${flagHelp(specs)}\n`);
      return 0;
    }
    // Thresholds and the report target are checked before any work, so a typo costs no scan.
    preflight(parsed.flags, io.cwd);
    return await mod.run({ ...parsed, command: name, io });
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code === "EPIPE") return 0;
    io.stderr.write(`leakguard: ${isLeakguardError(e) ? shown(e as Error) : internal(e, io.env)}\n`);
    return 2;
  }
}

/**
 * The process's stdout and stderr, each created when first used: creating
 * one loads node's stream modules (and, for a pipe or a terminal, `net`),
 * ~3.5 ms of CPU and ~150 page faults here, which a clean pre-commit run
 * (`staged --quiet` finding nothing) never needs; it writes nothing.
 */
const streams: { stdout?: NodeJS.WriteStream; stderr?: NodeJS.WriteStream } = {};

function stdoutStream(): NodeJS.WriteStream {
  if (streams.stdout === undefined) {
    streams.stdout = process.stdout;
    streams.stdout.on("error", (e: NodeJS.ErrnoException) => {
      // A closed pipe (leakguard … | head) ends quietly.
      if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
      // Any other failed write (a full disk: ENOSPC; EIO) lost part of the report: say so, exit 2.
      // Written synchronously: the process ends here.
      try {
        writeSync(2, `leakguard: cannot write the report to stdout (${e.code ?? e.message}); it is incomplete\n`);
      } catch {
        // stderr is gone too: the exit code still says it.
      }
      process.exit(2);
    });
  }
  return streams.stdout;
}

function stderrStream(): NodeJS.WriteStream {
  return (streams.stderr ??= process.stderr);
}

/**
 * For bin/leakguard.js, once {@link main} is done: true when a write to
 * stdout failed and its error handler (which says so and exits 2) has yet to
 * run, on the next tick. Never creates a stream.
 */
export function outputFailed(): boolean {
  return streams.stdout?.errored != null;
}

/** Process entry used by bin/leakguard.js. */
export async function main(): Promise<void> {
  // Fail closed: should the event loop ever drain while a scan still waits (a bug), exit 2, never a green 0.
  let finished = false;
  process.once("beforeExit", () => {
    if (finished) return;
    stderrStream().write("leakguard: internal error: stopped before the scan finished; please report it\n");
    process.exitCode = 2;
  });
  const code = await run(process.argv.slice(2), {
    get stdout() {
      return stdoutStream();
    },
    get stderr() {
      return stderrStream();
    },
    // Lazily: creating process.stdin costs start-up time, and only `push` and `scan -` read it.
    get stdin() {
      return process.stdin;
    },
    stdinFd: 0,
    cwd: process.cwd(),
    env: process.env,
  });
  finished = true;
  process.exitCode = code;
}
