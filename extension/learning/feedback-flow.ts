// The pure half of the learning commands: the choices a person picks from, the payloads
// they become, and the messages shown afterwards. No `vscode` import, so the unit tests
// check every wording and payload without an editor.
import type { ExecutionSummary, FeedbackResponse, TrainResponse } from '../../shared/contract/learning';

export interface FeedbackChoice {
  id: 'up' | 'down' | 'rate' | 'text';
  label: string;
  description: string;
}

export const FEEDBACK_CHOICES: readonly FeedbackChoice[] = [
  { id: 'up', label: '👍 Good', description: 'The result was right' },
  { id: 'down', label: '👎 Bad', description: 'The result was wrong or unhelpful' },
  { id: 'rate', label: '★ Rate 1–5', description: 'A score on a 1–5 scale' },
  { id: 'text', label: '✎ Write feedback…', description: 'Say what was good or wrong, in your own words' },
];

export const RATING_CHOICES = [
  { label: '5 ★★★★★', rating: 5 },
  { label: '4 ★★★★', rating: 4 },
  { label: '3 ★★★', rating: 3 },
  { label: '2 ★★', rating: 2 },
  { label: '1 ★', rating: 1 },
] as const;

/** The wire payload for a choice (ratings declare their scale, so nothing is guessed). */
export function feedbackPayload(choice: FeedbackChoice['id'], value?: number | string): unknown {
  switch (choice) {
    case 'up':
      return 'up';
    case 'down':
      return 'down';
    case 'rate':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 5) throw new Error('A rating must be a whole number from 1 to 5.');
      return { rating: value, scale: '1-5' };
    case 'text': {
      const text = typeof value === 'string' ? value.trim() : '';
      if (!text) throw new Error('Feedback text must not be empty.');
      return { comment: text };
    }
  }
}

/** Input box validation: undefined when fine, else the message. */
export function validateFeedbackText(text: string): string | undefined {
  if (!text.trim()) return 'Write what was good or wrong, e.g. "too slow" or "wrong total for empty carts".';
  if (text.length > 5000) return 'Keep it under 5,000 characters.';
  return undefined;
}

/** One line per execution in the picker. */
export function executionPickItem(e: ExecutionSummary, tzOffsetMinutes = 0): { label: string; description: string; detail: string } {
  const icon = e.status === 'success' ? '$(pass)' : '$(error)';
  const when = localTime(e.started_at, tzOffsetMinutes);
  const attempts = e.attempts > 1 ? ` · ${e.attempts} attempts` : '';
  const fb = e.feedback_count ? ` · ${e.feedback_count} feedback` : '';
  return {
    label: `${icon} ${e.version} · ${formatMs(e.duration_ms)}${attempts}`,
    description: `${when}${fb}`,
    detail: e.status === 'success' ? `${e.inputs_preview} → ${e.output_preview ?? 'null'}` : `${e.inputs_preview} → ${e.error ?? 'error'}`,
  };
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** `2026-11-26 14:30:05` in the viewer's zone (offset as Date#getTimezoneOffset gives it). */
export function localTime(iso: string, tzOffsetMinutes = 0): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  return new Date(t - tzOffsetMinutes * 60_000).toISOString().replace('T', ' ').slice(0, 19);
}

/** The notification after feedback was recorded. */
export function feedbackMessage(r: FeedbackResponse): string {
  const a = r.analysis;
  const score = a.score === null ? '' : ` (score ${Math.round(a.score * 100) / 100}${a.scale ? ` on ${a.scale.name}` : ''})`;
  const issues = a.key_issues.length ? ` Issues: ${a.key_issues.slice(0, 3).join(', ')}.` : '';
  const learned = r.learning.triggered && r.learning.new_version ? ` Auto-train created ${r.learning.new_version}: ${r.learning.changes.map((c) => c.param).join(', ')}.` : '';
  return `Feedback recorded: ${a.sentiment}${score}.${issues}${learned}`;
}

/** The notification after Train. */
export function trainMessage(r: TrainResponse): string {
  switch (r.status) {
    case 'not_enough_data':
      return `${r.function_name}: ${r.message}. Run the enhanced function more (with POET_API_URL set) and train again.`;
    case 'no_change':
      return `${r.function_name} ${r.base_version}: nothing to change. ${r.message}`;
    case 'dry_run':
      return `${r.function_name}: Train would change ${changeSummary(r)}.`;
    case 'trained': {
      const where = r.promoted ? `${r.new_version} is now current` : `${r.new_version} is ready for review (current stays ${r.current_version})`;
      return `${r.function_name}: trained from ${r.base_version}, ${where}. ${changeSummary(r)}`;
    }
  }
}

/** `timeout 30 → 4.2; retries 0 → 3` */
export function changeSummary(r: Pick<TrainResponse, 'changes'>): string {
  return r.changes.map((c) => `${c.param} ${short(c.from)} → ${short(c.to)}`).join('; ');
}

function short(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && 'initial_s' in v) return `${(v as { initial_s: number }).initial_s}s`;
  const s = JSON.stringify(v) ?? 'null';
  return s.length > 30 ? `${s.slice(0, 29)}…` : s;
}

/** A readable Markdown report of a Train run: the change list with its reasons and the evidence. */
export function trainReport(r: TrainResponse): string {
  const e = r.evidence;
  const lines = [
    `# Train: ${r.function_name} ${r.base_version}${r.new_version ? ` → ${r.new_version}` : ''}`,
    '',
    `**Status:** ${r.status}${r.promoted ? ' (promoted to current)' : ''}`,
    '',
    r.message,
    '',
    '## Changes',
    '',
    ...(r.changes.length ? r.changes.map((c) => `- ${c.reason}`) : ['- none']),
    '',
    '## Evidence',
    '',
    `- ${e.executions} executions of ${e.version}: ${e.successes} succeeded, ${e.failures} failed, ${e.attempts} attempts, ${e.timeouts} timeouts`,
    `- ${e.feedback} feedback records`,
    `- window: ${e.window.from ?? '–'} … ${e.window.to ?? '–'}`,
  ];
  return lines.join('\n') + '\n';
}
