/**
 * One long-running `git cat-file --batch` (I/O edge): blob ids go in on
 * stdin, `<oid> <type> <size>\n<content>\n` comes back in the same order and
 * is parsed incrementally. Callers bound how many requests are in flight
 * (the history scan waits when too many blobs are pending), so neither side
 * buffers the whole history.
 */
import { GitError } from "../errors.js";
import { gitSpawn } from "./run.js";

/** What cat-file answered for one id. */
export type BlobAnswer = { oid: string; type: string; data: Buffer } | { oid: string; missing: true };

type Waiter = (a: BlobAnswer) => void;

/** A streaming reader of object contents. */
export class BlobReader {
  private readonly child;
  private readonly waiters: Waiter[] = [];
  private head = 0;
  private buf: Buffer = Buffer.alloc(0);
  private failed: Error | undefined;

  constructor(cwd: string) {
    // GIT_NO_LAZY_FETCH: a partial clone must report a missing blob, not download it.
    this.child = gitSpawn(["cat-file", "--batch"], { cwd, env: { GIT_NO_LAZY_FETCH: "1" } });
    this.child.stdout.on("data", (c: Buffer) => this.onData(c));
    this.child.stdin.on("error", () => {
      /* surfaced through close */
    });
    const err: Buffer[] = [];
    this.child.stderr.on("data", (c: Buffer) => err.push(c));
    this.child.on("error", (e) => this.fail(new GitError(`cannot run git cat-file: ${e.message}`)));
    this.child.on("close", (code) => {
      if (this.waiters.length > this.head) {
        const msg = Buffer.concat(err).toString("utf8").trim().split("\n").pop();
        this.fail(new GitError(`git cat-file exited (${code ?? "signal"}): ${msg || "no output"}`));
      }
    });
  }

  /** Requests not yet answered. */
  get inFlight(): number {
    return this.waiters.length - this.head;
  }

  /** Asks for an object; resolves with its content (or missing). */
  read(oid: string): Promise<BlobAnswer> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiters.push((a) => (a === undefined ? reject(this.failed) : resolve(a)));
      this.child.stdin.write(oid + "\n");
    });
  }

  /** Ends the process; resolves once it has exited, so no child outlives the scan. */
  close(): Promise<void> {
    const child = this.child;
    return new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("close", () => resolve());
      child.once("error", () => resolve());
      child.stdin.end();
    });
  }

  private fail(e: Error): void {
    if (this.failed) return;
    this.failed = e;
    const rest = this.waiters.slice(this.head);
    this.head = this.waiters.length;
    for (const w of rest) w(undefined as unknown as BlobAnswer);
  }

  private answer(a: BlobAnswer): void {
    const w = this.waiters[this.head++];
    if (this.head > 1024 && this.head * 2 > this.waiters.length) {
      this.waiters.splice(0, this.head);
      this.head = 0;
    }
    w?.(a);
  }

  /** A blob whose content is still arriving: filled in place, no re-concatenation. */
  private partial: { oid: string; type: string; data: Buffer; filled: number } | undefined;

  /** A buffer that owns its whole ArrayBuffer, so it can be transferred to a worker. */
  private static own(size: number): Buffer {
    return Buffer.from(new ArrayBuffer(size));
  }

  private onData(chunk: Buffer): void {
    let pos = 0;
    if (this.partial) {
      const p = this.partial;
      // `filled` counts content bytes plus git's trailing newline (size + 1 in all).
      const need = p.data.length + 1 - p.filled;
      const take = Math.min(need, chunk.length);
      if (p.filled < p.data.length) chunk.copy(p.data, p.filled, 0, Math.min(take, p.data.length - p.filled));
      p.filled += take;
      pos = take;
      if (p.filled < p.data.length + 1) return;
      this.partial = undefined;
      this.answer({ oid: p.oid, type: p.type, data: p.data });
    }
    let buf = chunk;
    if (this.buf.length) {
      buf = Buffer.concat([this.buf, chunk.subarray(pos)]);
      pos = 0;
      this.buf = Buffer.alloc(0);
    }
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0) break;
      const header = buf.toString("latin1", pos, nl);
      const sp = header.split(" ");
      if (sp[1] === "missing" || sp.length < 3) {
        this.answer({ oid: sp[0] ?? "", missing: true });
        pos = nl + 1;
        continue;
      }
      const size = Number(sp[2]);
      const end = nl + 1 + size + 1; // content plus git's trailing newline
      const data = BlobReader.own(size);
      if (buf.length < end) {
        const have = buf.length - (nl + 1);
        buf.copy(data, 0, nl + 1, nl + 1 + Math.min(have, size));
        this.partial = { oid: sp[0]!, type: sp[1]!, data, filled: have };
        return;
      }
      buf.copy(data, 0, nl + 1, nl + 1 + size);
      pos = end;
      this.answer({ oid: sp[0]!, type: sp[1]!, data });
    }
    if (pos < buf.length) this.buf = Buffer.from(buf.subarray(pos));
  }
}
