// `npm run bench:service`: throughput and latency of the POET service (the built `poet serve`
// in a child process) against a bare node:http server answering a JSON body of the same size,
// plus start-up time, memory after 10,000 versions and the function list over 5,000 functions.
// Not a test: it prints figures and ratios. BENCH_DURATION (seconds per run, default 3).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import runtimeProfile from '../shared/runtime-profile.json';

interface AcResult {
  requests: { average: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface AcRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: AcRequest) => AcRequest;
}
interface AcOptions {
  url: string;
  connections?: number;
  duration?: number;
  amount?: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  requests?: AcRequest[];
}
// autocannon ships no types; this is the part of its programmatic API used here.
const autocannon = require('autocannon') as (o: AcOptions) => Promise<AcResult>;

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist/cli.js');
const TOKEN = 'bench-token-0123456789abcdef';
const DURATION = Number(process.env.BENCH_DURATION ?? 3);
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

/** A 30-line Python function: the size the issue's cache-miss target names. */
function fn30(name: string): string {
  const body = Array.from({ length: 26 }, (_, i) => `    total = total + a * ${i} - b  # step ${i}`).join('\n');
  return `@poet(retries=2, timeout=5)\ndef ${name}(a: int, b: int) -> float:\n    total = 0.0\n${body}\n    return total\n`;
}

interface Child {
  proc: ChildProcess;
  port: number;
}

function waitLine(proc: ChildProcess, re: RegExp): Promise<RegExpExecArray> {
  return new Promise((ok, fail) => {
    createInterface({ input: proc.stdout! }).on('line', (l) => {
      const m = re.exec(l);
      if (m) ok(m);
    });
    proc.once('exit', (c) => fail(new Error(`child exited (${c}) before it was ready`)));
  });
}

/** The service as the extension and `npm start` run it (runtime-profile.json), or plain `node` when `plain`. */
async function startPoet(ws: string, plain = false): Promise<Child> {
  const proc = spawn(process.execPath, [...(plain ? [] : runtimeProfile.execArgv), CLI, 'serve', '--workspace', ws, '--port', '0'], {
    env: { ...process.env, ...(plain ? {} : runtimeProfile.env), POET_API_KEY: TOKEN, POET_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const m = await waitLine(proc, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
  return { proc, port: Number(m[1]) };
}

/** The physical reference: node:http answering a fixed JSON body of `size` bytes. */
async function startBare(size: number): Promise<Child> {
  const src = `
    const body = JSON.stringify({ pad: 'x'.repeat(${Math.max(0, size - 10)}) });
    require('node:http').createServer((req, res) => {
      req.resume();
      req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); });
    }).listen(0, '127.0.0.1', function () { console.log('port ' + this.address().port); });`;
  const proc = spawn(process.execPath, ['-e', src], { stdio: ['ignore', 'pipe', 'inherit'] });
  const m = await waitLine(proc, /^port (\d+)$/);
  return { proc, port: Number(m[1]) };
}

async function stop(c: Child): Promise<void> {
  const exited = new Promise((r) => c.proc.once('exit', r));
  c.proc.kill('SIGTERM');
  await exited;
}

async function post(port: number, path: string, body: unknown): Promise<{ status: number; text: string }> {
  const r = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
  return { status: r.status, text: await r.text() };
}

function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * Median latencies on the filesystem holding `dir` of creating a small file (a new inode: a
 * new version needs seven) and of fsyncing it (three rounds per version). On this project's VM
 * disk creation varies between 0.1 and 1.1 ms from one minute to the next, which is most of
 * the variation of the cache-miss figure.
 */
function fsProbe(dir: string): { createMs: number; fsyncMs: number } {
  const create: number[] = [];
  const sync: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    const fd = openSync(join(dir, `fs-probe-${i}`), 'wx');
    create.push(performance.now() - t0);
    writeSync(fd, 'x'.repeat(4096));
    const t1 = performance.now();
    fsyncSync(fd);
    sync.push(performance.now() - t1);
    closeSync(fd);
  }
  return { createMs: median(create), fsyncMs: median(sync) };
}

/** 10,000 new versions: 100 functions × 100 configs, over 2 connections. */
async function tenThousandVersions(port: number): Promise<AcResult> {
  let n = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 2,
    amount: 10_000,
    requests: [
      {
        method: 'POST',
        path: '/poet/transpile',
        headers: auth,
        setupRequest: (req) => {
          const i = n++;
          return { ...req, body: JSON.stringify({ code: fn30(`mem_${i % 100}`), language: 'python', config: { timeout: 1 + Math.floor(i / 100) } }) };
        },
      },
    ],
  });
}

const rows: Array<{ name: string; rps: number; p50: number; p99: number; ref?: string; ratio?: number; note?: string }> = [];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function record(name: string, rs: AcResult[], ref?: string): void {
  const bad = rs.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0);
  const rps = median(rs.map((r) => r.requests.average));
  const base = ref ? rows.find((x) => x.name === ref) : undefined;
  rows.push({
    name,
    rps,
    p50: median(rs.map((r) => r.latency.p50)),
    p99: median(rs.map((r) => r.latency.p99)),
    ...(base ? { ref, ratio: rps / base.rps } : {}),
    ...(bad ? { note: `${bad} failed` } : {}),
  });
}

