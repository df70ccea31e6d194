// wrk (Debian's package) drives the HTTP benchmarks of the learning store: a C load generator
// on its own threads, so it takes little of the 2 CPUs the service needs (autocannon, in Node,
// takes a core and flatters ratios). Installed with apt-get when missing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function ensureWrk(): void {
  if (spawnSync('wrk', ['--version']).error === undefined) return;
  const root = process.getuid?.() === 0;
  const apt = (...a: string[]) => spawnSync(root ? 'apt-get' : 'sudo', [...(root ? [] : ['-n', 'apt-get']), ...a], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  console.log('(installing wrk with apt-get for the HTTP benchmarks)');
  if (apt('install', '-y', '-qq', 'wrk').status !== 0) {
    apt('update', '-qq');
    apt('install', '-y', '-qq', 'wrk');
  }
  if (spawnSync('wrk', ['--version']).error !== undefined) throw new Error('wrk is not installed and apt-get could not install it: apt-get install wrk');
}

export interface WrkResult {
  rps: number;
  p50ms: number;
  p99ms: number;
  /** Responses that were not 2xx, plus socket errors and timeouts. */
  bad: number;
  requests: number;
}

const ms = (v: string, unit: string) => Number(v) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[unit]!;

/** POSTs `body` to `url` over `connections` for `seconds`. */
export async function wrkPost(opts: { url: string; token: string; body: string; connections: number; threads?: number; seconds: number }): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'poet-wrk-'));
  try {
    const bodyFile = join(dir, 'body.json');
    writeFileSync(bodyFile, opts.body);
    const script = join(dir, 'post.lua');
    writeFileSync(
      script,
      [
        'wrk.method = "POST"',
        'wrk.headers["Content-Type"] = "application/json"',
        `wrk.headers["Authorization"] = "Bearer ${opts.token}"`,
        `local f = io.open("${bodyFile}", "rb")`,
        'wrk.body = f:read("*a")',
        'f:close()',
      ].join('\n'),
    );
    const out = await new Promise<string>((ok, fail) => {
      const p = spawn('wrk', ['-t', String(opts.threads ?? 2), '-c', String(opts.connections), '-d', `${opts.seconds}s`, '--latency', '-s', script, opts.url]);
      let text = '';
      p.stdout.on('data', (c: Buffer) => (text += c.toString()));
      p.stderr.on('data', (c: Buffer) => (text += c.toString()));
      p.once('exit', (code) => (code === 0 ? ok(text) : fail(new Error(`wrk exited ${code}: ${text}`))));
    });
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
    const lat = (p: string) => {
      const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out);
      return m ? ms(m[1]!, m[2]!) : NaN;
    };
    const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
    const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
    const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
    const bad = non2xx + (errors ? errors.slice(1).reduce((s, x) => s + Number(x), 0) : 0);
    return { rps, p50ms: lat('50'), p99ms: lat('99'), bad, requests };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
