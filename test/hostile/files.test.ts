/**
 * Binary and special files: archives (zip, jar, tar, tar.gz, gz, nested,
 * bombs), LFS pointers, symlinks (loops, out of the root), FIFOs, devices,
 * unreadable files, and a crash inside one file. Real files in temp folders.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { constants as zlibConstants, deflateRawSync, gzipSync, inflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { createScanner, type Scanner } from "../../src/core/scanner.js";
import { archiveKind, expandArchive, inflateCapped, type Inflate, outputChunk } from "../../src/sources/archive.js";
import { scanFiles } from "../../src/sources/files.js";
import { gzip, tar, zip } from "../helpers/archives.js";
import { runIn } from "../helpers/in-process.js";
import { awsKeyId, githubToken } from "../helpers/secrets.js";
import { removeTempFolders, tempFolder } from "../helpers/temp-folder.js";

const folder = (files: Record<string, string | Buffer>): string => tempFolder(files, "lg-hostile-");
afterAll(removeTempFolders);

const token = githubToken(101);
const key = awsKeyId(102);
const envText = `# settings\nGITHUB_TOKEN=${token}\n`;
let scanner: Scanner;
beforeAll(() => {
  scanner = createScanner(loadConfig({ root: tmpdir(), noConfigFile: true }));
});

/** Findings as "file line:column ruleId". */
const where = (fs: Array<{ file: string; line: number; column: number; ruleId: string }>): string[] =>
  fs.map((f) => `${f.file} ${f.line}:${f.column} ${f.ruleId}`).sort();

