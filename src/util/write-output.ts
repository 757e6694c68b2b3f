/**
 * Writing a report to `--output FILE` (I/O edge).
 *
 * - A regular file, or a path that does not exist yet, is written atomically
 *   (temporary file + rename): a reader never sees half a report. An existing
 *   file keeps its mode; a new one gets 0666 less the umask, like `> FILE`.
 * - Anything else the user can name (a device such as `/dev/null` or
 *   `/dev/stdout`, a FIFO) is written straight through: replacing it by a
 *   rename would destroy the device or starve the FIFO's reader.
 * - A symlink is followed to its target (the link stays a link).
 * - A directory, a socket or a missing folder is refused by
 *   {@link checkOutputTarget} with one line, before any scan starts.
 */
import { accessSync, constants, lstatSync, readlinkSync, statSync, type Stats } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, resolve } from "node:path";
import { InputError, UsageError } from "../errors.js";
import { writeFileAtomic } from "./atomic-write.js";

/** Made when a report is written to a file: creating it at load cost every run (the hook) ~0.1 ms. */
let load: NodeRequire | undefined;

/** Where a path really points, after following symlinks. */
interface OutputTarget {
  /** The final path (symlinks resolved). */
  path: string;
  /** Its stats; undefined when nothing exists there yet. */
  stats?: Stats;
}

/** Follows symlinks from `file` (also dangling ones) to the path a write would reach. */
function resolveTarget(file: string, label: string): OutputTarget {
  let path = resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    let st: Stats;
    try {
      st = lstatSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return { path };
      throw cannotUse(label, e);
    }
    if (!st.isSymbolicLink()) return { path, stats: st };
    const target = readlinkSync(path);
    // /proc/self/fd/1, what /dev/stdout names, links to "pipe:[123]" when stdout is a pipe: an object
    // with no path, which only opening the link itself reaches.
    if (path.startsWith("/proc/") && !isAbsolute(target)) return procObject(path, label);
    path = resolve(dirname(path), target);
  }
  throw new UsageError(`${label}: too many levels of symbolic links`);
}

/** A /proc link to an object with no path (a pipe, a socket), with the object's stats. */
function procObject(path: string, label: string): OutputTarget {
  try {
    return { path, stats: statSync(path) };
  } catch (e) {
    throw cannotUse(label, e);
  }
}

/** The one-line answer for a target that cannot be looked at. */
function cannotUse(label: string, e: unknown): UsageError {
  return new UsageError(`${label}: cannot use (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isSocket()) return "a socket";
  return "not a file leakguard can write";
}

/** True for targets written straight through (no rename): devices and FIFOs. */
function writesThrough(st: Stats): boolean {
  return st.isCharacterDevice() || st.isBlockDevice() || st.isFIFO();
}

/**
 * Throws a one-line {@link UsageError} when a report cannot be written to
 * `file`: a directory, a socket, a missing or unwritable folder. Called before
 * the scan starts, so a long scan never ends in "cannot write".
 */
export function checkOutputTarget(file: string, label = `--output ${file}`): void {
  const t = resolveTarget(file, label);
  if (t.stats) {
    if (!t.stats.isFile() && !writesThrough(t.stats)) throw new UsageError(`${label}: is ${kindOf(t.stats)}; name a file`);
    try {
      accessSync(t.path, constants.W_OK);
    } catch (e) {
      throw new UsageError(`${label}: not writable (${(e as NodeJS.ErrnoException).code})`);
    }
    return;
  }
  const dir = dirname(t.path);
  let d: Stats;
  try {
    d = statSync(dir);
  } catch {
    throw new UsageError(`${label}: folder ${dir} does not exist`);
  }
  if (!d.isDirectory()) throw new UsageError(`${label}: ${dir} is not a folder`);
  try {
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new UsageError(`${label}: cannot create a file in ${dir} (${(e as NodeJS.ErrnoException).code})`);
  }
}

/** Writes `data` to `file` as described in the module header; errors are one line naming `label`. */
export async function writeOutput(file: string, data: string, label = `--output ${file}`): Promise<void> {
  const t = resolveTarget(file, label);
  try {
    if (t.stats && writesThrough(t.stats)) {
      // Loaded here: only a device or FIFO target needs it, and start-up pays for every module. Required,
      // not import()ed: bin/leakguard.js runs the bundle as a vm.Script, where import() of a module
      // outside the bundle throws ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING.
      const { writeFile } = (load ??= createRequire(import.meta.url))("node:fs/promises") as typeof import("node:fs/promises");
      await writeFile(t.path, data);
    } else if (t.stats && !t.stats.isFile()) {
      throw new UsageError(`${label}: is ${kindOf(t.stats)}; name a file`);
    } else {
      writeFileAtomic(t.path, data, t.stats ? t.stats.mode & 0o7777 : "umask");
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new InputError(`${label}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
