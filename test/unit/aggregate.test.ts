// The running aggregates metrics read (server/storage/records/aggregate.ts, histogram.ts): exact for a
// few values, within 1% when binned, mergeable in any order, and weighed by sampling weights.
import assert from 'node:assert/strict';
import type { ExecutionRecord } from '../../shared/contract/learning';
import { VersionAggregate } from '../../server/storage/records/aggregate';
import { EXACT_LIMIT, Histogram } from '../../server/storage/records/histogram';
import { quantile, seededRandom, WeightedSample } from '../../server/learning/stats';

const T0 = Date.parse('2026-11-26T10:00:00Z');

function rec(i: number, o: { ok?: boolean; ms?: number; attempts?: number; at?: number; weight?: number; phase?: string } = {}): ExecutionRecord {
  const ok = o.ok ?? true;
  return {
    context: { execution_id: `e${i}`, function_name: 'f', version: 'v1', inputs: null, inputs_truncation: { truncated: false, original_bytes: 4, limit_bytes: 16384 }, context: null, started_at: new Date(o.at ?? T0 + i * 1000).toISOString(), recorded_at: '' },
    result: {
      execution_id: `e${i}`,
      status: ok ? 'success' : 'error',
      ...(ok ? { output: 1 } : { error: { type: o.phase === 'perceive' ? 'PerceiveError' : 'TimeoutError', message: 'm', phase: o.phase ?? 'timeout' } }),
      duration_ms: o.ms ?? 10,
      attempts: o.attempts ?? 1,
      ...(o.weight !== undefined ? { weight: o.weight } : {}),
    },
  };
}

describe('Histogram', () => {
  it('gives the quantiles of a sorted list while it holds few values', () => {
    const xs = [5, 100, 200, 300, 300, 41.5];
    const h = new Histogram();
    for (const x of xs) h.add(x);
    for (const q of [0, 0.25, 0.5, 0.9, 0.95, 1]) assert.equal(h.quantile(q), quantile(xs, q), `q=${q}`);
  });

  it('stays within 1% of the true quantiles once binned, and mergeable', () => {
    const rnd = seededRandom(3);
    const xs = Array.from({ length: 20_000 }, () => Math.exp(rnd() * 8) * 0.5);
    const a = new Histogram();
    const b = new Histogram();
    xs.forEach((x, i) => (i % 2 ? a : b).add(x));
    assert.ok(a.size > EXACT_LIMIT && a.size < 500, `${a.size} bins for 10,000 values over 3.5 decades`);
    a.merge(b);
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      const truth = quantile(xs, q)!;
      assert.ok(Math.abs(a.quantile(q)! - truth) / truth < 0.01, `q=${q}: ${a.quantile(q)} vs ${truth}`);
    }
    assert.deepEqual(Histogram.fromJSON(JSON.parse(JSON.stringify(a))).quantile(0.5), a.quantile(0.5));
  });

  it('counts a weight as that many values', () => {
    const h = new Histogram();
    h.add(10, 3);
    h.add(20, 1);
    assert.equal(h.quantile(0.5), quantile([10, 10, 10, 20], 0.5));
    assert.equal(h.quantile(1), 20);
  });
});

describe('VersionAggregate', () => {
  it('counts calls, successes, attempts, timeouts and phases; a weight counts that many calls, 0 none', () => {
    const a = VersionAggregate.of([rec(0, { ms: 100 }), rec(1, { ms: 200, attempts: 3, weight: 10 }), rec(2, { ok: false, ms: 300, attempts: 2 }), rec(3, { ok: false, phase: 'perceive' }), rec(4, { weight: 0 })]);
    const m = a.metrics('v1', [1, null, 0.5]);
    assert.deepEqual(
      [m.executions, m.successes, m.success_rate, m.mean_attempts, m.retries_spent, m.timeouts, m.perceive_rejections, m.feedback_count, m.mean_feedback_score],
      [13, 11, 0.8462, 2.615, 21, 1, 1, 3, 0.75],
    );
    assert.equal(a.stored, 5);
    assert.equal(a.records, 4);
  });

  it('merges to the same aggregate however the records were split, and survives JSON', () => {
    const rnd = seededRandom(9);
    const records = Array.from({ length: 3000 }, (_, i) => rec(i, { ok: rnd() > 0.2, ms: rnd() * 500, at: T0 + Math.floor(rnd() * 86_400_000) }));
    const whole = VersionAggregate.of(records);
    const parts = [VersionAggregate.of(records.slice(0, 100)), VersionAggregate.of(records.slice(100, 2000)), VersionAggregate.of(records.slice(2000))];
    const merged = VersionAggregate.fromJSON(JSON.parse(JSON.stringify(parts[2])));
    merged.merge(parts[0]!);
    merged.merge(VersionAggregate.fromJSON(JSON.parse(JSON.stringify(parts[1]))));
    assert.deepEqual(merged.metrics('v1', []), whole.metrics('v1', []));
    assert.deepEqual(merged.timeline(900), whole.timeline(900));
  });

  it('keeps at most about 60 timeline buckets, coarsening as the span grows, and counts each call once', () => {
    const a = new VersionAggregate();
    for (let i = 0; i < 500; i++) a.add(rec(i, { at: T0 + i * 60_000, ok: i % 5 > 0 }));
    const t = a.timeline(900);
    assert.ok(t.length <= 60, `${t.length} buckets`);
    assert.equal(t.reduce((s, b) => s + b.count, 0), 500);
    assert.equal(t.reduce((s, b) => s + b.failures, 0), 100);
  });
});

describe('WeightedSample', () => {
  it('equals the plain quantile and CDF with unit weights, and weighs otherwise', () => {
    const xs = [3, 1, 4, 1, 5, 9, 2, 6];
    const s = WeightedSample.of(xs.map((x) => [x, 1]));
    for (const q of [0.1, 0.5, 0.85, 0.99]) assert.equal(s.quantile(q), quantile(xs, q));
    const w = WeightedSample.of([[1, 1], [2, 3]]);
    assert.equal(w.cdf(1), 0.25);
    assert.equal(w.quantile(0.5), 2);
  });
});
