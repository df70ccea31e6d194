// Test support: a real service on 127.0.0.1 in a fresh temporary workspace, and a raw
// node:http client (fetch forbids setting Host and Origin, which the security tests need).
import { request } from 'node:http';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { startService, type ServiceHandle } from '../../server/service/start';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface CallOptions {
  headers?: Record<string, string>;
  /** A raw body (sent as is); `json` is serialised with Content-Type: application/json. */
  raw?: string | Buffer;
  json?: unknown;
  /** Leave out the Authorization header. */
  noAuth?: boolean;
}

export interface TestService {
  svc: ServiceHandle;
  ws: string;
  token: string;
  logs: string[];
  call(method: string, path: string, opts?: CallOptions): Promise<Reply>;
  close(): Promise<void>;
}

export function rawCall(port: number, method: string, path: string, opts: CallOptions & { token?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = { host: `127.0.0.1:${port}`, ...(opts.headers ?? {}) };
  let data: string | Buffer | undefined = opts.raw;
  if (opts.json !== undefined) {
    data = JSON.stringify(opts.json);
    headers['content-type'] ??= 'application/json';
  }
  if (data !== undefined) headers['content-length'] = String(Buffer.byteLength(data));
  if (opts.token && !opts.noAuth) headers.authorization ??= `Bearer ${opts.token}`;
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        ok({ status: res.statusCode ?? 0, headers: res.headers, text, body });
      });
      res.on('error', fail);
    });
    // The server may answer (413, 401) before reading the whole body and close the socket:
    // a write error then comes before or after the response. Fail only if no response follows.
    let responded = false;
    req.on('response', () => (responded = true));
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (responded) return;
      if (e.code === 'EPIPE' || e.code === 'ECONNRESET') setTimeout(() => responded || fail(e), 100);
      else fail(e);
    });
    if (data !== undefined) req.write(data);
    req.end();
  });
}

/** A logger that keeps every JSON line, so tests can inspect what was logged. */
export function memoryLogger(lines: string[]): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(l);
      cb();
    },
  });
  return pino({ level: 'debug' }, sink);
}

export async function tempWorkspace(prefix = 'poet-svc-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function startTestService(opts: { ws?: string; token?: string; port?: number; store?: string } = {}): Promise<TestService> {
  const ws = opts.ws ?? (await tempWorkspace());
  const token = opts.token ?? 'test-token-' + Math.random().toString(36).slice(2);
  const logs: string[] = [];
  const svc = await startService({ workspace: ws, port: opts.port ?? 0, token, logger: memoryLogger(logs), store: opts.store });
  return {
    svc,
    ws,
    token,
    logs,
    call: (method, path, o = {}) => rawCall(svc.port, method, path, { ...o, token }),
    async close() {
      await svc.close();
      if (!opts.ws) await rm(ws, { recursive: true, force: true });
    },
  };
}

/** Every file under `dir` with its size and mtime: compared before/after to prove nothing was written. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  async function walk(d: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else {
        const s = await stat(p);
        out.set(p, `${s.size}:${s.mtimeMs}`);
      }
    }
  }
  await walk(dir);
  return out;
}

export const PY_ADD = `@poet(retries=1, timeout=5)
def add(a: int, b: int) -> int:
    return a + b
`;

/** A Python function named `name` whose body differs by `variant`. */
export function pyFunction(name: string, variant = 0): string {
  return `@poet(retries=1)\ndef ${name}(x: int) -> int:\n    return x + ${variant}\n`;
}
