/**
 * Reading a child's output through one buffer (I/O edge). By default node
 * reads a stream into a fresh 64 KB buffer per read, each memory first
 * touched (a page fault per page here), an ArrayBuffer the collector then
 * frees, and external memory that counts toward V8's full collections: through
 * `cat-file`, a history scan reads every blob so (212 MB on express). A
 * `net.Socket` made with the `onread` option instead reads into one buffer
 * it lends to a callback; a child process's stdout is such a socket, made
 * without the option, so this sets the same fields its constructor would.
 */
import type { Readable } from "node:stream";

/** The lent buffer's size: reads of up to this much, one system call each. */
export const LENT_READ_BYTES = 256 << 10;

/** The fields `net.Socket` keeps the `onread` option in (node's own names). */
const FIELDS = ["kBuffer", "kBufferCb", "kBufferGen"] as const;

type Handle = { useUserBuffer?: (b: Uint8Array) => void };

/**
 * Reads `stream` (a child's stdout) into one buffer from now on: `onChunk`
 * gets a view of it per read and must be done with it when it returns (the
 * next read overwrites it). The stream still ends and closes as before.
 * False, touching nothing, where this node's sockets do not read so: the
 * caller then listens for `data` as usual.
 */
export function readLent(stream: Readable, onChunk: (chunk: Buffer) => void, bytes = LENT_READ_BYTES): boolean {
  const s = stream as Readable & { _handle?: Handle | null } & Record<symbol, unknown>;
  const own = Object.getOwnPropertySymbols(s);
  const [kBuffer, kBufferCb, kBufferGen] = FIELDS.map((name) => own.find((x) => x.description === name));
  const handle = s._handle;
  if (!kBuffer || !kBufferCb || !kBufferGen || !handle || typeof handle.useUserBuffer !== "function") return false;
  // Already lending, or state this does not know: leave it to node.
  if (s[kBuffer] !== null || s[kBufferCb] !== null || s[kBufferGen] !== null) return false;
  const buf = Buffer.allocUnsafeSlow(bytes);
  s[kBuffer] = buf;
  s[kBufferCb] = (n: number): void => onChunk(buf.subarray(0, n));
  handle.useUserBuffer(buf);
  // Flowing, so that the end is seen and the stream closes (nothing is pushed to it any more).
  stream.resume();
  return true;
}
