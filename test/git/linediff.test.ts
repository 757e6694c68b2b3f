/**
 * The added-line diff, checked against git itself: for random edits of random
 * texts, the added lines we compute hold exactly the same contents (as a
 * multiset) as the "+" lines of `git diff --no-index -U0`.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { addedLineRanges, addedLines, addedLinesEveryLine, splitLines } from "../../src/git/linediff.js";
import { rng } from "../helpers/secrets.js";
import { GIT_TEST_ENV } from "../helpers/git-repo.js";

const dir = mkdtempSync(join(tmpdir(), "lg-diff-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * "+" lines of git's own diff (contents only) for each pair, from one `git
 * diff --no-index` of two folders (a git run per pair cost more than the rest
 * of the file).
 */
function gitAddedAll(pairs: ReadonlyArray<[string, string]>): string[][] {
  mkdirSync(join(dir, "old"), { recursive: true });
  mkdirSync(join(dir, "new"), { recursive: true });
  pairs.forEach(([a, b], i) => {
    writeFileSync(join(dir, "old", String(i)), a);
    writeFileSync(join(dir, "new", String(i)), b);
  });
  let out = "";
  try {
    out = execFileSync("git", ["diff", "--no-index", "-U0", "--no-color", "--", "old", "new"], { cwd: dir, env: GIT_TEST_ENV, encoding: "utf8" });
  } catch (e) {
    out = (e as { stdout: string }).stdout; // exit 1 = differences
  }
  const added: string[][] = pairs.map(() => []);
  let at = -1;
  for (const l of out.split("\n")) {
    const file = /^\+\+\+ b\/new\/(\d+)$/.exec(l);
    if (file) at = Number(file[1]);
    else if (l.startsWith("diff --git ")) at = -1;
    else if (at >= 0 && l.startsWith("+")) added[at]!.push(l.slice(1));
  }
  return added;
}

function ours(oldText: string, newText: string): string[] {
  const lines = splitLines(newText);
  return addedLines(oldText, newText).map((n) => lines[n - 1]!);
}

function randomEdit(seed: number): [string, string] {
  const r = rng(seed);
  const vocab = ["alpha", "beta", "gamma", "delta", "}", "", "x = 1", "return"];
  const n = Math.floor(r() * 30);
  const old: string[] = [];
  for (let i = 0; i < n; i++) old.push(vocab[Math.floor(r() * vocab.length)]!);
  const neu = [...old];
  const edits = Math.floor(r() * 6);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(r() * (neu.length + 1));
    const op = r();
    if (op < 0.4) neu.splice(at, 0, `new${seed}-${e}`);
    else if (op < 0.7) neu.splice(at, 1);
    else neu.splice(at, 0, vocab[Math.floor(r() * vocab.length)]!);
  }
  return [old.map((l) => l + "\n").join(""), neu.map((l) => l + "\n").join("")];
}

describe("addedLineRanges", () => {
  it("finds inserted lines as ranges", () => {
    expect(addedLineRanges("a\nb\n", "a\nx\nb\ny\n")).toEqual([[2, 2], [4, 4]]);
    expect(addedLineRanges("a\nb\n", "a\nx\ny\nb\n")).toEqual([[2, 3]]);
    expect(addedLineRanges("", "a\nb")).toEqual([[1, 2]]);
    expect(addedLineRanges("a\nb\nc", "a\nc")).toEqual([]);
  });

  it("does not count a missing final line break as an edit", () => {
    expect(addedLineRanges("a", "a\nb")).toEqual([[2, 2]]);
  });

  it("counts lines the way the engine does (CRLF and lone CR)", () => {
    expect(addedLineRanges("a\r\nb\r\n", "a\r\nnew\r\nb\r\n")).toEqual([[2, 2]]);
    expect(addedLineRanges("a\rb", "a\rnew\rb")).toEqual([[2, 2]]);
  });

  it("stays linear on a full rewrite beyond the edit limit", () => {
    const old = Array.from({ length: 6000 }, (_, i) => `old ${i}`).join("\n");
    const neu = Array.from({ length: 6000 }, (_, i) => `new ${i}`).join("\n");
    expect(addedLineRanges(old, neu)).toEqual([[1, 6000]]);
  });

  it("agrees with git diff on 60 random edits", () => {
    const pairs = Array.from({ length: 60 }, (_, i) => randomEdit(i + 1));
    const theirs = gitAddedAll(pairs);
    // The edits are not all no-ops: git sees added lines in most of them.
    expect(theirs.filter((t) => t.length > 0).length).toBeGreaterThan(30);
    pairs.forEach(([a, b], i) => expect(ours(a, b).sort(), `seed ${i + 1}`).toEqual(theirs[i]!.sort()));
  });
});

/**
 * A text of lines from a small vocabulary (lines repeat, so shifted matches
 * abound), with any of the three line breaks, then edited by inserting,
 * deleting and replacing characters: breaks as well as words.
 */
function randomTextEdit(seed: number, lines: number): [string, string] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const vocab = ["a", "b", "", "x = 1", "}", "a\r", "long line of text that is longer than sixty-four characters, repeated"];
  const breaks = r() < 0.5 ? ["\n"] : ["\n", "\r\n", "\r"];
  let old = "";
  const n = Math.floor(r() * lines);
  for (let i = 0; i < n; i++) old += pick(vocab) + pick(breaks);
  if (r() < 0.3) old = old.replace(/[\r\n]+$/, "");
  let neu = old;
  const edits = Math.floor(r() * 6);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(r() * (neu.length + 1));
    const op = r();
    if (op < 0.4) neu = neu.slice(0, at) + pick(vocab) + pick(["\n", "\r\n", "\r"]) + neu.slice(at);
    else if (op < 0.7) neu = neu.slice(0, at) + neu.slice(at + Math.floor(r() * 5));
    else neu = neu.slice(0, at) + pick(["\r", "\n", "x"]) + neu.slice(at + 1);
  }
  return r() < 0.5 ? [old, neu] : [neu, old];
}

describe("addedLines (only the lines between a shared start and end compared)", () => {
  it("gives what comparing every line gives, on 20,000 random edits", () => {
    let differ = 0;
    for (let seed = 1; seed <= 20_000; seed++) {
      const [a, b] = randomTextEdit(seed, seed % 4 === 0 ? 300 : 12);
      const expected = addedLinesEveryLine(a, b);
      if (expected.length > 0) differ++;
      expect(addedLines(a, b), `seed ${seed}`).toEqual(expected);
    }
    // The edits are not all no-ops.
    expect(differ).toBeGreaterThan(8_000);
  });

  it("numbers the lines after a long shared start, with CRLF, lone CR and a shared end", () => {
    const head = "same line\r\n".repeat(500) + "cr only\r".repeat(30);
    const tail = "\r\nafter\n".repeat(400);
    expect(addedLines(head + "old" + tail, head + "old\nnew one" + tail)).toEqual([532]);
    expect(addedLines(head + tail, head + "inserted\n" + tail)).toEqual(addedLinesEveryLine(head + tail, head + "inserted\n" + tail));
  });

  it("compares every line when one side's middle lines are all the start of the other's", () => {
    // The shared text ends in line 2 ("b" ends "\r\n" in one, "\n" in the other), the shared end
    // is "z": the middles are the lines ["b"] and ["b", "c"], and "b" equals "b".
    const [a, b] = ["a\nb\r\nz\n", "a\nb\nc\nz\n"];
    expect(addedLines(a, b)).toEqual([3]);
    expect(addedLinesEveryLine(a, b)).toEqual([3]);
    expect(addedLines(b, a)).toEqual([]);
  });
});

