/**
 * A set of (object id, small tag) pairs kept as raw bytes in one
 * open-addressing table. Pure.
 *
 * A history scan remembers every blob it has met; git/git has over 200,000.
 * As 40-character strings in a `Set` each entry costs about 100 bytes of heap
 * (the string, its cons parts, the hash table slot), and the garbage
 * collector lets the old generation grow to several times what is live, so
 * the sets cost far more than their entries. Here an entry is the id's 20
 * (SHA-1) or 32 (SHA-256) bytes plus a 4-byte tag, in one typed array that
 * the collector never walks.
 *
 * @example
 *   const seen = new OidSet();
 *   seen.add("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", 0); // true: new
 *   seen.add("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", 0); // false: known
 *   seen.has("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", 1); // false: another tag
 */

/** Slots of a new table (a power of two). */
const INITIAL_SLOTS = 1024;
/** The table doubles when more than this share of its slots is used. */
const MAX_LOAD = 0.7;

/** A set of (hex object id, tag) pairs; tags are integers 0 ≤ tag < 2³² − 1. */
export class OidSet {
  /** 32-bit words per id: 5 for SHA-1, 8 for SHA-256 (set by the first id added). */
  private words = 0;
  /** Words per slot: the id's words, then tag + 1 (0 marks an empty slot). */
  private stride = 0;
  private slots = 0;
  private table = new Uint32Array(0);
  private count = 0;
  /** The id being looked up, as words. */
  private readonly key = new Uint32Array(8);
  private readonly scratch = Buffer.alloc(32);
  /** Seeds the hash, so ids crafted to share a slot in one run do not in another. */
  private readonly seed = (Math.random() * 0x100000000) >>> 0;

  /** Pairs in the set. */
  get size(): number {
    return this.count;
  }

  /** True when (`oid`, `tag`) is in the set. */
  has(oid: string, tag = 0): boolean {
    if (this.words === 0 || !this.parse(oid)) return false;
    return this.table[this.find(tag) + this.words] !== 0;
  }

  /** Adds (`oid`, `tag`); true when it was not in the set before. */
  add(oid: string, tag = 0): boolean {
    if (this.words === 0) this.init(oid);
    if (!this.parse(oid)) throw new Error(`not an object id of ${this.words * 8} hex digits: ${oid.slice(0, 70)}`);
    const at = this.find(tag);
    if (this.table[at + this.words] !== 0) return false;
    this.table.set(this.key.subarray(0, this.words), at);
    this.table[at + this.words] = tag + 1;
    if (++this.count > this.slots * MAX_LOAD) this.grow();
    return true;
  }

  /** Sizes the table for the id length of the first id. */
  private init(oid: string): void {
    this.words = oid.length === 64 ? 8 : 5;
    this.stride = this.words + 1;
    this.slots = INITIAL_SLOTS;
    this.table = new Uint32Array(this.slots * this.stride);
  }

  /** The id's words into `key`; false when it is not an id of this set's length. */
  private parse(oid: string): boolean {
    const bytes = this.words * 4;
    if (oid.length !== bytes * 2) return false;
    // Buffer.write stops at the first character that is not a hex digit.
    if (this.scratch.write(oid, 0, bytes, "hex") !== bytes) return false;
    for (let i = 0; i < this.words; i++) this.key[i] = this.scratch.readUInt32LE(i * 4);
    return true;
  }

  /** The slot offset holding (`key`, `tag`), or the empty slot where it would go. */
  private find(tag: number): number {
    const { table, words, stride, key } = this;
    const want = tag + 1;
    const mask = this.slots - 1;
    for (let slot = this.hash(tag) & mask; ; slot = (slot + 1) & mask) {
      const at = slot * stride;
      const t = table[at + words]!;
      if (t === 0) return at;
      if (t !== want) continue;
      let i = 0;
      while (i < words && table[at + i] === key[i]) i++;
      if (i === words) return at;
    }
  }

  /** A seeded mix of the key's words and the tag (linear probing needs the low bits well spread). */
  private hash(tag: number): number {
    let h = this.seed ^ tag;
    for (let i = 0; i < this.words; i++) {
      h = Math.imul(h ^ this.key[i]!, 0x9e3779b1);
      h ^= h >>> 15;
    }
    h = Math.imul(h ^ (h >>> 13), 0x85ebca6b);
    return (h ^ (h >>> 16)) >>> 0;
  }

  /** Doubles the table and re-inserts every pair. */
  private grow(): void {
    const old = this.table;
    const { stride, words } = this;
    const key = this.key;
    this.slots *= 2;
    this.table = new Uint32Array(this.slots * stride);
    for (let at = 0; at < old.length; at += stride) {
      const t = old[at + words]!;
      if (t === 0) continue;
      for (let i = 0; i < words; i++) key[i] = old[at + i]!;
      const to = this.find(t - 1);
      this.table.set(key.subarray(0, words), to);
      this.table[to + words] = t;
    }
  }
}
