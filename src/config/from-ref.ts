/**
 * Configuration from a git revision (I/O edge), for `--config-from REF`: CI on
 * a pull request reads `.leakguard.toml` and the ignore files as the base
 * branch has them, so a change cannot silence its own findings by editing
 * them.
 *
 * Files are read with `git ls-tree` + `git cat-file blob`, never checked out:
 * only regular files (mode 100644/100755) under {@link REF_FILE_MAX_BYTES};
 * a symlink, submodule or folder at a config name is refused with a message;
 * `[extend] path` must stay inside the revision. Names are `REF:path`
 * (repository-relative, `/`-separated), which is how they appear in
 * messages and `summary.configs`.
 *
 * @example
 *   const reader = RefReader.open("/repo", "origin/main");
 *   const config = loadConfig({ root: "/repo", reader });
 *   const ignore = reader.readOptional(".leakguardignore");
 */
import { isAbsolute, relative, resolve, posix } from "node:path";
import { GitError, UsageError } from "../errors.js";
import { childProcess } from "../git/child-process.js";
import { gitEnv } from "../git/run.js";
import { ConfigError } from "../ruleset/parse.js";
import { CONFIG_FILE_MAX_BYTES } from "../util/read-config-file.js";
import type { ConfigReader } from "./load.js";

/** Largest config or ignore file read from a revision: the same cap as on disk. */
export const REF_FILE_MAX_BYTES = CONFIG_FILE_MAX_BYTES;

/** One `git ls-tree --long` row. */
interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
  size: number;
}

/** Runs git synchronously in `cwd` (small outputs only); undefined on a non-zero exit. */
function gitSync(cwd: string, args: string[], maxBytes = 64 * 1024): Buffer | undefined {
  const r = childProcess().spawnSync("git", args, { cwd, env: gitEnv({ GIT_LITERAL_PATHSPECS: "1" }), maxBuffer: maxBytes + 1024 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new GitError(code === "ENOENT" ? "git is not installed or not on PATH" : `cannot run git: ${r.error.message}`);
  }
  return r.status === 0 ? r.stdout : undefined;
}

/** A {@link ConfigReader} over one commit of a repository. */
export class RefReader implements ConfigReader {
  private constructor(
    /** Work tree root (absolute). */
    readonly repoRoot: string,
    /** The revision as the user wrote it (names files in messages). */
    readonly ref: string,
    /** The commit it resolved to. */
    readonly commit: string,
  ) {}

  /** Resolves `ref` in the repository holding `cwd`; a one-line error when it is not a commit there. */
  static open(cwd: string, ref: string): RefReader {
    if (ref === "" || /[\0\n]/.test(ref)) throw new UsageError(`--config-from needs a git revision, got ${JSON.stringify(ref)}`);
    const top = gitSync(cwd, ["rev-parse", "--show-toplevel"])?.toString("utf8").trim();
    if (!top) throw new UsageError(`--config-from ${ref}: ${cwd} is not inside a git work tree`);
    const commit = gitSync(top, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`])?.toString("utf8").trim();
    if (!commit) throw new UsageError(`--config-from ${ref}: not a commit in this repository (fetch it first, e.g. 'git fetch origin main')`);
    return new RefReader(top, ref, commit);
  }

  /** The repository-relative path of `file` (`REF:path` or an absolute path), undefined outside the repository. */
  private relPath(file: string): string | undefined {
    if (file.startsWith(`${this.ref}:`)) return file.slice(this.ref.length + 1);
    const r = relative(this.repoRoot, resolve(file));
    if (r.startsWith("..") || isAbsolute(r)) return undefined;
    return r.split("\\").join("/");
  }

  /** The tree entry at `rel`, if any. */
  private entry(rel: string): TreeEntry | undefined {
    if (rel === "" || rel.startsWith("/")) return undefined;
    const out = gitSync(this.repoRoot, ["ls-tree", "-z", "--long", "--full-tree", this.commit, "--", rel])?.toString("utf8");
    if (!out) return undefined;
    for (const row of out.split("\0")) {
      const tab = row.indexOf("\t");
      if (tab < 0 || row.slice(tab + 1) !== rel) continue;
      const [mode, type, oid, size] = row.slice(0, tab).trim().split(/\s+/) as [string, string, string, string];
      return { mode, type, oid, size: size === "-" ? -1 : Number(size) };
    }
    return undefined;
  }

  /** `REF:rel`, as files from the revision are named. */
  private name(rel: string): string {
    return `${this.ref}:${rel}`;
  }

  /** Text of a regular file at `rel`; undefined when absent; ConfigError when it is not a small regular file. */
  readOptional(rel: string, from?: string): string | undefined {
    const e = this.entry(rel);
    if (!e) return undefined;
    const name = this.name(rel);
    const by = from ? `${from}: ` : "";
    if (e.mode === "120000") throw new ConfigError(`${by}${name} is a symbolic link in ${this.ref}; config and ignore files are read only as regular files`, name);
    if (e.type !== "blob" || (e.mode !== "100644" && e.mode !== "100755")) throw new ConfigError(`${by}${name} is not a regular file in ${this.ref} (${e.type})`, name);
    if (e.size > REF_FILE_MAX_BYTES) throw new ConfigError(`${by}${name} is ${e.size} bytes, more than the ${REF_FILE_MAX_BYTES} a config or ignore file may have`, name);
    const blob = gitSync(this.repoRoot, ["cat-file", "blob", e.oid], REF_FILE_MAX_BYTES);
    if (!blob) throw new ConfigError(`${by}${name}: cannot read it from ${this.ref}`, name);
    return blob.toString("utf8");
  }

  find(root: string, names: readonly string[]): string | undefined {
    const dir = this.relPath(root);
    if (dir === undefined) return undefined;
    for (const n of names) {
      const rel = dir ? `${dir}/${n}` : n;
      if (this.entry(rel)) return this.name(rel);
    }
    return undefined;
  }

  read(file: string, from?: string): string {
    const rel = this.relPath(file);
    const text = rel !== undefined ? this.readOptional(rel, from) : undefined;
    if (text === undefined) throw new ConfigError(`${from ?? file}: cannot read config file ${from ? file + " " : ""}(not in ${this.ref})`, file);
    return text;
  }

  resolveExtend(path: string, fromFile: string): string {
    const base = this.relPath(fromFile) ?? "";
    const rel = posix.normalize(posix.join(posix.dirname(base), path.split("\\").join("/")));
    if (isAbsolute(path) || rel.startsWith("../") || rel === "..") {
      throw new ConfigError(`${fromFile}: [extend] path ${path} leaves ${this.ref}: a config read with --config-from may only extend files of the same revision`, fromFile);
    }
    return this.name(rel);
  }

  /** Repository-relative folder of `dir`, `""` for the root; undefined outside the repository. */
  folderOf(dir: string): string | undefined {
    return this.relPath(dir);
  }
}
