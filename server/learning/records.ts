// The learning records over the store (storage/store.ts: ExecutionStore, FeedbackStore): builds
// an execution record from a report (its id, bounded inputs and outputs) and its compact line,
// and hands batches to the store, which commits them in groups. Memory is bounded by design:
// whole records stay in the store; metrics read per-version running aggregates, listings and
// Train read the newest records within a budget (TRAIN_WINDOW), feedback summaries compact rows.
import type { ExecutionRecord, ExecutionRequest, FeedbackRecord, ServiceMetrics } from '../../shared/contract/learning';
import type { PoetStore, ReadLimit, StoredExecution } from '../storage/store';
import type { VersionAggregate } from '../storage/records/aggregate';
import { runFields, toLine } from '../storage/records/execution-line';
import type { FeedbackRow } from '../storage/records/feedback-rows';
import { newExecutionId, stampToIso } from '../storage/records/ids';
import { truncateValue } from '../storage/records/truncate';

/** What Train reads at most: the newest records of the version, up to either bound. */
export const TRAIN_WINDOW: ReadLimit = { records: 5_000, bytes: 8 * 1024 * 1024 };

/** The stored form of one report: bounded inputs and outputs, stamped with its id and recording time. */
export function buildExecution(req: ExecutionRequest, valueLimit?: number): StoredExecution {
  const id = newExecutionId(req.function_name, req.version);
  const inputs = truncateValue(req.inputs ?? null, valueLimit);
  const ok = !req.error;
  const output = ok ? truncateValue(req.output ?? null, valueLimit) : null;
  const record: ExecutionRecord = {
    context: {
      execution_id: id,
      function_name: req.function_name,
      version: req.version,
      inputs: inputs.value,
      inputs_truncation: inputs.truncation,
      context: boundedContext(req.context, valueLimit),
      started_at: new Date(req.started_at).toISOString(),
      // The id's stamp is the recording time: the compact line keeps only the id.
      recorded_at: stampToIso(id)!,
    },
    result: {
      execution_id: id,
      status: ok ? 'success' : 'error',
      ...(output ? { output: output.value, output_truncation: output.truncation } : {}),
      ...runFields(req),
    },
  };
  return { key: req.function_name, version: req.version, record, line: toLine(record) };
}

export class LearningRecords {
  constructor(private readonly store: PoetStore) {}

  /** Stores the reports' records; resolves once they are durable (one group commit). */
  async addExecutions(reqs: readonly ExecutionRequest[], valueLimit?: number): Promise<ExecutionRecord[]> {
    const items = reqs.map((r) => buildExecution(r, valueLimit));
    await this.store.executions.append(items);
    return items.map((i) => i.record);
  }

  getExecution(id: string): Promise<ExecutionRecord | undefined> {
    return this.store.executions.get(id);
  }

  /** The newest records of a function (or of one version), newest first. */
  recent(key: string, version: string | undefined, limit: ReadLimit): Promise<ExecutionRecord[]> {
    return this.store.executions.recent(key, version, limit);
  }

  aggregates(key: string): Promise<Map<string, VersionAggregate>> {
    return this.store.executions.aggregates(key);
  }

  /** Keeps the record where a person opens it, then stores the feedback on it. */
  async addFeedback(record: ExecutionRecord, rec: Omit<FeedbackRecord, 'feedback_id' | 'timestamp' | 'created_at'>, valueLimit?: number): Promise<FeedbackRecord> {
    await this.store.executions.keep(record);
    // The analysis saw the whole value; the stored copy is bounded like inputs and outputs.
    return this.store.feedback.add({ ...rec, raw_feedback: truncateValue(rec.raw_feedback, valueLimit).value });
  }

  feedbackOf(key: string): Promise<FeedbackRow[]> {
    return this.store.feedback.rows(key);
  }

  readFeedback(key: string, rows: readonly FeedbackRow[], limit: ReadLimit = TRAIN_WINDOW): Promise<FeedbackRecord[]> {
    return this.store.feedback.read(key, rows, limit);
  }

  memory(): ServiceMetrics['learning_memory'] {
    return { ...this.store.executions.memory(), ...this.store.feedback.memory() };
  }
}

/** The caller's context object, bounded; a context too big even field by field becomes a note. */
function boundedContext(ctx: Record<string, unknown> | undefined, limit?: number): Record<string, unknown> | null {
  if (!ctx) return null;
  const t = truncateValue(ctx, limit);
  if (!t.truncation.truncated) return ctx;
  return t.value && typeof t.value === 'object' && !Array.isArray(t.value) ? (t.value as Record<string, unknown>) : { truncated: String(t.value) };
}
