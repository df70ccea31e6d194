// Learning records are bounded in memory by design (issue 12, defect 5). 100,000 executions
// stream into the built `poet serve`, started as the extension starts it
// (shared/runtime-profile.json: a 96 MB heap cap), one in 16 carrying the 15 KB inputs
// and outputs that took the old service out of memory after 2,400 records. The process must
// stay alive and under its cap, hold its aggregates within their byte budget (the weights are
// checked against V8's own figures in test/unit/row-window.test.ts), count every record in its
// metrics, and lose none: every acknowledged execution is read back through the API afterwards.
//
// The workspace lives on /dev/shm where there is one: this test is about memory, and a disk's
// fsync latency would only make it slower. Posts go over 16 keep-alive connections.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ExecutionDetailSchema, ServiceMetricsSchema } from '../../shared/contract/learning';
import runtimeProfile from '../../shared/runtime-profile.json';

const ROOT = join(__dirname, '..', '..');
const TOKEN = 'memory-test-token';
const TOTAL = 100_000;
const LANES = 16;
const BIG_EVERY = 16;
const BLOB = 'x'.repeat(15 * 1024);
const HEAP_CAP_MB = Number(/--max-old-space-size=(\d+)/.exec(runtimeProfile.execArgv.join(' '))![1]);

interface Reply {
  status: number;
  text: string;
}

function call(agent: Agent, port: number, method: string, path: string, body?: string): Promise<Reply> {
  return new Promise((ok, fail) => {
    const headers: Record<string, string | number> = { host: `127.0.0.1:${port}`, authorization: `Bearer ${TOKEN}` };
    if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(body);
  });
}

function execution(i: number): string {
  const big = i % BIG_EVERY === 0;
  return JSON.stringify({
    function_name: 'add',
    version: 'v1',
    inputs: big ? { a: i, b: 1, blob: BLOB } : { a: i, b: 1 },
    output: big ? { sum: i + 1, blob: BLOB } : i + 1,
    duration_ms: 1 + (i % 13),
    attempts: 1 + (i % 3 === 0 ? 1 : 0),
    started_at: new Date(1_800_000_000_000 + i * 1000).toISOString(),
  });
}

