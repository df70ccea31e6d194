// Persistence of executions and feedback under `.dana/poet/`:
//   executions/{id}/context.json, result.json   (one folder per call)
//   feedback/{key}/{stamp}.json                  (sortable, unique stamps)
//
// Memory is bounded by design, whatever the number or the size of the records. Whole records
// live on disk only. In memory the service keeps one compact row per record (no inputs, outputs
// or texts) in a RowWindow: the newest rows of all functions within one byte budget. Metrics,
// listings and the choice of what Train reads work from the rows; whole records are read from
// disk when needed (two small files from the page cache), within a budget for Train.
// Records never change once written; each process reads only records it has not seen
// (another process may add records too).
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
  type Sentiment,
  type ServiceMetrics,
} from '../../shared/contract/learning';
import type { PoetStore } from '../storage/store';
import { newRecordId, sortableStamp } from './ids';
import { RowWindow } from './row-window';
import { truncateValue } from './truncate';

/** An execution as metrics, listings and Train's selection need it; no user data. */
export interface ExecutionRow {
  id: string;
  version: string;
  /** started_at, ms since the epoch (it is stored in ISO form from Date, so it converts back exactly). */
  started: number;
  ok: boolean;
  duration_ms: number;
  attempts: number;
  /** Attempts that timed out: from attempt_log, else 1 for an error that is a timeout. */
  timeouts: number;
  perceive: boolean;
  enforce: boolean;
  fallback: boolean;
}

/** A feedback record as summaries and metrics need it. */
export interface FeedbackRow {
  /** The file's name without `.json`: sortable, unique per function. */
  stamp: string;
  execution_id: string;
  version: string;
  /** created_at, ms since the epoch. */
  created: number;
  sentiment: Sentiment;
  feedback_type: string;
  score: number | null;
  /** analysis.key_issues, at most ISSUES_KEPT of at most ISSUE_CHARS characters each. */
  issues: string[];
}

/**
 * Byte budgets of the windows, and what a row costs with its bookkeeping (measured with V8's
 * heap figures: test/unit/row-window.test.ts). 8 MiB holds about 26,000 executions: the newest
 * across the workspace count for metrics and listings. Feedback comes at a human pace.
 */
export const EXECUTION_ROWS_BYTES = 8 * 1024 * 1024;
export const FEEDBACK_ROWS_BYTES = 4 * 1024 * 1024;
export const EXECUTION_ROW_BYTES = 290;
export const FEEDBACK_ROW_BYTES = 450;
const ISSUES_KEPT = 8;
const ISSUE_CHARS = 80;

/** What Train reads at most: the newest records of the version, up to either bound. */
export const TRAIN_WINDOW = { records: 5_000, bytes: 8 * 1024 * 1024 };

/** Records read from disk between two yields to the event loop. */
const READ_SLICE = 64;
const yieldLoop = () => new Promise((r) => setImmediate(r));

export const executionWeight = (r: ExecutionRow) => EXECUTION_ROW_BYTES + r.id.length;
export const feedbackWeight = (r: FeedbackRow) => FEEDBACK_ROW_BYTES + 2 * r.stamp.length + r.execution_id.length + r.issues.reduce((n, i) => n + 16 + i.length, 0);
const feedbackId = (key: string, stamp: string) => `${key}/${stamp}`;

function executionRow(r: ExecutionRecord, version: string): ExecutionRow {
  const res = r.result;
  const err = res.error;
  let timeouts = 0;
  if (res.attempt_log) {
    for (const a of res.attempt_log) if (a.outcome === 'timeout') timeouts++;
  } else if (err && (err.phase === 'timeout' || /timeout/i.test(err.type))) {
    timeouts = 1;
  }
  return {
    id: r.context.execution_id,
    version,
    started: Date.parse(r.context.started_at),
    ok: res.status === 'success',
    duration_ms: res.duration_ms,
    attempts: res.attempts,
    timeouts,
    perceive: err?.phase === 'perceive',
    enforce: err?.phase === 'enforce',
    fallback: res.fallback_used === true || err?.phase === 'fallback',
  };
}

function feedbackRow(f: FeedbackRecord, stamp: string, version: string): FeedbackRow {
  return {
    stamp,
    execution_id: f.execution_id,
    version,
    created: Date.parse(f.created_at),
    sentiment: f.analysis.sentiment,
    feedback_type: f.analysis.feedback_type,
    score: f.analysis.score,
    issues: f.analysis.key_issues.slice(0, ISSUES_KEPT).map((i) => i.slice(0, ISSUE_CHARS)),
  };
}

