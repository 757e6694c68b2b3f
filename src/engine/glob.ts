/** Glob matching for allowlists and include/exclude lists (micromatch, dotfiles included). Pure. */
import micromatch from "micromatch";

/** A predicate true for paths matching any of `globs`. */
export function globMatcher(globs: readonly string[]): (path: string) => boolean {
  const ms = globs.map((g) => micromatch.matcher(g, { dot: true }));
  return (p) => ms.some((m) => m(p));
}
