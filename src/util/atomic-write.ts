/**
 * Atomic file writes: a temporary file in the same folder, fsync, then rename,
 * so a reader never sees half a file and a failed run never destroys the old one.
 */
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Writes `data` to `file` atomically. `mode` is applied exactly (past the
 * umask) unless it is `"umask"`: then the file gets 0666 less the umask, as a
 * shell redirection would create it.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode: number | "umask" = 0o644): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, "wx", mode === "umask" ? 0o666 : mode);
  try {
    writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
    fsyncSync(fd);
    if (mode !== "umask") chmodSync(tmp, mode); // the umask may have cut bits at open
  } catch (e) {
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw e;
  }
}
