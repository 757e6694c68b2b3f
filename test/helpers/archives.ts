/**
 * Tiny archive writers for tests: zip (stored or deflated), tar (ustar) and
 * gzip, built in memory so tests need no zip/tar binaries.
 */
import { deflateRawSync, gzipSync } from "node:zlib";

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One zip entry; `deflated` holds pre-compressed bytes (to build bombs cheaply). */
export interface ZipEntry {
  name: string;
  data?: Uint8Array | string;
  store?: boolean;
  /** Raw deflate bytes and the size they claim to inflate to. */
  deflated?: { bytes: Uint8Array; size: number; crc?: number };
  encrypted?: boolean;
}

/** A zip file holding `entries`. */
export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    let method = 8;
    let comp: Uint8Array;
    let size: number;
    let crc: number;
    if (e.deflated) {
      comp = e.deflated.bytes;
      size = e.deflated.size;
      crc = e.deflated.crc ?? 0;
    } else {
      const raw = typeof e.data === "string" ? Buffer.from(e.data, "utf8") : Buffer.from(e.data ?? []);
      size = raw.length;
      crc = crc32(raw);
      if (e.store) {
        method = 0;
        comp = raw;
      } else comp = deflateRawSync(raw);
    }
    const flags = 0x800 | (e.encrypted ? 1 : 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(comp.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, Buffer.from(comp));
    centrals.push(central, name);
    offset += 30 + name.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

function tarHeader(name: string, size: number, type: string): Buffer {
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 100), 0, "utf8");
  h.write("0000644\0", 100);
  h.write("0000000\0", 108);
  h.write("0000000\0", 116);
  h.write(size.toString(8).padStart(11, "0") + "\0", 124);
  h.write("00000000000\0", 136);
  h.write(type, 156);
  h.write("ustar\0", 257);
  h.write("00", 263);
  h.fill(32, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  return h;
}

/** A ustar archive; names longer than 100 bytes get a pax `path` record. */
export function tar(entries: Array<{ name: string; data: Uint8Array | string }>): Buffer {
  const parts: Buffer[] = [];
  const pad = (n: number): Buffer => Buffer.alloc((512 - (n % 512)) % 512);
  for (const e of entries) {
    const data = typeof e.data === "string" ? Buffer.from(e.data, "utf8") : Buffer.from(e.data);
    if (Buffer.byteLength(e.name) > 100) {
      let rec = ` path=${e.name}\n`;
      let len = Buffer.byteLength(rec);
      len += String(len + String(len).length).length;
      rec = `${len}${rec}`;
      const body = Buffer.from(rec, "utf8");
      parts.push(tarHeader("PaxHeader", body.length, "x"), body, pad(body.length));
    }
    parts.push(tarHeader(e.name, data.length, "0"), data, pad(data.length));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** Gzip of `data`. */
export function gzip(data: Uint8Array | string): Buffer {
  return gzipSync(typeof data === "string" ? Buffer.from(data, "utf8") : data);
}