describe("archives", () => {
  it("scans inside zip, jar, tar, tar.gz, tgz and gz, reporting archive!inner paths with positions inside the entry", async () => {
    const d = folder({
      "a.zip": zip([{ name: "conf/app.env", data: envText }, { name: "README", data: "nothing\n", store: true }, { name: "empty/" }]),
      "lib.jar": zip([{ name: "META-INF/MANIFEST.MF", data: "Manifest-Version: 1.0\n" }, { name: "app.properties", data: `aws.key=${key}\n`, store: true }, { name: "com/x/App.class", data: `\xca\xfe\xba\xbe T=${token}` }]),
      "b.tar": tar([{ name: "x/y.env", data: envText }]),
      "c.tar.gz": gzip(tar([{ name: "deep/z.env", data: envText }])),
      "d.tgz": gzip(tar([{ name: "t.env", data: envText }])),
      "e.env.gz": gzip(envText),
    });
    const r = await scanFiles(scanner, [d], { root: d });
    expect(where(r.findings)).toEqual([
      "a.zip!conf/app.env 2:14 github-pat",
      "b.tar!x/y.env 2:14 github-pat",
      "c.tar.gz!deep/z.env 2:14 github-pat",
      "d.tgz!t.env 2:14 github-pat",
      "e.env.gz!e.env 2:14 github-pat",
      `lib.jar!app.properties 1:9 ${r.findings.find((f) => f.file.startsWith("lib.jar"))!.ruleId}`,
    ]);
    expect(r.findings.find((f) => f.file.startsWith("lib.jar"))!.secret).toBe(key);
    expect(r.warnings).toEqual([]);
    // The .class entry is skipped by name, without inflating: its token is not reported.
    expect(r.stats.skipped.binary).toBe(1);
  });

  it("opens archives nested two levels deep, not three; a long tar name (pax) survives", async () => {
    const longName = "very/" + "long-folder-name/".repeat(8) + "secret.env";
    const level3 = zip([{ name: "l3.env", data: envText }]);
    const level2 = tar([{ name: "l2.env", data: envText }, { name: "l3.zip", data: level3 }, { name: longName, data: envText }]);
    const d = folder({ "outer.zip": zip([{ name: "l1.env", data: envText }, { name: "inner.tar", data: level2 }]) });
    const r = await scanFiles(scanner, [d], { root: d });
    expect(r.findings.map((f) => f.file).sort()).toEqual(["outer.zip!inner.tar!l2.env", `outer.zip!inner.tar!${longName}`, "outer.zip!l1.env"]);
    expect(r.stats.skipped["archive-depth"]).toBe(1);
    expect(r.warnings.some((w) => w.startsWith("outer.zip!inner.tar!l3.zip: archive nested deeper"))).toBe(true);
    const deeper = await scanFiles(scanner, [d], { root: d, archives: { maxDepth: 3 } });
    expect(deeper.findings.map((f) => f.file)).toContain("outer.zip!inner.tar!l3.zip!l3.env");
    const none = await scanFiles(scanner, [d], { root: d, archives: false });
    expect(none.findings).toEqual([]);
    expect(none.stats.skipped.archive).toBe(1);
  });

  it("is zip-bomb safe: an entry inflating past the per-entry cap is skipped, past the total cap the walk stops; both counted", async () => {
    const zeros = 64 * 1024 * 1024;
    const bomb = { bytes: deflateRawSync(Buffer.alloc(zeros)), size: 100 }; // lies about its size
    expect(bomb.bytes.length).toBeLessThan(200_000);
    const d = folder({
      "bomb.zip": zip([{ name: "first.env", data: envText }, { name: "bomb.bin", deflated: bomb }, { name: "after.env", data: envText }]),
    });
    const r = await scanFiles(scanner, [d], { root: d, archives: { maxEntryBytes: 1024 * 1024 } });
    expect(r.findings.map((f) => f.file).sort()).toEqual(["bomb.zip!after.env", "bomb.zip!first.env"]);
    expect(r.stats.skipped["too-large"]).toBe(1);
    expect(r.warnings).toContain("bomb.zip!bomb.bin: larger than 1048576 bytes uncompressed");

    // Many entries, each within the entry cap, together over the total cap: stop at the cap.
    const chunk = { bytes: deflateRawSync(Buffer.alloc(512 * 1024, 0x61)), size: 512 * 1024 };
    const many = zip([...Array.from({ length: 40 }, (_, i) => ({ name: `part${i}.txt`, deflated: chunk })), { name: "tail.env", data: envText }]);
    const visits: string[] = [];
    const skips: string[] = [];
    expandArchive(archiveKind("many.zip", many)!, "many.zip", many, { file: (p) => visits.push(p), skip: (reason, p) => skips.push(`${reason} ${p}`) }, { maxTotalBytes: 4 * 1024 * 1024 });
    expect(visits).toHaveLength(8);
    expect(skips).toEqual(["archive-limit many.zip!part8.txt"]);

    // Entry count limit.
    const crowd = zip(Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, data: "x" })));
    const seen: string[] = [];
    const why: string[] = [];
    expandArchive("zip", "crowd.zip", crowd, { file: (p) => seen.push(p), skip: (r) => why.push(r) }, { maxEntries: 10 });
    expect(seen).toHaveLength(10);
    expect(why).toEqual(["archive-limit"]);
  });

  it("an entry's declared size only sizes the output buffer: true, short, long and absurd sizes inflate alike, each entry held in memory of about its size, and the caps hold", () => {
    const text = "line of text\n".repeat(20_000) + envText;
    const data = Buffer.from(text);
    const bytes = deflateRawSync(data);
    // What an entry keeps alive is its ArrayBuffer: at most one zlib piece more than the entry.
    const held = (d: Uint8Array): string => (d.buffer.byteLength - d.length <= zlibConstants.Z_DEFAULT_CHUNK ? "fits" : `holds ${d.buffer.byteLength} for ${d.length}`);
    const open = (buf: Buffer, name: string, limits = {}): string[] => {
      const out: string[] = [];
      expandArchive(archiveKind(name, buf)!, name, buf, { file: (p, d) => void out.push(`${p} ${Buffer.from(d).equals(data) ? "same" : "differs"} ${held(d)}`), skip: (r, p) => void out.push(`${r} ${p}`) }, limits);
      return out;
    };
    for (const size of [data.length, 100, 20_000, data.length * 50, 0xfffffffe]) {
      const z = zip([{ name: "a.env", deflated: { bytes, size } }]);
      expect(open(z, "a.zip"), `declared ${size}`).toEqual(["a.zip!a.env same fits"]);
      expect(open(z, "a.zip", { maxEntryBytes: 100_000 }), `declared ${size}`).toEqual(["too-large a.zip!a.env"]);
    }
    // A gzip's trailer is checked by zlib: a false size is a damaged file, as it always was.
    const gz = gzipSync(data);
    expect(open(gz, "a.env.gz")).toEqual(["a.env.gz!a.env same fits"]);
    expect(open(gz, "a.env.gz", { maxEntryBytes: 100_000 })).toEqual(["too-large a.env.gz"]);
    gz.writeUInt32LE(100, gz.length - 4);
    expect(open(gz, "a.env.gz")).toEqual(["archive-corrupt a.env.gz"]);
    // One buffer of the declared size, bounded by the cap and by what deflate can make of the bytes.
    expect(outputChunk(undefined, 10, 1e9)).toBeUndefined();
    expect(outputChunk(1000, 10, 1e9)).toBeUndefined();
    // One byte more than a true size: filled exactly, node would start a second buffer of the size.
    expect(outputChunk(4_178_627, 6806, 50 * 1024 * 1024)).toBe(4_178_628);
    expect(outputChunk(4e9, 6806, 50 * 1024 * 1024)).toBe(6806 * 1032);
    expect(outputChunk(4e9, 1e6, 50 * 1024 * 1024)).toBe(50 * 1024 * 1024 + 1);
    expect(outputChunk(1e6, 2, 50 * 1024 * 1024)).toBe(16 * 1024);
  });

  it("many small entries that declare huge sizes are all scanned, holding memory of about their own size", async () => {
    // The reviewer's case in small: entries of ~50 KB each declaring 0xfffffffe.
    const entries = Array.from({ length: 40 }, (_, i) => {
      const body = Buffer.from(`${i === 17 ? envText : ""}${Array.from({ length: 2500 }, (_, j) => `row ${i} ${j * 7919}`).join("\n")}\n`);
      return { name: `e${i}.txt`, body, deflated: { bytes: deflateRawSync(body), size: 0xfffffffe } };
    });
    const z = zip(entries);
    let entryBytes = 0;
    let heldBytes = 0;
    const got: string[] = [];
    expandArchive("zip", "many.zip", z, {
      file: (p, d) => {
        entryBytes += d.length;
        heldBytes += d.buffer.byteLength;
        got.push(`${p} ${Buffer.from(d).equals(entries.find((e) => p.endsWith(`!${e.name}`))!.body) ? "same" : "differs"}`);
      },
      skip: (r, p) => void got.push(`${r} ${p}`),
    });
    expect(got).toEqual(entries.map((e) => `many.zip!${e.name} same`));
    expect(heldBytes).toBeLessThanOrEqual(entryBytes + entries.length * zlibConstants.Z_DEFAULT_CHUNK);
    const d = folder({ "many.zip": z });
    const res = await scanFiles(scanner, [d], { root: d });
    expect(where(res.findings)).toEqual(["many.zip!e17.txt 2:14 github-pat"]);
    expect(res.stats.skipped).not.toHaveProperty("too-large");
  });

  it("when the buffer of the declared size cannot be allocated, the data is inflated again in pieces, not called too large", () => {
    const data = Buffer.from(Array.from({ length: 5000 }, (_, j) => `row ${j * 7919}`).join("\n"));
    const bytes = deflateRawSync(data);
    const calls: Array<number | undefined> = [];
    // As on a machine short of memory (ulimit -v): the large buffer cannot be had, 16 KiB pieces can.
    const short: Inflate = (d, o) => {
      calls.push(o.chunkSize);
      if (o.chunkSize !== undefined) throw new RangeError("Array buffer allocation failed");
      return inflateRawSync(d, o);
    };
    expect(inflateCapped("raw", bytes, 1e6, 0xfffffffe, short)?.equals(data)).toBe(true);
    expect(calls).toEqual([outputChunk(0xfffffffe, bytes.length, 1e6), undefined]);
    // Over the cap is over the cap: no second try.
    calls.length = 0;
    const counted: Inflate = (d, o) => (calls.push(o.chunkSize), inflateRawSync(d, o));
    expect(inflateCapped("raw", bytes, 1000, 0xfffffffe, counted)).toBeUndefined();
    expect(calls).toEqual([outputChunk(0xfffffffe, bytes.length, 1000)]);
    // Other errors (damaged data) still throw, to become archive-corrupt.
    expect(() => inflateCapped("raw", Buffer.from([0xff, 0xff, 0xff, 0xff]), 1e6, 0xfffffffe, short)).toThrow();
  });

  it("a damaged, truncated or encrypted archive is a counted skip with a warning, never a crash", async () => {
    const good = zip([{ name: "a.env", data: envText }]);
    const badDeflate = zip([{ name: "bad.env", deflated: { bytes: Buffer.from([0xff, 0xff, 0xff, 0xff]), size: 10 } }, { name: "ok.env", data: envText }]);
    const d = folder({
      "cut.zip": good.subarray(0, good.length - 10),
      "bad.zip": badDeflate,
      "lock.zip": zip([{ name: "s.env", data: envText, encrypted: true }]),
      "cut.tgz": gzip(tar([{ name: "t.env", data: envText }])).subarray(0, 30),
      "junk.tar": Buffer.concat([tar([{ name: "a.env", data: envText }]).subarray(0, 512), Buffer.alloc(100, 0x41)]),
    });
    const r = await scanFiles(scanner, [d], { root: d });
    expect(r.findings.map((f) => f.file)).toEqual(["bad.zip!ok.env"]);
    expect(r.stats.skipped).toMatchObject({ "archive-corrupt": 3, encrypted: 1 });
    expect(r.stats.skipped.error).toBeUndefined();
    expect(r.warnings.length).toBeGreaterThanOrEqual(4);
  });

  it("the CLI reports archive paths in json and exits 1", async () => {
    const d = folder({ "bundle.zip": zip([{ name: "src/settings.py", data: `TOKEN = "${token}"\n` }]) });
    const r = await runIn(d, ["scan", "-f", "json", "."]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { findings: Array<{ file: string; line: number; column: number; location: string }> };
    expect(out.findings.map((f) => [f.file, f.line, f.column])).toEqual([["bundle.zip!src/settings.py", 1, 10]]);
    expect(r.stdout).not.toContain(token);
    expect((await runIn(d, ["scan", "-f", "json", "--no-archives", "."])).code).toBe(0);
  });
});

