/**
 * The words that make a value a placeholder, in one place for the engine's
 * filters (a word anywhere in a candidate, see filters.ts) and the
 * credential-file parsers (the whole value, see credfiles/util.ts). Pure.
 */

/** Words that make any value holding them a placeholder (`changeme`, `my-example-key`). */
export const PLACEHOLDER_WORDS: readonly string[] = ["changeme", "change_me", "change-me", "replaceme", "replace_me", "replace-me", "placeholder", "redacted", "dummy", "example", "sample"];

/** Values that are placeholders only as the whole value (`none`, `todo`): inside a longer value they are ordinary letters. */
export const PLACEHOLDER_VALUES: readonly string[] = ["todo", "tbd", "fixme", "none", "null", "nil", "undefined", "n/a"];

/** `words` as a regex alternation (each word escaped), for building the matchers. */
export function wordAlternation(words: readonly string[]): string {
  return words.map((w) => w.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")).join("|");
}
