/**
 * Commit messages as fragments. Pure. A message is scanned as its own text
 * (source "commit-message", file ""), lines counted within the message.
 */
import type { CommitInfo, Fragment } from "../engine/types.js";

/** Git's scissors line: `git commit -v` puts the diff below it; git drops everything after it. */
const SCISSORS = /^ ?-{8,} >8 -{8,}$/;

/**
 * The message git will record from a commit-msg file: lines starting with
 * the comment character dropped, and everything from the scissors line on.
 */
export function cleanMessage(raw: string, commentChar = "#"): string {
  const out: string[] = [];
  for (const line of raw.split("\n")) {
    const bare = line.replace(/\r$/, "");
    if (bare.startsWith(commentChar) && SCISSORS.test(bare.slice(commentChar.length))) break;
    if (line.startsWith(commentChar)) continue;
    out.push(line);
  }
  return out.join("\n");
}

/** A fragment for a commit message. */
export function messageFragment(message: string, commit?: CommitInfo): Fragment {
  return { text: message, path: "", source: "commit-message", ...(commit ? { commit } : {}) };
}
