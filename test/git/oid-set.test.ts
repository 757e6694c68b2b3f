/**
 * The compact blob-id set of the history scan: the same answers as a `Set`
 * of "id:tag" strings, for SHA-1 and SHA-256 ids, across the table's growth.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { OidSet } from "../../src/git/oid-set.js";

const sha1 = (n: number): string => createHash("sha1").update(String(n)).digest("hex");
const sha256 = (n: number): string => createHash("sha256").update(String(n)).digest("hex");
const ids = Array.from({ length: 3500 }, (_, i) => sha1(i));

describe("OidSet", () => {
  it("answers like a Set of id:tag strings, past several doublings", () => {
    const set = new OidSet();
    const ref = new Set<string>();
    const got: boolean[] = [];
    const want: boolean[] = [];
    // Ids repeat and come back under other tags, as blobs do under other place keys.
    for (let i = 0; i < 5000; i++) {
      const oid = ids[i % 3000]!;
      const tag = i % 7 === 0 ? 1 : 0;
      const k = `${oid}:${tag}`;
      got.push(set.has(oid, tag), set.add(oid, tag));
      want.push(ref.has(k), !ref.has(k));
      ref.add(k);
    }
    expect(set.size).toBe(ref.size);
    for (const oid of ids) for (const tag of [0, 1, 2]) got.push(set.has(oid, tag)), want.push(ref.has(`${oid}:${tag}`));
    expect(got).toEqual(want);
  });

  it("keeps SHA-256 ids whole (ids sharing their first 20 bytes are different)", () => {
    const set = new OidSet();
    const a = sha256(1);
    const b = a.slice(0, 40) + sha256(2).slice(40);
    expect(set.add(a)).toBe(true);
    expect(set.has(b)).toBe(false);
    expect(set.add(b)).toBe(true);
    expect(set.add(a)).toBe(false);
    expect(set.size).toBe(2);
  });

  it("tells ids that differ only in their last digit apart", () => {
    const set = new OidSet();
    const a = sha1(1);
    const b = a.slice(0, 39) + (a[39] === "0" ? "1" : "0");
    set.add(a);
    expect(set.has(b)).toBe(false);
    expect(set.has(a)).toBe(true);
  });

  it("refuses what is not an id of its length, and never finds one", () => {
    const set = new OidSet();
    expect(set.has(sha1(1))).toBe(false);
    set.add(sha1(1));
    expect(() => set.add("xyz")).toThrow(/not an object id/);
    expect(() => set.add(sha1(2).slice(0, 38) + "zz")).toThrow(/not an object id/);
    expect(() => set.add(sha256(1))).toThrow(/not an object id/);
    expect(set.has(sha256(1))).toBe(false);
    expect(set.has("")).toBe(false);
    expect(set.size).toBe(1);
  });
});
