/**
 * Safe reads of the small files that steer a scan (I/O edge): config files,
 * ignore files, baselines. A repository is untrusted input, and these files
 * are read before any scanning, so each read:
 *
 * - refuses anything but a regular file: a FIFO would hang the run, a device
 *   such as `/dev/zero` would fill memory (checked with `stat` before opening,
 *   and with `fstat` on the opened descriptor so a swap in between is caught;
 *   opened with O_NONBLOCK so even a FIFO slipped in never blocks the open);
 * - reads at most a size cap (4 MiB by default) and says so when a file is
 *   larger;
 * - for a file found inside the scanned tree (`within`): follows a symlink
 *   only when its real target stays inside that tree, and refuses a path that
 *   resolves outside it (an `[extend] path = "../../etc/x"`, a link to
 *   `/dev/zero` or to a file in the user's home).
 *
 * Files the user named on the command line (`--config FILE`, `--baseline
 * FILE`) may be symlinks anywhere (the user chose them) but are still read
 * only as regular files under the cap. Every refusal is one line naming the
 * file, raised as an {@link InputError} (exit 2).
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, statSync, type Stats } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { InputError } from "../errors.js";

/** Default cap: far above any real config or ignore file. */
export const CONFIG_FILE_MAX_BYTES = 4 * 1024 * 1024;

/** Options for {@link readConfigFile}. */
export interface ReadConfigFileOptions {
  /** What the file is, for messages: "config file", "ignore file", "baseline". */
  kind: string;
  /** How the file is named in messages (default: the path). */
  label?: string;
  /**
   * For a file found in the scanned tree: the tree's root. The file's real
   * path (after symlinks) must stay inside it. Leave out for files the user named.
   */
  within?: string;
  /** Largest size read, in bytes (default {@link CONFIG_FILE_MAX_BYTES}). */
  maxBytes?: number;
}

// Not defined on Windows; there the checks below still hold, without the open-time guards.
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

/** "a FIFO", "a character device", …: what a non-regular file is. */
export function fileKind(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  if (st.isSymbolicLink()) return "a symbolic link";
  return "not a regular file";
}

/** True when `p` is `root` or below it (both absolute, real paths). */
/** True when `p` is `root` or below it (both absolute). */
export function isInside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === "" || (!r.startsWith("..") && !isAbsolute(r));
}

function realOrResolved(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

const mib = (n: number): string => `${Math.round((n / 1048576) * 10) / 10} MiB`;

/**
 * Reads `path` as UTF-8 text under the rules in the module header. Resolves
 * to undefined when nothing exists at `path`; throws an {@link InputError}
 * naming the file for everything it refuses.
 */
export function readConfigFile(path: string, opts: ReadConfigFileOptions): string | undefined {
  const label = opts.label ?? path;
  const max = opts.maxBytes ?? CONFIG_FILE_MAX_BYTES;
  const fail = (why: string): never => {
    throw new InputError(`${label}: ${why}`);
  };
  const code = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  let link: Stats;
  try {
    link = lstatSync(path);
  } catch (e) {
    if (code(e) === "ENOENT") return undefined;
    return fail(`cannot read ${opts.kind} (${code(e)})`);
  }
  let target = path;
  let flags = constants.O_RDONLY | O_NONBLOCK;
  if (opts.within !== undefined) {
    let real: string;
    try {
      real = realpathSync(path);
    } catch (e) {
      return fail(`is a symbolic link to a missing file (${code(e)}); refusing to read the ${opts.kind}`);
    }
    if (!isInside(realOrResolved(opts.within), real)) {
      return fail(
        `${link.isSymbolicLink() ? "is a symbolic link" : "resolves"} to ${real}, outside the scanned tree; refusing to read the ${opts.kind} (it may only point to a file inside)`,
      );
    }
    // Open the resolved path and refuse a symlink swapped in after the check.
    target = real;
    flags |= O_NOFOLLOW;
  } else if (!link.isSymbolicLink()) {
    flags |= O_NOFOLLOW;
  }
  let st: Stats;
  try {
    st = statSync(target);
  } catch (e) {
    return fail(`cannot read ${opts.kind} (${code(e)})`);
  }
  // Checked before opening: opening some devices has effects of its own.
  if (!st.isFile()) return fail(`is ${fileKind(st)}, not a regular file; refusing to read the ${opts.kind}`);
  if (st.size > max) return fail(`${opts.kind} is ${st.size} bytes, larger than the ${mib(max)} leakguard reads; refusing to read it`);
  let fd: number;
  try {
    fd = openSync(target, flags);
  } catch (e) {
    return fail(code(e) === "ELOOP" ? `became a symbolic link while being read; refusing to read the ${opts.kind}` : `cannot read ${opts.kind} (${code(e)})`);
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) return fail(`is ${fileKind(opened)}, not a regular file; refusing to read the ${opts.kind}`);
    const chunks: Buffer[] = [];
    let total = 0;
    // Read to the cap and one byte past it: a file that grows past the cap is refused, never read whole.
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(65536, max + 1 - total));
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        return fail(`cannot read ${opts.kind} (${code(e)})`);
      }
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > max) return fail(`${opts.kind} is larger than the ${mib(max)} leakguard reads; refusing to read it`);
    }
    return Buffer.concat(chunks, total).toString("utf8");
  } finally {
    closeSync(fd);
  }
}
