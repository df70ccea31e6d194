// Train on synthetic execution sets whose right answer is known.
import assert from 'node:assert/strict';
import { DEFAULT_LEARNING_SETTINGS, type LearningSettings } from '../../shared/contract/learning';
import { DEFAULT_CONFIG } from '../../shared/config';
import { train, replay, observe, type TrainableConfig } from '../../server/learning/train';
import { attemptsForTarget, quantile, roundNice } from '../../server/learning/stats';
import { domainLearning } from '../../server/learning/domain-learners';
import { feedbackFor, records, simulatedRecords } from './synthetic';

const cfg = (over: Partial<TrainableConfig> = {}): TrainableConfig => ({
  retries: 0,
  timeout: 30,
  backoff: { ...DEFAULT_CONFIG.backoff },
  domain_params: {},
  ...over,
});
const settings = (over: Partial<LearningSettings> = {}): LearningSettings => ({ ...DEFAULT_LEARNING_SETTINGS, ...over });
const change = (r: ReturnType<typeof train>, param: string) => r.changes.find((c) => c.param === param);

describe('learning: Train on synthetic executions', () => {
  it('refuses to guess with too little data', () => {
    const r = train({ version: 'v1', config: cfg(), records: records(12, () => ({ ok: true, duration_s: 0.1 })), feedback: [], settings: settings() });
    assert.equal(r.status, 'not_enough_data');
    assert.equal(r.message, 'not enough data (12 of 30 executions)');
    assert.deepEqual(r.changes, []);
    assert.equal(r.evidence.executions, 12);
  });

  it('sizes retries from a 30% transient failure rate to reach 99%', () => {
    // Exactly 3 of every 10 calls fail with a transient error.
    const recs = records(1000, (i) => ({ ok: i % 10 >= 3, duration_s: 0.1 + (i % 7) * 0.01 }));
    const r = train({ version: 'v1', config: cfg(), records: recs, feedback: [], settings: settings() });
    assert.equal(r.status, 'trained');
    // 1 − 0.3^4 = 99.2% ≥ 99% needs 3 retries; the 95% upper bound on the rate may add one.
    assert.ok(r.config.retries >= attemptsForTarget(0.3, 0.99) - 1 && r.config.retries <= 4, `retries ${r.config.retries}`);
    assert.match(change(r, 'retries')!.reason, /^retries 0 → [34]: 30% of 1000 attempts failed/);
    assert.equal(r.evidence.failures, 300);
  });

  it('weighs sampled records by the calls they stand for: a quarter of the successes, weight 4, learn what all of them do', () => {
    const spec = (i: number) => ({ ok: i % 10 >= 3, duration_s: 0.1 + (i % 7) * 0.01 });
    const all = records(1000, spec);
    const full = train({ version: 'v1', config: cfg(), records: all, feedback: [], settings: settings() });
    let k = 0;
    const sampled = all.filter((r) => r.result.status === 'error' || k++ % 4 === 0).map((r) => (r.result.status === 'success' ? { ...r, result: { ...r.result, weight: 4 } } : r));
    // A call sent only because its id was asked for (weight 0) adds nothing.
    sampled.push({ ...all[3]!, result: { ...all[3]!.result, weight: 0 } });
    const r = train({ version: 'v1', config: cfg(), records: sampled, feedback: [], settings: settings() });
    assert.deepEqual([r.evidence.executions, r.evidence.failures], [1000, 300]);
    assert.equal(r.config.retries, full.config.retries);
    assert.match(change(r, 'retries')!.reason, / 30% of \d+ attempts failed/);
    const unweighted = train({ version: 'v1', config: cfg(), records: sampled.map((x) => ({ ...x, result: { ...x.result, weight: undefined } })), feedback: [], settings: settings() });
    assert.ok(unweighted.config.retries > r.config.retries, 'without the weights, failures would look twice as common');
  });

  it('learns the timeout from the duration distribution: p99 × margin', () => {
    const recs = records(300, (i) => ({ ok: true, duration_s: 1 + (2 * i) / 299 }));
    const r = train({ version: 'v1', config: cfg({ retries: 2 }), records: recs, feedback: [], settings: settings() });
    const p99 = quantile(recs.map((x) => x.result.duration_ms / 1000), 0.99)!;
    assert.equal(r.config.timeout, roundNice(p99 * 1.5));
    assert.match(change(r, 'timeout')!.reason, /^timeout 30 s → 4\.5 s: p99 of 300 successful attempts was 3 s \(× 1\.5 margin\); no attempt timed out$/);
    // No failure in 300 calls: at most one retry is justified (upper bound ~1%).
    assert.ok(r.config.retries <= 1);
  });

  it('raises a timeout that cuts real work', () => {
    const recs = records(200, (i) =>
      i % 5 < 2 ? { ok: false, duration_s: 1, errorType: 'TimeoutError', phase: 'timeout' } : { ok: true, duration_s: 0.75 + (i % 25) / 100 },
    );
    const r = train({ version: 'v1', config: cfg({ timeout: 1, retries: 1 }), records: recs, feedback: [], settings: settings() });
    assert.equal(r.config.timeout, 2);
    assert.match(change(r, 'timeout')!.reason, /40% of 200 attempts timed out/);
    assert.equal(r.evidence.timeouts, 80);
  });

  it('cuts a long tail when retrying a fresh attempt is faster than waiting', () => {
    // 88% of attempts take 0.1 s, 12% hang for 20 s (independently): wait 20 s, or retry after ~0.1 s?
    const recs = records(400, (i) => ({ ok: true, duration_s: i % 25 < 3 ? 20 : 0.1 + (i % 5) * 0.005 }));
    const r = train({ version: 'v1', config: cfg(), records: recs, feedback: [], settings: settings() });
    assert.ok(r.config.timeout < 1, `timeout ${r.config.timeout}`);
    assert.ok(r.config.retries >= 2);
    assert.match(change(r, 'timeout')!.reason, /Cutting the slowest 12% of attempts and retrying gives an estimated p95 call latency/);
    // And the replayed policy really is faster than waiting for the tail.
    const o = observe(recs, 30);
    const learned = replay(o.pool, { timeout: r.config.timeout, retries: r.config.retries, backoff: r.config.backoff });
    const waiting = replay(o.pool, { timeout: 30, retries: 0, backoff: r.config.backoff });
    assert.ok(learned.p95 < waiting.p95 / 10 && learned.success >= 0.99);
  });

  it('does not cut a tail that comes from the input (slow inputs stay slow on retry)', () => {
    // Same 88% fast / 12% slow mix as above, but the slow calls are the ones with big inputs.
    const recs = records(400, (i) => {
      const slow = i % 25 < 3;
      return { ok: true, duration_s: slow ? 20 : 0.1 + (i % 5) * 0.005, inputs: { items: 'x'.repeat(slow ? 5000 + i : 10 + (i % 50)) } };
    });
    const r = train({ version: 'v1', config: cfg(), records: recs, feedback: [], settings: settings() });
    assert.ok(r.config.timeout >= 20, `timeout ${r.config.timeout}`);
    assert.match(r.message, /100% of the 48 slowest calls had inputs bigger than 90% of the others, so slow attempts are not cut and retried/);
  });

  it('does not retry errors that retrying cannot fix', () => {
    const recs = records(200, (i) => (i % 10 < 3 ? { ok: false, duration_s: 0.01, errorType: 'ValueError' } : { ok: true, duration_s: 0.1 }));
    const r = train({ version: 'v1', config: cfg({ timeout: 0.15 }), records: recs, feedback: [], settings: settings() });
    assert.ok(r.config.retries <= 1, `retries ${r.config.retries}`);
    assert.match(r.message, /60 of 200 calls failed with errors retrying cannot fix \(ValueError ×60\)/);
  });

  it('treats an error type as transient once a retry recovered from it', () => {
    const recs = records(200, (i) =>
      i % 2 ? { ok: true, duration_s: 0.2, attempt_log: [{ duration_ms: 100, outcome: 'error', error_type: 'ValueError' }, { duration_ms: 100, outcome: 'ok' }] } : { ok: true, duration_s: 0.1 },
    );
    const o = observe(recs, 30);
    assert.equal(o.permanentFailures, 0);
    assert.equal(o.pool.filter((a) => a.outcome === 'error').length, 100);
  });

  it('lengthens the backoff when failures come in bursts, shortens it when they are independent', () => {
    // Bursty: once an attempt fails, the next one fails 80% of the time.
    const bursty = records(200, (i) => ({
      ok: i % 4 !== 0,
      duration_s: 1,
      attempt_log: i % 4 === 0
        ? [1, 2, 3, 4].map(() => ({ duration_ms: 250, outcome: 'error' as const }))
        : i % 4 === 1
          ? [{ duration_ms: 250, outcome: 'error' }, { duration_ms: 250, outcome: 'error' }, { duration_ms: 250, outcome: 'ok' }]
          : [{ duration_ms: 250, outcome: 'ok' }],
    }));
    const rb = train({ version: 'v1', config: cfg({ retries: 3, timeout: 0.4 }), records: bursty, feedback: [], settings: settings() });
    const b = change(rb, 'backoff');
    assert.ok(b, 'backoff changed');
    assert.ok(rb.config.backoff.initial_s > DEFAULT_CONFIG.backoff.initial_s);
    assert.match(b.reason, /failures come in bursts/);

    const independent = records(300, (i) => ({
      ok: true,
      duration_s: 0.4,
      attempt_log: i % 10 < 3 ? [{ duration_ms: 200, outcome: 'error' }, { duration_ms: 200, outcome: 'ok' }] : [{ duration_ms: 200, outcome: 'ok' }],
    }));
    const ri = train({ version: 'v1', config: cfg({ retries: 3, timeout: 0.3 }), records: independent, feedback: [], settings: settings() });
    assert.match(change(ri, 'backoff')!.reason, /failures are independent/);
    assert.ok(ri.config.backoff.initial_s < DEFAULT_CONFIG.backoff.initial_s);
  });

  it('is stable: training again on the same data with the learned config changes nothing', () => {
    const recs = records(1000, (i) => ({ ok: i % 10 >= 3, duration_s: 0.1 + (i % 7) * 0.01 }));
    const first = train({ version: 'v1', config: cfg(), records: recs, feedback: [], settings: settings() });
    const second = train({ version: 'v2', config: first.config, records: recs, feedback: [], settings: settings() });
    assert.equal(second.status, 'no_change', JSON.stringify(second.changes));
  });

  it('settles: training round after round on fresh data from the trained version stops changing', () => {
    let config = cfg();
    const statuses: string[] = [];
    for (let round = 1; round <= 6; round++) {
      const r = train({ version: `v${round}`, config, records: simulatedRecords(300, config, round), feedback: [], settings: settings() });
      statuses.push(r.status);
      config = r.config;
    }
    // One or two moves, then no_change: a timeout that cuts the tail on purpose (and whose
    // timeouts a retry recovers) is not mistaken for one that cuts real work.
    assert.deepEqual(statuses.slice(3), ['no_change', 'no_change', 'no_change'], statuses.join(', '));
    const check = replay(observe(simulatedRecords(2000, { retries: 0, timeout: 30 }, 99), 30).pool, { timeout: config.timeout, retries: config.retries, backoff: config.backoff });
    assert.ok(check.success >= 0.99, `success ${check.success}`);
  });

  it('learns Perceive ranges and Enforce thresholds only when asked, as rules', () => {
    const recs = records(100, (i) => ({ ok: true, duration_s: 0.1, inputs: { amount: 100 + i, label: 'x' }, output: { total: 2 * i } }));
    const fb = recs.slice(0, 50).map((r, i) => feedbackFor(r, 'up', i));
    const off = train({ version: 'v1', config: cfg(), records: recs, feedback: fb, settings: settings() });
    assert.equal(off.learnedRules, null);
    assert.ok(!off.changes.some((c) => c.param.startsWith('perceive.')));
    const on = train({ version: 'v1', config: cfg(), records: recs, feedback: fb, settings: settings({ learn_perceive_ranges: true, learn_enforce_thresholds: true }) });
    // amount seen in [100, 199], widened by 10% of the span.
    assert.deepEqual(on.learnedRules!.inputs.map(({ params, min, max }) => ({ params, min, max })), [{ params: ['amount'], min: 90, max: 209 }]);
    // Only the 50 positively rated outputs: total in [0, 98].
    assert.deepEqual(on.learnedRules!.outputs.map(({ field, min, max }) => ({ field, min, max })), [{ field: 'total', min: -9.8, max: 108 }]);
    assert.match(change(on, 'enforce.total')!.reason, /over 50 positively rated outputs/);
    assert.equal(on.config.domain_params?.perceive_ranges, undefined, 'not pushed into the config');
  });

  it('keeps core parameters within the domain bounds', () => {
    const recs = records(300, (i) => ({ ok: i % 10 >= 5, duration_s: 0.01 }));
    const r = train({ version: 'v1', config: cfg({ timeout: 15, retries: 3 }), records: recs, feedback: [], settings: settings(), bounds: { timeout: { min: 1, max: 120 }, retries: { min: 0, max: 5 } } });
    assert.equal(r.config.timeout, 1);
    assert.equal(r.config.retries, 5);
    assert.match(change(r, 'retries')!.reason, /capped at 5/);
  });

  it("applies a domain's own learners", () => {
    const recs = records(60, () => ({ ok: true, duration_s: 0.1 }));
    const fb = recs.map((r, i) => feedbackFor(r, i % 3 ? 'too verbose' : 'good', i));
    const r = train({
      version: 'v1',
      config: cfg({ domain_params: { max_words: 200 } }),
      records: recs,
      feedback: fb,
      settings: settings(),
      domainLearners: [
        {
          param: 'max_words',
          learn: ({ feedback, current }) => {
            const verbose = feedback.filter((f) => f.analysis.key_issues.includes('verbose')).length;
            return verbose > feedback.length / 2 ? { value: Math.round((current as number) * 0.7), reason: `${verbose} of ${feedback.length} said too verbose` } : null;
          },
        },
      ],
    });
    assert.equal(r.config.domain_params?.max_words, 140);
    assert.match(change(r, 'max_words')!.reason, /^max_words 200 → 140: 40 of 60 said too verbose$/);
  });

  it('records the evidence: counts and the time window', () => {
    const recs = records(40, (i) => ({ ok: i % 4 !== 0, duration_s: 0.2 }));
    const r = train({ version: 'v1', config: cfg(), records: recs, feedback: [], settings: settings() });
    assert.deepEqual(r.evidence, {
      version: 'v1', executions: 40, successes: 30, failures: 10, attempts: 40, timeouts: 0, feedback: 0,
      window: { from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T00:00:39.000Z' },
    });
  });
});

describe('learning: domain learners', () => {
  it('derives bounds and learners from the domain\'s learnable parameters', () => {
    const { learners, bounds } = domainLearning([
      { key: 'timeout', min: 10, max: 180, default: 45, description: '' },
      { key: 'retries', min: 0, max: 5, default: 3, description: '' },
      { key: 'min_response_length', min: 0, max: 200, default: 2, description: '' },
      { key: 'drift_threshold', min: 0.5, max: 10, default: 3, description: '' },
    ]);
    assert.deepEqual(bounds, { timeout: { min: 10, max: 180 }, retries: { min: 0, max: 5 } });
    assert.deepEqual(learners.map((l) => l.param), ['min_response_length', 'drift_threshold']);
    const recs = records(40, (i) => ({ ok: true, duration_s: 0.1, output: 'x'.repeat(40 + i) }));
    const fb = recs.map((r, i) => feedbackFor(r, 'up', i));
    const r = learners[0]!.learn({ records: recs, feedback: fb, current: 2 });
    assert.deepEqual(r?.value, 21);
    const drift = records(20, (i) => (i < 10 ? { ok: false, duration_s: 0.1, errorType: 'EnforceError', phase: 'enforce' } : { ok: true, duration_s: 0.1 }));
    for (const d of drift) if (d.result.error) d.result.error.message = '[enforce] mean drifted outside [1, 2] (drift)';
    const liked = drift.slice(0, 8).map((r, i) => feedbackFor(r, 'up', i));
    assert.deepEqual(learners[1]!.learn({ records: drift, feedback: liked, current: 3 })?.value, 3.6);
    assert.equal(learners[1]!.learn({ records: drift, feedback: [], current: 3 }), null);
  });
});
