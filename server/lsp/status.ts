// What POET knows about one enhanced function beyond its files: run metrics and feedback.
// They come from the folder's own HTTP service (the learning endpoints), so the numbers the
// CodeLens and hover show are exactly the ones the API and the sidebar show. When the service
// is not running, or the learning endpoints are not there, there are simply no metrics.
import { FeedbackSummarySchema, FunctionMetricsSchema, learningPaths } from '../../shared/contract/learning';

export interface FunctionMetricsSummary {
  executions: number;
  /** 0–1, null when no execution finished. */
  successRate: number | null;
  p95Ms: number | null;
  /** Negative feedback records on this version. */
  negativeFeedback: number;
  feedbackCount: number;
  meanFeedbackScore: number | null;
}

/** Metrics of `key` at `version` in a folder; undefined when unknown. */
export type MetricsSource = (workspace: string, key: string, version: string) => Promise<FunctionMetricsSummary | undefined>;

export interface ServiceEndpoint {
  url: string;
  token: string;
}

async function getJson(ep: ServiceEndpoint, route: string): Promise<unknown> {
  const ctrl = AbortSignal.timeout(2000);
  const res = await fetch(ep.url + route, { headers: { authorization: `Bearer ${ep.token}`, accept: 'application/json' }, signal: ctrl });
  if (!res.ok) return undefined;
  return res.json();
}

/** A MetricsSource reading the folder's service (`GET …/metrics` and `GET …/feedback`). */
export function serviceMetricsSource(endpointOf: (workspace: string) => ServiceEndpoint | undefined): MetricsSource {
  return async (workspace, key, version) => {
    const ep = endpointOf(workspace);
    if (!ep) return undefined;
    try {
      const [m, f] = await Promise.all([getJson(ep, learningPaths.functionMetrics(key)), getJson(ep, learningPaths.functionFeedback(key))]);
      const metrics = FunctionMetricsSchema.safeParse(m);
      const feedback = FeedbackSummarySchema.safeParse(f);
      const vm = metrics.success ? metrics.data.versions.find((v) => v.version === version) : undefined;
      const vf = feedback.success ? feedback.data.versions.find((v) => v.version === version) : undefined;
      if (!vm && !vf) return undefined;
      return {
        executions: vm?.executions ?? 0,
        successRate: vm?.success_rate ?? null,
        p95Ms: vm?.p95_ms ?? null,
        negativeFeedback: vf?.sentiment_distribution.negative ?? 0,
        feedbackCount: vf?.count ?? vm?.feedback_count ?? 0,
        meanFeedbackScore: vf?.mean_score ?? vm?.mean_feedback_score ?? null,
      };
    } catch {
      return undefined;
    }
  };
}

/** Caches a MetricsSource per folder until the folder's storage changes. */
export class CachedMetrics {
  private readonly cache = new Map<string, Map<string, Promise<FunctionMetricsSummary | undefined>>>();
  constructor(private readonly source: MetricsSource) {}

  get(workspace: string, key: string, version: string): Promise<FunctionMetricsSummary | undefined> {
    let folder = this.cache.get(workspace);
    if (!folder) this.cache.set(workspace, (folder = new Map()));
    const id = `${key}@${version}`;
    let p = folder.get(id);
    if (!p) {
      p = this.source(workspace, key, version);
      folder.set(id, p);
    }
    return p;
  }

  invalidate(workspace: string): void {
    this.cache.delete(workspace);
  }
}

/** `92% ✓ · 👎 2`: the parts of the lens and tree description that metrics add. */
export function metricsParts(m: FunctionMetricsSummary | undefined): string[] {
  if (!m) return [];
  const parts: string[] = [];
  if (m.executions > 0 && m.successRate !== null) parts.push(`${Math.round(m.successRate * 100)}% ✓`);
  if (m.negativeFeedback > 0) parts.push(`👎 ${m.negativeFeedback}`);
  return parts;
}
