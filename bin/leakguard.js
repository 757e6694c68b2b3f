#!/usr/bin/env node
// leakguard's command-line entry. It runs, the first that exists:
//   dist/bundle/cli-staged.cjs  for `leakguard staged` (the pre-commit hook):
//                        the program without its other commands, with a code cache;
//   dist/bundle/cli.cjs  the program in one CommonJS file, compiled with V8's code cache;
//   dist/bundle/cli.js   the bundled ES modules;
//   dist/cli/main.js     the unbundled modules (a checkout built without bundling).
// `npm run build` writes them all.
//
// Start-up is most of what the pre-commit hook costs, so this is a CommonJS
// script (bin/package.json says so): node starts it without its ES module
// loader; `leakguard --version` answers from package.json without loading the
// program at all; `leakguard staged` reads and compiles two fifths less; and
// the program is compiled with a code cache, the compiled functions a run of
// the same command used, kept beside the file: cli-staged.cjs's from a
// `staged` run; cli.cjs's, one per scanning command (`push`, the pre-push hook,
// `scan`, `history`, `inventory`: each compiles other functions; without one a
// scan of git/git compiles the bundle's functions anew, ~0.25 s of CPU). A
// cache is named by the hash of its file (its first line), the command, the
// node version and the architecture; V8 checks it again and ignores one that does not fit, and one
// missing or ignored is written anew (atomically) by the next run of that
// command that completes (exit 0 or 1, not `--help`). Caches are only
// read from and written to the package's own folder, never a shared one: a
// cache is code. Where that folder is read-only, leakguard runs without one.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const BUNDLE = path.join(ROOT, "dist", "bundle", "cli.cjs");
const STAGED_BUNDLE = path.join(ROOT, "dist", "bundle", "cli-staged.cjs");

