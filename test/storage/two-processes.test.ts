// Two `poet serve` processes on one store, as a team's service runs behind one URL: on one
// PostgreSQL database, and (the same cases) on one workspace's files. Identical transpiles
// across both make one version; Train on either sees the executions posted to both; and a
// SIGKILL of one during a burst loses no record either had acknowledged.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { rm } from 'node:fs/promises';
import { TrainResponseSchema } from '../../shared/contract/learning';
import { PY_ADD, rawCall, tempWorkspace, type Reply } from '../service/helpers';
import { freshDatabase, needsPostgres } from '../support/postgres';
import { execution } from '../support/executions';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const TOKEN = 'two-processes-token';

interface Server {
  child: ChildProcess;
  port: number;
  call(method: string, path: string, json?: unknown): Promise<Reply>;
}

async function serve(ws: string, store: string | undefined): Promise<Server> {
  const child = spawn(process.execPath, [CLI, 'serve', '--workspace', ws, '--port', '0'], {
    env: { ...process.env, POET_API_KEY: TOKEN, POET_LOG_LEVEL: 'warn', POET_STORE: store ?? '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((ok, fail) => {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(l);
      if (m) ok(Number(m[1]));
    });
    child.once('exit', (c) => fail(new Error(`poet serve exited with ${c}`)));
  });
  return { child, port, call: (method, path, json) => rawCall(port, method, path, { token: TOKEN, ...(json !== undefined ? { json } : {}) }) };
}

const stop = async (s: Server | undefined) => {
  if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return;
  s.child.kill('SIGTERM');
  await new Promise((r) => s.child.once('exit', r));
};


for (const kind of ['postgres', 'file'] as const) {
  describe(`two poet serve processes on one ${kind === 'postgres' ? 'PostgreSQL database' : 'workspace'}`, function () {
    this.timeout(120_000);
    let db: { url: string; drop(): Promise<void> } | undefined;
    let ws: string;
    let a: Server | undefined;
    let b: Server | undefined;

    before(async function () {
      if (kind === 'postgres') {
        needsPostgres(this);
        db = await freshDatabase();
      }
      ws = await tempWorkspace('poet-two-');
      // One after the other: the first migrates the database.
      a = await serve(ws, db?.url);
      b = await serve(ws, db?.url);
    });
    after(async () => {
      await Promise.all([stop(a), stop(b)]);
      await db?.drop();
      if (ws) await rm(ws, { recursive: true, force: true });
    });

    it('50 concurrent identical transpiles split across both give exactly one version', async () => {
      const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a! : b!).call('POST', '/poet/transpile', { code: PY_ADD, language: 'python' })));
      assert.ok(replies.every((r) => r.status === 200), replies.find((r) => r.status !== 200)?.text);
      assert.deepEqual([...new Set(replies.map((r) => r.body.version))], ['v1']);
      assert.equal(replies.filter((r) => r.body.created).length, 1);
      for (const s of [a!, b!]) assert.deepEqual((await s.call('GET', '/poet/functions')).body[0].versions, ['v1']);
    });

    it('executions posted to both are all seen by Train on either', async () => {
      const posted = await Promise.all([
        a!.call('POST', '/poet/executions', Array.from({ length: 20 }, (_, i) => execution(i))),
        b!.call('POST', '/poet/executions', Array.from({ length: 15 }, (_, i) => execution(20 + i))),
        ...Array.from({ length: 5 }, (_, i) => b!.call('POST', '/poet/executions', execution(35 + i))),
      ]);
      assert.ok(posted.every((r) => r.status === 201), posted.map((r) => r.text).join('\n'));
      for (const s of [a!, b!]) {
        const r = TrainResponseSchema.parse((await s.call('POST', '/poet/functions/add/train', { dry_run: true })).body);
        assert.deepEqual([r.evidence.executions, r.evidence.failures], [40, 12], `Train on ${s === a ? 'the first' : 'the second'}`);
        const m = (await s.call('GET', '/poet/functions/add/metrics')).body;
        assert.equal(m.versions[0].executions, 40);
      }
    });

    it('SIGKILL of one during a burst loses no acknowledged record', async () => {
      assert.equal((await a!.call('POST', '/poet/transpile', { code: PY_ADD, language: 'python' })).status, 200);
      const before = (await b!.call('GET', '/poet/functions/add/executions?limit=1')).body.total as number;
      const acked: string[] = [];
      let sent = 0;
      let stopAt = Infinity;
      const lane = async (s: Server) => {
        while (Date.now() < stopAt) {
          const batch = Array.from({ length: 25 }, () => execution(sent++));
          const r = await s.call('POST', '/poet/executions', batch).catch(() => undefined);
          if (r?.status === 201) acked.push(...(r.body.execution_ids as string[]));
          else if (s === a) return; // the killed one: nothing more to send it
        }
      };
      const lanes = [a!, a!, b!, b!].map(lane);
      // Kill the first once both have acknowledged some records, mid-burst.
      const deadline = Date.now() + 30_000;
      while (acked.length < 400 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      a!.child.kill('SIGKILL');
      await new Promise((r) => a!.child.once('exit', r));
      stopAt = Date.now() + 300;
      await Promise.all(lanes);
      assert.ok(acked.length > 400);
      const total = (await b!.call('GET', '/poet/functions/add/executions?limit=1')).body.total as number;
      assert.ok(total - before >= acked.length, `${total - before} stored, ${acked.length} acknowledged`);
      const m = (await b!.call('GET', '/poet/functions/add/metrics')).body;
      assert.ok(m.versions[0].executions - before >= acked.length);
      let next = 0;
      const reader = async () => {
        while (next < acked.length) {
          const id = acked[next++]!;
          const r = await b!.call('GET', `/poet/executions/${id}`);
          assert.equal(r.status, 200, `acknowledged ${id} is gone: ${r.text}`);
        }
      };
      await Promise.all(Array.from({ length: 8 }, reader));
      console.log(`      ${acked.length} acknowledged records, all read back after the SIGKILL`);
      // A fresh process on the same store starts and sees them too.
      a = await serve(ws, db?.url);
      assert.equal((await a.call('GET', '/poet/functions/add/executions?limit=1')).body.total, total);
    });
  });
}