async function run(name: string, opts: AcOptions, ref?: string): Promise<AcResult> {
  const r = await autocannon({ connections: 2, duration: DURATION, ...opts });
  record(name, [r], ref);
  return r;
}

/**
 * The machine may be shared and busy, so the reference and the service run alternately,
 * ROUNDS times each, and each figure is the median of its rounds.
 */
async function pair(refName: string, refOpts: AcOptions, name: string, opts: AcOptions): Promise<void> {
  const a: AcResult[] = [];
  const b: AcResult[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    a.push(await autocannon({ connections: 2, duration: DURATION, ...refOpts }));
    b.push(await autocannon({ connections: 2, duration: DURATION, ...opts }));
  }
  record(refName, a);
  record(name, b, refName);
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'scripts/ensure-built.mjs')], { stdio: 'inherit' });
  const diskWs = mkdtempSync(join(tmpdir(), 'poet-bench-'));
  const shmWs = mkdtempSync(join('/dev/shm', 'poet-bench-'));
  const cleanup: Array<() => void> = [() => rmSync(diskWs, { recursive: true, force: true }), () => rmSync(shmWs, { recursive: true, force: true })];
  try {
    // ---------------------------------------------------------------- throughput
    const poet = await startPoet(diskWs);
    const url = `http://127.0.0.1:${poet.port}`;
    const hitBody = JSON.stringify({ code: fn30('hot'), language: 'python' });
    const seeded = await post(poet.port, '/poet/transpile', JSON.parse(hitBody));
    if (seeded.status !== 200) throw new Error(`seed transpile failed: ${seeded.text}`);
    const healthSize = (await (await fetch(`${url}/health`)).text()).length;
    const hitSize = (await post(poet.port, '/poet/transpile', JSON.parse(hitBody))).text.length;

    const bareSmall = await startBare(healthSize);
    await pair(`bare node:http, ${healthSize} B body`, { url: `http://127.0.0.1:${bareSmall.port}/` }, 'GET /health', { url: `${url}/health` });
    await stop(bareSmall);

    const bareBig = await startBare(hitSize);
    await pair(
      `bare node:http, ${hitSize} B body (POST)`,
      { url: `http://127.0.0.1:${bareBig.port}/`, method: 'POST', headers: auth, body: hitBody },
      'POST /poet/transpile, cache hit',
      { url: `${url}/poet/transpile`, method: 'POST', headers: auth, body: hitBody },
    );
    await stop(bareBig);

    let n = 0;
    const missRequest = (prefix: string): AcRequest => ({
      method: 'POST',
      path: '/poet/transpile',
      headers: auth,
      // Each request a new config, so each one makes a new version (no cache hit possible).
      setupRequest: (req) => ({ ...req, body: JSON.stringify({ code: fn30(`${prefix}${n % 20}`), language: 'python', config: { timeout: 1 + (++n % 80000) } }) }),
    });
    await run('POST /poet/transpile, cache miss (disk, fsync)', { url, requests: [missRequest('cold')] }, `bare node:http, ${hitSize} B body (POST)`);
    const diskFs = fsProbe(diskWs);
    await stop(poet);

    const shm = await startPoet(shmWs);
    await run('POST /poet/transpile, cache miss (tmpfs)', { url: `http://127.0.0.1:${shm.port}`, requests: [missRequest('cold')] }, `bare node:http, ${hitSize} B body (POST)`);
    const shmFs = fsProbe(shmWs);
    const shmPid = shm.proc.pid!;

    // ---------------------------------------------------------------- memory after 10,000 versions (tmpfs, to keep the run short)
    const rssBefore = rssMB(shmPid);
    const tenK = await tenThousandVersions(shm.port);
    const rssAfter = rssMB(shmPid);

    // ---------------------------------------------------------------- GET /poet/functions over 5,000 functions
    n = 0;
    await autocannon({
      url: `http://127.0.0.1:${shm.port}`,
      connections: 2,
      amount: 5_000,
      requests: [{ method: 'POST', path: '/poet/transpile', headers: auth, setupRequest: (req) => ({ ...req, body: JSON.stringify({ code: fn30(`many_${n++}`), language: 'python' }) }) }],
    });
    // The first listing reads every index.json (cold); the runs below measure the steady state.
    const list = await fetch(`http://127.0.0.1:${shm.port}/poet/functions`, { headers: auth });
    const count = ((await list.json()) as unknown[]).length;
    const listRun = await run(`GET /poet/functions (${count} functions)`, { url: `http://127.0.0.1:${shm.port}/poet/functions`, headers: auth });
    const rssEnd = rssMB(shmPid);
    await stop(shm);

    // The same 10,000 versions on plain `node dist/cli.js serve`, without the runtime profile.
    const plainWs = mkdtempSync(join('/dev/shm', 'poet-bench-plain-'));
    cleanup.push(() => rmSync(plainWs, { recursive: true, force: true }));
    const plain = await startPoet(plainWs, true);
    const plainBefore = rssMB(plain.proc.pid!);
    const plainTenK = await tenThousandVersions(plain.port);
    const plainAfter = rssMB(plain.proc.pid!);
    await stop(plain);

    // ---------------------------------------------------------------- start to first /health
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const c = await startPoet(diskWs);
      const r = await fetch(`http://127.0.0.1:${c.port}/health`);
      if (r.status !== 200) throw new Error('health failed');
      starts.push(performance.now() - t0);
      await stop(c);
    }
    const bareStarts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const c = await startBare(100);
      await fetch(`http://127.0.0.1:${c.port}/`);
      bareStarts.push(performance.now() - t0);
      await stop(c);
    }
    const { startService } = await import('../server/service/start');
    const pino = (await import('pino')).default;
    const inProc: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const s = await startService({ workspace: diskWs, port: 0, token: TOKEN, logger: pino({ level: 'silent' }) });
      await fetch(`${s.url}/health`);
      inProc.push(performance.now() - t0);
      await s.close();
    }

    // ---------------------------------------------------------------- report
    const f = (x: number, d = 1) => x.toFixed(d);
    console.log(`\nPOET service benchmark: autocannon, 2 connections, ${DURATION} s per run, median of ${ROUNDS} alternating rounds for the pairs, service = built \`poet serve\` (log level warn) in a child process\n`);
    console.log('| run | req/s | p50 ms | p99 ms | ratio to bare node:http |');
    console.log('|---|---:|---:|---:|---:|');
    for (const r of rows) {
      console.log(`| ${r.name}${r.note ? ` (${r.note})` : ''} | ${f(r.rps, 0)} | ${f(r.p50)} | ${f(r.p99)} | ${r.ratio !== undefined ? `${f(r.ratio * 100, 0)} %` : 'reference'} |`);
    }
    console.log('');
    console.log(
      `file system, median: creating a file: disk ${f(diskFs.createMs, 2)} ms, tmpfs ${f(shmFs.createMs, 3)} ms (a new version creates 7); ` +
        `fsync of 4 KiB: disk ${f(diskFs.fsyncMs, 2)} ms, tmpfs ${f(shmFs.fsyncMs, 3)} ms (3 rounds per version)`,
    );
    console.log(`start to first /health: poet serve ${f(median(starts), 0)} ms (bare node:http process ${f(median(bareStarts), 0)} ms; startService in a running process ${f(median(inProc), 1)} ms), median of 5`);
    console.log(`RSS: ${f(rssBefore)} MB after the miss run, ${f(rssAfter)} MB after 10,000 new versions (${tenK.non2xx + tenK.errors} failed, ${f(tenK.requests.average, 0)} versions/s), ${f(rssEnd)} MB after 5,000 more functions and the list runs`);
    console.log(`RSS without the runtime profile (plain node): ${f(plainBefore)} MB at start, ${f(plainAfter)} MB after 10,000 new versions (${plainTenK.non2xx + plainTenK.errors} failed, ${f(plainTenK.requests.average, 0)} versions/s)`);
    console.log(`GET /poet/functions over ${count} functions: p50 ${f(listRun.latency.p50)} ms, p99 ${f(listRun.latency.p99)} ms`);
    console.log(`load average during the run: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} on ${require('node:os').cpus().length} CPUs`);
  } finally {
    for (const c of cleanup) c();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
