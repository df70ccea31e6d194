// The one HTTP client of the POET API, used by every command and the tree. Built on got:
// base URL + bearer token, a timeout per request, retries only for idempotent methods
// (a POST /poet/transpile is never sent twice), every response parsed with the shared zod
// contract, and every failure turned into a PoetClientError (see errors.ts for the wording).
// No `vscode` import, so the unit tests drive it against a real server on 127.0.0.1.
import got, { HTTPError, RequestError, TimeoutError, CancelError, type Got, type Method } from 'got';
import type { z } from 'zod';
import { CoreEndpoints, type TranspileRequest } from '../../shared/contract/api';
import { endpointPath, type Endpoint } from '../../shared/contract/endpoint';
import { LearningEndpoints } from '../../shared/contract/learning';
import { PoetClientError } from './errors';

export interface PoetClientOptions {
  /** e.g. `http://127.0.0.1:53121` (or a remote service's URL, path prefix allowed). */
  baseUrl: string;
  /** Bearer token; undefined sends no Authorization header. */
  token?: string;
  /** Per-request timeout for quick calls, in ms. */
  timeoutMs?: number;
  /** Timeout for code generation (transpile, train), in ms. */
  longTimeoutMs?: number;
  /** Retries for idempotent requests (GET, PUT, DELETE) on network errors and 408/429/502/503/504. */
  retries?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

const IDEMPOTENT: Method[] = ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'];

export class PoetClient {
  private readonly http: Got;
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly longTimeoutMs: number;

  constructor(private readonly opts: PoetClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.longTimeoutMs = opts.longTimeoutMs ?? 120_000;
    this.http = got.extend({
      prefixUrl: this.baseUrl,
      headers: {
        accept: 'application/json',
        'user-agent': 'poet-vscode',
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      },
      responseType: 'text',
      retry: {
        limit: opts.retries ?? 2,
        methods: IDEMPOTENT,
        statusCodes: [408, 429, 502, 503, 504],
        // got's default backoff grows to seconds; a local service is either up or not.
        calculateDelay: ({ computedValue, attemptCount }) => (computedValue === 0 ? 0 : Math.min(100 * 2 ** (attemptCount - 1), 1000)),
      },
    });
  }

  health(o?: CallOptions) {
    return this.send(CoreEndpoints.health, {}, undefined, o);
  }
  poetHealth(o?: CallOptions) {
    return this.send(CoreEndpoints.poetHealth, {}, undefined, o);
  }
  transpile(req: TranspileRequest, o?: CallOptions) {
    return this.send(CoreEndpoints.transpile, {}, req, { timeoutMs: this.longTimeoutMs, ...o });
  }
  listFunctions(o?: CallOptions) {
    return this.send(CoreEndpoints.functions, {}, undefined, o);
  }
  getFunction(key: string, o?: CallOptions) {
    return this.send(CoreEndpoints.function, { name: key }, undefined, o);
  }
  getVersion(key: string, version: string, o?: CallOptions) {
    return this.send(CoreEndpoints.version, { name: key, version }, undefined, o);
  }
  setCurrent(key: string, version: string, o?: CallOptions) {
    return this.send(CoreEndpoints.current, { name: key }, { version }, o);
  }
  clearCache(key?: string, o?: CallOptions) {
    return key ? this.send(CoreEndpoints.functionCache, { name: key }, undefined, o) : this.send(CoreEndpoints.cache, {}, undefined, o);
  }
  functionMetrics(key: string, o?: CallOptions) {
    return this.send(LearningEndpoints.functionMetrics, { name: key }, undefined, o);
  }

  /**
   * A declared endpoint: its method, its path with `params` (and `query`) filled in, its
   * answer's schema. The learning commands use this for their own endpoints.
   */
  send<S extends z.ZodType>(
    e: Endpoint<S>,
    params: Record<string, string>,
    body?: unknown,
    o: CallOptions & { long?: boolean; query?: Record<string, string | undefined> } = {},
  ): Promise<z.output<S>> {
    const { query, ...rest } = o;
    return this.call(e.method, endpointPath(e, params, query), e.response, body, rest);
  }

  /** A method, path and schema; `long` uses the generation timeout. The one place that talks HTTP. */
  private async call<S extends z.ZodType>(
    method: Method,
    path: string,
    schema: S,
    body?: unknown,
    o: CallOptions & { long?: boolean } = {},
  ): Promise<z.output<S>> {
    const url = `${this.baseUrl}${path}`;
    const timeoutMs = o.timeoutMs ?? (o.long ? this.longTimeoutMs : this.timeoutMs);
    let text: string;
    try {
      const res = await this.http(path.replace(/^\//, ''), {
        method,
        ...(body !== undefined ? { json: body } : {}),
        timeout: { request: timeoutMs },
        ...(o.signal ? { signal: o.signal } : {}),
      });
      text = res.body;
    } catch (err) {
      throw classify(err, method, url, timeoutMs);
    }
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new PoetClientError('contract', `${method} ${path}: the response is not JSON`, {
        method,
        url,
        issues: [`not JSON: ${text.slice(0, 80)}`],
      });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
      throw new PoetClientError('contract', `${method} ${path}: unexpected response (${issues.slice(0, 3).join('; ')})`, {
        method,
        url,
        issues,
      });
    }
    return parsed.data;
  }
}

function classify(err: unknown, method: string, url: string, timeoutMs: number): PoetClientError {
  if (err instanceof HTTPError) {
    const raw = String(err.response.body ?? '');
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      /* keep the text */
    }
    const msg = typeof body === 'object' && body && 'error' in body ? JSON.stringify(body) : raw.slice(0, 200);
    return new PoetClientError('http', `${method} ${url} → HTTP ${err.response.statusCode}: ${msg}`, {
      method,
      url,
      status: err.response.statusCode,
      body,
    });
  }
  if (err instanceof TimeoutError) {
    return new PoetClientError('timeout', `${method} ${url} timed out after ${timeoutMs} ms`, { method, url, timeoutMs });
  }
  if (err instanceof CancelError || (err instanceof Error && err.name === 'AbortError')) {
    return new PoetClientError('cancelled', `${method} ${url} was cancelled`, { method, url });
  }
  if (err instanceof RequestError) {
    const code = err.code;
    if (code === 'ERR_ABORTED' || (err.cause as Error | undefined)?.name === 'AbortError') {
      return new PoetClientError('cancelled', `${method} ${url} was cancelled`, { method, url });
    }
    return new PoetClientError('network', `${method} ${url} failed: ${code} ${err.message}`, { method, url, code });
  }
  const e = err as Error;
  return new PoetClientError('network', `${method} ${url} failed: ${e?.message ?? String(err)}`, { method, url, code: (e as NodeJS.ErrnoException)?.code });
}
