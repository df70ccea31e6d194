// The file store's one caching scheme: what was read from disk, remembered under the stats of
// the files it came from (identity, mtime, size) and bounded by entries and bytes. A read
// whose files still have those stats is a hit; any change (this process, another POET
// process, git, a person editing in place) is a miss. Files changed within the last 50 ms are
// not remembered: mtime ticks are coarse, so a second write in the same tick could keep them.
import type { Stats } from 'node:fs';
import { BoundedMemo } from '../memo';

/** How young a file may be and still be read again next time rather than remembered. */
const SETTLE_MS = 50;

/** The stamp of what a value was read from; a missing file is part of it too. */
function stampOf(stats: ReadonlyArray<Stats | undefined>): string {
  return stats.map((s) => (s ? `${s.ino}:${s.mtimeMs}:${s.size}` : '-')).join('|');
}

export class StatMemo<V> {
  private readonly memo: BoundedMemo<{ stamp: string; value: V }>;

  constructor(maxEntries: number, maxBytes = Number.POSITIVE_INFINITY) {
    this.memo = new BoundedMemo(maxEntries, maxBytes);
  }

  /** The value remembered for `key` when its files still have these stats. */
  get(key: string, stats: ReadonlyArray<Stats | undefined>): V | undefined {
    const m = this.memo.get(key);
    return m && m.stamp === stampOf(stats) ? m.value : undefined;
  }

  /** Remembers `value` as read from files with these stats, unless one changed just now. */
  set(key: string, stats: ReadonlyArray<Stats | undefined>, value: V, bytes = 1): void {
    const now = Date.now();
    if (stats.some((s) => s && now - s.mtimeMs <= SETTLE_MS)) this.memo.delete(key);
    else this.memo.set(key, { stamp: stampOf(stats), value }, bytes);
  }

  delete(key: string): void {
    this.memo.delete(key);
  }
}
