// The PostgreSQL store's aggregates: commits only insert small deltas; merging them into the
// base row (compaction, in the background) never loses or doubles a count, also while commits
// keep arriving.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import pg from 'pg';
import { buildExecution } from '../../server/learning/records';
import { PgStore } from '../../server/storage/postgres/pg-store';
import { tempWorkspace } from '../service/helpers';
import { freshDatabase, needsPostgres } from '../support/postgres';

const report = (i: number) => ({
  function_name: 'add',
  version: 'v1',
  inputs: { a: i, b: 1 },
  ...(i % 4 ? { output: i + 1 } : { error: { type: 'ConnectionError', message: 'reset', phase: 'operate' } }),
  duration_ms: 1 + (i % 50),
  attempts: 1,
  started_at: new Date(Date.UTC(2026, 10, 26) + i * 1000).toISOString(),
});

describe('PostgreSQL store: aggregate deltas and their compaction', function () {
  this.timeout(60_000);
  let db: { url: string; drop(): Promise<void> } | undefined;
  let ws: string;

  before(async function () {
    needsPostgres(this);
    db = await freshDatabase();
    ws = await tempWorkspace('poet-pgagg-');
  });
  after(async () => {
    await db?.drop();
    if (ws) await rm(ws, { recursive: true, force: true });
  });

  it('counts every record exactly before, during and after compaction, with commits from two stores at once', async () => {
    const a = await PgStore.open({ url: db!.url, workspace: ws });
    const b = await PgStore.open({ url: db!.url, workspace: ws });
    const counted = async () => (await a.executions.aggregates('add')).get('v1')?.metrics('v1', []);
    try {
      let i = 0;
      // 300 commits of one record, from two stores (two processes' worth), two at a time.
      for (let k = 0; k < 150; k++) {
        await Promise.all([a.executions.append([buildExecution(report(i++))]), b.executions.append([buildExecution(report(i++))])]);
        if (k % 50 === 49) assert.deepEqual([(await counted())!.executions, (await counted())!.successes], [i, (i * 3) / 4]);
      }
    } finally {
      await a.close();
      await b.close();
    }
    const check = await PgStore.open({ url: db!.url, workspace: ws });
    const c = new pg.Client({ connectionString: db!.url });
    await c.connect();
    try {
      const left = Number((await c.query('SELECT count(*) AS n FROM poet_aggregate_deltas')).rows[0].n);
      assert.ok(left < 150, `${left} deltas left: compaction merged the rest into the base row`);
      assert.equal((await c.query('SELECT count(*) AS n FROM poet_aggregates')).rows[0].n, '1');
      const m = (await check.executions.aggregates('add')).get('v1')!.metrics('v1', []);
      assert.deepEqual([m.executions, m.successes, m.perceive_rejections], [300, 225, 0]);
    } finally {
      await c.end();
      await check.close();
    }
  });
});
