/** `leakguard scan [PATH...]`: files and folders of the working tree; `-` reads stdin. */
import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { parseByteSize } from "../../config/load.js";
import { UsageError } from "../../errors.js";
import { runPaths, type ScanPathsOptions } from "../../api/paths.js";
import { discardScanWorker, earlyFileWorker, prestartScanWorker } from "../../core/scan-pool.js";
import { bool, emitReport, list, progressOn, setupFor, str } from "../common.js";
import { readAll, type CommandContext } from "../context.js";
import type { FlagSpec } from "../args.js";
import { isInside } from "../../util/read-config-file.js";
import { nearestDotGit } from "../../git/repo.js";

export const summary = "Scan files and folders of the working tree for secrets.";
export const usage = "leakguard scan [options] [PATH...]   (default: .; '-' reads standard input)";
export const flags: FlagSpec[] = [
  { name: "no-gitignore", type: "bool", help: "scan files that .gitignore excludes too" },
  { name: "include", type: "list", arg: "GLOB", help: "only scan paths matching GLOB (repeatable)" },
  { name: "exclude", type: "list", arg: "GLOB", help: "never scan paths matching GLOB (repeatable)" },
  { name: "max-file-size", type: "string", arg: "SIZE", help: "skip larger files (default 50MB)" },
  { name: "root", type: "string", arg: "DIR", help: "paths in findings are relative to DIR (default: ., or the repository or folder holding PATHs outside .)" },
  { name: "stdin-name", type: "string", arg: "NAME", help: "file name for '-' in findings and path rules" },
  { name: "no-archives", type: "bool", help: "do not look inside zip, jar, tar and gzip files" },
];

/**
 * The scanned root when --root is not given: the current folder when every
 * path lies inside it (`scan src` → src/app.js); else the git work tree
 * holding the paths, or the folder they share (`scan /srv/app` → app.js,
 * with /srv/app's config and ignore files). The label is how the user named
 * that root, put before paths in text output.
 */
export function inferRoot(cwd: string, paths: readonly string[]): { root: string; label: string } {
  const abs = paths.filter((p) => p !== "-").map((p) => resolve(cwd, p));
  if (abs.every((p) => isInside(cwd, p))) return { root: cwd, label: "" };
  const dirs = abs.map((p) => (existsSync(p) && !statSync(p).isDirectory() ? dirname(p) : p));
  let common = dirs[0]!;
  while (!dirs.every((d) => isInside(common, d))) common = dirname(common);
  common = nearestDotGit(common) ?? common;
  const named = paths.some((p) => isAbsolute(p)) ? common : relative(cwd, common);
  return { root: common, label: toSlash(named) };
}

const toSlash = (p: string): string => p.split(sep).join("/");

export async function run(ctx: CommandContext): Promise<number> {
  const rootFlag = str(ctx, "root");
  const { root, label } = rootFlag !== undefined ? { root: resolve(ctx.io.cwd, rootFlag), label: "" } : inferRoot(ctx.io.cwd, ctx.positionals);
  const paths = ctx.positionals.map((p) => (p === "-" ? p : resolve(ctx.io.cwd, p)));
  const opts: ScanPathsOptions & { stdin?: Buffer; stdinName?: string } = { ...setupFor(ctx), root };
  if (paths.includes("-")) {
    if (paths.length > 1) throw new UsageError("'-' (standard input) cannot be combined with other paths");
    opts.stdin = await readAll(ctx.io.stdin);
    opts.stdinName = str(ctx, "stdin-name") ?? "-";
  } else {
    Object.assign(opts, { gitignore: !bool(ctx, "no-gitignore"), include: list(ctx, "include"), exclude: list(ctx, "exclude"), archives: !bool(ctx, "no-archives") });
    const max = str(ctx, "max-file-size");
    if (max !== undefined) {
      const n = parseByteSize(max);
      if (n === undefined) throw new UsageError(`--max-file-size needs a size like 10MB, got "${max}"`);
      opts.maxFileSize = n;
    }
    if (progressOn(ctx)) opts.onFile = progressCounter(ctx);
    // The worker loads while the configuration loads and the walk starts (see prestartScanWorker),
    // where a large scan takes one early (see earlyFileWorker); ended below if no pool took it.
    if (earlyFileWorker()) prestartScanWorker();
  }
  const { report, config } = await runPaths(paths, opts).finally(() => discardScanWorker());
  if (opts.onFile) ctx.io.stderr.write("\r\x1b[2K");
  return emitReport(ctx, report, { root, rootLabel: label, config });
}

/** A progress line on stderr, redrawn at most every 100 ms. */
function progressCounter(ctx: CommandContext): (path: string, bytes: number) => void {
  let files = 0;
  let bytes = 0;
  let last = 0;
  return (_p, b) => {
    files++;
    bytes += b;
    const now = Date.now();
    if (now - last > 100) {
      last = now;
      ctx.io.stderr.write(`\r\x1b[2Kscanning: ${files} files, ${(bytes / 1048576).toFixed(1)} MiB`);
    }
  };
}
