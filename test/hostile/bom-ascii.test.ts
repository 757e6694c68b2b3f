/**
 * Two leading bytes FF FE (or FE FF) do not make a file UTF-16: an ASCII file
 * starting with them used to be decoded as UTF-16 (CJK noise) and its secrets
 * vanished in `scan`, `staged` and `history`. UTF-16 is decided on evidence;
 * otherwise the bytes are scanned as UTF-8, the two stray bytes counting one
 * column each (two U+FFFD). Genuine UTF-16 LE/BE, with and without a BOM,
 * Latin or not, is still decoded.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { scanHistory } from "../../src/api/history.js";
import { loadConfig } from "../../src/config/load.js";
import { createScanner } from "../../src/core/scanner.js";
import { scanFiles } from "../../src/sources/files.js";
import { decodeBytes } from "../../src/sources/text.js";
import { runIn } from "../helpers/in-process.js";
import { TestRepo } from "../helpers/git-repo.js";
import { githubToken } from "../helpers/secrets.js";
import { commitAs } from "../helpers/history-fixture.js";

const token = githubToken(801);
const L = token.length;
const repos: TestRepo[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const LE_BOM = Buffer.from([0xff, 0xfe]);
const BE_BOM = Buffer.from([0xfe, 0xff]);
const utf16be = (s: string): Buffer => Buffer.from(s, "utf16le").swap16();
/** An ASCII file that starts with two BOM-like bytes: "key = <token>" on line 2. */
const fake = (bom: Buffer): Buffer => Buffer.concat([bom, Buffer.from(`# settings\nkey = ${token}\n`)]);
/** Where the token stands in {@link fake}: line 2, after "key = ". */
const FAKE_AT = [2, 7, 2, 7 + L];

type Pos = number[];
const pos = (fs: ReadonlyArray<{ secret: string; line: number; column: number; endLine: number; endColumn: number }>): Pos[] =>
  fs.filter((f) => f.secret === token).map((f) => [f.line, f.column, f.endLine, f.endColumn]);

describe("UTF-16 only on evidence", () => {
  it("decodeBytes: FF FE / FE FF before ASCII is not UTF-16; genuine UTF-16 (Latin and CJK) still is", () => {
    for (const bom of [LE_BOM, BE_BOM]) {
      const d = decodeBytes(fake(bom));
      expect(d).toMatchObject({ kind: "text", encoding: "utf-8" });
      expect(d.kind === "text" && d.text.includes(token)).toBe(true);
    }
    const text = `日本語のメモ\nkey = ${token}\n`;
    expect(decodeBytes(Buffer.concat([LE_BOM, Buffer.from(text, "utf16le")]))).toEqual({ kind: "text", text, encoding: "utf-16le" });
    expect(decodeBytes(Buffer.concat([BE_BOM, utf16be(text)]))).toEqual({ kind: "text", text, encoding: "utf-16be" });
    expect(decodeBytes(Buffer.from(text, "utf16le"))).toEqual({ kind: "text", text, encoding: "utf-16le" });
    // A BOM before an unpaired surrogate is not UTF-16 text; with NULs and no UTF-16 pattern it is binary.
    const lone = Buffer.concat([LE_BOM, Buffer.from([0x00, 0xd8, 0x41, 0x00, 0x0a, 0x00])]);
    expect(decodeBytes(lone).kind).toBe("binary");
  });

  it("scan: the secret after a fake BOM is found at the line and column an editor shows (each stray byte one column)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lg-bom-"));
    dirs.push(dir);
    writeFileSync(join(dir, "le.conf"), fake(LE_BOM));
    writeFileSync(join(dir, "be.conf"), fake(BE_BOM));
    // Line 1 of a fake-BOM file starts with two U+FFFD: only line 1's columns shift.
    writeFileSync(join(dir, "first.conf"), Buffer.concat([LE_BOM, Buffer.from(`k=${token}\n`)]));
    writeFileSync(join(dir, "real-le.conf"), Buffer.concat([LE_BOM, Buffer.from(`# settings\r\nkey = ${token}\r\n`, "utf16le")]));
    writeFileSync(join(dir, "real-be.conf"), Buffer.concat([BE_BOM, utf16be(`# settings\nkey = ${token}\n`)]));
    writeFileSync(join(dir, "bare-le.conf"), Buffer.from(`# settings\nkey = ${token}\n`, "utf16le"));
    writeFileSync(join(dir, "bare-be.conf"), utf16be(`# settings\nkey = ${token}\n`));
    const scanner = createScanner(loadConfig({ root: dir, noConfigFile: true }));
    const r = await scanFiles(scanner, [dir], { root: dir });
    const byFile = Object.fromEntries(["le", "be", "first", "real-le", "real-be", "bare-le", "bare-be"].map((n) => [n, pos(r.findings.filter((f) => f.file === `${n}.conf`))]));
    expect(byFile).toEqual({
      le: [FAKE_AT],
      be: [FAKE_AT],
      first: [[1, 5, 1, 5 + L]],
      "real-le": [FAKE_AT],
      "real-be": [FAKE_AT],
      "bare-le": [FAKE_AT],
      "bare-be": [FAKE_AT],
    });
    const cli = await runIn(dir, ["scan", "--format", "json", "le.conf", "be.conf"]);
    expect(cli.code).toBe(1);
    const found = (JSON.parse(cli.stdout) as { findings: Array<{ ruleId: string; line: number; column: number; endLine: number; endColumn: number }> }).findings;
    expect(found.map((f) => [f.ruleId, f.line, f.column, f.endLine, f.endColumn])).toEqual([["github-pat", ...FAKE_AT], ["github-pat", ...FAKE_AT]]);
  });

  it("staged and history find it too, at the same place", async () => {
    const repo = new TestRepo();
    repos.push(repo);
    repo.write("README.md", "hello\n");
    commitAs(repo, "init", "2024-01-01T00:00:00Z");
    repo.write("le.conf", fake(LE_BOM));
    repo.write("be.conf", fake(BE_BOM));
    repo.add();
    const staged = await runIn(repo.dir, ["staged", "--format", "json", "--show-secrets"]);
    expect(staged.code).toBe(1);
    const sj = JSON.parse(staged.stdout) as { findings: Array<{ file: string; secret: string; line: number; column: number; endLine: number; endColumn: number }> };
    expect(sj.findings.map((f) => f.file).sort()).toEqual(["be.conf", "le.conf"]);
    expect(pos(sj.findings)).toEqual([FAKE_AT, FAKE_AT]);

    const c = commitAs(repo, "fake boms", "2024-02-01T00:00:00Z");
    const report = await scanHistory({ repo: repo.dir });
    expect(report.findings.map((f) => [f.file, f.commit]).sort()).toEqual([["be.conf", c], ["le.conf", c]]);
    expect(pos(report.findings)).toEqual([FAKE_AT, FAKE_AT]);
  });
});
