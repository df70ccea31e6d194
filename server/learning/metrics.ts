// Per-function metrics from the versions' running aggregates (storage/records/aggregate.ts) and the feedback
// rows (pure): per version, and a timeline for the charts. The service-wide counters live in
// service-metrics.ts.
import type { FunctionMetrics } from '../../shared/contract/learning';
import { versionNumber } from '../storage/paths';
import { bucketSeconds, VersionAggregate } from '../storage/records/aggregate';
import type { FeedbackRow } from '../storage/records/feedback-rows';

const iso = (ms: number) => new Date(ms).toISOString();

export function functionMetrics(
  key: string,
  current: string | null,
  versions: string[],
  aggregates: ReadonlyMap<string, VersionAggregate>,
  feedback: FeedbackRow[],
): FunctionMetrics {
  const all = new Set([...versions, ...aggregates.keys(), ...feedback.map((f) => f.version)]);
  const ordered = [...all].sort((a, b) => versionNumber(a) - versionNumber(b));
  const empty = new VersionAggregate();
  const rows = ordered.map((v) =>
    (aggregates.get(v) ?? empty).metrics(
      v,
      feedback.filter((f) => f.version === v).map((f) => f.score),
    ),
  );
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of aggregates.values()) {
    if (a.first !== null && a.first < lo) lo = a.first;
    if (a.last !== null && a.last > hi) hi = a.last;
  }
  const bucket = bucketSeconds(hi >= lo ? hi - lo : 0);
  const executions = [...aggregates].flatMap(([version, a]) => a.timeline(bucket).map((b) => ({ at: b.at, version, count: b.count, failures: b.failures })));
  executions.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : versionNumber(a.version) - versionNumber(b.version)));
  return {
    function_name: key,
    current_version: current,
    versions: rows,
    timeline: {
      bucket_s: bucket,
      executions,
      feedback: feedback.filter((f) => f.score !== null).map((f) => ({ at: iso(f.created), version: f.version, score: f.score as number })),
    },
  };
}
