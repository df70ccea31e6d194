// Persistence of executions and feedback under `.dana/poet/`:
//   executions/{id}/context.json, result.json   (one folder per call)
//   feedback/{key}/{stamp}.json                  (sortable, unique stamps)
// Records never change once written, so each process caches what it has read and only
// reads files it has not seen (another process may add records too).
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import {
  ExecutionContextFileSchema,
  ExecutionResultFileSchema,
  FeedbackRecordSchema,
  type ExecutionRecord,
  type ExecutionRequest,
  type FeedbackRecord,
} from '../../shared/contract/learning';
import type { PoetStore } from '../storage/store';
import { newRecordId, sortableStamp } from './ids';
import { truncateValue } from './truncate';

export class LearningRecords {
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly byKey = new Map<string, Set<string>>();
  private readonly feedback = new Map<string, Map<string, FeedbackRecord>>();
  private scanning: Promise<void> | null = null;

  constructor(
    private readonly store: PoetStore,
    private readonly logger?: Logger,
  ) {}

  // ------------------------------------------------------------ executions

  async addExecution(req: ExecutionRequest, valueLimit?: number): Promise<ExecutionRecord> {
    const id = newRecordId();
    const dir = this.store.executionDir(id);
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
        recorded_at: new Date().toISOString(),
      },
      result: {
        execution_id: id,
        status: ok ? 'success' : 'error',
        ...(output ? { output: output.value, output_truncation: output.truncation } : {}),
        ...(req.error ? { error: req.error } : {}),
        duration_ms: req.duration_ms,
        attempts: req.attempts,
        ...(req.attempt_log ? { attempt_log: req.attempt_log } : {}),
        ...(req.fallback_used !== undefined ? { fallback_used: req.fallback_used } : {}),
        ...(req.notes?.length ? { notes: req.notes } : {}),
      },
    };
    await this.store.mkdir(dir);
    // result.json first: a reader treats a folder without context.json as not yet written.
    await this.store.writeJson(join(dir, 'result.json'), record.result);
    await this.store.writeJson(join(dir, 'context.json'), record.context);
    this.remember(record);
    return record;
  }

  private remember(r: ExecutionRecord): void {
    this.executions.set(r.context.execution_id, r);
    let s = this.byKey.get(r.context.function_name);
    if (!s) this.byKey.set(r.context.function_name, (s = new Set()));
    s.add(r.context.execution_id);
  }

  private async load(id: string): Promise<ExecutionRecord | undefined> {
    let dir: string;
    try {
      dir = this.store.executionDir(id);
    } catch {
      return undefined;
    }
    this.store.checkLinks(dir);
    const context = await this.store.readJsonFile(join(dir, 'context.json'), ExecutionContextFileSchema, true);
    if (!context) return undefined;
    const result = await this.store.readJsonFile(join(dir, 'result.json'), ExecutionResultFileSchema, true);
    if (!result) return undefined;
    const r = { context, result };
    this.remember(r);
    return r;
  }

  async getExecution(id: string): Promise<ExecutionRecord | undefined> {
    return this.executions.get(id) ?? (await this.load(id));
  }

  /** Reads execution folders this process has not seen yet. */
  private async scan(): Promise<void> {
    if (this.scanning) return this.scanning;
    this.scanning = (async () => {
      const dir = this.store.checkLinks(this.store.paths.executions);
      // Only real folders: a link among them is never followed (the store refuses it by name).
      const names = (await fs.readdir(dir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory()).map((e) => e.name);
      const fresh = names.filter((n) => !this.executions.has(n) && !n.startsWith('.'));
      for (let i = 0; i < fresh.length; i += 64) await Promise.all(fresh.slice(i, i + 64).map((n) => this.load(n)));
    })().finally(() => {
      this.scanning = null;
    });
    return this.scanning;
  }

  /** A function's executions (optionally of one version), oldest first. */
  async executionsOf(key: string, version?: string): Promise<ExecutionRecord[]> {
    await this.scan();
    const ids = this.byKey.get(key) ?? new Set<string>();
    const out: ExecutionRecord[] = [];
    for (const id of ids) {
      const r = this.executions.get(id);
      if (r && (!version || r.context.version === version)) out.push(r);
    }
    return out.sort((a, b) => (a.context.started_at < b.context.started_at ? -1 : a.context.started_at > b.context.started_at ? 1 : 0));
  }

  async countExecutions(): Promise<number> {
    await this.scan();
    return this.executions.size;
  }

  // ------------------------------------------------------------ feedback

  /**
   * Writes `feedback/{key}/{stamp}.json` under the function lock. The stamp is unique even
   * for two records in one millisecond (counter), and across processes (existence check
   * while holding the cross-process lock).
   */
  async addFeedback(rec: Omit<FeedbackRecord, 'feedback_id' | 'timestamp' | 'created_at'>, valueLimit?: number): Promise<FeedbackRecord> {
    // The analysis saw the whole value; the stored copy is bounded like inputs and outputs.
    rec = { ...rec, raw_feedback: truncateValue(rec.raw_feedback, valueLimit).value };
    const dir = this.store.feedbackDir(rec.function_name);
    return this.store.withFunctionLock(rec.function_name, async () => {
      await this.store.mkdir(dir);
      let stamp = sortableStamp();
      while (await exists(join(dir, `${stamp}.json`))) stamp = sortableStamp();
      const full: FeedbackRecord = { feedback_id: `fb-${stamp}`, timestamp: stamp, created_at: new Date().toISOString(), ...rec };
      await this.store.writeJson(join(dir, `${stamp}.json`), full);
      this.feedbackMap(rec.function_name).set(`${stamp}.json`, full);
      return full;
    });
  }

  private feedbackMap(key: string): Map<string, FeedbackRecord> {
    let m = this.feedback.get(key);
    if (!m) this.feedback.set(key, (m = new Map()));
    return m;
  }

  /** A function's feedback, oldest first. */
  async feedbackOf(key: string): Promise<FeedbackRecord[]> {
    const dir = this.store.checkLinks(this.store.feedbackDir(key));
    const m = this.feedbackMap(key);
    const names = (await fs.readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
    for (const n of names) {
      if (m.has(n)) continue;
      const r = await this.store.readJsonFile(join(dir, n), FeedbackRecordSchema, true);
      if (r) m.set(n, r);
    }
    return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
  }

  async countFeedback(): Promise<number> {
    const keys = await fs.readdir(this.store.checkLinks(this.store.paths.feedback)).catch(() => [] as string[]);
    let n = 0;
    for (const k of keys) {
      try {
        n += (await this.feedbackOf(k)).length;
      } catch {
        this.logger?.debug({ dir: k }, 'not a feedback folder');
      }
    }
    return n;
  }
}

/** The caller's context object, bounded; a context too big even field by field becomes a note. */
function boundedContext(ctx: Record<string, unknown> | undefined, limit?: number): Record<string, unknown> | null {
  if (!ctx) return null;
  const t = truncateValue(ctx, limit);
  if (!t.truncation.truncated) return ctx;
  return t.value && typeof t.value === 'object' && !Array.isArray(t.value) ? (t.value as Record<string, unknown>) : { truncated: String(t.value) };
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}
