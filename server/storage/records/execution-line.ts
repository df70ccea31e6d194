// The compact format of one execution: one JSON line, for the file store's segment files and
// the PostgreSQL store's rows alike. The fields are the record files' own (context.json and
// result.json), without what the line's place already says (function, version) and what
// follows from the rest (recorded_at is the id's stamp; an untruncated value's truncation note
// is recomputed). About 250 bytes for a call with two small arguments.
import type { ExecutionRecord, Truncation } from '../../../shared/contract/learning';
import { stampToIso } from './ids';
import { jsonBytes, RECORD_VALUE_LIMIT } from './truncate';

interface Line {
  id: string;
  /** started_at, ms since the epoch (stored in ISO form from Date, so it converts back exactly). */
  started: number;
  inputs: unknown;
  /** Only when the service's value limit is not the default. */
  value_limit?: number;
  inputs_truncation?: Truncation;
  context?: Record<string, unknown>;
  status: 'success' | 'error';
  output?: unknown;
  output_truncation?: Truncation;
  error?: ExecutionRecord['result']['error'];
  duration_ms: number;
  attempts: number;
  attempt_log?: ExecutionRecord['result']['attempt_log'];
  fallback_used?: boolean;
  notes?: string[];
  weight?: number;
}

type RunFields = Pick<ExecutionRecord['result'], 'error' | 'duration_ms' | 'attempts' | 'attempt_log' | 'fallback_used' | 'notes' | 'weight'>;

/**
 * How the call went, as a stored result and its line both keep it: what is absent or at its
 * default (no notes, weight 1) is left out. A report and a stored result carry these alike.
 */
export function runFields(r: RunFields): RunFields {
  return {
    ...(r.error ? { error: r.error } : {}),
    duration_ms: r.duration_ms,
    attempts: r.attempts,
    ...(r.attempt_log ? { attempt_log: r.attempt_log } : {}),
    ...(r.fallback_used !== undefined ? { fallback_used: r.fallback_used } : {}),
    ...(r.notes?.length ? { notes: r.notes } : {}),
    ...(r.weight !== undefined && r.weight !== 1 ? { weight: r.weight } : {}),
  };
}

export function toLine(r: ExecutionRecord): string {
  const c = r.context;
  const res = r.result;
  const limit = c.inputs_truncation.limit_bytes;
  const line: Line = {
    id: c.execution_id,
    started: Date.parse(c.started_at),
    inputs: c.inputs,
    ...(limit !== RECORD_VALUE_LIMIT ? { value_limit: limit } : {}),
    ...(c.inputs_truncation.truncated ? { inputs_truncation: c.inputs_truncation } : {}),
    ...(c.context ? { context: c.context } : {}),
    status: res.status,
    ...('output' in res ? { output: res.output } : {}),
    ...(res.output_truncation?.truncated ? { output_truncation: res.output_truncation } : {}),
    ...runFields(res),
  };
  return JSON.stringify(line);
}

/** The whole record back from its line; throws on a line that is not one. */
export function fromLine(text: string, key: string, version: string): ExecutionRecord {
  const l = JSON.parse(text) as Line;
  if (typeof l.id !== 'string' || typeof l.started !== 'number' || (l.status !== 'success' && l.status !== 'error')) throw new Error('not an execution line');
  const limit = l.value_limit ?? RECORD_VALUE_LIMIT;
  const whole = (v: unknown): Truncation => ({ truncated: false, original_bytes: jsonBytes(v), limit_bytes: limit });
  return {
    context: {
      execution_id: l.id,
      function_name: key,
      version,
      inputs: l.inputs ?? null,
      inputs_truncation: l.inputs_truncation ?? whole(l.inputs ?? null),
      context: l.context ?? null,
      started_at: new Date(l.started).toISOString(),
      recorded_at: stampToIso(l.id) ?? new Date(l.started).toISOString(),
    },
    result: {
      execution_id: l.id,
      status: l.status,
      ...(l.status === 'success' ? { output: l.output ?? null, output_truncation: l.output_truncation ?? whole(l.output ?? null) } : {}),
      ...(l.error ? { error: l.error } : {}),
      duration_ms: l.duration_ms,
      attempts: l.attempts,
      ...(l.attempt_log ? { attempt_log: l.attempt_log } : {}),
      ...(l.fallback_used !== undefined ? { fallback_used: l.fallback_used } : {}),
      ...(l.notes ? { notes: l.notes } : {}),
      ...(l.weight !== undefined ? { weight: l.weight } : {}),
    },
  };
}
