// FunctionMetrics → the series the metrics webview draws. Pure, shared by the webview
// bundle and the unit tests.
import type { FunctionMetrics } from '../../shared/contract/learning';
import { plural } from '../../shared/plural';

export interface ChartSeries {
  labels: string[];
  datasets: Array<{ label: string; data: Array<number | null>; stack?: string }>;
}

export interface MetricsCharts {
  title: string;
  summary: string;
  successRate: ChartSeries;
  p95: ChartSeries;
  feedback: ChartSeries;
  executions: ChartSeries;
  empty: boolean;
}

type TimeFormat = 'seconds' | 'minutes' | 'date';

/** The label detail a span needs: `14:05:09` within an hour, `14:05` within a day, else `11-26 14:05` (UTC, as recorded). */
function timeFormat(isos: string[]): TimeFormat {
  const ts = isos.map((x) => Date.parse(x)).filter(Number.isFinite);
  const span = ts.length ? Math.max(...ts) - Math.min(...ts) : 0;
  return span < 3600_000 ? 'seconds' : span < 20 * 3600_000 ? 'minutes' : 'date';
}

function timeLabel(iso: string, f: TimeFormat): string {
  const s = iso.replace('T', ' ');
  return f === 'seconds' ? s.slice(11, 19) : f === 'minutes' ? s.slice(11, 16) : s.slice(5, 16);
}

export function chartsFor(m: FunctionMetrics): MetricsCharts {
  const versions = m.versions.filter((v) => v.executions > 0 || v.feedback_count > 0);
  const labels = versions.map((v) => (v.version === m.current_version ? `${v.version} (current)` : v.version));
  const times = m.timeline.executions.map((b) => b.at);
  const execFormat = timeFormat(times);
  const fbFormat = timeFormat(m.timeline.feedback.map((f) => f.at));

  const bucketAts = [...new Set(times)];
  const ok = bucketAts.map((at) => m.timeline.executions.filter((b) => b.at === at).reduce((s, b) => s + b.count - b.failures, 0));
  const failed = bucketAts.map((at) => m.timeline.executions.filter((b) => b.at === at).reduce((s, b) => s + b.failures, 0));

  const fbVersions = [...new Set(m.timeline.feedback.map((f) => f.version))];
  const fbLabels = m.timeline.feedback.map((f) => timeLabel(f.at, fbFormat));
  const cur = m.versions.find((v) => v.version === m.current_version);
  const total = m.versions.reduce((s, v) => s + v.executions, 0);
  const summary = cur && cur.executions
    ? `${m.function_name} ${cur.version}: ${plural(cur.executions, 'run')}, ${Math.round((cur.success_rate ?? 0) * 1000) / 10}% success, p95 ${cur.p95_ms ?? '–'} ms, ${cur.mean_attempts === null ? '– attempts' : plural(cur.mean_attempts, 'attempt')} per call`
    : `${m.function_name}: ${plural(total, 'run')} recorded`;

  return {
    title: `POET metrics: ${m.function_name}`,
    summary,
    empty: total === 0 && m.timeline.feedback.length === 0,
    successRate: { labels, datasets: [{ label: 'success rate (%)', data: versions.map((v) => (v.success_rate === null ? null : Math.round(v.success_rate * 1000) / 10)) }] },
    p95: {
      labels,
      datasets: [
        { label: 'p95 latency (ms)', data: versions.map((v) => v.p95_ms) },
        { label: 'p50 latency (ms)', data: versions.map((v) => v.p50_ms) },
      ],
    },
    feedback: {
      labels: fbLabels,
      datasets: fbVersions.map((ver) => ({
        label: `${ver} feedback score`,
        data: m.timeline.feedback.map((f) => (f.version === ver ? f.score : null)),
      })),
    },
    executions: {
      labels: bucketAts.map((at) => timeLabel(at, execFormat)),
      datasets: [
        { label: 'succeeded', data: ok, stack: 'runs' },
        { label: 'failed', data: failed, stack: 'runs' },
      ],
    },
  };
}
