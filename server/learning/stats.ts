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