describe("special files", () => {
  it("skips binary files and counts LFS pointers", async () => {
    const lfs = "version https://git-lfs.github.com/spec/v1\noid sha256:" + "ab".repeat(32) + "\nsize 12345\n";
    const d = folder({ "img.png": Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), Buffer.from(envText)]), "model.bin": lfs });
    const r = await scanFiles(scanner, [d], { root: d });
    expect(r.findings).toEqual([]);
    expect(r.stats.skipped).toMatchObject({ binary: 1, "lfs-pointer": 1 });
  });

  it("never follows symlinks: a loop and a link out of the root are counted, not scanned, and do not hang", async () => {
    const outside = folder({ "secret.env": envText });
    const d = folder({ "in.env": "nothing\n", "sub/x.txt": "x\n" });
    symlinkSync(d, join(d, "sub", "loop"));
    symlinkSync(join(d, "sub", "self"), join(d, "sub", "self"));
    symlinkSync(outside, join(d, "out"));
    symlinkSync(join(outside, "secret.env"), join(d, "out.env"));
    const r = await scanFiles(scanner, [d], { root: d });
    expect(r.findings).toEqual([]);
    expect(r.stats.skipped.symlink).toBe(4);
    expect(r.stats.files).toBe(2);
  });

  it("skips FIFOs (in a folder and named directly) and device files without blocking", async () => {
    const d = folder({ "a.env": envText });
    execFileSync("mkfifo", [join(d, "pipe")]);
    let device = false;
    try {
      execFileSync("mknod", [join(d, "null"), "c", "1", "3"], { stdio: "ignore" });
      device = true;
    } catch {
      // mknod needs root; the FIFO case still runs.
    }
    const r = await scanFiles(scanner, [d, join(d, "pipe")], { root: d });
    expect(r.findings.map((f) => f.file)).toEqual(["a.env"]);
    expect(r.stats.skipped["special-file"]).toBe(device ? 3 : 2);
  });

  it("a .gitignore that is a FIFO is no ignore file and does not hang the walk", async () => {
    const d = folder({ "a.env": envText, "sub/b.env": envText });
    execFileSync("mkfifo", [join(d, ".gitignore")]);
    execFileSync("mkfifo", [join(d, "sub", ".gitignore")]);
    const r = await scanFiles(scanner, [d], { root: d });
    expect(r.findings.map((f) => f.file)).toEqual(["sub/b.env", "a.env"]);
    expect(r.stats.skipped["special-file"]).toBe(2);
  }, 20_000);

  it("an unreadable file is a warning and a count; the rest is still scanned", async (ctx) => {
    const d = folder({ "a.env": envText, "locked.env": envText, "z.env": envText });
    chmodSync(join(d, "locked.env"), 0);
    // Root reads mode-000 files. Then use a write-only sysfs attribute, which even root cannot
    // open for reading (EACCES); without one (no sysfs), this case cannot be built: skip.
    const isRoot = process.getuid?.() === 0;
    const writeOnly = "/sys/bus/pci/rescan";
    if (isRoot && !existsSync(writeOnly)) ctx.skip();
    const paths = isRoot ? [d, writeOnly] : [d];
    const r = await scanFiles(scanner, paths, { root: d });
    expect(r.findings.map((f) => f.file).sort()).toEqual(isRoot ? ["a.env", "locked.env", "z.env"] : ["a.env", "z.env"]);
    expect(r.stats.skipped.unreadable).toBe(1);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^(locked\.env|(\.\.\/)+sys\/bus\/pci\/rescan): cannot read \(EACCES\)$/);
  });

  it("an unexpected exception while scanning one file is a warning and an 'error' skip; other files are still scanned and the exit is by findings", async () => {
    const d = folder({ "a.env": envText, "boom.env": envText, "c.env": envText });
    const faulty: Scanner = {
      ...scanner,
      scanFragment: (frag) => {
        if (frag.path === "boom.env") throw new TypeError(`cannot handle ${frag.text}`);
        return scanner.scanFragment(frag);
      },
    };
    const r = await scanFiles(faulty, [d], { root: d });
    expect(r.findings.map((f) => f.file)).toEqual(["a.env", "c.env"]);
    expect(r.stats.skipped.error).toBe(1);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^boom\.env: skipped after an internal error \(TypeError: cannot handle/);
    // The message quoted the file's content; the token in it is scrubbed.
    expect(r.warnings[0]).not.toContain(token);
  });
});
