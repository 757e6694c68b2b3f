/**
 * prepareFile reads every file into one buffer it reuses: what it hands back
 * must not change when the next file is read (an archive's bytes are a copy
 * of their own; a text is a string), large files included. Real files in a
 * temporary folder.
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { KEPT_READ_BUFFER, prepareFile } from "../../src/sources/file-read.js";
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
