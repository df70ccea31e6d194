// Small, pure statistics helpers used by Train, metrics and the benchmark.
// Everything here is deterministic: the "random" resampling uses a seeded generator,
// so the same records always give the same learned parameters.

/** Linear-interpolated quantile (type 7, as numpy's default) of an ascending array. */
export function quantileSorted(sorted: readonly number[], q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  if (n === 1) return sorted[0]!;
  const pos = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function quantile(values: readonly number[], q: number): number | null {
  return quantileSorted([...values].sort((a, b) => a - b), q);
}

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Fraction of `values` that are ≤ x (with a relative tolerance for float noise). */
export function cdf(sorted: readonly number[], x: number): number {
  x = x * (1 + 1e-9);
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length ? lo / sorted.length : 0;
}

/**
 * Upper end of the Wilson score interval for a proportion (z = 1.645: one-sided 95%).
 * Train sizes retries on this rather than on the raw rate, so a lucky sample
 * does not produce too few retries.
 */
export function wilsonUpper(failures: number, trials: number, z = 1.645): number {
  if (trials <= 0) return 1;
  const p = failures / trials;
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const margin = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return Math.min(1, (centre + margin) / (1 + z2 / trials));
}

/**
 * Attempts needed so that at least one succeeds with probability ≥ target, when each
 * attempt fails independently with probability q: smallest k with 1 − q^k ≥ target.
 */
export function attemptsForTarget(q: number, target: number): number {
  if (q <= 0) return 1;
  if (q >= 1) return Number.POSITIVE_INFINITY;
  return Math.max(1, Math.ceil(Math.log(1 - target) / Math.log(q) - 1e-9));
}

/** mulberry32: a tiny seeded PRNG (deterministic resampling). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rounds to a readable number of significant digits (2 below 10, else whole numbers). */
export function roundNice(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  if (Math.abs(x) >= 10) return Math.round(x);
  const digits = 2 - Math.floor(Math.log10(Math.abs(x))) - 1;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Like roundNice, but never below x (a rounded timeout must not cut what it was meant to keep). */
export function roundUpNice(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  if (Math.abs(x) >= 10) return Math.ceil(x - 1e-9);
  const digits = 2 - Math.floor(Math.log10(Math.abs(x))) - 1;
  const f = 10 ** digits;
  return Math.ceil(x * f - 1e-6) / f;
}

/** "3.1 s", "250 ms", "30 s". */
export function formatSeconds(s: number): string {
  if (s < 1) return `${roundNice(s * 1000)} ms`;
  return `${roundNice(s)} s`;
}

export function formatPercent(p: number): string {
  const v = p * 100;
  return `${v >= 99 || v <= 1 ? Math.round(v * 10) / 10 : Math.round(v)}%`;
}


/**
 * Values with weights (records stand for 1/rate calls when the reporter samples), ascending, with
 * the quantile and CDF of the calls they stand for. With all weights 1 it gives exactly what
 * quantileSorted and cdf give on the plain values.
 */
export class WeightedSample {
  private constructor(
    readonly values: readonly number[],
    private readonly cumulative: readonly number[],
    private readonly unit: boolean,
  ) {}

  static of(pairs: Array<[value: number, weight: number]>): WeightedSample {
    pairs.sort((a, b) => a[0] - b[0]);
    const cumulative: number[] = [];
    let sum = 0;
    let unit = true;
    for (const [, w] of pairs) {
      sum += w;
      cumulative.push(sum);
      if (w !== 1) unit = false;
    }
    return new WeightedSample(
      pairs.map(([v]) => v),
      cumulative,
      unit,
    );
  }

  get length(): number {
    return this.values.length;
  }

  get total(): number {
    return this.cumulative[this.cumulative.length - 1] ?? 0;
  }

  /** Type 7 over the calls: a weight counts as that many equal values. */
  quantile(q: number): number | null {
    if (this.unit || !this.values.length) return quantileSorted(this.values, q);
    const pos = (this.total - 1) * Math.min(1, Math.max(0, q));
    const lo = Math.max(0, Math.floor(pos));
    const a = this.at(lo);
    const b = this.at(lo + 1);
    return a + (b - a) * (pos - lo);
  }

  /** Share of the weight on values ≤ x (with cdf's tolerance for float noise). */
  cdf(x: number): number {
    if (this.unit) return cdf(this.values, x);
    x = x * (1 + 1e-9);
    let lo = 0;
    let hi = this.values.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.values[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return this.total ? (lo ? this.cumulative[lo - 1]! : 0) / this.total : 0;
  }

  /** The value at rank `rank` (0-based) among the calls. */
  private at(rank: number): number {
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > rank) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo]!;
  }
}

/** Kish's effective sample size of weights: n for equal weights, less when a few weigh much. */
export function effectiveSize(weights: Iterable<number>): number {
  let s = 0;
  let s2 = 0;
  for (const w of weights) {
    s += w;
    s2 += w * w;
  }
  return s2 > 0 ? (s * s) / s2 : 0;
}
