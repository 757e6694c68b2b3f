/**
 * Text decoding takes a fast path for valid UTF-8; whatever the bytes, the
 * text must be what the WHATWG decoder (TextDecoder) makes of them, with its
 * replacement of invalid sequences.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBytes } from "../../src/sources/text.js";

const reference = new TextDecoder("utf-8");

describe("UTF-8 decoding", () => {
  it("equals TextDecoder's text for valid and invalid bytes alike", () => {
    // Bytes without NUL (NUL sends a file to the binary/UTF-16 sniffers) and not starting with a BOM.
    const byte = fc.integer({ min: 1, max: 255 });
    const text = fc.string({ unit: "grapheme", maxLength: 40 }).map((s) => [...Buffer.from(s.replace(/\0/g, ""), "utf8")]);
    const bytes = fc.array(fc.oneof(byte.map((b) => [b]), text), { maxLength: 30 }).map((parts) => Uint8Array.from(parts.flat()));
    fc.assert(
      fc.property(bytes, (buf) => {
        fc.pre(!(buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) && !(buf[0] === 0xff && buf[1] === 0xfe) && !(buf[0] === 0xfe && buf[1] === 0xff));
        const decoded = decodeBytes(buf);
        if (decoded.kind === "text" || decoded.kind === "lfs-pointer") expect(decoded.text).toBe(reference.decode(buf));
      }),
      { seed: 2612, numRuns: 2000 },
    );
  });

  it("decodes a view into a larger buffer from its own bytes only", () => {
    const whole = Buffer.from("before|héllo wörld|after", "utf8");
    const view = whole.subarray(7, 7 + Buffer.byteLength("héllo wörld"));
    expect(decodeBytes(view)).toMatchObject({ kind: "text", text: "héllo wörld" });
  });
});