/** The version in leakguard's package.json, or undefined when it cannot be read (the program then answers). */
function packageVersion() {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    return pkg.name === "leakguard" && typeof pkg.version === "string" ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

function failed(e) {
  if (e && e.code === "ERR_MODULE_NOT_FOUND") {
    process.stderr.write("leakguard: not built: run 'npm run build' in the leakguard package\n");
  } else {
    process.stderr.write(`leakguard: failed to start: ${e && e.message ? e.message : e}\n`);
  }
  process.exitCode = 2;
}

/**
 * Reads a file into the start of `buf` when it fits (else into fresh memory),
 * or undefined when it is not there or was cut short while being read (a
 * code cache is written whole, by a rename, so that would be another writer's).
 */
function readIfThere(file, buf) {
  let fd;
  try {
    fd = fs.openSync(file, "r");
  } catch (e) {
    if (e && e.code === "ENOENT") return undefined;
    throw e;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const into = size <= buf.length ? buf.subarray(0, size) : Buffer.allocUnsafe(size);
    let got = 0;
    for (let n; got < size && (n = fs.readSync(fd, into, got, size - got, null)) > 0; ) got += n;
    return got === size ? into : undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The size of the stored keyword automaton (dist/keywords.bin), 0 when it
 * cannot be told: the program's source and its code cache are read into one
 * buffer at least that large, which the program's read of the automaton then
 * takes (lendReadBuffer): each page of memory first touched costs a page
 * fault (~12-15 µs on the machines measured), and those reads' pages are
 * touched already.
 */
function keywordTablesSize() {
  try {
    return fs.statSync(path.join(ROOT, "dist", "keywords.bin")).size;
  } catch {
    return 0;
  }
}

/** What a CommonJS file runs inside (node's own module wrapper). */
const WRAP_HEAD = "(function (exports, require, module, __filename, __dirname) {";
const WRAP_TAIL = "\n})";

/**
 * The program's source inside the module wrapper and the buffer it was read
 * into (at least `minSize` bytes: see keywordTablesSize), or undefined when
 * the file is not there. Read into one buffer between the wrapper's two
 * halves, so the text is one flat string: a concatenation would be copied
 * whole (the 430 KB bundle again) when V8 compiles it. Taken as one byte per
 * character when it is ASCII, as the build writes it (V8 skips UTF-8
 * decoding); UTF-8 otherwise.
 */
function wrappedSource(file, minSize) {
  let fd;
  try {
    fd = fs.openSync(file, "r");
  } catch (e) {
    if (e && e.code === "ENOENT") return undefined;
    throw e;
  }
  try {
    const head = Buffer.from(WRAP_HEAD, "latin1");
    const tail = Buffer.from(WRAP_TAIL, "latin1");
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(Math.max(head.length + size + tail.length, minSize));
    head.copy(buf, 0);
    let got = 0;
    for (let n; got < size && (n = fs.readSync(fd, buf, head.length + got, size - got, null)) > 0; ) got += n;
    if (got !== size) throw new Error(`${file}: changed while being read`);
    tail.copy(buf, head.length + size);
    const text = buf.subarray(0, head.length + size + tail.length);
    return { source: require("node:buffer").isAscii(text) ? text.toString("latin1") : text.toString("utf8"), buf };
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes the code cache atomically; a read-only package folder, a full disk… leave it unwritten. */
function writeCache(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // Never written.
    }
  }
}

/** Whether this run's command keeps a code cache of `file`'s program (see the top), and so which one. */
function cachedCommand(cacheWriters) {
  const command = process.argv[2];
  if (!cacheWriters.includes(command)) return undefined;
  // Help compiles next to nothing of a scan: a cache written then would stay.
  return process.argv.some((a) => a === "--help" || a === "-h") ? undefined : command;
}

/**
 * Runs a CommonJS build of the program (`file`) with its code cache; false
 * when there is no such file. Its first line is `// leakguard-cli <hash of
 * the rest>`. A run of one of `cacheWriters` uses that command's cache, and
 * writes it when there is none and the run completes.
 */
function runCommonJsBundle(file, cacheWriters) {
  const read = wrappedSource(file, keywordTablesSize());
  if (read === undefined) return false;
  const { source, buf } = read;
  const vm = require("node:vm");
  const hash = /^\/\/ leakguard-cli ([0-9a-f]+)\n/.exec(source.slice(WRAP_HEAD.length, WRAP_HEAD.length + 64));
  const command = cachedCommand(cacheWriters);
  const cacheFile = hash && command ? `${file}.${hash[1]}-${command}-${process.version}-${process.arch}.v8cache` : undefined;
  // Into the same buffer: V8 has copied the source, and it reads the cache only while compiling.
  const cached = cacheFile ? readIfThere(cacheFile, buf) : undefined;
  const script = new vm.Script(source, {
    filename: file,
    ...(cached ? { cachedData: cached } : {}),
  });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, require("node:module").createRequire(file), module, file, path.dirname(file));
  // Its bytes are used: the program may read its keyword automaton into it.
  module.exports.lendReadBuffer?.(buf);
  const done = module.exports.main();
  // Written by a run that did the command's work, so it holds what that work compiles.
  const writesCache = cacheFile && (!cached || script.cachedDataRejected);
  done.then(() => {
    if (writesCache && (process.exitCode === undefined || process.exitCode === 0 || process.exitCode === 1)) {
      try {
        writeCache(cacheFile, script.createCachedData());
      } catch {
        // No cache this time; the scan's answer stands.
      }
    }
    if (EARLY_EXIT.has(process.argv[2])) exitOnceWritten(module.exports.outputFailed);
  });
  return true;
}

/** The commands besides `staged` (the hook's own bundle) that keep a code cache of the program's bundle. */
const SCANNING = ["push", "scan", "history", "inventory"];

/**
 * The commands that end with {@link exitOnceWritten}: the two hooks, `staged`
 * and `push` (both fork git), and `scan`, `history` and `inventory`, whose end
 * waited for V8's background compiler to work through the functions still
 * queued for it (tens of ms on two cores; a history scan's worker thread too).
 */
const EARLY_EXIT = new Set(["staged", ...SCANNING]);

/**
 * Ends the process now that the program is done (its exit code set), when
 * its output has been handed to the system: node's own teardown (freeing the
 * environment and the heap object by object, and first running every task
 * still queued for V8's background threads: optimizing compiles no one will
 * use) is skipped. The hook spawned git, and after a fork every page the
 * teardown writes faults again (copy on write): ~50 page faults and several
 * ms a commit. With output still queued (a pipe that was full) the process
 * ends as usual, once written. Queued writes are asked of node without
 * reading process.stdout, which would create it (loading node's stream
 * modules where a clean hook run wrote nothing), and count whoever wrote them
 * (the program, a preload, a node warning); a write that failed leaves the
 * program's error handler to say so and exit 2 (`outputFailed`).
 */
function exitOnceWritten(outputFailed) {
  if (!writesPending() && !(outputFailed !== undefined && outputFailed())) process.exit();
}

/** True while any write is still queued in this process. */
function writesPending() {
  return process.getActiveResourcesInfo().some((r) => r.endsWith("WriteWrap"));
}

const first = process.argv[2];
const version = first === "--version" || first === "-V" || first === "version" ? packageVersion() : undefined;
if (version !== undefined) {
  // A closed pipe (leakguard --version | true) ends quietly, as in the program.
  process.stdout.on("error", (e) => {
    if (e && e.code === "EPIPE") process.exit(0);
  });
  process.stdout.write(`${version}\n`);
} else {
  let started = false;
  try {
    started = (first === "staged" && runCommonJsBundle(STAGED_BUNDLE, ["staged"])) || runCommonJsBundle(BUNDLE, SCANNING);
  } catch (e) {
    failed(e);
    started = true;
  }
  if (!started) {
    const start = (m) => m.main();
    import("../dist/bundle/cli.js").then(start, (e) => {
      if (e && e.code === "ERR_MODULE_NOT_FOUND" && String(e.message).includes("dist/bundle/cli.js")) {
        return import("../dist/cli/main.js").then(start, failed);
      }
      failed(e);
    });
  }
}
