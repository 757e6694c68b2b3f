/**
 * Encodings and line endings: invalid UTF-8, BOMs, UTF-16 with and without a
 * BOM, CRLF and lone CR. Positions must point at the secret in the text as
 * an editor shows it: lines split at LF, CRLF or CR; columns count UTF-16
 * code units after any BOM, one per invalid UTF-8 sequence (U+FFFD);
 * endColumn is exclusive (the column after the secret, as in SARIF).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { createScanner, type Scanner } from "../../src/core/scanner.js";
import { scanFiles } from "../../src/sources/files.js";
import { decodeBytes, sniffUtf16 } from "../../src/sources/text.js";
import { githubToken } from "../helpers/secrets.js";

const token = githubToken(201);
let dir: string;
let scanner: Scanner;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lg-enc-"));
  scanner = createScanner(loadConfig({ root: dir, noConfigFile: true }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Writes `bytes` to a fresh file and scans it; the token's finding as [line, column, endLine, endColumn]. */
async function positionIn(bytes: Buffer): Promise<number[][]> {
  const name = `f${n++}.conf`;
  writeFileSync(join(dir, name), bytes);
  const r = await scanFiles(scanner, [join(dir, name)], { root: dir });
  return r.findings.filter((f) => f.secret === token).map((f) => [f.line, f.column, f.endLine, f.endColumn]);
}
const L = token.length;
const utf16be = (s: string): Buffer => Buffer.from(s, "utf16le").swap16();

describe("encodings", () => {
  it("invalid UTF-8: the valid rest is scanned and each bad sequence counts one column", async () => {
    // "ab", a stray 0xFF, a cut 3-byte sequence (E2 82), then " x=" and the token: 7 columns before it.
    const bytes = Buffer.concat([Buffer.from("line one \xc3\x28\n", "latin1"), Buffer.from("ab"), Buffer.from([0xff, 0xe2, 0x82]), Buffer.from(` x=${token}\n`)]);
    expect(await positionIn(bytes)).toEqual([[2, 8, 2, 8 + L]]);
  });

  it("UTF-8 BOM: not part of the text, column 1 is the first character after it", async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${token}\n`)]);
    expect(await positionIn(bytes)).toEqual([[1, 1, 1, 1 + L]]);
    expect(decodeBytes(bytes)).toMatchObject({ kind: "text", encoding: "utf-8", text: `${token}\n` });
  });

  it("UTF-16 LE and BE, with and without a BOM, are decoded and scanned", async () => {
    const text = `héllo wörld\r\nkey = ${token}\r\n`;
    const le = Buffer.from(text, "utf16le");
    const be = utf16be(text);
    for (const bytes of [Buffer.concat([Buffer.from([0xff, 0xfe]), le]), Buffer.concat([Buffer.from([0xfe, 0xff]), be]), le, be]) {
      expect(await positionIn(bytes)).toEqual([[2, 7, 2, 7 + L]]);
    }
    expect(sniffUtf16(le)).toBe("utf-16le");
    expect(sniffUtf16(be)).toBe("utf-16be");
  });

  it("binary stays binary: NULs without the UTF-16 pattern", () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 1, 0]);
    expect(decodeBytes(png).kind).toBe("binary");
    const zeros = Buffer.alloc(4096);
    expect(decodeBytes(zeros).kind).toBe("binary");
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(56)]);
    expect(decodeBytes(elf).kind).toBe("binary");
  });

  it("CRLF, lone CR and mixed endings give the line an editor shows", async () => {
    expect(await positionIn(Buffer.from(`a\r\nb\r\n\r\nk=${token}\r\n`))).toEqual([[4, 3, 4, 3 + L]]);
    expect(await positionIn(Buffer.from(`a\rb\r\rk=${token}\r`))).toEqual([[4, 3, 4, 3 + L]]);
    expect(await positionIn(Buffer.from(`a\n\r\n\rb\r\n\n  ${token}`))).toEqual([[6, 3, 6, 3 + L]]);
  });

  it("a secret after non-BMP characters: columns count UTF-16 code units", async () => {
    // "😀" is two code units, "日本" two, "é" one: 5 before "=", 6 before the token.
    expect(await positionIn(Buffer.from(`😀日本é=${token}\n`))).toEqual([[1, 7, 1, 7 + L]]);
  });
});
