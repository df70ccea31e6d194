// Builders for synthetic execution and feedback records with known properties.
import type { Attempt, ExecutionRecord, FeedbackRecord } from '../../shared/contract/learning';
import { analyseFeedback } from '../../server/learning/analysis';

export interface CallSpec {
  ok: boolean;
  duration_s: number;
  attempts?: number;
  errorType?: string;
  phase?: string;
  inputs?: unknown;
  output?: unknown;
  attempt_log?: Attempt[];
}

const T0 = Date.parse('2026-01-01T00:00:00Z');

export function record(i: number, c: CallSpec, version = 'v1', fn = 'f'): ExecutionRecord {
  const id = `e${String(i).padStart(6, '0')}`;
  return {
    context: {
      execution_id: id,
      function_name: fn,
      version,
      inputs: c.inputs ?? { i },
      inputs_truncation: { truncated: false, original_bytes: 10, limit_bytes: 16384 },
      context: null,
      started_at: new Date(T0 + i * 1000).toISOString(),
      recorded_at: new Date(T0 + i * 1000 + 500).toISOString(),
    },
    result: {
      execution_id: id,
      status: c.ok ? 'success' : 'error',
      ...(c.ok ? { output: c.output ?? i } : { error: { type: c.errorType ?? 'ConnectionError', message: 'simulated', phase: c.phase ?? 'operate' } }),
      duration_ms: c.duration_s * 1000,
      attempts: c.attempts ?? c.attempt_log?.length ?? 1,
      ...(c.attempt_log ? { attempt_log: c.attempt_log } : {}),
    },
  };
}

export function records(n: number, spec: (i: number) => CallSpec, version = 'v1'): ExecutionRecord[] {
  return Array.from({ length: n }, (_, i) => record(i, spec(i), version));
}

export function feedbackFor(r: ExecutionRecord, feedback: unknown, i: number): FeedbackRecord {
  return {
    feedback_id: `fb-${i}`,
    timestamp: String(i),
    created_at: r.context.recorded_at,
    execution_id: r.context.execution_id,
    function_name: r.context.function_name,
    version: r.context.version,
    raw_feedback: feedback,
    analysis: analyseFeedback(feedback),
  };
}
