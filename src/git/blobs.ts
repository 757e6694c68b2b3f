/**
 * Reading objects (I/O edge): the one `git cat-file --batch` reader that every
 * git source uses (staged, push, history, notes). One long-lived process
 * answers every request in order, so a scan costs one spawn however many
 * blobs it reads. Requests may be issued ahead (pipelined); answers resolve in
 * the order asked and are parsed incrementally into buffers that own their
 * memory (transferable to a worker). Objects over a size limit are read past
 * without being kept.
 *
 * Lazy fetching is off (`GIT_NO_LAZY_FETCH=1`): in a partial clone a blob that
 * is not here is reported `missing`, never downloaded from the promisor
 * remote behind the user's back (a pre-commit hook must not go to the
 * network, and a scan must not change the repository).
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { GitError } from "../errors.js";
import { LENT_READ_BYTES, readLent } from "./lent-read.js";
import { gitSpawn } from "./run.js";

/**
 * What a read returned: the object (with its type), too large to keep, or
 * missing; `corrupt` when git died reading it (see {@link BlobReader}).
 */
export type BlobResult = { kind: "blob"; type: string; data: Buffer } | { kind: "too-large"; size: number } | { kind: "missing"; corrupt?: true };

/** How many times one session starts a fresh `cat-file` after git died on an object (each restart gives up on one object). */
export const MAX_RESTARTS = 64;

interface Pending {
  oid: string;
  max: number;
  resolve: (r: BlobResult) => void;
  reject: (e: Error) => void;
}

/**
 * Bounds on what git keeps mapped and cached while it reads: by default it
 * maps pack files up to 8 GB and caches 96 MB of delta bases, so reading a
 * large history's blobs grew it to the size of its packs (over 500 MB on
 * git/git; about 200 MB with these, at no extra CPU).
 */
const BOUNDED_MEMORY = ["-c", "core.packedGitLimit=128m", "-c", "core.packedGitWindowSize=16m", "-c", "core.deltaBaseCacheLimit=32m"];

/** The environment every reader runs git with, over the caller's. */
export function noLazyFetchEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...(env ?? {}), GIT_NO_LAZY_FETCH: "1" };
}

/** What reads blobs: a cat-file session, or blobs already at hand with one behind them. */
export interface BlobSource {
  /** Reads the object `oid`; bodies over `maxBytes` are reported as too large. */
  read(oid: string, maxBytes?: number): Promise<BlobResult>;
  /** Ends what it started. */
  close(): Promise<void>;
}

/** A `git cat-file --batch` session. Call {@link BlobReader.close} when done. */
export class BlobReader implements BlobSource {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly queue: Pending[] = [];
  private head = 0;
  private buf: Buffer = Buffer.alloc(0);
  /** Object being read: its type, the buffer filled in place (when kept), bytes so far. */
  private body: { type: string; size: number; got: number; data: Buffer | undefined } | undefined;
  private failed: Error | undefined;
  /** Fresh `cat-file` processes started after one died on an object. */
  private restarts = 0;

  constructor(
    private readonly cwd: string,
    private readonly env?: NodeJS.ProcessEnv,
    /** Bytes of the one buffer git's output is read through where node allows (lent-read.ts); 0: node's buffer per read. */
    private readonly lentBytes = LENT_READ_BYTES,
  ) {}

  /** Starts git now, so its start-up overlaps other work. */
  warm(): this {
    this.start();
    return this;
  }

  /** Requests not yet answered. */
  get inFlight(): number {
    return this.queue.length - this.head;
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = gitSpawn([...BOUNDED_MEMORY, "cat-file", "--batch"], { cwd: this.cwd, env: noLazyFetchEnv(this.env) });
    const stderr: Buffer[] = [];
    // Blob bodies are copied out of each chunk as it comes: one lent buffer serves every read (lent-read.ts).
    if (this.lentBytes <= 0 || !readLent(child.stdout, (c) => this.onData(c, true), this.lentBytes)) child.stdout.on("data", (c: Buffer) => this.onData(c, false));
    child.stderr.on("data", (c: Buffer) => stderr.push(c));
    child.on("error", (e: NodeJS.ErrnoException) => {
      this.fail(new GitError(e.code === "ENOENT" ? "git is not installed or not on PATH" : `cannot run git cat-file: ${e.message}`));
    });
    child.on("close", (code) => {
      if (this.inFlight === 0) return;
      const msg = Buffer.concat(stderr).toString("utf8").trim().split("\n").pop();
      // git dies on a corrupt object (a loose object whose body does not inflate), and on a blob a
      // partial clone lacks when lazy fetching is off: that one object is given up (corrupt, or
      // missing) and a fresh cat-file answers the rest, so one bad object does not end the scan.
      if (this.child === child && !this.failed && this.restarts < MAX_RESTARTS) return this.restart(/promisor|lazy/i.test(msg ?? ""));
      this.fail(new GitError(`git cat-file --batch in ${this.cwd} ended early: ${msg || `exit code ${code}`}`));
    });
    child.stdin.on("error", () => {
      /* reported through close */
    });
    this.child = child;
    return child;
  }

