// `npm run bench:scale`: Train and GET /poet/functions/{name}/metrics with 1,000,000 recorded
// executions of one function, next to the same with 10,000, on the file store and on
// PostgreSQL: their cost must not grow with the history. The records are written through the
// store's own append (what POST /poet/executions does after parsing), then the built
// `poet serve` with the runtime profile is started on them and measured: metrics 50 times,
// Train (dry run) 10 times, medians; the first of each after the start is shown too, and the
// service's peak memory. Not a test. BENCH_SCALE_RECORDS (default 1000000).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionRequest } from '../shared/contract/learning';
import { buildExecution } from '../server/learning/records';
import { seededRandom } from '../server/learning/stats';
import { openStore } from '../server/storage/open';
import { createDatabase, serverUrl } from './support/postgres';
import { call, HEAP_CAP_MB, loadAverage, median, peakMemory, PY_ADD, ROOT, startService } from './support/service';

const BIG = Number(process.env.BENCH_SCALE_RECORDS ?? 1_000_000);
const SMALL = 10_000;
const APPEND = 2_000;

/** Calls of a flaky dependency: 30% transient failures, lognormal latency around 200 ms. */
function calls(from: number, n: number, rnd: () => number): ExecutionRequest[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const ms = Math.exp(Math.log(200) + Math.sqrt(-2 * Math.log(rnd() || 1e-9)) * Math.cos(2 * Math.PI * rnd()) * 0.8);
    const ok = rnd() >= 0.3;
    return {
      function_name: 'add',
      version: 'v1',
      inputs: { a: i, b: i % 7 },
      ...(ok ? { output: i + (i % 7) } : { error: { type: 'ConnectionError', message: 'connection reset by peer', phase: 'operate' } }),
      duration_ms: ms,
      attempts: 1,
      started_at: new Date(Date.UTC(2026, 10, 1) + i * 250).toISOString(),
      attempt_log: [{ duration_ms: ms, outcome: ok ? 'ok' : 'error', ...(ok ? {} : { error_type: 'ConnectionError' }) }],
    } as ExecutionRequest;
  });
}

async function fill(ws: string, store: string | undefined, from: number, to: number, rnd: () => number): Promise<number> {
  const s = await openStore({ workspace: ws, store });
  const t0 = performance.now();
  try {
    for (let i = from; i < to; i += APPEND) await s.executions.append(calls(i, Math.min(APPEND, to - i), rnd).map((r) => buildExecution(r)));
  } finally {
    await s.close();
  }
  return (to - from) / ((performance.now() - t0) / 1000);
}

interface Measured {
  records: number;
  metricsP50: number;
  metricsFirst: number;
  trainP50: number;
  trainFirst: number;
  trainStatus: string;
  executions: number;
  heapMB: number;
  rssMB: number;
}

async function measure(ws: string, store: string | undefined, records: number): Promise<Measured> {
  const s = await startService(ws, store);
  try {
    const timed = async (method: string, path: string, body?: unknown) => {
      const t0 = performance.now();
      const r = await call(s, method, path, body);
      if (r.status !== 200) throw new Error(`${path}: ${r.text}`);
      return { ms: performance.now() - t0, json: r.json as Record<string, unknown> };
    };
    const mem = await peakMemory(s, async () => {
      const metricsFirst = await timed('GET', '/poet/functions/add/metrics');
      const trainFirst = await timed('POST', '/poet/functions/add/train', { dry_run: true });
      const m: number[] = [];
      for (let i = 0; i < 50; i++) m.push((await timed('GET', '/poet/functions/add/metrics')).ms);
      const t: number[] = [];
      let last = trainFirst;
      for (let i = 0; i < 10; i++) t.push((last = await timed('POST', '/poet/functions/add/train', { dry_run: true })).ms);
      const v1 = (metricsFirst.json.versions as Array<{ executions: number }>)[0]!;
      return { metricsFirst: metricsFirst.ms, trainFirst: trainFirst.ms, metricsP50: median(m), trainP50: median(t), trainStatus: String(last.json.status), executions: v1.executions };
    });
    return { records, ...mem.result, heapMB: mem.heapMB, rssMB: mem.rssMB };
  } finally {
    await s.stop();
  }
}

async function runStore(kind: 'file' | 'postgres'): Promise<{ rows: Measured[]; fillRate: number }> {
  const ws = mkdtempSync(join(tmpdir(), `poet-bench-scale-${kind}-`));
  const db = kind === 'postgres' ? await createDatabase(serverUrl(), 'poet_bench_scale') : undefined;
  try {
    const s = await startService(ws, db?.url);
    const t = await call(s, 'POST', '/poet/transpile', { code: PY_ADD, language: 'python' });
    await s.stop();
    if (t.status !== 200) throw new Error(t.text);
    const rnd = seededRandom(42);
    await fill(ws, db?.url, 0, SMALL, rnd);
    const small = await measure(ws, db?.url, SMALL);
    const fillRate = await fill(ws, db?.url, SMALL, BIG, rnd);
    const big = await measure(ws, db?.url, BIG);
    return { rows: [small, big], fillRate };
  } finally {
    await db?.drop();
    rmSync(ws, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'scripts/ensure-built.mjs')], { stdio: 'inherit' });
  const f = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  console.log(`\nTrain (dry run, median of 10) and GET /poet/functions/add/metrics (median of 50) by recorded executions of one function; built \`poet serve\`, runtime profile\n`);
  console.log('| store | executions | metrics p50 ms | first metrics after start ms | Train p50 ms | first Train ms | Train status | metrics count | peak heap MB (cap) | peak RSS MB |');
  console.log('|---|---:|---:|---:|---:|---:|---|---:|---:|---:|');
  for (const kind of ['file', 'postgres'] as const) {
    const { rows, fillRate } = await runStore(kind);
    for (const r of rows) {
      console.log(
        `| ${kind} | ${f(r.records)} | ${f(r.metricsP50, 1)} | ${f(r.metricsFirst, 1)} | ${f(r.trainP50, 0)} | ${f(r.trainFirst, 0)} | ${r.trainStatus} | ${f(r.executions)} | ${f(r.heapMB, 1)} (${HEAP_CAP_MB}) | ${f(r.rssMB, 0)} |`,
      );
    }
    console.log(`| ${kind} | (written at ${f(fillRate)} records/s through the store's append) | | | | | | | | |`);
  }
  console.log(`\nload average: ${loadAverage()}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
