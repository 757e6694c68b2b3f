/**
 * Commit messages as fragments. Pure. A message is scanned as its own text
 * (source "commit-message", file ""), lines counted within the message.
 */
import type { CommitInfo, Fragment } from "../engine/types.js";

/** Git's scissors line: `git commit -v` puts the diff below it; git drops everything after it. */
const SCISSORS = /^ ?-{8,} >8 -{8,}$/;

/**
 * What a commit-msg file may have git record: everything before the scissors
 * line that `git commit -v` puts above its diff, comment lines included. git drops lines starting with the comment
 * character only when it cleans up with `strip` (a message edited in the
 * editor); for `-m`, `-F`, `--cleanup=whitespace` or `verbatim` it keeps
 * them, and the hook cannot tell which, so a key on a `#` line was committed
 * unscanned. Scanning a comment line git then drops costs nothing but a look.
 * A `-v` buffer saved and given to `-F` is recorded whole by git, diff and
 * all, yet cut here like the real thing: the hook cannot tell the two apart.
 */
export function messageToScan(raw: string, commentChar = "#"): string {
  const lines = raw.split("\n");
  const out: string[] = [];
  // core.commentChar=auto: git picks, per message, the first of these the message does not start a line with.
  const chars = commentChar === "auto" ? AUTO_COMMENT_CHARS : [commentChar];
  for (let i = 0; i < lines.length; i++) {
    const bare = lines[i]!.replace(/\r$/, "");
    // The scissors line counts only with `git commit -v`'s diff below it: git cuts there only with -v or
    // --cleanup=scissors, and a message typed with -m keeps a look-alike line and what follows. git's own
    // block has comment lines (its "do not modify" notice, in the user's language) right below the scissors.
    const c = chars.find((x) => bare.startsWith(x) && SCISSORS.test(bare.slice(x.length)));
    if (c !== undefined && lines[i + 1]?.startsWith(c) === true && lines.slice(i + 2).some((l) => l.startsWith("diff --git "))) break;
    out.push(lines[i]!);
  }
  return out.join("\n").replace(/\n+$/, "");
}

/** The characters git's `core.commentChar=auto` chooses from, in its order. */
const AUTO_COMMENT_CHARS = ["#", ";", "@", "!", "$", "%", "^", "&", "|", ":"];

/** A fragment for a commit message. */
export function messageFragment(message: string, commit?: CommitInfo): Fragment {
  return { text: message, path: "", source: "commit-message", ...(commit ? { commit } : {}) };
}
