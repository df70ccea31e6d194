// `npm run bench:postgres`: ingestion into PostgreSQL through two `poet serve` processes on one
// database (wrk on each, 2 connections, batches of 100, both at once), next to one process
// alone and to PostgreSQL's own COPY of the same rows into a table like poet_executions (same
// indexes) on the same server: the ceiling. Rounds alternate; figures are medians. Not a test.
// BENCH_DURATION (seconds per run, default 5), BENCH_ROUNDS (default 3).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admin, createDatabase, serverUrl } from './support/postgres';
import { call, HEAP_CAP_MB, loadAverage, median, peakMemory, PY_ADD, report, ROOT, startService, TOKEN, type Service } from './support/service';
import { ensureWrk, wrkPost } from './support/wrk';

const SECONDS = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH = 100;
const COPY_ROWS = 200_000;

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'scripts/ensure-built.mjs')], { stdio: 'inherit' });
  ensureWrk();
  const db = await createDatabase(serverUrl(), 'poet_bench_ingest');
  const ws = mkdtempSync(join(tmpdir(), 'poet-bench-pg-'));
  const dump = join(ws, 'rows.copy');
  let a: Service | undefined;
  let b: Service | undefined;
  try {
    a = await startService(ws, db.url);
    b = await startService(ws, db.url);
    if ((await call(a, 'POST', '/poet/transpile', { code: PY_ADD, language: 'python' })).status !== 200) throw new Error('transpile failed');
    const body = JSON.stringify(Array.from({ length: BATCH }, (_, i) => report(i)));
    const two: number[] = [];
    const one: number[] = [];
    const p50: number[] = [];
    let bad = 0;
    const memA = await peakMemory(a, () =>
      peakMemory(b!, async () => {
        for (let r = 0; r < ROUNDS; r++) {
          const both = await Promise.all([a!, b!].map((s) => wrkPost({ url: `${s.url}/poet/executions`, token: TOKEN, body, connections: 4, threads: 1, seconds: SECONDS })));
          two.push((both[0]!.rps + both[1]!.rps) * BATCH);
          p50.push(...both.map((x) => x.p50ms));
          const alone = await wrkPost({ url: `${a!.url}/poet/executions`, token: TOKEN, body, connections: 4, seconds: SECONDS });
          one.push(alone.rps * BATCH);
          bad += alone.bad + both[0]!.bad + both[1]!.bad;
        }
      }),
    );
    const stored = await admin(db.url, async (c) => Number((await c.query('SELECT count(*) AS n FROM poet_executions')).rows[0].n));

    // COPY of the same rows: what the services stored, written out and copied into a table like theirs.
    const rows = Math.min(COPY_ROWS, stored);
    await admin(db.url, async (c) => {
      await c.query('CREATE TABLE poet_executions_copy (LIKE poet_executions INCLUDING ALL)');
    });
    const psql = (sql: string) => {
      const r = spawnSync('psql', [db.url, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
    };
    psql(`\\copy (SELECT * FROM poet_executions LIMIT ${rows}) TO '${dump}'`);
    const copies: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      psql('TRUNCATE poet_executions_copy');
      const t0 = performance.now();
      psql(`\\copy poet_executions_copy FROM '${dump}'`);
      copies.push(rows / ((performance.now() - t0) / 1000));
    }
    const copyRate = median(copies);
    const f = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
    console.log(`\nIngestion into PostgreSQL (${db.url.replace(/:[^:@/]*@/, ':***@')}): batches of ${BATCH} records, wrk, ${SECONDS} s per run, median of ${ROUNDS} rounds\n`);
    console.log('| run | records/s | ratio to COPY |');
    console.log('|---|---:|---:|');
    console.log(`| two \`poet serve\` processes, 4 connections each | ${f(median(two))} | ${f((median(two) / copyRate) * 100)} % |`);
    console.log(`| one \`poet serve\` process, 4 connections | ${f(median(one))} | ${f((median(one) / copyRate) * 100)} % |`);
    console.log(`| PostgreSQL COPY of ${f(rows)} of the same rows into a table with the same indexes (psql \\copy) | ${f(copyRate)} | reference |`);
    console.log('');
    console.log(`p50 of a batch request with two processes: ${f(median(p50), 1)} ms; ${bad} requests failed; ${f(stored)} records stored`);
    console.log(`service memory, peak: heap used ${f(memA.heapMB, 1)} and ${f(memA.result.heapMB, 1)} MB (cap ${HEAP_CAP_MB} MB), RSS ${f(memA.rssMB, 1)} and ${f(memA.result.rssMB, 1)} MB`);
    console.log(`load average: ${loadAverage()}`);
  } finally {
    await a?.stop();
    await b?.stop();
    await db.drop();
    rmSync(ws, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
