// One contract, two stores: the same cases run over real HTTP against the service on the file
// store (a temporary workspace) and on PostgreSQL (a fresh database on a real server).
import assert from 'node:assert/strict';
import { FunctionMetricsSchema, TrainResponseSchema } from '../../shared/contract/learning';
import { PY_ADD, startTestService, tempWorkspace, type TestService } from '../service/helpers';
import { freshDatabase, needsPostgres } from '../support/postgres';
import { execution } from '../support/executions';

const STORES = ['file', 'postgres'] as const;


for (const kind of STORES) {
  describe(`store contract: ${kind}`, function () {
    this.timeout(60_000);
    let t: TestService;
    let db: { url: string; drop(): Promise<void> } | undefined;
    let ws: string;

    before(async function () {
      if (kind === 'postgres') {
        needsPostgres(this);
        db = await freshDatabase();
      }
      ws = await tempWorkspace('poet-contract-');
      t = await startTestService({ ws, store: db?.url });
    });
    after(async () => {
      await t?.close();
      await db?.drop();
    });

    it('makes a version per change and a cache hit per repeat; current can be pinned', async () => {
      const v1 = await t.call('POST', '/poet/transpile', { json: { code: PY_ADD, language: 'python', context: { file: 'calc.py' } } });
      assert.equal(v1.status, 200, v1.text);
      assert.deepEqual([v1.body.version, v1.body.created, v1.body.metadata.reason], ['v1', true, 'initial']);
      const hit = await t.call('POST', '/poet/transpile', { json: { code: PY_ADD, language: 'python' } });
      assert.deepEqual([hit.body.version, hit.body.cached, hit.body.current], ['v1', true, true]);
      const v2 = await t.call('POST', '/poet/transpile', { json: { code: PY_ADD, language: 'python', config: { timeout: 9 } } });
      assert.deepEqual([v2.body.version, v2.body.created, v2.body.metadata.reason, v2.body.metadata.parent_version], ['v2', true, 'config_changed', 'v1']);
      assert.equal(v2.body.poet_implementation.file, '.dana/poet/functions/add/v2/enhanced.py');
      assert.equal((await t.call('PUT', '/poet/functions/add/current', { json: { version: 'v1' } })).status, 200);
      const again = await t.call('POST', '/poet/transpile', { json: { code: PY_ADD, language: 'python', config: { timeout: 9 } } });
      assert.deepEqual([again.body.version, again.body.cached, again.body.current], ['v2', true, false], 'a hit does not move current');
      const list = (await t.call('GET', '/poet/functions')).body;
      assert.deepEqual(list.map((f: { key: string; current_version: string; versions: string[]; source_file: string }) => [f.key, f.current_version, f.versions, f.source_file]), [['add', 'v1', ['v1', 'v2'], 'calc.py']]);
      const detail = await t.call('GET', '/poet/functions/add/versions/v2');
      assert.equal(detail.status, 200);
      assert.match(detail.body.enhanced_code, /def add\(/);
      assert.equal((await t.call('PUT', '/poet/functions/add/current', { json: { version: 'v9' } })).status, 404);
      const other = await t.call('POST', '/poet/transpile', { json: { code: PY_ADD, language: 'python', context: { file: 'other/calc.py' } } });
      assert.equal(other.status, 409, 'one name in two files');
      assert.equal(other.body.error.details.suggested_key, 'other.calc.add');
      assert.equal((await t.call('PUT', '/poet/functions/add/current', { json: { version: 'v2' } })).status, 200);
    });

    it('drops cache entries and keeps the versions', async () => {
      const del = await t.call('DELETE', '/poet/cache/add');
      assert.equal(del.status, 200);
      assert.ok(del.body.deleted >= 2);
      const regen = await t.call('POST', '/poet/transpile', { json: { code: PY_ADD, language: 'python', config: { timeout: 9 } } });
      assert.deepEqual([regen.body.version, regen.body.metadata.reason], ['v3', 'manual']);
      assert.deepEqual((await t.call('GET', '/poet/functions')).body[0].versions, ['v1', 'v2', 'v3']);
    });

    it('records executions, one and in batches, reads each back, lists them newest first and counts them', async () => {
      const one = await t.call('POST', '/poet/executions', { json: execution(0) });
      assert.equal(one.status, 201, one.text);
      const batch = await t.call('POST', '/poet/executions', { json: Array.from({ length: 39 }, (_, i) => execution(i + 1)) });
      assert.equal(batch.status, 201, batch.text);
      const ids = [one.body.execution_id as string, ...(batch.body.execution_ids as string[])];
      for (const [i, id] of ids.entries()) {
        const got = await t.call('GET', `/poet/executions/${id}`);
        assert.equal(got.status, 200);
        assert.deepEqual(got.body.context.inputs, { a: i, b: 1 });
        assert.equal(got.body.result.status, i % 10 < 3 ? 'error' : 'success');
      }
      const list = (await t.call('GET', '/poet/functions/add/executions?limit=5&version=v1')).body;
      assert.equal(list.total, 40);
      assert.deepEqual(list.executions.map((e: { execution_id: string }) => e.execution_id), ids.slice(-5).reverse());
      const weighted = await t.call('POST', '/poet/executions', { json: [execution(100, { version: 'v2', weight: 10 }), execution(101, { version: 'v2', weight: 0 })] });
      assert.equal(weighted.status, 201);
      const m = FunctionMetricsSchema.parse((await t.call('GET', '/poet/functions/add/metrics')).body);
      const v1 = m.versions.find((v) => v.version === 'v1')!;
      assert.deepEqual([v1.executions, v1.successes, v1.p50_ms], [40, 28, 295]);
      assert.equal(m.versions.find((v) => v.version === 'v2')!.executions, 10, 'a record of weight 10 stands for 10 calls, one of weight 0 for none');
      assert.equal(m.timeline.executions.filter((b) => b.version === 'v1').reduce((s, b) => s + b.count, 0), 40);
      assert.equal((await t.call('GET', '/poet/executions/20261126T100000000Z-0000-00000000-00000000-v1')).status, 404);
    });

    it('keeps feedback on an execution, summarised per version and shown with it', async () => {
      const id = (await t.call('GET', '/poet/functions/add/executions?limit=1&version=v1')).body.executions[0].execution_id as string;
      for (const f of ['too slow', { rating: 5, scale: '1-5' }]) assert.equal((await t.call('POST', '/poet/feedback', { json: { execution_id: id, feedback: f } })).status, 201);
      const detail = (await t.call('GET', `/poet/executions/${id}`)).body;
      assert.equal(detail.feedback.length, 2);
      const summary = (await t.call('GET', '/poet/functions/add/feedback')).body;
      assert.deepEqual([summary.total_feedback, summary.versions[0].version, summary.versions[0].count], [2, 'v1', 2]);
      const list = (await t.call('GET', '/poet/functions/add/executions?limit=1&version=v1')).body;
      assert.equal(list.executions[0].feedback_count, 2);
    });

    it('trains from every recorded execution of the current version', async () => {
      assert.equal((await t.call('PUT', '/poet/functions/add/current', { json: { version: 'v1' } })).status, 200);
      const r = TrainResponseSchema.parse((await t.call('POST', '/poet/functions/add/train', { json: { promote: 'auto' } })).body);
      assert.equal(r.status, 'trained', r.message);
      assert.deepEqual([r.evidence.executions, r.evidence.failures, r.evidence.feedback], [40, 12, 2]);
      assert.equal(r.current_version, r.new_version);
      const meta = (await t.call('GET', `/poet/functions/add/versions/${r.new_version}`)).body.metadata;
      assert.deepEqual([meta.reason, meta.parent_version], ['trained', 'v1']);
    });

    it('keeps learning settings across a restart', async () => {
      const put = await t.call('PUT', '/poet/learning/settings', { json: { min_executions: 12 } });
      assert.equal(put.status, 200);
      await t.close();
      t = await startTestService({ ws, store: db?.url });
      assert.equal((await t.call('GET', '/poet/learning/settings')).body.min_executions, 12);
      assert.equal((await t.call('GET', '/poet/functions/add/executions?limit=1&version=v1')).body.total, 40, 'and the executions');
    });

    it('serialises one function: 50 concurrent identical transpiles make one version', async () => {
      const code = PY_ADD.replace(/\badd\b/g, 'burst');
      const replies = await Promise.all(Array.from({ length: 50 }, () => t.call('POST', '/poet/transpile', { json: { code, language: 'python' } })));
      assert.ok(replies.every((r) => r.status === 200), replies.map((r) => r.text.slice(0, 100)).join('\n'));
      assert.deepEqual([...new Set(replies.map((r) => r.body.version))], ['v1']);
      assert.equal(replies.filter((r) => r.body.created).length, 1);
    });
  });
}
