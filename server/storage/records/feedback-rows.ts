// Feedback as summaries and metrics need it: one compact row per record (no texts but a few
// short key issues), so a store can hold the newest feedback of every function within a fixed
// byte budget (row-window.ts) whatever the number or size of the records.
import type { FeedbackRecord, Sentiment } from '../../../shared/contract/learning';

export interface FeedbackRow {
  /** Sortable, unique per function (the file store's file name without `.json`). */
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
 * The byte budget of the feedback rows a store holds or reads at once, and what a row costs with
 * its bookkeeping (measured with V8's heap figures: test/unit/row-window.test.ts). Feedback comes
 * at a human pace: 4 MiB holds about 7,000 rows.
 */
export const FEEDBACK_ROWS_BYTES = 4 * 1024 * 1024;
export const FEEDBACK_ROW_BYTES = 450;
const ISSUES_KEPT = 8;
const ISSUE_CHARS = 80;

export const feedbackWeight = (r: FeedbackRow) => FEEDBACK_ROW_BYTES + 2 * r.stamp.length + r.execution_id.length + r.issues.reduce((n, i) => n + 16 + i.length, 0);

export function feedbackRow(f: FeedbackRecord, stamp: string, version: string): FeedbackRow {
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

export const byStamp = (a: FeedbackRow, b: FeedbackRow) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : 0);
