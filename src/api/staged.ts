/** Library: scan what `git commit` would record (the index), added lines only. */
import { resolve } from "node:path";
import type { ScanReport } from "../core/report.js";
import { prepareStaged, quickWorkTreeRoot, scanMessageFile, scanStagedChanges, type StagedState } from "../scans/staged.js";
import { prefetchKeywordTables } from "../ruleset/keyword-tables.js";
import type { PipedDiff } from "../git/staged-diff.js";
import { checkSetup, prepareScan, runScan, type PreparedScan, type ScanOutcome, type ScanSetup } from "./pipeline.js";

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

/** A scan prepared for the work tree at `root`, before git has confirmed it. */
interface PreparedAhead {
  root: string;
  prepared: PreparedScan;
}

/**
 * The scan prepared while git lists the staged changes (the configuration
 * loaded, the rules compiled: most of the hook's own work, done while git
 * runs on another core), for `root`, the work tree root the file system
 * shows. It is used only when git names the same root and a HEAD;
 * otherwise, or when preparing failed, the scan is prepared again (and
 * reports the error).
 */
function prepareAhead(root: string | undefined, setup: ScanSetup): Promise<PreparedAhead | undefined> {
  if (root === undefined) return Promise.resolve(undefined);
  return prepareScan({ root, repository: root, fewTexts: true }, setup).then(
    (prepared) => ({ root, prepared }),
    () => undefined,
  );
}

/** Closes a scanner prepared ahead that the scan does not use. */
async function discard(ahead: PreparedAhead | undefined): Promise<void> {
  if (ahead?.prepared.own) await ahead.prepared.scanner.close();
}

/** What only the CLI's `staged` gives {@link runStaged}. */
export interface StagedHookInput {
  /**
   * The staged diff the hook script piped in (git/staged-diff.ts), read when
   * the scan would run git for it; undefined: git is run.
   */
  pipedDiff?: () => PipedDiff | undefined;
}

/** {@link scanStaged} with what the scan was made with (the CLI's `staged`). */
export async function runStaged(options: ScanStagedOptions = {}, hook: StagedHookInput = {}): Promise<ScanOutcome> {
  const cwd = options.cwd ?? process.cwd();
  const messageFile = options.messageFile;
  const env = { ...process.env, ...options.env };
  const setup: ScanSetup = { ...options, env };
  // Looked for once: git's fast path and the scan prepared ahead both start from it.
  const quickRoot = quickWorkTreeRoot(cwd, env);
  // git starts (spawned before this call returns), the keyword tables are read on another thread, and the
  // scan is prepared while both work. git first: this thread waits until the forked child has started git
  // (~5-20 ms here), and a read on the thread pool running meanwhile competed with the child for a core.
  // With the diff piped in by the hook script no process starts, and nothing waits on the event loop
  // before the scan: a read on the thread pool hands its bytes over in a callback, which needs a turn of
  // the loop, so the scan read the file again itself. There the scan reads the tables when it needs them,
  // on this thread, and no thread pool starts (waiting for one to read them cost more here, ~8 ms of CPU).
  const piped = hook.pipedDiff !== undefined && quickRoot !== undefined && messageFile === undefined;
  const diff = piped ? hook.pipedDiff!() : undefined;
  const preparing = prepareStaged(cwd, {
    ...(options.env ? { env: options.env } : {}),
    changes: messageFile === undefined,
    quickRoot,
    ...(diff !== undefined ? { piped: diff } : {}),
  });
  const tablesRead = !piped && setup.config === undefined && setup.scanner === undefined ? prefetchKeywordTables() : undefined;
  const ahead = prepareAhead(quickRoot, setup);
  let state: StagedState;
  try {
    state = await preparing;
  } catch (e) {
    await discard(await ahead);
    throw e;
  }
  try {
    const root = state.repo.root;
    // Before the first commit there is no root commit to salt with: the default salt stays.
    const repository = state.repo.base === "HEAD" ? root : undefined;
    const early = await ahead;
    const fits = early !== undefined && early.root === root && repository === root;
    if (!fits) await discard(early);
    // The tables read ahead reach the scan through the read's callback: should git have answered first,
    // the scan waits for it rather than reading the 1.4 MB again itself. By now the read is done or nearly.
    await tablesRead;
    return await runScan(
      {
        root,
        repository,
        baselineSaltWhenClean: false,
        fewTexts: true,
        scan: (scanner) =>
          messageFile !== undefined
            ? scanMessageFile(scanner, resolve(cwd, messageFile), root)
            : scanStagedChanges(scanner, state, options.allLines ? { allLines: true } : {}),
      },
      setup,
      fits ? early.prepared : undefined,
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
