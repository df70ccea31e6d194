// The pure parts of the extension's learning features: payloads, wording, chart series, CSP.
import assert from 'node:assert/strict';
import { FeedbackRequestSchema, type FunctionMetrics, type TrainResponse } from '../../shared/contract/learning';
import { analyseFeedback } from '../../server/learning/analysis';
import { chartsFor } from '../../extension/learning/chart-data';
import { executionPickItem, feedbackMessage, feedbackPayload, trainMessage, trainReport, validateFeedbackText } from '../../extension/learning/feedback-flow';
import { makeNonce, metricsHtml } from '../../extension/learning/metrics-html';

const trained: TrainResponse = {
  function_name: 'fetch_rate',
  status: 'trained',
  message: '2 change(s) learned from 214 executions of v3.',
  base_version: 'v3',
  new_version: 'v4',
  current_version: 'v3',
  promoted: false,
  changes: [
    { param: 'timeout', from: 30, to: 4.2, reason: 'timeout 30 s → 4.2 s: p99 of 214 successful attempts was 2.8 s (× 1.5 margin); no attempt timed out' },
    { param: 'retries', from: 0, to: 3, reason: 'retries 0 → 3: 28% of 214 attempts failed transiently' },
  ],
  learned_config: { retries: 3, timeout: 4.2 },
  evidence: { version: 'v3', executions: 214, successes: 154, failures: 60, attempts: 214, timeouts: 0, feedback: 12, window: { from: '2026-11-26T10:00:00.000Z', to: '2026-11-26T14:00:00.000Z' } },
};

