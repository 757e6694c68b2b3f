/**
 * Reading blobs (I/O edge): one long-lived `git cat-file --batch` process
 * answers every request, in order, so scanning a change set costs one spawn
 * however many files it touches. Requests may be issued ahead (pipelined);
 * answers resolve in the order asked. Blobs over a size limit are read past
 * without being kept.
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { GitError } from "../errors.js";
import { gitSpawn } from "./run.js";

/** What a blob request returned. */
export type BlobResult = { kind: "blob"; data: Buffer } | { kind: "too-large"; size: number } | { kind: "missing" };

interface Pending {
  oid: string;
  max: number;
  resolve: (r: BlobResult) => void;
  reject: (e: Error) => void;
}

/** A `git cat-file --batch` session. Call {@link BlobReader.close} when done. */
export class BlobReader {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly queue: Pending[] = [];
  private buf: Buffer = Buffer.alloc(0);
  /** Body being read: expected size, chunks so far, keep or discard. */
  private body: { size: number; got: number; chunks: Buffer[]; keep: boolean } | undefined;
  private failed: Error | undefined;

  constructor(
    private readonly cwd: string,
    private readonly env?: NodeJS.ProcessEnv,
  ) {}

  /** Starts git now, so its start-up overlaps other work. */
  warm(): this {
    this.start();
    return this;
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = gitSpawn(["cat-file", "--batch"], { cwd: this.cwd, ...(this.env ? { env: this.env } : {}) });
    const stderr: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => this.onData(c));
    child.stderr.on("data", (c: Buffer) => stderr.push(c));
    child.on("error", (e: NodeJS.ErrnoException) => {
      this.fail(new GitError(e.code === "ENOENT" ? "git is not installed or not on PATH" : `cannot run git cat-file: ${e.message}`));
    });
    child.on("close", (code) => {
      if (this.queue.length > 0) {
        const msg = Buffer.concat(stderr).toString("utf8").trim().split("\n").pop();
        this.fail(new GitError(`git cat-file --batch in ${this.cwd} ended early: ${msg || `exit code ${code}`}`));
      }
    });
    child.stdin.on("error", () => {
      /* reported through close */
    });
    this.child = child;
    return child;
  }

  private fail(e: Error): void {
    this.failed = e;
    for (const p of this.queue.splice(0)) p.reject(e);
  }

  /** Parses answers: `<oid> blob <size>\n<bytes>\n` or `<oid> missing\n`. */
  private onData(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    for (;;) {
      if (this.body) {
        const b = this.body;
        const need = b.size + 1 - b.got; // content plus the trailing newline
        const take = Math.min(need, this.buf.length);
        if (b.keep && take > 0) b.chunks.push(this.buf.subarray(0, take));
        b.got += take;
        this.buf = this.buf.subarray(take);
        if (b.got < b.size + 1) return;
        this.body = undefined;
        const p = this.queue.shift()!;
        if (b.keep) p.resolve({ kind: "blob", data: Buffer.concat(b.chunks).subarray(0, b.size) });
        else p.resolve({ kind: "too-large", size: b.size });
        continue;
      }
      const nl = this.buf.indexOf(10);
      if (nl < 0) return;
      const header = this.buf.subarray(0, nl).toString("latin1");
      this.buf = this.buf.subarray(nl + 1);
      const p = this.queue[0];
      if (!p) return;
      const parts = header.split(" ");
      if (parts.length === 3 && /^\d+$/.test(parts[2]!)) {
        const size = Number(parts[2]);
        this.body = { size, got: 0, chunks: [], keep: size <= p.max };
        continue;
      }
      // "<oid> missing" or "<oid> ambiguous": no body follows.
      this.queue.shift();
      p.resolve({ kind: "missing" });
    }
  }

  /** Reads the object `oid`; bodies over `maxBytes` are skipped and reported as too large. */
  read(oid: string, maxBytes = Infinity): Promise<BlobResult> {
    if (this.failed) return Promise.reject(this.failed);
    if (!/^[0-9a-f]{4,64}$/.test(oid)) return Promise.reject(new GitError(`not an object id: ${oid.slice(0, 70)}`));
    const child = this.start();
    return new Promise((resolve, reject) => {
      this.queue.push({ oid, max: maxBytes, resolve, reject });
      child.stdin.write(`${oid}\n`);
    });
  }

  /** Ends the git process. */
  close(): Promise<void> {
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
