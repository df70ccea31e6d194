// One request cannot stall the service (issue 12, defect 7). Big texts are parsed in a worker
// thread (server/service/parser.ts): while one is being parsed, other requests are answered.
// The proof is an observation no blocking implementation can make: /poet/health reports the
// big parse in flight, and GET /health and a small transpile complete between two such reports.
// (A parse on the event loop would let no request through between its start and its end.)
import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorBodySchema } from '../../shared/contract/errors';
import { OFF_LOOP_CHARS } from '../../server/service/parser';
import { PY_ADD, startTestService, type Reply, type TestService } from './helpers';

const ROOT = join(__dirname, '..', '..');

/**
 * About `chars` of real Python: the examples' functions, renamed on each repetition (a
 * `__future__` import is only valid at the top, so those go).
 */
function bigPython(chars: number): string {
  const files = execSync('ls examples/*/*.py', { cwd: ROOT, encoding: 'utf8' }).trim().split('\n');
  const base = files.map((f) => readFileSync(join(ROOT, f), 'utf8').replace(/^from __future__ .*$/gm, '')).join('\n');
  let code = '';
  for (let i = 0; code.length < chars; i++) code += base.replace(/def (\w+)/g, (_m, n: string) => `def ${n}_${i}`) + '\n';
  return code;
}

const inFlight = (r: Reply): number => r.body?.components?.parser?.in_flight ?? 0;

describe('one request cannot stall the service', function () {
  this.timeout(120_000);
  let t: TestService;
  before(async () => {
    t = await startTestService();
    assert.equal((await t.call('POST', '/poet/transpile', { json: { code: PY_ADD, language: 'python' } })).status, 200);
  });
  after(() => t.close());

  it('answers /health and small transpiles while a 400 KB Python file is being parsed', async () => {
    const code = bigPython(400_000);
    const name = /^def (\w+_3)\(/m.exec(code)![1]!;
    let settled = false;
    const big = t.call('POST', '/poet/transpile', { json: { code, language: 'python', function_name: name } }).finally(() => (settled = true));
    let proofs = 0;
    let polls = 0;
    while (!settled) {
      polls++;
      if (!inFlight(await t.call('GET', '/poet/health'))) continue;
      const health = await t.call('GET', '/health', { noAuth: true });
      const small = await t.call('POST', '/poet/transpile', { json: { code: PY_ADD, language: 'python' } });
      assert.equal(health.status, 200);
      assert.equal(small.status, 200, small.text);
      if (inFlight(await t.call('GET', '/poet/health'))) proofs++;
    }
    const r = await big;
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.function_name, name);
    assert.ok(proofs >= 1, `no request was answered while the big parse ran (${polls} polls)`);
  });

  it(`texts under ${OFF_LOOP_CHARS} characters are parsed inline; the worker stays stopped`, async () => {
    const t2 = await startTestService();
    try {
      assert.equal((await t2.call('POST', '/poet/transpile', { json: { code: PY_ADD, language: 'python' } })).status, 200);
      const parser = (await t2.call('GET', '/poet/health')).body.components.parser;
      assert.deepEqual(parser, { ok: true, worker: 'stopped', in_flight: 0, off_loop_from_chars: OFF_LOOP_CHARS });
    } finally {
      await t2.close();
    }
  });

  it('a text whose parse would exhaust memory is a 413, and the service keeps serving', async () => {
    // A chain of 200,000 additions needs over 200 MB to parse: on the event loop it took the
    // whole service down (heap out of memory under the shipped profile); in the worker it
    // costs the worker, which is replaced.
    const code = `def chain(x: int) -> int:\n    return ${'x' + ' + 1'.repeat(200_000)}\n`;
    const r = await t.call('POST', '/poet/transpile', { json: { code, language: 'python' } });
    assert.equal(r.status, 413, r.text.slice(0, 300));
    assert.equal(ErrorBodySchema.parse(r.body).error.code, 'payload_too_large');
    assert.match(r.body.error.message, /too large to parse/);
    assert.equal((await t.call('GET', '/health')).status, 200);
    const again = await t.call('POST', '/poet/transpile', { json: { code: bigPython(20_000), language: 'python', function_name: 'polygon_area_0' } });
    assert.equal(again.status, 200, again.text.slice(0, 300));
  });
});
