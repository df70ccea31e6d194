// The built `poet serve` in a child process, as the extension runs it (runtime-profile.json),
// and what the benchmarks read of it: its memory.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import runtimeProfile from '../../shared/runtime-profile.json';

export const ROOT = join(__dirname, '..', '..');
export const TOKEN = 'bench-token-0123456789abcdef';
export const HEAP_CAP_MB = Number(/--max-old-space-size=(\d+)/.exec(runtimeProfile.execArgv.join(' '))![1]);

export interface Service {
  proc: ChildProcess;
  port: number;
  url: string;
  stop(): Promise<void>;
}

export async function startService(ws: string, store?: string): Promise<Service> {
  const proc = spawn(process.execPath, [...runtimeProfile.execArgv, join(ROOT, 'dist/cli.js'), 'serve', '--workspace', ws, '--port', '0'], {
    env: { ...process.env, ...runtimeProfile.env, POET_API_KEY: TOKEN, POET_LOG_LEVEL: 'warn', POET_STORE: store ?? '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((ok, fail) => {
    createInterface({ input: proc.stdout! }).on('line', (l) => {
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(l);
      if (m) ok(Number(m[1]));
    });
    proc.once('exit', (c) => fail(new Error(`poet serve exited (${c}) before listening`)));
  });
  return {
    proc,
    port,
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

export async function call(s: Service, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown; text: string }> {
  const r = await fetch(`${s.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, json, text };
}

/** Peak RSS and V8 heap used (MB) of the service while `during` runs, sampled every 250 ms. */
export async function peakMemory<T>(s: Service, during: () => Promise<T>): Promise<{ result: T; rssMB: number; heapMB: number }> {
  let rssMB = 0;
  let heapMB = 0;
  let on = true;
  const sample = async () => {
    while (on) {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${s.proc.pid}/status`, 'utf8'));
        if (m) rssMB = Math.max(rssMB, Number(m[1]) / 1024);
        const prom = await call(s, 'GET', '/metrics');
        const used = Number(/^poet_nodejs_heap_size_used_bytes (\S+)$/m.exec(prom.text)?.[1]);
        if (Number.isFinite(used)) heapMB = Math.max(heapMB, used / 2 ** 20);
      } catch {
        /* the service is busy or gone: the next sample tells */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const sampler = sample();
  try {
    const result = await during();
    return { result, rssMB, heapMB };
  } finally {
    on = false;
    await sampler;
  }
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** A 2-argument call's report, as the generated Python sends it. */
export function report(i: number, version = 'v1'): Record<string, unknown> {
  const ms = 5 + (i % 97) * 0.731;
  return {
    function_name: 'add',
    version,
    inputs: { a: i, b: i % 7 },
    output: i + (i % 7),
    duration_ms: ms,
    attempts: 1,
    started_at: new Date(Date.UTC(2026, 10, 26, 10) + i * 37).toISOString(),
    attempt_log: [{ duration_ms: ms, outcome: 'ok' }],
    fallback_used: false,
  };
}

export const PY_ADD = '@poet(retries=1, timeout=5)\ndef add(a: int, b: int) -> int:\n    return a + b\n';
