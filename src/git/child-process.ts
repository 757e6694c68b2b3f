/**
 * node:child_process, loaded when a process is first started: a clean
 * pre-commit hook whose diff the hook script piped in (staged-diff.ts) starts
 * none, and loading the module and its streams costs start-up (~80 page
 * faults here).
 */
import { createRequire } from "node:module";

type ChildProcessModule = typeof import("node:child_process");

let loaded: ChildProcessModule | undefined;

/** The node:child_process module, loaded on first use. */
export function childProcess(): ChildProcessModule {
  return (loaded ??= createRequire(import.meta.url)("node:child_process") as ChildProcessModule);
}
