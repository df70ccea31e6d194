// What POET knows about one enhanced function beyond its files: run metrics and feedback.
// They come from the learning service of the folder's own POET service, in this process (the
// one its HTTP endpoints answer from), so the numbers the CodeLens and hover show are exactly
// the ones the API and the sidebar show. When the folder has no service running (a remote one
// is configured), there are simply no metrics.
import type { FeedbackSummary, FunctionMetrics } from '../../shared/contract/learning';

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

/** The two reads of a folder's learning service the lens needs (what GET …/metrics and …/feedback answer). */
export interface LearningReads {
  functionMetrics(key: string): Promise<FunctionMetrics>;
  feedbackSummary(key: string): Promise<FeedbackSummary>;
}

/** A MetricsSource reading the folder's learning service directly. */
export function learningMetricsSource(learningOf: (workspace: string) => LearningReads | undefined): MetricsSource {
  return async (workspace, key, version) => {
    const learning = learningOf(workspace);
    if (!learning) return undefined;
    try {
      // Either may be missing (no runs, no feedback yet): the other still counts.
      const [m, f] = await Promise.all([learning.functionMetrics(key).catch(() => undefined), learning.feedbackSummary(key).catch(() => undefined)]);
      const vm = m?.versions.find((v) => v.version === version);
      const vf = f?.versions.find((v) => v.version === version);
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