export class LearningRecords {
  private readonly executionRows = new RowWindow<ExecutionRow>(EXECUTION_ROWS_BYTES, executionWeight);
  private readonly feedbackRows = new RowWindow<FeedbackRow>(FEEDBACK_ROWS_BYTES, feedbackWeight);
  /** One string per version name, instead of one per row. */
  private readonly versionNames = new Map<string, string>();
  /** Reading the executions folder for records this process has not seen; null when idle. */
  private scanning: Promise<void> | null = null;
  /** Until the first read of the folder is done, new rows wait here, so that rows arrive oldest first. */
  private beforeFirstScan: Array<[string, ExecutionRow]> | null = [];
  /** Functions whose feedback folder has been read once. */
  private readonly feedbackRead = new Set<string>();

  constructor(
    private readonly store: PoetStore,
    private readonly logger?: Logger,
  ) {}

  private version(v: string): string {
    let s = this.versionNames.get(v);
    if (s === undefined) this.versionNames.set(v, (s = v));
    return s;
  }

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
    // The folder appears whole, both files in it (writeFolderAtomic).
    await this.store.writeFolder(dir, [
      { name: 'context.json', data: JSON.stringify(record.context, null, 2) + '\n' },
      { name: 'result.json', data: JSON.stringify(record.result, null, 2) + '\n' },
    ]);
    this.addRow(record);
    // The first read of the folder: started now, so that this row's wait is short.
    if (this.beforeFirstScan) this.refresh().catch((err: unknown) => this.logger?.warn({ err }, 'reading the executions folder failed'));
    return record;
  }

  private addRow(r: ExecutionRecord): void {
    const key = r.context.function_name;
    const row = executionRow(r, this.version(r.context.version));
    if (this.beforeFirstScan) this.beforeFirstScan.push([key, row]);
    else this.executionRows.add(key, row.id, row);
  }

  /** A whole execution record from disk, or undefined when missing or unreadable. */
  private load(id: string, checked = false): { record: ExecutionRecord; chars: number } | undefined {
    let dir: string;
    try {
      dir = this.store.executionDir(id);
    } catch {
      return undefined;
    }
    if (!checked) this.store.checkLinks(dir);
    const context = this.store.readJsonSized(join(dir, 'context.json'), ExecutionContextFileSchema, true);
    if (!context) return undefined;
    const result = this.store.readJsonSized(join(dir, 'result.json'), ExecutionResultFileSchema, true);
    if (!result) return undefined;
    return { record: { context: context.value, result: result.value }, chars: context.chars + result.chars };
  }

  async getExecution(id: string): Promise<ExecutionRecord | undefined> {
    return this.load(id)?.record;
  }

  /**
   * Reads execution folders this process has not seen. The first time, only the newest that
   * can stay in the window are read (ids sort by recording time); later, the ones added since.
   */
  private refresh(): Promise<void> {
    this.scanning ??= (async () => {
      const dir = this.store.checkLinks(this.store.paths.executions);
      // Only real folders: a link among them is never followed.
      const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
      const floor = this.executionRows.floor();
      let fresh = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name > floor && !this.executionRows.has(e.name)).map((e) => e.name);
      fresh.sort();
      if (this.beforeFirstScan) fresh = fresh.slice(-Math.floor(EXECUTION_ROWS_BYTES / EXECUTION_ROW_BYTES));
      for (let i = 0; i < fresh.length; i++) {
        const r = this.load(fresh[i]!, true);
        if (r) this.executionRows.add(r.record.context.function_name, r.record.context.execution_id, executionRow(r.record, this.version(r.record.context.version)));
        if (i % READ_SLICE === READ_SLICE - 1) await yieldLoop();
      }
      const waiting = this.beforeFirstScan;
      this.beforeFirstScan = null;
      for (const [key, row] of waiting ?? []) this.executionRows.add(key, row.id, row);
    })().finally(() => {
      this.scanning = null;
    });
    return this.scanning;
  }

  /** A function's executions in the window (optionally of one version), oldest first by started_at. */
  async executionsOf(key: string, version?: string): Promise<ExecutionRow[]> {
    await this.refresh();
    const rows = this.executionRows.rows(key).filter((r) => !version || r.version === version);
    return rows.sort((a, b) => a.started - b.started);
  }

  /**
   * Whole records for `rows`, newest first, until `limit` records or `bytes` of record files
   * have been read; returned oldest first. Read in slices, yielding between them.
   */
  async readExecutions(rows: readonly ExecutionRow[], limit: { records: number; bytes: number } = TRAIN_WINDOW): Promise<ExecutionRecord[]> {
    const out: ExecutionRecord[] = [];
    let bytes = 0;
    this.store.checkLinks(this.store.paths.executions);
    for (let i = rows.length - 1; i >= 0 && out.length < limit.records && bytes < limit.bytes; i--) {
      const r = this.load(rows[i]!.id, true);
      if (!r) continue;
      out.push(r.record);
      bytes += r.chars;
      if (out.length % READ_SLICE === 0) await yieldLoop();
    }
    return out.reverse();
  }

  /** The rows held and their estimated bytes, against the budgets (GET /poet/metrics). */
  memory(): ServiceMetrics['learning_memory'] {
    return {
      execution_rows: this.executionRows.size,
      execution_row_bytes: this.executionRows.byteSize,
      execution_row_budget: EXECUTION_ROWS_BYTES,
      feedback_rows: this.feedbackRows.size,
      feedback_row_bytes: this.feedbackRows.byteSize,
      feedback_row_budget: FEEDBACK_ROWS_BYTES,
    };
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
    const key = rec.function_name;
    const dir = this.store.feedbackDir(key);
    // The folder's earlier records first, so that rows arrive oldest first.
    await this.feedbackOf(key);
    return this.store.withFunctionLock(key, async () => {
      await this.store.mkdir(dir);
      let stamp = sortableStamp();
      while (await exists(join(dir, `${stamp}.json`))) stamp = sortableStamp();
      const full: FeedbackRecord = { feedback_id: `fb-${stamp}`, timestamp: stamp, created_at: new Date().toISOString(), ...rec };
      await this.store.writeJson(join(dir, `${stamp}.json`), full);
      this.feedbackRows.add(key, feedbackId(key, stamp), feedbackRow(full, stamp, this.version(full.version)));
      return full;
    });
  }

  /** A function's feedback in the window, oldest first. Reads files this process has not seen. */
  async feedbackOf(key: string): Promise<FeedbackRow[]> {
    const dir = this.store.checkLinks(this.store.feedbackDir(key));
    const floor = this.feedbackRows.floor(key);
    let names = (await fs.readdir(dir).catch(() => [] as string[]))
      .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
      .map((n) => n.slice(0, -'.json'.length))
      .filter((stamp) => feedbackId(key, stamp) > floor && !this.feedbackRows.has(feedbackId(key, stamp)));
    names.sort();
    if (!this.feedbackRead.has(key)) names = names.slice(-Math.floor(FEEDBACK_ROWS_BYTES / FEEDBACK_ROW_BYTES));
    this.feedbackRead.add(key);
    for (let i = 0; i < names.length; i++) {
      const f = this.store.parseJsonFile(join(dir, `${names[i]}.json`), FeedbackRecordSchema, true);
      if (f) this.feedbackRows.add(key, feedbackId(key, names[i]!), feedbackRow(f, names[i]!, this.version(f.version)));
      if (i % READ_SLICE === READ_SLICE - 1) await yieldLoop();
    }
    return this.feedbackRows.rows(key).sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : 0));
  }

  /** Whole feedback records for `rows`, newest first within `limit`; returned oldest first. */
  async readFeedback(key: string, rows: readonly FeedbackRow[], limit: { records: number; bytes: number } = TRAIN_WINDOW): Promise<FeedbackRecord[]> {
    const dir = this.store.checkLinks(this.store.feedbackDir(key));
    const out: FeedbackRecord[] = [];
    let bytes = 0;
    for (let i = rows.length - 1; i >= 0 && out.length < limit.records && bytes < limit.bytes; i--) {
      const r = this.store.readJsonSized(join(dir, `${rows[i]!.stamp}.json`), FeedbackRecordSchema, true);
      if (!r) continue;
      out.push(r.value);
      bytes += r.chars;
      if (out.length % READ_SLICE === 0) await yieldLoop();
    }
    return out.reverse();
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
