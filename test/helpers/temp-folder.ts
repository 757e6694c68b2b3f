/**
 * Temporary folders holding given files, removed together by
 * {@link removeTempFolders} (call it from afterEach/afterAll).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made: string[] = [];

/** A new temporary folder with `files` (relative path → content) written into it. */
export function tempFolder(files: Record<string, string | Buffer>, prefix = "lg-"): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(d, p, ".."), { recursive: true });
    writeFileSync(join(d, p), c);
  }
  return d;
}

/** Removes every folder {@link tempFolder} made so far. */
export function removeTempFolders(): void {
  while (made.length) rmSync(made.pop()!, { recursive: true, force: true });
}
