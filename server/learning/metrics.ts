// Per-function metrics, computed from the records' rows (pure): per version, and a timeline
// for the charts. The service-wide counters live in service-metrics.ts.
import type { FunctionMetrics, VersionMetrics } from '../../shared/contract/learning';
import { versionNumber } from '../storage/paths';
import type { ExecutionRow, FeedbackRow } from './records';
import { mean, quantileSorted } from './stats';

function round(x: number | null, digits = 3): number | null {
  if (x === null) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** `records` oldest first (by started_at). */
export function versionMetrics(version: string, records: ExecutionRow[], feedback: FeedbackRow[]): VersionMetrics {
  const durations = records.map((r) => r.duration_ms).sort((a, b) => a - b);
  const successes = records.filter((r) => r.ok).length;
  let timeouts = 0;
  let perceive = 0;
  let enforce = 0;
  let fallbacks = 0;
  let retries = 0;
  for (const r of records) {
    retries += r.attempts - 1;
    timeouts += r.timeouts;
    if (r.perceive) perceive++;
    if (r.enforce) enforce++;
    if (r.fallback) fallbacks++;
  }
  const scores = feedback.map((f) => f.score).filter((s): s is number => s !== null);
  const first = records[0];
  const last = records[records.length - 1];
  return {
    version,
    executions: records.length,
    successes,
    success_rate: records.length ? round(successes / records.length, 4) : null,
    p50_ms: round(quantileSorted(durations, 0.5), 1),
    p95_ms: round(quantileSorted(durations, 0.95), 1),
    mean_attempts: round(mean(records.map((r) => r.attempts))),
    retries_spent: retries,
    timeouts,
    perceive_rejections: perceive,
    enforce_rejections: enforce,
    fallbacks,
    feedback_count: feedback.length,
    mean_feedback_score: round(mean(scores)),
    first_at: first ? iso(first.started) : null,
    last_at: last ? iso(last.started) : null,
  };
}

const BUCKETS = [1, 5, 15, 60, 300, 900, 3600, 6 * 3600, 86400, 7 * 86400];

/** A bucket size giving at most ~60 buckets over the span. */
export function bucketSeconds(spanMs: number): number {
  return BUCKETS.find((b) => spanMs / 1000 / b <= 60) ?? BUCKETS[BUCKETS.length - 1]!;
}

export function functionMetrics(key: string, current: string | null, versions: string[], records: ExecutionRow[], feedback: FeedbackRow[]): FunctionMetrics {
  const all = new Set([...versions, ...records.map((r) => r.version), ...feedback.map((f) => f.version)]);
  const ordered = [...all].sort((a, b) => versionNumber(a) - versionNumber(b));
  const rows = ordered.map((v) =>
    versionMetrics(
      v,
      records.filter((r) => r.version === v),
      feedback.filter((f) => f.version === v),
    ),
  );
  const starts = records.map((r) => r.started).filter(Number.isFinite);
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of starts) {
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  const bucket = bucketSeconds(starts.length ? hi - lo : 0);
  const buckets = new Map<string, { at: string; version: string; count: number; failures: number }>();
  for (const r of records) {
    const at = iso(Math.floor(r.started / 1000 / bucket) * bucket * 1000);
    const k = `${at}|${r.version}`;
    let b = buckets.get(k);
    if (!b) buckets.set(k, (b = { at, version: r.version, count: 0, failures: 0 }));
    b.count++;
    if (!r.ok) b.failures++;
  }
  return {
    function_name: key,
    current_version: current,
    versions: rows,
    timeline: {
      bucket_s: bucket,
      executions: [...buckets.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)),
      feedback: feedback.filter((f) => f.score !== null).map((f) => ({ at: iso(f.created), version: f.version, score: f.score as number })),
    },
  };
}
