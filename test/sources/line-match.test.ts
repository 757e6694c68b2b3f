/**
 * The fast path's line matcher (sources/line-match.ts) matches only lines
 * with equal bytes, each old line at most once, whatever the hashes say.
 */
import { describe, expect, it } from "vitest";
import { hashLines, matchLines, type LineSide } from "../../src/sources/line-match.js";

/** A side for `lines` (each with its break), hashed for real or with every hash `forced`. */
function side(lines: string[], forced?: number): LineSide {
  const text = Buffer.from(lines.join(""));
  const starts = new Uint32Array(lines.length + 1);
  for (let i = 0; i < lines.length; i++) starts[i + 1] = starts[i]! + Buffer.byteLength(lines[i]!);
  const hashes = new Uint32Array(lines.length);
  if (forced === undefined) hashLines(text, starts, 0, lines.length, hashes, 0);
  else hashes.fill(forced);
  return { text, starts, hashes };
}

/** The map of b's lines to a's (-1: new). */
function match(a: LineSide, b: LineSide): number[] {
  const map = new Int32Array(b.hashes.length);
  matchLines(a, 0, a.hashes.length, b, 0, b.hashes.length, map, -1);
  return [...map];
}

describe("matchLines", () => {
  it("maps kept lines in order and leaves new ones unmatched", () => {
    expect(match(side(["a\n", "b\n", "c\n"]), side(["a\n", "x\n", "b\n", "c\n"]))).toEqual([0, -1, 1, 2]);
  });

  it("matches each old line once: a copied line is new where it was copied", () => {
    expect(match(side(["k\n", "z\n"]), side(["k\n", "z\n", "k\n"]))).toEqual([0, 1, -1]);
  });

  it("follows a moved block", () => {
    expect(match(side(["a\n", "b\n", "c\n", "d\n"]), side(["c\n", "d\n", "a\n", "b\n"]))).toEqual([2, 3, 0, 1]);
  });

  it("never matches lines whose bytes differ, even when every hash collides", () => {
    expect(match(side(["a\n", "b\n", "c\n"], 7), side(["c\n", "q\n", "a\n"], 7))).toEqual([2, -1, 0]);
  });

  it("tells a line with a CRLF break from the same text with LF", () => {
    expect(match(side(["a\r\n", "b\n"]), side(["a\n", "b\n"]))).toEqual([-1, 1]);
  });
});
