/**
 * Hostile file names: spaces, quotes, newlines, control characters, unicode,
 * leading dashes. The scan works, JSON carries names exactly, and the text
 * report shows control characters as escapes (no faked lines, no terminal
 * sequences).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zip } from "../helpers/archives.js";
import { runIn } from "../helpers/in-process.js";
import { githubToken } from "../helpers/secrets.js";

const NAMES = ["with space.env", 'double"quote.env', "single'quote.env", "new\nline.env", "carriage\rreturn.env", "esc\x1b[31mred.env", "tab\there.env", "ünïcødé-日本-😀.env", "-rf.env", "--help.env", "back\\slash.env", "semi;colon&amp.env", "$(echo hi).env"];

const token = githubToken(501);
let d: string;
beforeAll(() => {
  d = mkdtempSync(join(tmpdir(), "lg-names-"));
  for (const n of NAMES) writeFileSync(join(d, n), `TOKEN=${token}\n`);
  writeFileSync(join(d, "inner.zip"), zip([{ name: "dir with space/new\nline 日本.env", data: `TOKEN=${token}\n` }]));
});
afterAll(() => rmSync(d, { recursive: true, force: true }));

type Out = { findings: Array<{ file: string; location: string; line: number }> };

describe("file names", () => {
  it("json and jsonl carry every name exactly", async () => {
    const r = await runIn(d, ["scan", "-f", "json", "."]);
    expect(r.code).toBe(1);
    const files = (JSON.parse(r.stdout) as Out).findings.map((f) => f.file).sort();
    const want = [...NAMES, "inner.zip!dir with space/new\nline 日本.env"].sort();
    expect(files).toEqual(want);
    for (const f of (JSON.parse(r.stdout) as Out).findings) expect(f.location).toBe(`${f.file}:github-pat:1`);
    const lines = (await runIn(d, ["scan", "-f", "jsonl", "."])).stdout.trim().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as { file: string }).file).sort()).toEqual(want);
  });

  it("names that look like flags scan after -- or as ./name", async () => {
    for (const args of [["--", "-rf.env"], ["./-rf.env"], ["--", "--help.env"]]) {
      const r = await runIn(d, ["scan", "-f", "json", ...args]);
      expect(r.code).toBe(1);
      expect((JSON.parse(r.stdout) as Out).findings.map((f) => f.file)).toEqual([args[args.length - 1]!.replace(/^\.\//, "")]);
    }
  });

  it("the text report escapes control characters in names and code frames", async () => {
    writeFileSync(join(d, "frame.env"), `\x1b]0;pwned\x07 TOKEN=${token}\n`);
    const r = await runIn(d, ["scan", "."]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/); // only \n and \t-free text, no ESC, BEL or CR
    expect(r.stdout).toContain("new\\u000aline.env");
    expect(r.stdout).toContain("esc\\u001b[31mred.env");
    expect(r.stdout).toContain("\\u001b]0;pwned\\u0007 TOKEN=");
    expect(r.stdout).not.toContain(token);
  });
});
