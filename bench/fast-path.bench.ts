// `npm run bench:fast-path`: does the transpile fast path (server/service/fast-path.ts) earn its
// keep? A cache hit of POST /poet/transpile, driven by wrk (a C load generator that leaves the
// CPU to the servers), three ways side by side, each answering the same bytes:
//   bare node:http      a server that only reads the body and writes the hit's answer
//   POET, fast path     the shipped service: node:http before Express
//   POET, Express only  the same service and request with a query string, which the fast path
//                       leaves to Express (same guard, route and handler)
// Not a test: it prints req/s, latency and the ratios. BENCH_DURATION (s per run, default 5),
// BENCH_ROUNDS (alternating rounds, default 3; the medians are reported).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { call, loadAverage, median, startService, TOKEN } from './support/service';
import { ensureWrk, wrkPost, type WrkResult } from './support/wrk';

const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 16;

/** A 30-line Python function, as bench:service uses for its hit. */
function fn30(name: string): string {
  const body = Array.from({ length: 26 }, (_, i) => `    total = total + a * ${i} - b  # step ${i}`).join('\n');
  return `@poet(retries=2, timeout=5)\ndef ${name}(a: int, b: int) -> float:\n    total = 0.0\n${body}\n    return total\n`;
}

/** node:http answering `answer` to every request once its body is read: the floor of any Node server. */
async function startBare(answer: string): Promise<{ proc: ChildProcess; url: string }> {
  const src = `
    const body = Buffer.from(process.env.ANSWER);
    require('node:http').createServer((req, res) => {
      req.resume();
      req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length }); res.end(body); });
    }).listen(0, '127.0.0.1', function () { console.log('port ' + this.address().port); });`;
  const proc = spawn(process.execPath, ['-e', src], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ANSWER: answer } });
  const port = await new Promise<number>((ok, fail) => {
    createInterface({ input: proc.stdout! }).on('line', (l) => {
      const m = /^port (\d+)$/.exec(l);
      if (m) ok(Number(m[1]));
    });
    proc.once('exit', (c) => fail(new Error(`bare server exited (${c})`)));
  });
  return { proc, url: `http://127.0.0.1:${port}/` };
}

async function main(): Promise<void> {
  ensureWrk();
  const ws = mkdtempSync(join(tmpdir(), 'poet-fastpath-'));
  const poet = await startService(ws);
  const request = { code: fn30('hot'), language: 'python' };
  const first = await call(poet, 'POST', '/poet/transpile', request);
  if (first.status !== 200) throw new Error(`seeding the cache failed: ${first.status} ${first.text}`);
  const hit = await call(poet, 'POST', '/poet/transpile', request);
  const viaExpress = await call(poet, 'POST', '/poet/transpile?via=express', request);
  if ((hit.json as { cached?: boolean }).cached !== true || viaExpress.text !== hit.text) throw new Error('the hit is not the same through Express and the fast path');
  const bare = await startBare(hit.text);
  const body = JSON.stringify(request);
  const runs: Record<string, WrkResult[]> = { bare: [], fast: [], express: [] };
  const targets: Record<string, string> = { bare: bare.url, fast: `${poet.url}/poet/transpile`, express: `${poet.url}/poet/transpile?via=express` };
  try {
    console.log(`load average before: ${loadAverage()}; wrk 1 thread, ${CONNECTIONS} connections, ${DURATION} s per run, ${ROUNDS} rounds; answer ${hit.text.length} bytes`);
    for (const url of Object.values(targets)) await wrkPost({ url, token: TOKEN, body, connections: CONNECTIONS, threads: 1, seconds: 1 }); // warm-up
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, url] of Object.entries(targets)) runs[name]!.push(await wrkPost({ url, token: TOKEN, body, connections: CONNECTIONS, threads: 1, seconds: DURATION }));
    }
  } finally {
    bare.proc.kill('SIGTERM');
    await poet.stop();
    rmSync(ws, { recursive: true, force: true });
  }
  const m = (name: string) => {
    const rs = runs[name]!;
    const bad = rs.reduce((s, x) => s + x.bad, 0);
    if (bad) throw new Error(`${name}: ${bad} failed requests`);
    return { rps: median(rs.map((x) => x.rps)), p50: median(rs.map((x) => x.p50ms)), p99: median(rs.map((x) => x.p99ms)), all: rs.map((x) => Math.round(x.rps)) };
  };
  const b = m('bare');
  const f = m('fast');
  const e = m('express');
  const pct = (x: number, of: number) => `${((100 * x) / of).toFixed(0)} %`;
  console.log('| server (cache hit of POST /poet/transpile) | req/s (median; each round) | p50 ms | p99 ms | of bare node:http |');
  console.log('|---|---|---|---|---|');
  console.log(`| bare node:http, same bytes | ${b.rps.toFixed(0)} (${b.all.join(', ')}) | ${b.p50.toFixed(2)} | ${b.p99.toFixed(2)} | reference |`);
  console.log(`| POET, fast path | ${f.rps.toFixed(0)} (${f.all.join(', ')}) | ${f.p50.toFixed(2)} | ${f.p99.toFixed(2)} | ${pct(f.rps, b.rps)} |`);
  console.log(`| POET, Express only | ${e.rps.toFixed(0)} (${e.all.join(', ')}) | ${e.p50.toFixed(2)} | ${e.p99.toFixed(2)} | ${pct(e.rps, b.rps)} |`);
  console.log(`fast path / Express only: ${(f.rps / e.rps).toFixed(2)}× the requests per second`);
  console.log(`load average after: ${loadAverage()}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
