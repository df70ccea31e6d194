// A weighted histogram of durations that stays small whatever the number of values: exact while
// it holds at most EXACT_LIMIT distinct values (so a handful of executions give the same
// quantiles as a sorted list), then log-spaced bins 2% wide, so a quantile is within 1% of the
// true one (the bin's geometric middle is at most 1% from any value in it). Bins are mergeable,
// which lets running aggregates from several processes and several batches add up.
/** Distinct values kept exactly before switching to bins. */
export const EXACT_LIMIT = 256;
/** Bin i holds [BASE·GROWTH^i, BASE·GROWTH^(i+1)); values below BASE (and 0) fall in bin -1. */
const BASE = 1e-3;
const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);

export interface HistogramJson {
  /** Exact values and their weights, or bins (index, weight); one of the two. */
  exact?: Array<[number, number]>;
  bins?: Array<[number, number]>;
}

const binOf = (x: number) => (x < BASE ? -1 : Math.floor(Math.log(x / BASE) / LOG_GROWTH));
const middleOf = (bin: number) => (bin < 0 ? 0 : BASE * GROWTH ** (bin + 0.5));

export class Histogram {
  private exact: Map<number, number> | null = new Map();
  private bins: Map<number, number> | null = null;
  private total = 0;

  static fromJSON(j: HistogramJson | undefined): Histogram {
    const h = new Histogram();
    if (j?.bins) {
      h.exact = null;
      h.bins = new Map(j.bins);
    } else {
      h.exact = new Map(j?.exact ?? []);
    }
    for (const [, w] of h.entries()) h.total += w;
    return h;
  }

  toJSON(): HistogramJson {
    return this.exact ? { exact: [...this.exact] } : { bins: [...this.bins!] };
  }

  /** Sum of the weights. */
  get weight(): number {
    return this.total;
  }

  /** Entries held: the size of the histogram in memory and on disk. */
  get size(): number {
    return (this.exact ?? this.bins)!.size;
  }

  add(x: number, w = 1): void {
    if (!(w > 0) || !Number.isFinite(x)) return;
    this.total += w;
    if (this.exact) {
      this.exact.set(x, (this.exact.get(x) ?? 0) + w);
      if (this.exact.size > EXACT_LIMIT) this.toBins();
      return;
    }
    const b = binOf(x);
    this.bins!.set(b, (this.bins!.get(b) ?? 0) + w);
  }

  merge(other: Histogram): void {
    if (other.exact && this.exact) {
      for (const [x, w] of other.exact) this.add(x, w);
      return;
    }
    if (this.exact) this.toBins();
    this.total += other.total;
    for (const [x, w] of other.entries()) {
      const b = other.exact ? binOf(x) : x;
      this.bins!.set(b, (this.bins!.get(b) ?? 0) + w);
    }
  }

  /**
   * The q-quantile, linearly interpolated between neighbours as numpy's default (type 7) does
   * for a sorted list; a weight counts as that many equal values. Null when empty.
   */
  quantile(q: number): number | null {
    const pts = this.points();
    if (!pts.length) return null;
    const pos = (this.total - 1) * Math.min(1, Math.max(0, q));
    const at = (rank: number): number => {
      let seen = 0;
      for (const [x, w] of pts) {
        seen += w;
        if (rank < seen) return x;
      }
      return pts[pts.length - 1]![0];
    };
    const lo = Math.max(0, Math.floor(pos));
    const a = at(lo);
    const b = at(lo + 1);
    return a + (b - a) * (pos - lo);
  }

  /** (value, weight), ascending; binned values stand at their bin's middle. */
  private points(): Array<[number, number]> {
    const out: Array<[number, number]> = this.exact ? [...this.exact] : [...this.bins!].map(([b, w]) => [middleOf(b), w]);
    return out.sort((p, q) => p[0] - q[0]);
  }

  private entries(): IterableIterator<[number, number]> {
    return (this.exact ?? this.bins)!.entries();
  }

  private toBins(): void {
    const bins = new Map<number, number>();
    for (const [x, w] of this.exact!) {
      const b = binOf(x);
      bins.set(b, (bins.get(b) ?? 0) + w);
    }
    this.exact = null;
    this.bins = bins;
  }
}
