// The running aggregate of one version's executions: counts, a duration histogram and a
// timeline, folded one record at a time and mergeable, so metrics read one small summary
// instead of scanning records, and aggregates written by several processes (or batches) add up.
// Both stores keep one per version: the file store as a checkpoint beside its segment files, the
// PostgreSQL store as a base row plus small deltas. Records are weighed by `weight` (sampling):
// counts are the calls the records stand for.
import type { ExecutionRecord, VersionMetrics } from '../../../shared/contract/learning';
import { Histogram, type HistogramJson } from './histogram';

/** Timeline bucket sizes (s), each a multiple of the one before, so buckets re-bucket exactly. */
const BUCKETS = [1, 5, 15, 60, 300, 900, 3600, 6 * 3600, 86400, 7 * 86400];

/** A bucket size giving at most ~60 buckets over the span. */
export function bucketSeconds(spanMs: number): number {
  return BUCKETS.find((b) => spanMs / 1000 / b <= 60) ?? BUCKETS[BUCKETS.length - 1]!;
}

export interface AggregateJson {
  format: 1;
  /** Records stored, including those of weight 0. */
  stored: number;
  /** Records counted (weight > 0). */
  records: number;
  /** The sums below are over the calls the records stand for (Σ weight). */
  calls: number;
  successes: number;
  attempts: number;
  timeouts: number;
  perceive: number;
  enforce: number;
  fallbacks: number;
  /** started_at of the earliest and latest counted record, ms. */
  first: number | null;
  last: number | null;
  durations: HistogramJson;
  bucket_s: number;
  /** [bucket start (s since the epoch), calls, failures] */
  timeline: Array<[number, number, number]>;
}

/** What one record adds, derived once (the file store folds records it has just parsed). */
function facts(r: ExecutionRecord) {
  const res = r.result;
  const err = res.error;
  let timeouts = 0;
  if (res.attempt_log) {
    for (const a of res.attempt_log) if (a.outcome === 'timeout') timeouts++;
  } else if (err && (err.phase === 'timeout' || /timeout/i.test(err.type))) {
    timeouts = 1;
  }
  return {
    weight: res.weight ?? 1,
    ok: res.status === 'success',
    started: Date.parse(r.context.started_at),
    timeouts,
    perceive: err?.phase === 'perceive',
    enforce: err?.phase === 'enforce',
    fallback: res.fallback_used === true || err?.phase === 'fallback',
  };
}

