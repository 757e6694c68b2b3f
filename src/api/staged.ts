/** Library: scan what `git commit` would record (the index), added lines only. */
import { resolve } from "node:path";
import type { ScanReport } from "../core/report.js";
import { prepareStaged, scanMessageFile, scanStagedChanges } from "../scans/staged.js";
import { runScan, checkSetup, type ScanOutcome, type ScanSetup } from "./pipeline.js";

/** Options for {@link scanStaged}. */
export interface ScanStagedOptions extends ScanSetup {
  /** A folder inside the repository (default: process.cwd()). */
  cwd?: string;
  /** Scan whole staged files, not only added lines. */
  allLines?: boolean;
  /**
   * A commit message file to scan instead of the staged changes, as git will
   * record it (comment lines dropped): what the commit-msg hook checks.
   */
  messageFile?: string;
  /**
   * Extra environment for git, e.g. `{ GIT_INDEX_FILE }` to scan another
   * index; the fingerprint key is read from process.env with this on top.
   */
  env?: NodeJS.ProcessEnv;
}

/** {@link scanStaged} with what the scan was made with (the CLI's `staged`). */
export async function runStaged(options: ScanStagedOptions = {}): Promise<ScanOutcome> {
  const messageFile = options.messageFile;
  const state = await prepareStaged(options.cwd ?? process.cwd(), { ...(options.env ? { env: options.env } : {}), changes: messageFile === undefined });
  try {
    const root = state.repo.root;
    return await runScan(
      {
        root,
        // Before the first commit there is no root commit to salt with: the default salt stays.
        repository: state.repo.base === "HEAD" ? root : undefined,
        baselineSaltWhenClean: false,
        scan: (scanner) =>
          messageFile !== undefined
            ? scanMessageFile(scanner, resolve(options.cwd ?? process.cwd(), messageFile), root)
            : scanStagedChanges(scanner, state, options.allLines ? { allLines: true } : {}),
      },
      { ...options, env: { ...process.env, ...options.env } },
    );
  } finally {
    // Already closed after a scan; ends a cat-file process should one have started before an error.
    await state.blobs?.close();
  }
}

/**
 * Scans the staged changes of the repository holding `cwd`: the index against
 * HEAD (the empty tree before the first commit). Only findings touching added
 * lines are reported unless `allLines`. Findings carry the raw secret, the
 * would-be author and email, and no commit. Fingerprints are keyed by the
 * private key when one is set, else salted with the config's salt or the root
 * commit's id; the root commit is asked for only when there are findings or
 * a baseline, so a clean commit costs no history walk.
 *
 * @example
 *   const { findings } = await scanStaged({ cwd: "/repo" });
 *   if (findings.length) process.exitCode = 1;
 */
export async function scanStaged(options: ScanStagedOptions = {}): Promise<ScanReport> {
  checkSetup("scanStaged", options, ["cwd", "messageFile"]);
  return (await runStaged(options)).report;
}