  /** After git died answering the oldest request: that object is corrupt (or `absent`: a partial clone's); the others go to a fresh process. */
  private restart(absent: boolean): void {
    this.restarts++;
    this.child = undefined;
    this.buf = Buffer.alloc(0);
    this.body = undefined;
    this.answer(absent ? { kind: "missing" } : { kind: "missing", corrupt: true });
    // Every request not answered yet, including those not written to the dead process.
    const ids = this.queue.slice(this.head).map((p) => `${p.oid}\n`).join("");
    this.toWrite = "";
    if (ids !== "") this.start().stdin.write(ids);
  }

  private fail(e: Error): void {
    if (this.failed) return;
    this.failed = e;
    const rest = this.queue.slice(this.head);
    this.queue.length = 0;
    this.head = 0;
    for (const p of rest) p.reject(e);
  }

  private answer(r: BlobResult): void {
    const p = this.queue[this.head++];
    // Drop answered entries now and then, not on every answer (shift is O(n)).
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    p?.resolve(r);
  }

  /** Takes a chunk of git's output; a `lent` one is overwritten by the next read, so what is left of it (part of a header) is copied. */
  private onData(chunk: Buffer, lent: boolean): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    try {
      this.parse();
    } finally {
      if (lent && this.buf.length > 0 && this.buf.buffer === chunk.buffer) this.buf = Buffer.from(this.buf);
    }
  }

  /** Parses answers: `<oid> <type> <size>\n<bytes>\n` or `<oid> missing\n`. */
  private parse(): void {
    for (;;) {
      if (this.body) {
        const b = this.body;
        const need = b.size + 1 - b.got; // content plus the trailing newline
        const take = Math.min(need, this.buf.length);
        if (b.data && b.got < b.size) this.buf.copy(b.data, b.got, 0, Math.min(take, b.size - b.got));
        b.got += take;
        this.buf = this.buf.subarray(take);
        if (b.got < b.size + 1) return;
        this.body = undefined;
        this.answer(b.data ? { kind: "blob", type: b.type, data: b.data } : { kind: "too-large", size: b.size });
        continue;
      }
      const nl = this.buf.indexOf(10);
      if (nl < 0) return;
      const header = this.buf.subarray(0, nl).toString("latin1");
      this.buf = this.buf.subarray(nl + 1);
      const p = this.queue[this.head];
      if (!p) return;
      const parts = header.split(" ");
      if (parts.length === 3 && /^\d+$/.test(parts[2]!)) {
        const size = Number(parts[2]);
        // A buffer that owns its whole ArrayBuffer, so it can be transferred to a worker; not
        // zero-filled (that cost more than the copy): every byte is written before it is answered.
        this.body = { type: parts[1]!, size, got: 0, data: size <= p.max ? Buffer.allocUnsafeSlow(size) : undefined };
        continue;
      }
      // "<oid> missing" or "<oid> ambiguous": no body follows.
      this.answer({ kind: "missing" });
    }
  }

  /** Reads the object `oid`; bodies over `maxBytes` are skipped and reported as too large. */
  read(oid: string, maxBytes = Infinity): Promise<BlobResult> {
    if (this.failed) return Promise.reject(this.failed);
    if (!/^[0-9a-f]{4,64}$/.test(oid)) return Promise.reject(new GitError(`not an object id: ${oid.slice(0, 70)}`));
    this.start();
    return new Promise((resolve, reject) => {
      this.queue.push({ oid, max: maxBytes, resolve, reject });
      // Requests made in one turn go to git in one write (a write per id cost a system call each).
      if (this.toWrite === "") setImmediate(this.flush);
      this.toWrite += `${oid}\n`;
    });
  }

  /** Ids requested and not yet written to git. */
  private toWrite = "";

  private readonly flush = (): void => {
    const ids = this.toWrite;
    this.toWrite = "";
    if (ids !== "" && this.child && !this.failed) this.child.stdin.write(ids);
  };

  /** Ends the git process; resolves once it has exited, so no child outlives the scan. */
  close(): Promise<void> {
    this.flush();
    const child = this.child;
    if (!child) return Promise.resolve();
    this.child = undefined;
    return new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("close", () => resolve());
      child.once("error", () => resolve());
      child.stdin.end();
    });
  }
}

/**
 * Blobs already at hand (read out of a patch: git/patch-blobs.ts), by id; any
 * other id is read by a `cat-file` session started on the first such read,
 * so a change whose blobs are all at hand costs no second git process.
 */
export class KnownBlobs implements BlobSource {
  private reader: BlobReader | undefined;

  constructor(
    private readonly known: ReadonlyMap<string, Buffer>,
    private readonly cwd: string,
    private readonly env?: NodeJS.ProcessEnv,
  ) {}

  read(oid: string, maxBytes = Infinity): Promise<BlobResult> {
    const data = this.known.get(oid);
    if (data !== undefined) return Promise.resolve(data.length <= maxBytes ? { kind: "blob", type: "blob", data } : { kind: "too-large", size: data.length });
    return (this.reader ??= new BlobReader(this.cwd, this.env)).read(oid, maxBytes);
  }

  close(): Promise<void> {
    return this.reader?.close() ?? Promise.resolve();
  }
}