describe('learning memory under 100,000 executions', function () {
  this.timeout(900_000);
  let child: ChildProcess;
  let port: number;
  let ws: string;
  const agent = new Agent({ keepAlive: true, maxSockets: LANES });

  before(async () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/ensure-built.mjs')], { stdio: 'inherit' });
    ws = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'poet-memory-'));
    child = spawn(process.execPath, [...runtimeProfile.execArgv, join(ROOT, 'dist/cli.js'), 'serve', '--workspace', ws, '--port', '0'], {
      env: { ...process.env, ...runtimeProfile.env, POET_API_KEY: TOKEN, POET_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    port = await new Promise<number>((ok, fail) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
        if (m) ok(Number(m[1]));
      });
      child.once('exit', (code) => fail(new Error(`poet serve exited with ${code} before listening`)));
    });
  });
  after(async () => {
    agent.destroy();
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await rm(ws, { recursive: true, force: true });
  });

  it('stays under its heap cap, keeps its rows within budget, and every acknowledged record reads back', async () => {
    const t0 = Date.now();
    const code = '@poet(retries=1)\ndef add(a: int, b: int) -> int:\n    return a + b\n';
    const v1 = await call(agent, port, 'POST', '/poet/transpile', JSON.stringify({ code, language: 'python' }));
    assert.equal(v1.status, 200, v1.text);

    let exitedWith: string | undefined;
    child.once('exit', (c, s) => (exitedWith = `code ${c}, signal ${s}`));
    const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    const hasProc = existsSync(`/proc/${child.pid}/status`);
    let maxRss = 0;
    let maxHeap = 0;
    const sample = async () => {
      if (hasProc) maxRss = Math.max(maxRss, rssMb());
      const prom = await call(agent, port, 'GET', '/metrics');
      const used = Number(/^poet_nodejs_heap_size_used_bytes (\S+)$/m.exec(prom.text)?.[1]);
      assert.ok(Number.isFinite(used), 'the heap figure is in /metrics');
      maxHeap = Math.max(maxHeap, used / 2 ** 20);
    };

    const ids: string[] = new Array<string>(TOTAL);
    let next = 0;
    const lane = async () => {
      while (next < TOTAL) {
        const i = next++;
        const r = await call(agent, port, 'POST', '/poet/executions', execution(i));
        assert.equal(r.status, 201, `execution ${i}: ${r.text.slice(0, 300)}${exitedWith ? ` (the service exited: ${exitedWith})` : ''}`);
        ids[i] = (JSON.parse(r.text) as { execution_id: string }).execution_id;
        if (i % 5_000 === 0) await sample();
      }
    };
    await Promise.all(Array.from({ length: LANES }, lane));
    await sample();
    const streamed = Date.now();
    assert.equal(exitedWith, undefined, 'the service is still running');

    const m = ServiceMetricsSchema.parse(JSON.parse((await call(agent, port, 'GET', '/poet/metrics')).text));
    assert.equal(m.executions_recorded, TOTAL);
    // Metrics and listings cover every record, from the version's aggregate.
    const fm = JSON.parse((await call(agent, port, 'GET', '/poet/functions/add/metrics')).text) as { versions: Array<{ version: string; executions: number }> };
    assert.equal(fm.versions.find((v) => v.version === 'v1')?.executions, TOTAL);
    const list = JSON.parse((await call(agent, port, 'GET', '/poet/functions/add/executions?limit=1000')).text) as { total: number; executions: Array<{ execution_id: string }> };
    assert.equal(list.total, TOTAL);
    assert.equal(list.executions[0]?.execution_id, ids.reduce((a, b) => (a > b ? a : b)), 'newest first');
    const mem = ServiceMetricsSchema.parse(JSON.parse((await call(agent, port, 'GET', '/poet/metrics')).text)).learning_memory;
    assert.ok(mem.aggregate_bytes <= mem.aggregate_budget, `aggregates ${mem.aggregate_bytes} B within ${mem.aggregate_budget} B`);

    // No record lost: every acknowledged one reads back whole (the first ones checked against
    // the contract too; for the rest, plain comparisons keep this test's own CPU down).
    let checked = 0;
    const reader = async () => {
      while (checked < TOTAL) {
        const i = checked++;
        const r = await call(agent, port, 'GET', `/poet/executions/${ids[i]}`);
        assert.equal(r.status, 200, `execution ${i} (${ids[i]}): ${r.text.slice(0, 200)}`);
        const d = (i < 100 ? ExecutionDetailSchema.parse(JSON.parse(r.text)) : JSON.parse(r.text)) as { context: { execution_id: string; inputs: { a: number; blob?: string } }; result: { output: unknown } };
        assert.equal(d.context.execution_id, ids[i]);
        assert.equal(d.context.inputs.a, i);
        assert.equal(d.context.inputs.blob?.length, i % BIG_EVERY === 0 ? BLOB.length : undefined, `execution ${i}`);
      }
    };
    await Promise.all(Array.from({ length: LANES }, reader));
    await sample();
    assert.equal(exitedWith, undefined, 'the service is still running');
    assert.ok(maxHeap < HEAP_CAP_MB, `heap used peaked at ${maxHeap.toFixed(1)} MB, under the ${HEAP_CAP_MB} MB cap`);

    const s = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
    console.log(
      `      ${TOTAL} executions in ${s(streamed - t0)}, read back in ${s(Date.now() - streamed)}; ` +
        `peak heap used ${maxHeap.toFixed(1)} MB (cap ${HEAP_CAP_MB} MB)${hasProc ? `, peak RSS ${maxRss.toFixed(0)} MB` : ''}; ` +
        `${mem.aggregates} aggregate(s) held in ${(mem.aggregate_bytes / 1024).toFixed(0)} KiB of ${(mem.aggregate_budget / 2 ** 20).toFixed(0)} MiB`,
    );
  });
});
