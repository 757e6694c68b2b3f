/**
 * Where a secret stops being present on the default branch. Fed the tree
 * changes of HEAD's first-parent history oldest first, it counts, per secret,
 * how many paths of the current tree hold a blob containing it; the commit
 * where that count falls to zero (and stays there) is the removal. Pure.
 *
 * @example
 *   const t = new PresenceTracker(new Map([["blob1", ["fp1"]]]));
 *   t.commit(ref, [{ oldOid: "0…", oid: "blob1" }]);   // introduced
 *   t.commit(ref2, [{ oldOid: "blob1", oid: "0…" }]);  // removed at ref2
 *   t.removedAt("fp1"); // → ref2
 */
import type { CommitRef } from "./types.js";

/** One path change: old and new blob ids (all zeros for none). */
export interface BlobChange {
  oldOid: string;
  oid: string;
}

/** Tracks presence of secrets along a first-parent line. */
export class PresenceTracker {
  private readonly count = new Map<string, number>();
  private readonly removed = new Map<string, CommitRef>();

  /** `blobSecrets`: blob id → fingerprints of the secrets its content holds. */
  constructor(private readonly blobSecrets: ReadonlyMap<string, readonly string[]>) {}

  /** Applies one commit's changes (against its first parent). */
  commit(ref: CommitRef, changes: readonly BlobChange[]): void {
    let touched: Set<string> | undefined;
    const bump = (oid: string, by: number): void => {
      const fps = this.blobSecrets.get(oid);
      if (!fps) return;
      for (const fp of fps) {
        this.count.set(fp, (this.count.get(fp) ?? 0) + by);
        (touched ??= new Set()).add(fp);
      }
    };
    for (const ch of changes) {
      if (ch.oldOid === ch.oid) continue;
      bump(ch.oldOid, -1);
      bump(ch.oid, +1);
    }
    if (!touched) return;
    for (const fp of touched) {
      if ((this.count.get(fp) ?? 0) > 0) this.removed.delete(fp);
      else if (!this.removed.has(fp)) this.removed.set(fp, ref);
    }
  }

  /** True when the last applied tree still holds the secret. */
  present(fp: string): boolean {
    return (this.count.get(fp) ?? 0) > 0;
  }

  /** The commit after which the secret was gone for good, if it is gone. */
  removedAt(fp: string): CommitRef | undefined {
    return this.present(fp) ? undefined : this.removed.get(fp);
  }
}
