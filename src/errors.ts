/**
 * Errors that end a run with exit code 2. Each carries a one-line message that
 * names the thing (file, flag, repository) and what is wrong; the CLI prints it
 * as is, without a stack trace.
 */

/** Base class: a problem the user can fix. */
export class LeakguardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LeakguardError";
  }
}

/** A bad flag or argument. */
export class UsageError extends LeakguardError {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** git is missing, or the path is not a repository, or git failed. */
export class GitError extends LeakguardError {
  constructor(message: string) {
    super(message);
    this.name = "GitError";
  }
}

/** Input that cannot be read. */
export class InputError extends LeakguardError {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/**
 * A library function was called with an argument of the wrong type or shape
 * (e.g. `scanText(42)`). Checked at the API boundary so the caller gets one
 * line naming the function and the argument, not a TypeError from deep inside.
 */
export class ArgumentError extends LeakguardError {
  constructor(message: string) {
    super(message);
    this.name = "ArgumentError";
  }
}

/** True for errors that carry a user-facing message. */
export function isLeakguardError(e: unknown): e is LeakguardError {
  return e instanceof LeakguardError;
}
