// `npm run bench:ingest`: POST /poet/executions into the file store on disk, batches of 100
// records next to one record per request, driven by wrk with 4 connections (rounds alternate;
// each figure is the median), the disk each record takes in the bulk format next to the folder
// layout of a record a person opens, and the service's memory throughout. Not a test: it prints
// figures. BENCH_DURATION (seconds per run, default 5), BENCH_ROUNDS (default 3).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, HEAP_CAP_MB, loadAverage, median, peakMemory, PY_ADD, report, ROOT, startService } from './support/service';
import { TOKEN } from './support/service';
import { ensureWrk, wrkPost, type WrkResult } from './support/wrk';

const SECONDS = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH = 100;

/** Bytes the file system allocates for the files under `dir` (blocks, not lengths). */
function allocated(dir: string): { bytes: number; length: number; files: number } {
  let bytes = 0;
  let length = 0;
  let files = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    const st = statSync(p);
    bytes += st.blocks * 512;
    if (e.isDirectory()) {
      const inner = allocated(p);
      bytes += inner.bytes;
      length += inner.length;
      files += inner.files;
    } else {
      length += st.size;
      files++;
    }
  }
  return { bytes, length, files };
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'scripts/ensure-built.mjs')], { stdio: 'inherit' });
  ensureWrk();
  const ws = mkdtempSync(join(tmpdir(), 'poet-bench-ingest-'));
  const s = await startService(ws);
  try {
    const t = await call(s, 'POST', '/poet/transpile', { code: PY_ADD, language: 'python' });
    if (t.status !== 200) throw new Error(t.text);
    const single = JSON.stringify(report(1));
    const batch = JSON.stringify(Array.from({ length: BATCH }, (_, i) => report(i)));
    const url = `${s.url}/poet/executions`;
    const singles: WrkResult[] = [];
    const batches: WrkResult[] = [];
    const mem = await peakMemory(s, async () => {
      for (let r = 0; r < ROUNDS; r++) {
        singles.push(await wrkPost({ url, token: TOKEN, body: single, connections: 4, seconds: SECONDS }));
        batches.push(await wrkPost({ url, token: TOKEN, body: batch, connections: 4, seconds: SECONDS }));
      }
    });
    const bad = [...singles, ...batches].reduce((n, r) => n + r.bad, 0);
    const stored = ((await call(s, 'GET', '/poet/functions/add/executions?limit=1')).json as { total: number }).total;
    const acked = singles.reduce((n, r) => n + r.requests - r.bad, 0) + BATCH * batches.reduce((n, r) => n + r.requests - r.bad, 0);
    const log = allocated(join(ws, '.dana/poet/execution-log/add/v1'));
    // One record kept in the folder layout (feedback refers to it), for comparison.
    const id = ((await call(s, 'GET', '/poet/functions/add/executions?limit=1')).json as { executions: Array<{ execution_id: string }> }).executions[0]!.execution_id;
    await call(s, 'POST', '/poet/feedback', { execution_id: id, feedback: 'up' });
    const folder = allocated(join(ws, '.dana/poet/executions', id));
    const folderBytes = folder.bytes + statSync(join(ws, '.dana/poet/executions', id)).blocks * 512;

    const singleRate = median(singles.map((r) => r.rps));
    const batchRate = median(batches.map((r) => r.rps)) * BATCH;
    const f = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
    console.log(`\nIngestion into the file store on disk: wrk, 4 connections, ${SECONDS} s per run, median of ${ROUNDS} alternating rounds; built \`poet serve\` with the runtime profile\n`);
    console.log('| run | records/s | requests/s | p50 ms | p99 ms |');
    console.log('|---|---:|---:|---:|---:|');
    console.log(`| one record per request | ${f(singleRate)} | ${f(singleRate)} | ${f(median(singles.map((r) => r.p50ms)), 2)} | ${f(median(singles.map((r) => r.p99ms)), 2)} |`);
    console.log(`| batches of ${BATCH} | ${f(batchRate)} | ${f(batchRate / BATCH)} | ${f(median(batches.map((r) => r.p50ms)), 2)} | ${f(median(batches.map((r) => r.p99ms)), 2)} |`);
    console.log('');
    console.log(`batches / single: ${f(batchRate / singleRate, 1)}×; ${bad} requests failed; ${f(stored)} records stored, ${f(acked)} acknowledged within the runs (wrk stops counting with requests in flight)`);
    console.log(
      `disk per record, bulk format (2-argument call, attempt_log): ${f(log.length / stored, 0)} bytes of log, ${f(log.bytes / stored, 0)} bytes allocated (${log.files} files); ` +
        `a record in the folder layout (executions/{id}/context.json, result.json): ${f(folder.length)} bytes, ${f(folderBytes)} allocated`,
    );
    console.log(`service memory, peak during ingestion: heap used ${f(mem.heapMB, 1)} MB (cap ${HEAP_CAP_MB} MB), RSS ${f(mem.rssMB, 1)} MB`);
    console.log(`load average: ${loadAverage()}`);
  } finally {
    await s.stop();
    rmSync(ws, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