describe('learning: extension feedback and train flow (pure)', () => {
  it('turns each pick into a payload the service reads exactly', () => {
    for (const [choice, value, sentiment] of [['up', undefined, 'positive'], ['down', undefined, 'negative'], ['rate', 2, 'negative'], ['rate', 5, 'positive'], ['text', 'too slow', 'negative']] as const) {
      const p = feedbackPayload(choice, value);
      assert.equal(FeedbackRequestSchema.safeParse({ execution_id: 'e1', feedback: p }).success, true);
      assert.equal(analyseFeedback(p).sentiment, sentiment, `${choice} ${value}`);
    }
    assert.deepEqual(feedbackPayload('rate', 4), { rating: 4, scale: '1-5' });
    assert.throws(() => feedbackPayload('rate', 6), /1 to 5/);
    assert.throws(() => feedbackPayload('text', '   '), /empty/);
    assert.match(validateFeedbackText('')!, /Write what was good or wrong/);
    assert.equal(validateFeedbackText('fine'), undefined);
  });

  it('describes executions in the picker', () => {
    const item = executionPickItem({ execution_id: 'e1', version: 'v2', started_at: '2026-11-26T14:30:05.000Z', status: 'error', duration_ms: 1530, attempts: 3, error: 'TimeoutError: slow', inputs_preview: '{"x":1}', output_preview: null, feedback_count: 1 });
    assert.deepEqual(item, { label: '$(error) v2 · 1.53 s · 3 attempts', description: '2026-11-26 14:30:05 · 1 feedback', detail: '{"x":1} → TimeoutError: slow' });
  });

  it('words the outcome of feedback and of Train', () => {
    const fb = feedbackMessage({
      feedback_id: 'fb-1',
      analysis: { ...analyseFeedback({ rating: 2, scale: '1-5', comment: 'too slow' }) },
      learning: { triggered: true, new_version: 'v5', changes: [{ param: 'timeout', from: 30, to: 2, reason: 'r' }] },
    });
    assert.equal(fb, 'Feedback recorded: negative (score 0.25 on 1-5). Issues: slow. Auto-train created v5: timeout.');
    assert.equal(trainMessage(trained), 'fetch_rate: trained from v3, v4 is ready for review (current stays v3). timeout 30 → 4.2; retries 0 → 3');
    assert.match(trainMessage({ ...trained, status: 'not_enough_data', message: 'not enough data (12 of 30 executions)', changes: [] }), /^fetch_rate: not enough data \(12 of 30 executions\)\. Run the enhanced function more/);
    const report = trainReport(trained);
    assert.match(report, /^# Train: fetch_rate v3 → v4$/m);
    assert.match(report, /^- timeout 30 s → 4\.2 s: p99 of 214 successful attempts was 2\.8 s/m);
    assert.match(report, /^- 214 executions of v3: 154 succeeded, 60 failed, 214 attempts, 0 timeouts$/m);
  });
});

describe('learning: metrics webview', () => {
  const metrics: FunctionMetrics = {
    function_name: 'flaky',
    current_version: 'v2',
    versions: [
      { version: 'v1', executions: 200, successes: 140, success_rate: 0.7, p50_ms: 210, p95_ms: 1500, mean_attempts: 1, retries_spent: 0, timeouts: 0, perceive_rejections: 0, enforce_rejections: 0, fallbacks: 0, feedback_count: 2, mean_feedback_score: 0.5, first_at: null, last_at: null },
      { version: 'v2', executions: 200, successes: 199, success_rate: 0.995, p50_ms: 260, p95_ms: 1100, mean_attempts: 1.4, retries_spent: 80, timeouts: 12, perceive_rejections: 0, enforce_rejections: 0, fallbacks: 0, feedback_count: 1, mean_feedback_score: 1, first_at: null, last_at: null },
      { version: 'v3', executions: 0, successes: 0, success_rate: null, p50_ms: null, p95_ms: null, mean_attempts: null, retries_spent: 0, timeouts: 0, perceive_rejections: 0, enforce_rejections: 0, fallbacks: 0, feedback_count: 0, mean_feedback_score: null, first_at: null, last_at: null },
    ],
    timeline: {
      bucket_s: 60,
      executions: [
        { at: '2026-11-26T14:00:00.000Z', version: 'v1', count: 100, failures: 30 },
        { at: '2026-11-26T14:01:00.000Z', version: 'v1', count: 100, failures: 30 },
        { at: '2026-11-26T14:01:00.000Z', version: 'v2', count: 50, failures: 1 },
      ],
      feedback: [
        { at: '2026-11-26T14:00:30.000Z', version: 'v1', score: 0 },
        { at: '2026-11-26T14:00:40.000Z', version: 'v1', score: 1 },
        { at: '2026-11-26T14:01:30.000Z', version: 'v2', score: 1 },
      ],
    },
  };

  it('draws success rate and latency per version, feedback and executions over time', () => {
    const c = chartsFor(metrics);
    assert.deepEqual(c.successRate.labels, ['v1', 'v2 (current)'], 'versions without data are left out');
    assert.deepEqual(c.successRate.datasets[0]!.data, [70, 99.5]);
    assert.deepEqual(c.p95.datasets[0]!.data, [1500, 1100]);
    assert.deepEqual(c.executions.labels, ['14:00:00', '14:01:00'], 'seconds within an hour');
    assert.deepEqual(c.feedback.labels, ['14:00:30', '14:00:40', '14:01:30']);
    assert.deepEqual(c.executions.datasets.map((d) => d.data), [[70, 119], [30, 31]]);
    assert.deepEqual(c.feedback.datasets.map((d) => d.label), ['v1 feedback score', 'v2 feedback score']);
    assert.deepEqual(c.feedback.datasets[1]!.data, [null, null, 1]);
    assert.equal(c.summary, 'flaky v2: 200 runs, 99.5% success, p95 1100 ms, 1.4 attempts per call');
    assert.equal(c.empty, false);
  });

  it('counts in the summary with the right plural: "1 run, … 1 attempt per call"', () => {
    const one = { ...metrics, versions: metrics.versions.map((v) => (v.version === 'v2' ? { ...v, executions: 1, mean_attempts: 1 } : v)) };
    assert.equal(chartsFor(one).summary, 'flaky v2: 1 run, 99.5% success, p95 1100 ms, 1 attempt per call');
    const none = { ...metrics, versions: metrics.versions.map((v) => ({ ...v, executions: v.version === 'v1' ? 1 : 0 })) };
    assert.equal(chartsFor(none).summary, 'flaky: 1 run recorded');
  });

  it('labels times by the span: dates once it exceeds a day', () => {
    const long = { ...metrics, timeline: { ...metrics.timeline, executions: [{ at: '2026-11-24T09:00:00.000Z', version: 'v1', count: 1, failures: 0 }, { at: '2026-11-26T14:00:00.000Z', version: 'v2', count: 1, failures: 0 }] } };
    assert.deepEqual(chartsFor(long).executions.labels, ['11-24 09:00', '11-26 14:00']);
    const empty = chartsFor({ ...metrics, versions: [], timeline: { bucket_s: 1, executions: [], feedback: [] } });
    assert.equal(empty.empty, true);
  });

  it('allows only the nonce’d bundle and styles (no inline script, no remote content)', () => {
    const nonce = makeNonce();
    assert.match(nonce, /^[A-Za-z0-9]{16,}$/);
    assert.notEqual(nonce, makeNonce());
    const html = metricsHtml({ cspSource: 'vscode-webview://abc', scriptUri: 'vscode-webview://abc/dist/webview/metrics.js', nonce, title: 'POET metrics: <b>x</b>' });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, new RegExp(`script-src 'nonce-${nonce}'(;|$)`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    const scripts = html.match(/<script[^>]*>/g)!;
    assert.deepEqual(scripts, [`<script nonce="${nonce}" src="vscode-webview://abc/dist/webview/metrics.js">`]);
    for (const s of html.match(/<style[^>]*>/g)!) assert.equal(s, `<style nonce="${nonce}">`);
    assert.doesNotMatch(html, /\sstyle="/, 'no inline style attributes');
    assert.doesNotMatch(html, /\son[a-z]+="/, 'no inline event handlers');
    assert.match(html, /POET metrics: &lt;b&gt;x&lt;\/b&gt;/);
    assert.match(html, /var\(--vscode-foreground\)/, 'colours follow the theme');
  });
});
