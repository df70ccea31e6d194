// Builders for synthetic execution and feedback records with known properties.
import type { Attempt, ExecutionRecord, FeedbackRecord } from '../../shared/contract/learning';
import { analyseFeedback } from '../../server/learning/analysis';
import { seededRandom } from '../../server/learning/stats';

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

/**
 * Calls of a simulated function under a policy, with attempt logs as the generated code
 * reports them: lognormal latency (median 0.2 s, σ = 1), transient failure p = 0.3 per attempt.
 */
export function simulatedRecords(n: number, cfg: { retries: number; timeout: number }, seed: number, version = 'v1'): ExecutionRecord[] {
  const rnd = seededRandom(seed);
  const gauss = () => {
    let u = 0;
    while (!u) u = rnd();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
  };
  return Array.from({ length: n }, (_, i) => {
    const log: Attempt[] = [];
    let ok = false;
    let t = 0;
    for (let a = 0; a <= cfg.retries && !ok; a++) {
      const d = 0.2 * Math.exp(gauss());
      const fail = rnd() < 0.3;
      if (d >= cfg.timeout) {
        log.push({ duration_ms: cfg.timeout * 1000, outcome: 'timeout' });
        t += cfg.timeout;
      } else if (fail) {
        log.push({ duration_ms: d * 1000, outcome: 'error', error_type: 'ConnectionError' });
        t += d;
      } else {
        log.push({ duration_ms: d * 1000, outcome: 'ok' });
        t += d;
        ok = true;
      }
    }
    return record(i, { ok, duration_s: t, attempt_log: log, ...(ok ? {} : { errorType: 'RetryExhaustedError' }) }, version);
  });
}
