/** Library: scan files and folders. */
import { resolve } from "node:path";
import type { ScanReport } from "../core/report.js";
import { scanBuffer, scanFiles, type FileScanOptions } from "../sources/files.js";
import { checkStringArray } from "../util/validate.js";
import { runScan, checkSetup, type ScanOutcome, type ScanSetup } from "./pipeline.js";

/** Options for {@link scanPaths}. */
export interface ScanPathsOptions extends FileScanOptions, ScanSetup {}

/**
 * {@link scanPaths} with what the scan was made with (the CLI's `scan`).
 * `stdin` is the content of a path `-` (standard input), reported under `stdinName`.
 */
export async function runPaths(paths: readonly string[], options: ScanPathsOptions & { stdin?: Buffer; stdinName?: string } = {}): Promise<ScanOutcome> {
  const root = resolve(options.root ?? process.cwd());
  return runScan(
    {
      root,
      repository: root,
      scan: (scanner) =>
        options.stdin !== undefined ? scanBuffer(scanner, options.stdin, options.stdinName ?? "-") : scanFiles(scanner, paths.map((p) => resolve(root, p)), { ...options, root }),
    },
    options,
  );
}

/**
 * Scans files and folders like `leakguard scan`: honours .gitignore, skips
 * binary and oversized files, never follows symlinks, applies ignore files
 * and the baseline. Resolves to a report with findings (raw secrets),
 * suppressed candidates, counts and warnings.
 *
 * @example
 *   const { findings } = await scanPaths(["src", ".env"], { root: "/repo" });
 */
export async function scanPaths(paths: readonly string[] = ["."], options: ScanPathsOptions = {}): Promise<ScanReport> {
  checkStringArray("scanPaths", "paths", paths);
  checkSetup("scanPaths", options, ["root"]);
  if (options.ignoreFiles !== undefined) checkStringArray("scanPaths", "options.ignoreFiles", options.ignoreFiles);
  return (await runPaths(paths, options)).report;
}