const round = (x: number | null, digits = 3): number | null => {
  if (x === null || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
const iso = (ms: number) => new Date(ms).toISOString();

export class VersionAggregate {
  stored = 0;
  records = 0;
  calls = 0;
  successes = 0;
  attempts = 0;
  timeouts = 0;
  perceive = 0;
  enforce = 0;
  fallbacks = 0;
  first: number | null = null;
  last: number | null = null;
  private durations = new Histogram();
  private bucket = 1;
  /** bucket start (s) → [calls, failures] */
  private buckets = new Map<number, [number, number]>();

  static of(records: Iterable<ExecutionRecord>): VersionAggregate {
    const a = new VersionAggregate();
    for (const r of records) a.add(r);
    return a;
  }

  static fromJSON(j: AggregateJson): VersionAggregate {
    const a = new VersionAggregate();
    Object.assign(a, {
      stored: j.stored, records: j.records, calls: j.calls, successes: j.successes, attempts: j.attempts, timeouts: j.timeouts,
      perceive: j.perceive, enforce: j.enforce, fallbacks: j.fallbacks, first: j.first, last: j.last,
    });
    a.durations = Histogram.fromJSON(j.durations);
    a.bucket = j.bucket_s;
    for (const [t, c, f] of j.timeline) a.buckets.set(t, [c, f]);
    return a;
  }

  toJSON(): AggregateJson {
    return {
      format: 1, stored: this.stored, records: this.records, calls: this.calls, successes: this.successes, attempts: this.attempts,
      timeouts: this.timeouts, perceive: this.perceive, enforce: this.enforce, fallbacks: this.fallbacks, first: this.first, last: this.last,
      durations: this.durations.toJSON(), bucket_s: this.bucket, timeline: [...this.buckets].map(([t, [c, f]]) => [t, c, f]),
    };
  }

  /**
   * Estimated heap bytes, for the store's memory budget: the fields, a histogram entry (a number
   * pair in a Map) and a timeline bucket (a Map entry holding a small array). Checked against
   * V8's own figures in test/unit/row-window.test.ts.
   */
  get bytes(): number {
    return 400 + 40 * this.durations.size + 120 * this.buckets.size;
  }

  add(r: ExecutionRecord): void {
    this.stored++;
    const f = facts(r);
    const w = f.weight;
    if (!(w > 0)) return;
    this.records++;
    this.calls += w;
    if (f.ok) this.successes += w;
    this.attempts += w * r.result.attempts;
    this.timeouts += w * f.timeouts;
    if (f.perceive) this.perceive += w;
    if (f.enforce) this.enforce += w;
    if (f.fallback) this.fallbacks += w;
    this.durations.add(r.result.duration_ms, w);
    if (!Number.isFinite(f.started)) return;
    this.first = this.first === null ? f.started : Math.min(this.first, f.started);
    this.last = this.last === null ? f.started : Math.max(this.last, f.started);
    this.fit(bucketSeconds(this.last - this.first));
    this.count(Math.floor(f.started / 1000 / this.bucket) * this.bucket, w, f.ok ? 0 : w);
  }

  merge(o: VersionAggregate): void {
    this.stored += o.stored;
    this.records += o.records;
    this.calls += o.calls;
    this.successes += o.successes;
    this.attempts += o.attempts;
    this.timeouts += o.timeouts;
    this.perceive += o.perceive;
    this.enforce += o.enforce;
    this.fallbacks += o.fallbacks;
    this.durations.merge(o.durations);
    if (o.first !== null) this.first = this.first === null ? o.first : Math.min(this.first, o.first);
    if (o.last !== null) this.last = this.last === null ? o.last : Math.max(this.last, o.last);
    this.fit(Math.max(o.bucket, this.first === null ? 1 : bucketSeconds(this.last! - this.first)));
    for (const [t, [c, f]] of o.buckets) this.count(Math.floor(t / this.bucket) * this.bucket, c, f);
  }

  /** Calls per bucket of `bucket_s` seconds (a multiple of this aggregate's own), oldest first. */
  timeline(bucket_s: number): Array<{ at: string; count: number; failures: number }> {
    const out = new Map<number, [number, number]>();
    for (const [t, [c, f]] of this.buckets) {
      const at = Math.floor(t / bucket_s) * bucket_s;
      const b = out.get(at);
      if (b) {
        b[0] += c;
        b[1] += f;
      } else out.set(at, [c, f]);
    }
    return [...out]
      .sort((a, b) => a[0] - b[0])
      .map(([t, [c, f]]) => ({ at: iso(t * 1000), count: Math.round(c), failures: Math.round(f) }));
  }

  /** The version's metrics; feedback fields from the feedback scores given. */
  metrics(version: string, feedbackScores: ReadonlyArray<number | null>): VersionMetrics {
    const calls = this.calls;
    const scores = feedbackScores.filter((s): s is number => s !== null);
    return {
      version,
      executions: Math.round(calls),
      successes: Math.round(this.successes),
      success_rate: calls > 0 ? round(this.successes / calls, 4) : null,
      p50_ms: round(this.durations.quantile(0.5), 1),
      p95_ms: round(this.durations.quantile(0.95), 1),
      mean_attempts: calls > 0 ? round(this.attempts / calls) : null,
      retries_spent: Math.round(this.attempts - calls),
      timeouts: Math.round(this.timeouts),
      perceive_rejections: Math.round(this.perceive),
      enforce_rejections: Math.round(this.enforce),
      fallbacks: Math.round(this.fallbacks),
      feedback_count: feedbackScores.length,
      mean_feedback_score: round(scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null),
      first_at: this.first === null ? null : iso(this.first),
      last_at: this.last === null ? null : iso(this.last),
    };
  }

  private count(t: number, calls: number, failures: number): void {
    const b = this.buckets.get(t);
    if (b) {
      b[0] += calls;
      b[1] += failures;
    } else this.buckets.set(t, [calls, failures]);
  }

  /** Re-buckets the timeline into `bucket` seconds when that is coarser than the current size. */
  private fit(bucket: number): void {
    if (bucket <= this.bucket) return;
    const old = this.buckets;
    this.bucket = bucket;
    this.buckets = new Map();
    for (const [t, [c, f]] of old) this.count(Math.floor(t / bucket) * bucket, c, f);
  }
}
