import { spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { BlobReader } from "../../src/git/blobs.js";
import { readLent } from "../../src/git/lent-read.js";
import { GIT_TEST_ENV, TestRepo } from "../helpers/git-repo.js";

/** A deterministic pseudo-random generator (the sizes vary, the run does not). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe("readLent", () => {
  const r = new TestRepo();
  afterAll(() => r.remove());

  it("reads a child's whole output through one buffer, and the child still closes", async () => {
    const oid = r.gitWith(["hash-object", "-w", "--stdin"], { input: "y".repeat(700_000) }).trim();
    const child = spawn("git", ["cat-file", "blob", oid], { cwd: r.dir, env: GIT_TEST_ENV });
    const buffers = new Set<ArrayBufferLike>();
    const parts: Buffer[] = [];
    const lent = readLent(child.stdout, (c) => {
      buffers.add(c.buffer);
      parts.push(Buffer.from(c)); // a copy: the next read overwrites the chunk
    }, 64 << 10);
    await new Promise((resolve) => child.on("close", resolve));
    expect(lent).toBe(true);
    // 700,000 bytes in reads of at most 64 KB: several reads, one buffer.
    expect(parts.length).toBeGreaterThan(10);
    expect(buffers.size).toBe(1);
    expect(Buffer.concat(parts).equals(Buffer.from("y".repeat(700_000)))).toBe(true);
  });

  it("leaves a stream alone when it is read already (false: the caller listens for data)", async () => {
    const child = spawn("git", ["--version"], { env: GIT_TEST_ENV });
    const first = readLent(child.stdout, () => {});
    const second = readLent(child.stdout, () => {});
    await new Promise((resolve) => child.on("close", resolve));
    expect([first, second]).toEqual([true, false]);
  });
});

describe("BlobReader through a lent buffer", () => {
  const r = new TestRepo();
  afterAll(() => r.remove());
  const next = rng(13);
  const blobs = Array.from({ length: 24 }, (_, i) => {
    // From empty to a few KB, and one past the lent buffer's default size.
    const size = i === 5 ? 300_000 : Math.floor(next() * (i % 3 === 0 ? 6_000 : 120));
    const unit = Buffer.from(Array.from({ length: 97 }, () => 32 + Math.floor(next() * 90)));
    const body = Buffer.alloc(size, unit);
    return { body, oid: r.gitWith(["hash-object", "-w", "--stdin"], { input: body }).trim() };
  });
  // A missing id among them (a one-line answer, no body), and repeats.
  const order = [...blobs.slice(0, 12).map((b) => b.oid), "1".repeat(40), ...blobs.slice(12).map((b) => b.oid), blobs[0]!.oid, blobs[5]!.oid];
  const read = async (lentBytes: number, ids: string[]) => {
    const reader = new BlobReader(r.dir, undefined, lentBytes);
    const answers = await Promise.all(ids.map((id) => reader.read(id)));
    await reader.close();
    // Every body owns its whole ArrayBuffer (transferable to a worker), never the lent one.
    for (const a of answers) if (a.kind === "blob") expect([a.data.byteOffset, a.data.buffer.byteLength]).toEqual([0, a.data.length]);
    // Compared as text: a deep comparison of large buffers walks them byte by byte.
    return answers.map((a) => (a.kind === "blob" ? `${a.type}:${a.data.toString("latin1")}` : a.kind));
  };

  it("gives the same answers as node's buffer per read, each body its own memory, however git's output falls into reads", async () => {
    const plain = await read(0, order);
    const want = order.map((id) => blobs.find((b) => b.oid === id)?.body);
    expect(plain).toEqual(want.map((b) => (b ? `blob:${b.toString("latin1")}` : "missing")));
    // Reads of 7 bytes split every header; 100 and 4096 bytes split them here and there.
    for (const bytes of [7, 100, 4096, 256 << 10]) {
      const ids = bytes < 4096 ? order.filter((id) => id !== blobs[5]!.oid) : order;
      const lent = await read(bytes, ids);
      expect(lent).toEqual(plain.filter((_, i) => ids === order || order[i] !== blobs[5]!.oid));
    }
  });
});
