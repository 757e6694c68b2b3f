/** `leakguard scan [PATH...]`: files and folders of the working tree; `-` reads stdin. */
import { resolve } from "node:path";
import { parseByteSize } from "../../config/load.js";
import { UsageError } from "../../errors.js";
import { DEFAULT_FILE_TIME_BUDGET_MS, scanBuffer, scanFiles, type FileScanOptions } from "../../sources/files.js";
import { bool, emitReport, list, progressOn, saltedScannerFor, str } from "../common.js";
import { readAll, type CommandContext } from "../context.js";
import type { FlagSpec } from "../args.js";

export const summary = "Scan files and folders of the working tree for secrets.";
export const usage = "leakguard scan [options] [PATH...]   (default: .; '-' reads standard input)";
export const flags: FlagSpec[] = [
  { name: "no-gitignore", type: "bool", help: "scan files that .gitignore excludes too" },
  { name: "include", type: "list", arg: "GLOB", help: "only scan paths matching GLOB (repeatable)" },
  { name: "exclude", type: "list", arg: "GLOB", help: "never scan paths matching GLOB (repeatable)" },
  { name: "max-file-size", type: "string", arg: "SIZE", help: "skip larger files (default 50MB)" },
  { name: "root", type: "string", arg: "DIR", help: "paths in findings are relative to DIR (default: .)" },
  { name: "stdin-name", type: "string", arg: "NAME", help: "file name for '-' in findings and path rules" },
  { name: "timeout-per-file", type: "int", arg: "MS", help: "give up on a file after MS milliseconds, reported as skipped (default 10000; 0 = never)" },
  { name: "no-archives", type: "bool", help: "do not look inside zip, jar, tar and gzip files" },
];

export async function run(ctx: CommandContext): Promise<number> {
  const root = resolve(ctx.io.cwd, str(ctx, "root") ?? ".");
  const budget = ctx.flags["timeout-per-file"];
  if (typeof budget === "number" && budget < 0) throw new UsageError(`--timeout-per-file needs milliseconds (0 or more), got ${budget}`);
  const scanner = await saltedScannerFor(ctx, root, { timeBudgetMs: typeof budget === "number" ? budget : DEFAULT_FILE_TIME_BUDGET_MS });
  const emit = { root, ...(scanner.salt !== undefined ? { salt: scanner.salt } : {}) };
  const paths = ctx.positionals;
  if (paths.includes("-")) {
    if (paths.length > 1) throw new UsageError("'-' (standard input) cannot be combined with other paths");
    const buf = await readAll(ctx.io.stdin);
    return emitReport(ctx, scanBuffer(scanner, buf, str(ctx, "stdin-name") ?? "-"), emit);
  }
  const opts: FileScanOptions = { root, gitignore: !bool(ctx, "no-gitignore"), include: list(ctx, "include"), exclude: list(ctx, "exclude"), archives: !bool(ctx, "no-archives") };
  const max = str(ctx, "max-file-size");
  if (max !== undefined) {
    const n = parseByteSize(max);
    if (n === undefined) throw new UsageError(`--max-file-size needs a size like 10MB, got "${max}"`);
    opts.maxFileSize = n;
  }
  if (progressOn(ctx)) {
    let files = 0;
    let bytes = 0;
    let last = 0;
    opts.onFile = (_p, b) => {
      files++;
      bytes += b;
      const now = Date.now();
      if (now - last > 100) {
        last = now;
        ctx.io.stderr.write(`\r\x1b[2Kscanning: ${files} files, ${(bytes / 1048576).toFixed(1)} MiB`);
      }
    };
  }
  const report = await scanFiles(scanner, paths.map((p) => resolve(ctx.io.cwd, p)), opts);
  if (progressOn(ctx)) ctx.io.stderr.write("\r\x1b[2K");
  return emitReport(ctx, report, emit);
}
