// Learning records across service restarts (the file store's execution log and aggregates): a
// new service finds the records of the one before it, newest first, and counts them in its
// metrics, also when an execution arrives before anything has read the log.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { ExecutionListSchema, FeedbackSummarySchema } from '../../shared/contract/learning';
import { PY_ADD, startTestService, tempWorkspace } from '../service/helpers';

const execution = (i: number) => ({
  function_name: 'add',
  version: 'v1',
  inputs: { a: i, b: 1 },
  output: i + 1,
  duration_ms: 1,
  attempts: 1,
  started_at: new Date(1_800_000_000_000 + i * 1000).toISOString(),
});

describe('learning records across restarts', function () {
  this.timeout(30_000);

  it('a new service lists the earlier records with its own, newest first, and keeps their feedback', async () => {
    const ws = await tempWorkspace('poet-records-');
    try {
      const ids: string[] = [];
      const first = await startTestService({ ws });
      try {
        assert.equal((await first.call('POST', '/poet/transpile', { json: { code: PY_ADD, language: 'python' } })).status, 200);
        for (let i = 0; i < 20; i++) ids.push((await first.call('POST', '/poet/executions', { json: execution(i) })).body.execution_id);
        assert.equal((await first.call('POST', '/poet/feedback', { json: { execution_id: ids[3], feedback: 'too slow' } })).status, 201);
      } finally {
        await first.close();
      }
      const second = await startTestService({ ws });
      try {
        // An execution before anything has read the folder: the earlier ones are still found.
        ids.push((await second.call('POST', '/poet/executions', { json: execution(20) })).body.execution_id);
        const list = ExecutionListSchema.parse((await second.call('GET', '/poet/functions/add/executions?limit=1000')).body);
        assert.equal(list.total, 21);
        assert.deepEqual(list.executions.map((e) => e.execution_id), [...ids].reverse());
        assert.equal(list.executions.find((e) => e.execution_id === ids[3])?.feedback_count, 1);
        const detail = await second.call('GET', `/poet/executions/${ids[3]}`);
        assert.equal(detail.body.feedback.length, 1);
        const summary = FeedbackSummarySchema.parse((await second.call('GET', '/poet/functions/add/feedback')).body);
        assert.equal(summary.total_feedback, 1);
        assert.equal(summary.versions[0]?.recent[0]?.execution_id, ids[3]);
        const fm = (await second.call('GET', '/poet/functions/add/metrics')).body;
        assert.equal(fm.versions[0].executions, 21, 'the aggregate covers both services\' records');
        const m = (await second.call('GET', '/poet/metrics')).body;
        assert.equal(m.learning_memory.aggregates, 1);
        assert.equal(m.learning_memory.feedback_rows, 1);
      } finally {
        await second.close();
      }
    } finally {
      await rm(ws, { recursive: true, force: true });
    }
  });
});
