// RowWindow (server/storage/records/row-window.ts): the learning rows' memory is bounded by bytes
// across all functions, oldest rows out first; and the weights the stores use for feedback rows
// (feedback-rows.ts) and execution aggregates (aggregate.ts) are at least what V8 really spends.
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { ExecutionRecord } from '../../shared/contract/learning';
import { VersionAggregate } from '../../server/storage/records/aggregate';
import { feedbackWeight, type FeedbackRow } from '../../server/storage/records/feedback-rows';
import { newRecordId } from '../../server/storage/records/ids';
import { RowWindow } from '../../server/storage/records/row-window';

describe('RowWindow', () => {
  it('keeps the newest rows within its byte budget, the oldest of any key out first', () => {
    const w = new RowWindow<{ n: number }>(100, () => 10);
    for (let i = 0; i < 25; i++) w.add(i % 3 === 0 ? 'a' : 'b', `id${String(i).padStart(3, '0')}`, { n: i });
    assert.equal(w.size, 10);
    assert.equal(w.byteSize, 100);
    const held = [...w.rows('a'), ...w.rows('b')].map((r) => r.n).sort((x, y) => x - y);
    assert.deepEqual(held, [15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    assert.deepEqual(w.rows('a').map((r) => r.n), [15, 18, 21, 24], 'in arrival order');
    assert.ok(!w.has('id014') && w.has('id015'));
  });

  it('remembers per key the newest id that left, so that a rescan does not read it again', () => {
    const w = new RowWindow<{ n: number }>(30, () => 10);
    for (const [key, id] of [['a', 'a1'], ['b', 'b1'], ['a', 'a2'], ['b', 'b2'], ['a', 'a3']] as const) w.add(key, id, { n: 0 });
    assert.equal(w.floor('a'), 'a1');
    assert.equal(w.floor('b'), 'b1');
    assert.equal(w.floor('c'), '');
    assert.equal(w.floor(), 'b1');
  });

  it('ignores an id it holds already, and empties keys whose rows all left', () => {
    const w = new RowWindow<{ n: number }>(20, () => 10);
    w.add('a', 'x', { n: 1 });
    w.add('a', 'x', { n: 2 });
    assert.equal(w.size, 1);
    w.add('b', 'y', { n: 3 });
    w.add('b', 'z', { n: 4 });
    assert.deepEqual(w.rows('a'), []);
    assert.equal(w.size, 2);
  });

  it('stays within budget over many rows (the arrays are compacted as rows leave)', () => {
    const w = new RowWindow<{ n: number }>(1000, () => 10);
    for (let i = 0; i < 100_000; i++) w.add(`k${i % 7}`, `id${String(i).padStart(6, '0')}`, { n: i });
    assert.equal(w.size, 100);
    assert.equal(w.rows('k0').length + w.rows('k1').length + w.rows('k2').length + w.rows('k3').length + w.rows('k4').length + w.rows('k5').length + w.rows('k6').length, 100);
  });

  it('the row weights the learning records use cover what V8 spends on each row', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const measure = (n: number, add: (w: RowWindow<unknown>, i: number) => number): { measured: number; estimated: number } => {
      gc();
      gc();
      const before = process.memoryUsage().heapUsed;
      const w = new RowWindow<unknown>(Number.MAX_SAFE_INTEGER, () => 0);
      let estimated = 0;
      for (let i = 0; i < n; i++) estimated += add(w, i);
      gc();
      gc();
      const measured = (process.memoryUsage().heapUsed - before) / n;
      assert.equal(w.size, n); // keeps `w` alive until measured
      return { measured, estimated: estimated / n };
    };
    const versions = ['v1', 'v2', 'v3'];
    // Aggregates after many records: a full histogram (bins) and a full timeline.
    const record = (i: number): ExecutionRecord => ({
      context: { execution_id: `e${i}`, function_name: 'f', version: 'v1', inputs: null, inputs_truncation: { truncated: false, original_bytes: 4, limit_bytes: 16384 }, context: null, started_at: new Date(1.8e12 + i * 7_000).toISOString(), recorded_at: '' },
      result: { execution_id: `e${i}`, status: i % 4 ? 'success' : 'error', duration_ms: 0.5 * 1.013 ** (i % 700), attempts: 1 },
    });
    const agg = measure(200, (w, i) => {
      const a = VersionAggregate.of(Array.from({ length: 800 }, (_, j) => record(j + i)));
      w.add('aggregates', String(i), a);
      return a.bytes;
    });
    const fb = measure(20_000, (w, i) => {
      const f = JSON.parse(JSON.stringify({ stamp: `20261204T1510${String(i).padStart(8, '0')}Z-0000`, execution_id: newRecordId(), issues: i % 2 ? ['slow', 'wrong answer'] : [] })) as { stamp: string; execution_id: string; issues: string[] };
      const row: FeedbackRow = { stamp: f.stamp, execution_id: f.execution_id, version: versions[i % 3]!, created: 1.8e12 + i, sentiment: 'positive', feedback_type: 'rating', score: (i % 10) / 10, issues: f.issues };
      w.add(`fn_${i % 10}`, `fn_${i % 10}/${row.stamp}`, row);
      return feedbackWeight(row);
    });
    assert.ok(agg.measured <= agg.estimated, `an execution aggregate takes ${agg.measured.toFixed(0)} bytes, estimated ${agg.estimated.toFixed(0)}`);
    assert.ok(fb.measured <= fb.estimated, `a feedback row takes ${fb.measured.toFixed(0)} bytes, estimated ${fb.estimated.toFixed(0)}`);
  });
});
