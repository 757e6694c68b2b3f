/**
 * What the build's binary data files (dist/keywords.bin, dist/rules-index.bin)
 * share: a four-letter magic and a u32 version up front, then little-endian
 * Int32 arrays that the loaders view in place instead of copying.
 */

/** Whether this host stores numbers little-endian, as the files hold them (node:os's endianness() without loading node:os on the hook's path). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * True when `bytes` holds at least `head` bytes, opens with `magic` and
 * `version`, and this host reads little-endian arrays in place (a big-endian
 * one would read every number wrong: the loader then refuses the file).
 */
export function opensWith(bytes: Buffer, magic: string, version: number, head: number): boolean {
  return LITTLE_ENDIAN && bytes.length >= head && bytes.toString("latin1", 0, 4) === magic && bytes.readUInt32LE(4) === version;
}

/** `bytes`, or a copy of them where Int32Array views of them would not be 4-byte aligned. */
export const aligned4 = (bytes: Buffer): Buffer => (bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes));
