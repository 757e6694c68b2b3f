/**
 * The git commands this process runs, from git's own trace (GIT_TRACE into a
 * temporary file): tests count git runs structurally, never by timing.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tempFolder } from "./temp-folder.js";

/** Traces git from construction until {@link GitTrace.stop}; the file lives in a {@link tempFolder}. */
export class GitTrace {
  private readonly file = join(tempFolder({}), "git-trace.log");
  private readonly before = process.env.GIT_TRACE;
  constructor() {
    process.env.GIT_TRACE = this.file;
  }
  /** Forgets the commands traced so far. */
  reset(): void {
    rmSync(this.file, { force: true });
  }
  /** The commands traced since the last reset, each as its arguments after `git`. */
  commands(): string[] {
    let text = "";
    try {
      text = readFileSync(this.file, "utf8");
    } catch {
      return [];
    }
    return text
      .split("\n")
      .map((l) => /trace: built-in: git (.*)$/.exec(l)?.[1])
      .filter((c): c is string => c !== undefined);
  }
  /** Restores GIT_TRACE as it was. */
  stop(): void {
    if (this.before === undefined) delete process.env.GIT_TRACE;
    else process.env.GIT_TRACE = this.before;
  }
}
