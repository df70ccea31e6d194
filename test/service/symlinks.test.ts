// Symbolic links inside .dana/poet/ are never followed (server/storage/links.ts). A repository
// can ship a .dana/ folder whose links point outside the workspace; the service must answer
// 409 `symlink_refused` naming the link, and write nothing where it points. Real links, real
// service, a real folder outside the workspace that must stay empty.
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorBodySchema } from '../../shared/contract/errors';
import { startService } from '../../server/service/start';
import { PY_ADD, memoryLogger, rawCall, startTestService, type Reply, type TestService } from './helpers';

const EXECUTION = { function_name: 'add', version: 'v1', inputs: { a: 1, b: 2 }, output: 3, duration_ms: 1, attempts: 1, started_at: '2026-01-01T00:00:00Z' };

function expectRefused(r: Reply, link: string): void {
  assert.equal(r.status, 409, r.text);
  const e = ErrorBodySchema.parse(r.body).error;
  assert.equal(e.code, 'symlink_refused');
  assert.equal((e.details as { link: string }).link, link);
  assert.ok(e.message.includes(link), e.message);
}

describe('symbolic links inside .dana/poet', function () {
  this.timeout(60_000);
  let t: TestService;
  let outside: string;
  const poet = () => join(t.ws, '.dana/poet');
  const transpile = (code = PY_ADD, extra: object = {}) => t.call('POST', '/poet/transpile', { json: { code, language: 'python', ...extra } });
  /** Replaces `rel` (under the workspace) by a link to the outside folder. */
  const linkOut = async (rel: string) => {
    await rm(join(t.ws, rel), { recursive: true, force: true });
    await mkdir(join(t.ws, rel, '..'), { recursive: true });
    await symlink(outside, join(t.ws, rel));
  };
  const outsideIsEmpty = async () => assert.deepEqual(await readdir(outside), [], 'nothing was written outside the workspace');

  beforeEach(async () => {
    t = await startTestService();
    outside = await mkdtemp(join(tmpdir(), 'poet-outside-'));
  });
  afterEach(async () => {
    await t.close();
    await rm(outside, { recursive: true, force: true });
  });

  for (const rel of ['.dana', '.dana/poet', '.dana/poet/functions', '.dana/poet/functions/add', '.dana/poet/cache', '.dana/poet/cache/add', '.dana/poet/.locks', '.dana/poet/runtime']) {
    it(`a transpile refuses ${rel} as a link`, async () => {
      await linkOut(rel);
      expectRefused(await transpile(), rel);
      await outsideIsEmpty();
    });
  }

  it('executions, their log and feedback refuse their folders as links', async () => {
    assert.equal((await transpile()).status, 200);
    const ok = await t.call('POST', '/poet/executions', { json: EXECUTION });
    assert.equal(ok.status, 201, ok.text);
    await linkOut('.dana/poet/feedback');
    expectRefused(await t.call('POST', '/poet/feedback', { json: { execution_id: ok.body.execution_id, feedback: 'good' } }), '.dana/poet/feedback');
    await outsideIsEmpty();
    await rm(join(poet(), 'feedback'));
    // Feedback keeps its record as executions/{id}/: not through a link.
    await linkOut('.dana/poet/executions');
    expectRefused(await t.call('POST', '/poet/feedback', { json: { execution_id: ok.body.execution_id, feedback: 'good' } }), '.dana/poet/executions');
    await outsideIsEmpty();
    await linkOut('.dana/poet/execution-log');
    expectRefused(await t.call('POST', '/poet/executions', { json: EXECUTION }), '.dana/poet/execution-log');
    await outsideIsEmpty();
  });

  it('learning settings and learned domains refuse a linked folder', async () => {
    await linkOut('.dana/poet/learning');
    expectRefused(await t.call('PUT', '/poet/learning/settings', { json: { min_executions: 10 } }), '.dana/poet/learning');
    await outsideIsEmpty();
  });

  it('reads refuse a linked version folder, current pointer or cache entry, naming it', async () => {
    assert.equal((await transpile()).status, 200);
    const fn = join(poet(), 'functions/add');
    // A version folder moved outside and linked back: readable content, but not through a link.
    await rm(outside, { recursive: true });
    await rename(join(fn, 'v1'), outside);
    await symlink(outside, join(fn, 'v1'));
    expectRefused(await t.call('GET', '/poet/functions/add/versions/v1'), '.dana/poet/functions/add/v1');
    await rm(join(fn, 'v1'));
    await cp(outside, join(fn, 'v1'), { recursive: true });
    assert.equal((await t.call('GET', '/poet/functions/add/versions/v1')).status, 200);

    const elsewhere = join(outside, 'current');
    await writeFile(elsewhere, 'v1\n');
    await rm(join(fn, 'current'));
    await symlink(elsewhere, join(fn, 'current'));
    expectRefused(await t.call('GET', '/poet/functions/add'), '.dana/poet/functions/add/current');
    expectRefused(await t.call('GET', '/poet/functions'), '.dana/poet/functions/add/current');
    await rm(join(fn, 'current'));
    await writeFile(join(fn, 'current'), 'v1\n');

    const cacheDir = join(poet(), 'cache/add');
    const [entry] = await readdir(cacheDir);
    await cp(join(cacheDir, entry!), join(outside, entry!));
    await rm(join(cacheDir, entry!));
    await symlink(join(outside, entry!), join(cacheDir, entry!));
    expectRefused(await transpile(), `.dana/poet/cache/add/${entry}`);
  });

  it('a user domain folder that is a link is refused before the generator reads it', async () => {
    await writeFile(join(outside, 'shop.json'), JSON.stringify({ description: 'shop', inputs: [], outputs: [] }));
    await mkdir(poet(), { recursive: true });
    await symlink(outside, join(poet(), 'domains'));
    const r = await transpile(PY_ADD, { config: { domain: 'shop' } });
    expectRefused(r, '.dana/poet/domains');
  });

  it('a workspace reached through a link of its own is fine: only links below it are refused', async () => {
    const via = join(outside, 'ws-link');
    await symlink(t.ws, via);
    const svc = await startService({ workspace: via, port: 0, token: 'tok', logger: memoryLogger([]) });
    try {
      const r = await rawCall(svc.port, 'POST', '/poet/transpile', { token: 'tok', json: { code: PY_ADD, language: 'python' } });
      assert.equal(r.status, 200, r.text);
    } finally {
      await svc.close();
    }
  });
});
