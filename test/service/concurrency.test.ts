// 50 parallel transpiles: of one input (exactly one new version), of different functions,
// and of one function with different configs (50 versions, none lost or duplicated).
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TranspileResponseSchema, type TranspileResponse } from '../../shared/contract/api';
import { PY_ADD, pyFunction, rawCall, startTestService, type TestService } from './helpers';

describe('service concurrency', function () {
  // Each new version costs three fsync rounds; on a busy CI disk 50 of them can take a while.
  this.timeout(120_000);
  let t: TestService;
  beforeEach(async () => {
    t = await startTestService();
  });
  afterEach(async () => {
    await t.close();
  });

  const transpile = async (json: unknown): Promise<TranspileResponse> => {
    const r = await t.call('POST', '/poet/transpile', { json });
    assert.equal(r.status, 200, r.text);
    return TranspileResponseSchema.parse(r.body);
  };

  it('50 identical transpiles make exactly one version', async () => {
    const outs = await Promise.all(Array.from({ length: 50 }, () => transpile({ code: PY_ADD, language: 'python' })));
    assert.deepEqual(new Set(outs.map((o) => o.version)), new Set(['v1']));
    assert.equal(outs.filter((o) => o.created).length, 1);
    assert.equal(outs.filter((o) => o.cached).length, 49);
    const entries = (await readdir(join(t.ws, '.dana/poet/functions/add'))).filter((n) => /^v\d+$/.test(n));
    assert.deepEqual(entries, ['v1']);
  });

  it('50 different functions in parallel each get v1', async () => {
    const outs = await Promise.all(Array.from({ length: 50 }, (_, i) => transpile({ code: pyFunction(`fn_${i}`), language: 'python' })));
    assert.ok(outs.every((o) => o.version === 'v1' && o.created));
    const list = (await t.call('GET', '/poet/functions')).body as Array<{ key: string; current_version: string }>;
    assert.equal(list.length, 50);
    assert.ok(list.every((f) => f.current_version === 'v1'));
  });

  it('50 configs of one function in parallel make v1..v50, each complete', async () => {
    const outs = await Promise.all(
      Array.from({ length: 50 }, (_, i) => transpile({ code: PY_ADD, language: 'python', config: { timeout: i + 1 } })),
    );
    const versions = outs.map((o) => o.version).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
    assert.deepEqual(versions, Array.from({ length: 50 }, (_, i) => `v${i + 1}`));
    for (const o of outs) {
      const meta = JSON.parse(await readFile(join(t.ws, `.dana/poet/functions/add/${o.version}/metadata.json`), 'utf8'));
      assert.equal(meta.source_hash, o.source_hash);
      assert.equal(meta.config.timeout, o.metadata.config.timeout);
    }
    const detail = (await t.call('GET', '/poet/functions/add')).body as { versions: Array<{ version: string; parent_version: string | null }> };
    assert.equal(detail.versions.length, 50);
    // Serialised: each version's parent is the one before it.
    for (const v of detail.versions.slice(1)) assert.equal(v.parent_version, `v${Number(v.version.slice(1)) - 1}`);
    const index = JSON.parse(await readFile(join(t.ws, '.dana/poet/functions/add/index.json'), 'utf8'));
    assert.equal(index.versions.length, 50);
  });

  it('two processes on one workspace still make exactly one version', async () => {
    // A second service in a child process, sharing the workspace: only the lock file serialises them.
    const child = fork(join(__dirname, 'fixtures', 'child-service.ts'), [t.ws], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    try {
      const port = await new Promise<number>((ok, fail) => {
        child.once('message', (m) => ok((m as { port: number }).port));
        child.once('exit', (c) => fail(new Error(`child exited ${c}`)));
      });
      const code = pyFunction('shared_fn');
      const viaChild = (i: number) =>
        rawCall(port, 'POST', '/poet/transpile', { token: 'child-token', json: { code, language: 'python', config: { retries: i % 2 } } });
      const viaParent = (i: number) => t.call('POST', '/poet/transpile', { json: { code, language: 'python', config: { retries: i % 2 } } });
      const rs = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? viaChild(i >> 1) : viaParent(i >> 1))));
      for (const r of rs) assert.equal(r.status, 200, r.text);
      const dirs = (await readdir(join(t.ws, '.dana/poet/functions/shared_fn'))).filter((n) => /^v\d+$/.test(n)).sort();
      assert.deepEqual(dirs, ['v1', 'v2'], 'two configs → two versions, across both processes');
      assert.equal(rs.filter((r) => r.body.created).length, 2);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
