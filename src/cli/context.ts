/**
 * What a command gets: parsed flags, positionals and the process's streams,
 * passed in so commands run in tests without touching the real process.
 */
import type { ParsedArgs } from "./args.js";

/** Streams and environment of one CLI run. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** The same stdin as a file descriptor for synchronous reads (the process's 0); absent when stdin is only a stream (tests). */
  stdinFd?: number;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A command invocation. */
export interface CommandContext extends ParsedArgs {
  command: string;
  io: CliIO;
}

/** A command module's entry point: resolves to the exit code. */
export type CommandRun = (ctx: CommandContext) => Promise<number>;

/** A command module. */
export interface CommandModule {
  run: CommandRun;
  /** Flags beyond the shared scanning flags. */
  flags?: import("./args.js").FlagSpec[];
  /** False for commands that do not take the shared scanning flags. */
  scanning?: boolean;
  summary: string;
  usage: string;
}

/** Reads all of stdin. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks);
}
