// Feedback in the file store: `feedback/{key}/{stamp}.json`, one file per record (feedback
// comes at a human pace). In memory, one compact row per record in a window with a byte budget
// shared by all functions (row-window.ts): summaries cover the newest feedback, whole records
// are read from disk when needed. Records never change; each process reads only files it has
// not seen (another process may add some too).
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { FeedbackRecordSchema, type FeedbackRecord } from '../../shared/contract/learning';
import { byStamp, feedbackRow, feedbackWeight, FEEDBACK_ROW_BYTES, FEEDBACK_ROWS_BYTES, type FeedbackRow } from './records/feedback-rows';
import { sortableStamp } from './records/ids';
import { RowWindow } from './records/row-window';
import { checkKey, resolveInside } from './paths';
import type { FeedbackStore, ReadLimit } from './store';
import type { WorkspaceFiles } from './workspace-files';

/** Records read from disk between two yields to the event loop. */
const READ_SLICE = 64;
const yieldLoop = () => new Promise((r) => setImmediate(r));
const feedbackId = (key: string, stamp: string) => `${key}/${stamp}`;

export class FileFeedback implements FeedbackStore {
  private readonly window = new RowWindow<FeedbackRow>(FEEDBACK_ROWS_BYTES, feedbackWeight);
  /** Functions whose feedback folder has been read once. */
  private readonly folderRead = new Set<string>();

  constructor(
    private readonly files: WorkspaceFiles,
    private readonly lock: <T>(key: string, fn: () => Promise<T>) => Promise<T>,
    private readonly logger?: Logger,
  ) {}

  /** `.dana/poet/feedback/{key}` */
  private dir(key: string): string {
    return resolveInside(this.files.paths.feedback, checkKey(key));
  }

  /**
   * Writes `feedback/{key}/{stamp}.json` under the function lock. The stamp is unique even
   * for two records in one millisecond (counter), and across processes (existence check
   * while holding the cross-process lock).
   */
  async add(rec: Omit<FeedbackRecord, 'feedback_id' | 'timestamp' | 'created_at'>): Promise<FeedbackRecord> {
    const key = rec.function_name;
    const dir = this.dir(key);
    // The folder's earlier records first, so that rows arrive oldest first.
    await this.rows(key);
    return this.lock(key, async () => {
      await this.files.mkdir(dir);
      let stamp = sortableStamp();
      while (await exists(join(dir, `${stamp}.json`))) stamp = sortableStamp();
      const full: FeedbackRecord = { feedback_id: `fb-${stamp}`, timestamp: stamp, created_at: new Date().toISOString(), ...rec };
      await this.files.writeJson(join(dir, `${stamp}.json`), full);
      this.window.add(key, feedbackId(key, stamp), feedbackRow(full, stamp, full.version));
      return full;
    });
  }

  async rows(key: string): Promise<FeedbackRow[]> {
    const dir = this.files.checkLinks(this.dir(key));
    const floor = this.window.floor(key);
    let names = (await fs.readdir(dir).catch(() => [] as string[]))
      .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
      .map((n) => n.slice(0, -'.json'.length))
      .filter((stamp) => feedbackId(key, stamp) > floor && !this.window.has(feedbackId(key, stamp)));
    names.sort();
    if (!this.folderRead.has(key)) names = names.slice(-Math.floor(FEEDBACK_ROWS_BYTES / FEEDBACK_ROW_BYTES));
    this.folderRead.add(key);
    for (let i = 0; i < names.length; i++) {
      const f = this.files.parseJsonFile(join(dir, `${names[i]}.json`), FeedbackRecordSchema, true);
      if (f) this.window.add(key, feedbackId(key, names[i]!), feedbackRow(f, names[i]!, f.version));
      if (i % READ_SLICE === READ_SLICE - 1) await yieldLoop();
    }
    return this.window.rows(key).sort(byStamp);
  }

  async read(key: string, rows: readonly FeedbackRow[], limit: ReadLimit): Promise<FeedbackRecord[]> {
    const dir = this.files.checkLinks(this.dir(key));
    const out: FeedbackRecord[] = [];
    let bytes = 0;
    for (let i = rows.length - 1; i >= 0 && out.length < limit.records && bytes < limit.bytes; i--) {
      const r = this.files.readJsonSized(join(dir, `${rows[i]!.stamp}.json`), FeedbackRecordSchema, true);
      if (!r) {
        this.logger?.debug({ key, stamp: rows[i]!.stamp }, 'feedback file gone');
        continue;
      }
      out.push(r.value);
      bytes += r.chars;
      if (out.length % READ_SLICE === 0) await yieldLoop();
    }
    return out.reverse();
  }

  memory() {
    return { feedback_rows: this.window.size, feedback_row_bytes: this.window.byteSize, feedback_row_budget: FEEDBACK_ROWS_BYTES };
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}
