// Feedback in PostgreSQL: one row per record, under a stamp unique per function (the primary
// key: a stamp another process took in the same millisecond is retried with the next one).
// Summaries read compact rows computed in the query, never the records' texts.
import type { FeedbackRecord, Sentiment } from '../../../shared/contract/learning';
import { FEEDBACK_ROW_BYTES, FEEDBACK_ROWS_BYTES, type FeedbackRow } from '../records/feedback-rows';
import { sortableStamp } from '../records/ids';
import { checkKey } from '../paths';
import type { FeedbackStore, ReadLimit } from '../store';
import type { Db } from './db';
import { versionInt, versionName } from './versions';

/** As many rows as the file store keeps in its window (feedback-rows.ts). */
const ROWS = Math.floor(FEEDBACK_ROWS_BYTES / FEEDBACK_ROW_BYTES);

export class PgFeedback implements FeedbackStore {
  constructor(private readonly db: Db) {}

  async add(rec: Omit<FeedbackRecord, 'feedback_id' | 'timestamp' | 'created_at'>): Promise<FeedbackRecord> {
    const key = checkKey(rec.function_name);
    for (;;) {
      const stamp = sortableStamp();
      const full: FeedbackRecord = { feedback_id: `fb-${stamp}`, timestamp: stamp, created_at: new Date().toISOString(), ...rec };
      const r = await this.db.query(
        'INSERT INTO poet_feedback (key, stamp, execution_id, version, record) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key, stamp) DO NOTHING',
        [key, stamp, rec.execution_id, versionInt(rec.version), JSON.stringify(full)],
      );
      if (r.rowCount) return full;
    }
  }

  async rows(key: string): Promise<FeedbackRow[]> {
    const { rows } = await this.db.query<{ stamp: string; execution_id: string; version: number; created: string; sentiment: Sentiment; feedback_type: string; score: number | null; issues: string[] | null }>(
      `SELECT stamp, execution_id, version, record->>'created_at' AS created,
              record->'analysis'->>'sentiment' AS sentiment, record->'analysis'->>'feedback_type' AS feedback_type,
              (record->'analysis'->>'score')::float8 AS score,
              ARRAY(SELECT left(i, 80) FROM jsonb_array_elements_text(record->'analysis'->'key_issues') WITH ORDINALITY AS t(i, n) WHERE n <= 8) AS issues
         FROM poet_feedback WHERE key = $1 ORDER BY stamp DESC LIMIT $2`,
      [checkKey(key), ROWS],
    );
    return rows.reverse().map((r) => ({
      stamp: r.stamp,
      execution_id: r.execution_id,
      version: versionName(r.version),
      created: Date.parse(r.created),
      sentiment: r.sentiment,
      feedback_type: r.feedback_type,
      score: r.score,
      issues: r.issues ?? [],
    }));
  }

  async read(key: string, rows: readonly FeedbackRow[], limit: ReadLimit): Promise<FeedbackRecord[]> {
    const wanted = rows.slice(-Math.max(0, limit.records)).map((r) => r.stamp);
    if (!wanted.length) return [];
    const { rows: found } = await this.db.query<{ record: FeedbackRecord; size: number }>(
      'SELECT record, octet_length(record::text) AS size FROM poet_feedback WHERE key = $1 AND stamp = ANY($2) ORDER BY stamp DESC',
      [checkKey(key), wanted],
    );
    const out: FeedbackRecord[] = [];
    let bytes = 0;
    for (const f of found) {
      if (bytes >= limit.bytes) break;
      out.push(f.record);
      bytes += f.size;
    }
    return out.reverse();
  }

  memory() {
    return { feedback_rows: 0, feedback_row_bytes: 0, feedback_row_budget: FEEDBACK_ROWS_BYTES };
  }
}
