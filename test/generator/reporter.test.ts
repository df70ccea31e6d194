// The generated Python's reporter against the real service: calls go in batches from one
// background thread, sampling keeps failures and the calls whose ids are asked for, and a service
// that is not listening yet gets the calls once it is, without the caller waiting.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { FunctionMetricsSchema, ServiceMetricsSchema } from '../../shared/contract/learning';
import { startTestService, type TestService } from '../service/helpers';
import { enhancedScript, lines, python, write } from './helpers';

const CODE = 'def double(x: int) -> int:\n    return x * 2\n';

async function enhanceDouble(t: TestService): Promise<string> {
  write(t.ws, 'm.py', CODE);
  const r = await t.call('POST', '/poet/transpile', { json: { code: CODE, language: 'python', context: { file: 'm.py' } } });
  assert.equal(r.status, 200, r.text);
  return r.body.version as string;
}

const posts = async (t: TestService) =>
  ServiceMetricsSchema.parse((await t.call('GET', '/poet/metrics')).body).requests.filter((r) => r.method === 'POST' && r.route === '/poet/executions' && r.status === 201).reduce((n, r) => n + r.count, 0);

describe('generated Python: the reporter, against the service', function () {
  this.timeout(120_000);

  it('sends the calls in batches: every one recorded, in far fewer requests', async () => {
    const t = await startTestService();
    try {
      const v = await enhanceDouble(t);
      const out = lines(await python(t.ws, enhancedScript('double', v, 'for i in range(300):\n    e.double(i)\nout(e.flush_reports())'), { POET_API_URL: t.svc.url, POET_API_KEY: t.token }));
      assert.deepEqual(out, [true]);
      const list = (await t.call('GET', '/poet/functions/double/executions?limit=1000')).body;
      assert.equal(list.total, 300);
      assert.deepEqual(list.executions.map((e: { inputs_preview: string }) => e.inputs_preview).reverse(), Array.from({ length: 300 }, (_, i) => `{"x":${i}}`), 'in call order');
      const requests = await posts(t);
      assert.ok(requests <= 150, `${requests} requests for 300 calls`);
    } finally {
      await t.close();
    }
  });

  it('samples successes when told, keeping every failure and the call whose id is asked for', async () => {
    const t = await startTestService();
    try {
      const v = await enhanceDouble(t);
      const script = [
        'for i in range(400):',
        '    e.double(i)',
        '    if i % 20 == 0:',
        '        err(e.double, "not a number")',
        'e.double(1000)',
        'out(e.double.last_execution_id())',
      ].join('\n');
      const out = lines(await python(t.ws, enhancedScript('double', v, script), { POET_API_URL: t.svc.url, POET_API_KEY: t.token, POET_SAMPLE_RATE: '0.25' }));
      const id = out[out.length - 1] as string;
      const last = (await t.call('GET', `/poet/executions/${id}`)).body;
      assert.deepEqual(last.context.inputs, { x: 1000 }, 'the call asked for was sent');
      assert.ok(last.result.weight === 4 || last.result.weight === 0, `weight ${last.result.weight}: sampled in, or held and sent with weight 0`);
      const m = FunctionMetricsSchema.parse((await t.call('GET', '/poet/functions/double/metrics')).body).versions.find((x) => x.version === v)!;
      assert.equal(m.perceive_rejections, 20, 'every failure kept');
      assert.equal(m.executions - m.successes, 20);
      // 401 successes, about a quarter sent, each standing for 4 calls (a binomial: ±5 σ).
      assert.ok(m.successes % 4 === 0 && m.successes >= 4 * 50 && m.successes <= 4 * 150, `${m.successes} successes counted`);
      const stored = (await t.call('GET', '/poet/functions/double/executions?limit=1')).body.total;
      assert.ok(stored < 200, `${stored} records stored for 421 calls`);
    } finally {
      await t.close();
    }
  });

  it('does not hold the caller while the service is down, and sends the calls once it listens', async () => {
    // A port nothing listens on yet.
    const port = await new Promise<number>((ok) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => ok(p));
      });
    });
    const boot = await startTestService();
    const v = await enhanceDouble(boot);
    const ws = boot.ws;
    const token = boot.token;
    await boot.svc.close();
    const script = enhancedScript(
      'double',
      v,
      ['import time', 't0 = time.monotonic()', 'r = [e.double(i) for i in range(5)]', 'out({"results": r, "flushed": e.flush_reports(), "s": time.monotonic() - t0})', 'sys.stdout.flush()', 'while not e.flush_reports(0.5):', '    time.sleep(0.1)', 'out("sent")'].join('\n'),
    );
    const path = write(ws, 'late.py', script);
    const child = spawn('python3', [path], { cwd: ws, env: { ...process.env, POET_API_URL: `http://127.0.0.1:${port}`, POET_API_KEY: token, PYTHONPATH: ws, PYTHONDONTWRITEBYTECODE: '1' } });
    const got: unknown[] = [];
    const first = new Promise<void>((ok) => createInterface({ input: child.stdout }).on('line', (l) => got.push(JSON.parse(l)) === 1 && ok()));
    await first;
    const early = got[0] as { results: number[]; flushed: boolean; s: number };
    assert.deepEqual(early.results, [0, 2, 4, 6, 8]);
    assert.equal(early.flushed, false, 'flush does not wait for a service that is not listening');
    const t = await startTestService({ ws, token, port });
    try {
      await new Promise((ok) => child.once('exit', ok));
      assert.deepEqual(got[1], 'sent');
      assert.equal((await t.call('GET', '/poet/functions/double/executions')).body.total, 5);
    } finally {
      await t.close();
    }
  });
});
