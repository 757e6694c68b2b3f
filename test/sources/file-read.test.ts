/**
 * prepareFile reads every file into one buffer it reuses: what it hands back
 * must not change when the next file is read (an archive's bytes are a copy
 * of their own; a text is a string), large files included. A file shorter
 * than its first read is read with no fstat; every size around that read and
 * around the size limit is told as before. Real files in a temporary folder.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { FIRST_READ, KEPT_READ_BUFFER, prepareFile } from "../../src/sources/file-read.js";
import { gzip } from "../helpers/archives.js";
import { removeTempFolders, tempFolder } from "../helpers/temp-folder.js";

afterAll(removeTempFolders);

const MAX = 64 * 1024 * 1024;

describe("prepareFile's reused read buffer", () => {
  it("hands back an archive's bytes that stay as they were when later files are read", () => {
    const archive = gzip("KEY=first archive's content\n");
    const d = tempFolder({ "a.gz": archive, "b.txt": "x".repeat(archive.length * 4), "c.gz": gzip("other content, other bytes\n") }, "lg-file-read-");
    const a = prepareFile(join(d, "a.gz"), MAX);
    expect(a.kind).toBe("archive");
    const before = Buffer.from((a as { bytes: Uint8Array }).bytes);
    expect(before.equals(archive)).toBe(true);
    expect(prepareFile(join(d, "b.txt"), MAX).kind).toBe("text");
    expect(prepareFile(join(d, "c.gz"), MAX).kind).toBe("archive");
    expect(Buffer.from((a as { bytes: Uint8Array }).bytes).equals(before)).toBe(true);
  });

  it("reads texts shorter, longer and far longer than the kept buffer, each whole and unchanged by the next", () => {
    const small = "small text\n";
    const large = "L".repeat(300 * 1024) + "\nend of large\n";
    const huge = "H".repeat(KEPT_READ_BUFFER + 1024) + "\nend of huge\n";
    const d = tempFolder({ "1.txt": large, "2.txt": small, "3.txt": huge, "4.txt": small }, "lg-file-read-");
    const texts = ["1.txt", "2.txt", "3.txt", "4.txt"].map((f) => prepareFile(join(d, f), MAX));
    expect(texts.map((t) => (t.kind === "text" ? t.text : t.kind))).toEqual([large, small, huge, small]);
    expect(texts.map((t) => (t.kind === "text" ? t.bytes : -1))).toEqual([large.length, small.length, huge.length, small.length]);
  });
});

describe("prepareFile's first read", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    syncBuiltinESMExports();
  });

  /** Counts fstat calls while `f` runs (the real call still answers). */
  const fstatsDuring = (f: () => void): number => {
    const spy = vi.spyOn(fs, "fstatSync");
    syncBuiltinESMExports();
    f();
    const n = spy.mock.calls.length;
    spy.mockRestore();
    syncBuiltinESMExports();
    return n;
  };

  it("reads a file shorter than the first read with no fstat, and asks the descriptor about an empty one and a longer one", () => {
    const d = tempFolder({ "short.txt": "KEY=short\n", "empty.txt": "", "long.txt": "x".repeat(FIRST_READ + 10) }, "lg-file-read-");
    expect(fstatsDuring(() => expect(prepareFile(join(d, "short.txt"), MAX)).toEqual({ kind: "text", text: "KEY=short\n", bytes: 10 }))).toBe(0);
    expect(fstatsDuring(() => expect(prepareFile(join(d, "empty.txt"), MAX)).toEqual({ kind: "text", text: "", bytes: 0 }))).toBe(1);
    expect(fstatsDuring(() => expect(prepareFile(join(d, "long.txt"), MAX).kind).toBe("text"))).toBe(1);
  });

  it("reads on after a read that comes back short before the end (a file system may), never taking part of a file for all of it", () => {
    const text = "KEY=value\n".repeat(50);
    const d = tempFolder({ "a.env": text }, "lg-file-read-");
    const real = fs.readSync;
    // The first read returns 10 bytes only, as FUSE's direct I/O may; the file is still read whole.
    const spy = vi.spyOn(fs, "readSync").mockImplementationOnce(((fd: number, buf: NodeJS.ArrayBufferView, off: number, len: number, pos: number) =>
      real(fd, buf, off, Math.min(len, 10), pos)) as typeof fs.readSync);
    syncBuiltinESMExports();
    expect(prepareFile(join(d, "a.env"), MAX)).toEqual({ kind: "text", text, bytes: text.length });
    expect(spy.mock.calls.length).toBeGreaterThan(1);
  });

  it("reads to the end when the descriptor gives a smaller size than the file holds (procfs, some FUSE file systems, a growing file), and tells it too large past the limit", () => {
    const text = "KEY=value\n".repeat((FIRST_READ + 1000) / 10);
    const d = tempFolder({ "a.env": text }, "lg-file-read-");
    for (const told of [0, FIRST_READ, FIRST_READ + 10]) {
      const real = fs.fstatSync;
      vi.spyOn(fs, "fstatSync").mockImplementation(((fd: number) => Object.assign(real(fd), { size: told })) as typeof fs.fstatSync);
      syncBuiltinESMExports();
      expect(prepareFile(join(d, "a.env"), MAX), `size given ${told}`).toEqual({ kind: "text", text, bytes: text.length });
      expect(prepareFile(join(d, "a.env"), FIRST_READ + 500), `size given ${told}`).toEqual({ kind: "too-large", size: FIRST_READ + 501 });
      vi.restoreAllMocks();
      syncBuiltinESMExports();
    }
  });

  it.skipIf(process.platform === "win32")("tells a FIFO swapped in after the listing a special file (it cannot be read at an offset), without blocking", () => {
    const d = tempFolder({}, "lg-file-read-");
    execFileSync("mkfifo", [join(d, "pipe")]);
    expect(prepareFile(join(d, "pipe"), MAX)).toEqual({ kind: "special" });
  });

  it("tells every size around the first read and around the size limit as a whole read would", () => {
    const sizes = [0, 1, 7999, 8000, 8001, FIRST_READ - 1, FIRST_READ, FIRST_READ + 1, 2 * FIRST_READ + 3];
    const files = Object.fromEntries(sizes.map((n) => [`f${n}.txt`, "a\n".repeat(n).slice(0, n)]));
    const d = tempFolder(files, "lg-file-read-");
    for (const n of sizes) {
      const file = join(d, `f${n}.txt`);
      const text = files[`f${n}.txt`]!;
      for (const max of [n - 1, n, n + 1, FIRST_READ - 1, FIRST_READ, MAX]) {
        if (max < 0) continue;
        const want = n > max ? { kind: "too-large", size: n } : { kind: "text", text, bytes: n };
        expect(prepareFile(file, max), `size ${n}, limit ${max}`).toEqual(want);
      }
    }
  });

  it("rejects a long binary file from its first bytes, and reads a long archive whole", () => {
    const binary = Buffer.alloc(FIRST_READ * 2 + 5, 1);
    binary[100] = 0;
    const archive = gzip("z".repeat(FIRST_READ * 3) + "\nKEY=in the archive\n");
    const d = tempFolder({ "bin.dat": binary, "big.gz": archive }, "lg-file-read-");
    expect(prepareFile(join(d, "bin.dat"), MAX)).toEqual({ kind: "binary" });
    const a = prepareFile(join(d, "big.gz"), MAX);
    expect(a.kind).toBe("archive");
    expect(Buffer.from((a as { bytes: Uint8Array }).bytes).equals(archive)).toBe(true);
  });
});
