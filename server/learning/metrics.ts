// Per-function metrics, computed from the records (pure): per version, and a timeline
// for the charts. The service-wide counters live in service-metrics.ts.
import type { ExecutionRecord, FeedbackRecord, FunctionMetrics, VersionMetrics } from '../../shared/contract/learning';
import { versionNumber } from '../storage/paths';
import { mean, quantileSorted } from './stats';

function round(x: number | null, digits = 3): number | null {
  if (x === null) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function versionMetrics(version: string, records: ExecutionRecord[], feedback: FeedbackRecord[]): VersionMetrics {
  const durations = records.map((r) => r.result.duration_ms).sort((a, b) => a - b);
  const successes = records.filter((r) => r.result.status === 'success').length;
  let timeouts = 0;
  let perceive = 0;
  let enforce = 0;
  let fallbacks = 0;
  let retries = 0;
  for (const r of records) {
    retries += r.result.attempts - 1;
    const log = r.result.attempt_log;
    if (log) timeouts += log.filter((a) => a.outcome === 'timeout').length;
    else if (r.result.error && (r.result.error.phase === 'timeout' || /timeout/i.test(r.result.error.type))) timeouts++;
    if (r.result.error?.phase === 'perceive') perceive++;
    if (r.result.error?.phase === 'enforce') enforce++;
    if (r.result.fallback_used || r.result.error?.phase === 'fallback') fallbacks++;
  }
  const scores = feedback.map((f) => f.analysis.score).filter((s): s is number => s !== null);
  const times = records.map((r) => r.context.started_at);
  return {
    version,
    executions: records.length,
    successes,
    success_rate: records.length ? round(successes / records.length, 4) : null,
    p50_ms: round(quantileSorted(durations, 0.5), 1),
    p95_ms: round(quantileSorted(durations, 0.95), 1),
    mean_attempts: round(mean(records.map((r) => r.result.attempts))),
    retries_spent: retries,
    timeouts,
    perceive_rejections: perceive,
    enforce_rejections: enforce,
    fallbacks,
    feedback_count: feedback.length,
    mean_feedback_score: round(mean(scores)),
    first_at: times[0] ?? null,
    last_at: times[times.length - 1] ?? null,
  };
}

const BUCKETS = [1, 5, 15, 60, 300, 900, 3600, 6 * 3600, 86400, 7 * 86400];

/** A bucket size giving at most ~60 buckets over the span. */
export function bucketSeconds(spanMs: number): number {
  return BUCKETS.find((b) => spanMs / 1000 / b <= 60) ?? BUCKETS[BUCKETS.length - 1]!;
}

export function functionMetrics(key: string, current: string | null, versions: string[], records: ExecutionRecord[], feedback: FeedbackRecord[]): FunctionMetrics {
  const all = new Set([...versions, ...records.map((r) => r.context.version), ...feedback.map((f) => f.version)]);
  const ordered = [...all].sort((a, b) => versionNumber(a) - versionNumber(b));
  const rows = ordered.map((v) =>
    versionMetrics(
      v,
      records.filter((r) => r.context.version === v),
      feedback.filter((f) => f.version === v),
    ),
  );
  const starts = records.map((r) => Date.parse(r.context.started_at)).filter(Number.isFinite);
  const span = starts.length ? Math.max(...starts) - Math.min(...starts) : 0;
  const bucket = bucketSeconds(span);
  const buckets = new Map<string, { at: string; version: string; count: number; failures: number }>();
  for (const r of records) {
    const t = Date.parse(r.context.started_at);
    const at = new Date(Math.floor(t / 1000 / bucket) * bucket * 1000).toISOString();
    const k = `${at}|${r.context.version}`;
    let b = buckets.get(k);
    if (!b) buckets.set(k, (b = { at, version: r.context.version, count: 0, failures: 0 }));
    b.count++;
    if (r.result.status !== 'success') b.failures++;
  }
  return {
    function_name: key,
    current_version: current,
    versions: rows,
    timeline: {
      bucket_s: bucket,
      executions: [...buckets.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)),
      feedback: feedback
        .filter((f) => f.analysis.score !== null)
        .map((f) => ({ at: f.created_at, version: f.version, score: f.analysis.score as number })),
    },
  };
}
