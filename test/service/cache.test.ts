// The source-hash cache: what hits, what misses, and that a broken entry is only a miss.
import assert from 'node:assert/strict';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchService } from '../../server/service/launch';
import { createPipeline } from '../../server/service/generators';
import { generatorFor } from '../../server/generator/registry';
import type { Generator } from '../../server/generator/types';
import { TranspileResponseSchema, type TranspileResponse } from '../../shared/contract/api';
import { PY_ADD, memoryLogger, pyFunction, rawCall, snapshot, tempWorkspace, type TestService, startTestService } from './helpers';

describe('source-hash cache', () => {
  let t: TestService;
  beforeEach(async () => {
    t = await startTestService();
  });
  afterEach(async () => {
    await t.close();
  });

  const transpile = async (json: Record<string, unknown>): Promise<TranspileResponse> => {
    const r = await t.call('POST', '/poet/transpile', { json: { language: 'python', ...json } });
    assert.equal(r.status, 200, r.text);
    return TranspileResponseSchema.parse(r.body);
  };
  const cacheFile = (o: TranspileResponse) => join(t.ws, '.dana/poet/cache', o.key, `${o.source_hash.slice(7)}.json`);

  it('hits on the same source, config, language and generator', async () => {
    const a = await transpile({ code: PY_ADD });
    const b = await transpile({ code: PY_ADD + '\n\n' });
    assert.equal(b.cached, true, 'trailing blank lines and line endings are normalised');
    assert.equal(b.version, a.version);
    const c = await transpile({ code: PY_ADD, config: { retries: 1 } });
    assert.equal(c.cached, true, 'a request config equal to the decorator\'s gives the same effective config');
  });

  it('misses on a config change, then hits that config again', async () => {
    const a = await transpile({ code: PY_ADD });
    const b = await transpile({ code: PY_ADD, config: { backoff: { jitter: 0.5 } } });
    assert.equal(b.cached, false);
    assert.notEqual(b.source_hash, a.source_hash);
    const back = await transpile({ code: PY_ADD });
    assert.equal(back.cached, true);
    assert.equal(back.version, 'v1');
  });

  it('misses on a source change, not on code outside the function', async () => {
    const a = await transpile({ code: PY_ADD });
    const b = await transpile({ code: PY_ADD.replace('return a + b', 'return b + a') });
    assert.equal(b.cached, false);
    assert.equal(b.metadata.reason, 'source_changed');
    const withOther = await transpile({ code: `import math\n\n${PY_ADD.replace('return a + b', 'return b + a')}\n\ndef helper():\n    return 1\n`, function_name: 'add' });
    assert.equal(withOther.cached, true);
    assert.notEqual(a.version, withOther.version);
  });

  it('misses on a language change', async () => {
    const code = 'def same(x: int) -> int:\n    return x\n';
    const py = await transpile({ code, language: 'python' });
    const r = await t.call('POST', '/poet/transpile', { json: { code, language: 'dana', key: 'same_dana' } });
    assert.equal(r.status, 200, r.text);
    assert.notEqual(r.body.source_hash, py.source_hash);
  });

  it('a corrupt entry is a logged miss, never a crash', async () => {
    const a = await transpile({ code: PY_ADD });
    await writeFile(cacheFile(a), '{"source_hash": "sha256:tru');
    const b = await transpile({ code: PY_ADD });
    assert.equal(b.cached, false);
    assert.equal(b.version, 'v2');
    assert.ok(t.logs.some((l) => /unreadable JSON file ignored/.test(l)));
    await writeFile(cacheFile(b), JSON.stringify({ source_hash: b.source_hash, version: '../../etc' }));
    const c = await transpile({ code: PY_ADD });
    assert.equal(c.cached, false, 'an entry of the wrong shape is a miss too');
    const d = await transpile({ code: PY_ADD });
    assert.equal(d.cached, true, 'and the rewritten entry hits again');
  });

  it('an entry whose version folder is gone is a miss', async () => {
    const a = await transpile({ code: PY_ADD });
    await rm(join(t.ws, '.dana/poet/functions/add/v1'), { recursive: true });
    const b = await transpile({ code: PY_ADD });
    assert.equal(b.cached, false);
    assert.equal(b.created, true);
    assert.notEqual(b.metadata.created_at, a.metadata.created_at);
    const meta = (await t.call('GET', `/poet/functions/add/versions/${b.version}`)).body;
    assert.equal(meta.metadata.created_at, b.metadata.created_at);
  });

  it('editing a user-defined domain file invalidates entries that use it', async () => {
    const dir = join(t.ws, '.dana/poet/domains');
    await mkdir(dir, { recursive: true });
    const domain = (max: number) => JSON.stringify({ description: 'test domain', inputs: [{ params: ['a', 'b'], min: 0, max }] });
    await writeFile(join(dir, 'my_rules.json'), domain(100));
    const code = PY_ADD.replace('@poet(retries=1, timeout=5)', '@poet(domain="my_rules")');
    const a = await transpile({ code });
    assert.equal(a.metadata.domain, 'my_rules');
    assert.equal((await transpile({ code })).cached, true);
    await writeFile(join(dir, 'my_rules.json'), domain(1000));
    const b = await transpile({ code });
    assert.equal(b.cached, false, 'the edited domain is not served from the cache');
    assert.equal(b.version, 'v2');
    assert.equal(b.metadata.reason, 'manual');
    assert.match(b.metadata.reason_detail ?? '', /domain definition changed/);
    // A built-in domain does not depend on those files.
    const builtin = await transpile({ code: pyFunction('other'), config: { domain: 'computation' } });
    await writeFile(join(dir, 'my_rules.json'), domain(5));
    assert.equal((await transpile({ code: pyFunction('other'), config: { domain: 'computation' } })).version, builtin.version);
  });

  it('a new generator version invalidates old entries', async () => {
    const ws = await tempWorkspace();
    const logs: string[] = [];
    const start = (bump: string) =>
      launchService({ workspace: ws, port: 0, token: 'tok', logger: memoryLogger(logs) }, (store, logger) =>
        createPipeline(store, logger, {
          generatorFor: (lang): Generator => {
            const real = generatorFor(lang);
            return { language: real.language, name: real.name, version: real.version + bump, generate: (req) => real.generate(req) };
          },
        }),
      );
    const call = (port: number) => rawCall(port, 'POST', '/poet/transpile', { token: 'tok', json: { code: PY_ADD, language: 'python' } });
    const s1 = await start('');
    const a = TranspileResponseSchema.parse((await call(s1.port)).body);
    assert.equal((await call(s1.port)).body.cached, true);
    await s1.close();
    const s2 = await start('+next');
    try {
      const before = await snapshot(join(ws, '.dana/poet/functions/add/v1'));
      const b = TranspileResponseSchema.parse((await call(s2.port)).body);
      assert.equal(b.cached, false);
      assert.equal(b.version, 'v2');
      assert.notEqual(b.source_hash, a.source_hash);
      assert.equal(b.metadata.reason, 'manual');
      assert.match(b.metadata.reason_detail ?? '', /\+next/);
      assert.deepEqual(await snapshot(join(ws, '.dana/poet/functions/add/v1')), before, 'old versions stay');
      assert.equal((await readdir(join(ws, '.dana/poet/cache/add'))).length, 2);
    } finally {
      await s2.close();
      await rm(ws, { recursive: true, force: true });
    }
  });
});
