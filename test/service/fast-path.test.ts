// POST /poet/transpile is served by node:http directly (server/service/fast-path.ts) in the
// plain case and by Express otherwise. Both must answer alike: same checks, limits, errors,
// log line, metrics and body. These tests drive each case over real HTTP.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { ErrorBodySchema } from '../../shared/contract/errors';
import { TranspileResponseSchema } from '../../shared/contract/api';
import { PY_ADD, startTestService, type Reply, type TestService } from './helpers';

function expectError(r: Reply, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(ErrorBodySchema.parse(r.body).error.code, code);
}

/** A body sent in chunks without Content-Length (Transfer-Encoding: chunked). */
function chunkedCall(port: number, token: string, chunks: Buffer[]): Promise<{ status: number; text: string }> {
  return new Promise((ok, fail) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/poet/transpile', agent: false, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, text }));
      },
    );
    let responded = false;
    req.on('response', () => (responded = true));
    req.on('error', (e) => (responded ? undefined : setTimeout(() => responded || fail(e), 100)));
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('transpile fast path and Express path', () => {
  let t: TestService;
  const body = { code: PY_ADD, language: 'python' };
  let plain: Reply;
  before(async () => {
    t = await startTestService();
    plain = await t.call('POST', '/poet/transpile', { json: body });
    assert.equal(plain.status, 200, plain.text);
  });
  after(() => t.close());

  it('a gzip body, a UTF-8 charset and a query string get the same answer as the plain request', async () => {
    const json = JSON.stringify(body);
    const variants: Reply[] = [
      await t.call('POST', '/poet/transpile', { raw: gzipSync(json), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } }),
      await t.call('POST', '/poet/transpile', { raw: json, headers: { 'content-type': 'application/json; charset=UTF-8' } }),
      await t.call('POST', '/poet/transpile?trace=1', { json: body }),
      await t.call('POST', '/poet/transpile', { json: body }),
    ];
    for (const r of variants) {
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
      const a = TranspileResponseSchema.parse(r.body);
      assert.deepEqual({ ...a, created: false, cached: true }, { ...TranspileResponseSchema.parse(plain.body), created: false, cached: true });
      assert.equal(a.cached, true);
    }
  });

  it('refuses exactly what the Express routes refuse: Host, Origin, token, media type', async () => {
    expectError(await t.call('POST', '/poet/transpile', { json: body, headers: { host: 'evil.example:80' } }), 403, 'forbidden');
    expectError(await t.call('POST', '/poet/transpile', { json: body, headers: { origin: 'http://127.0.0.1' } }), 403, 'forbidden');
    expectError(await t.call('POST', '/poet/transpile', { json: body, noAuth: true }), 401, 'unauthorized');
    expectError(await t.call('POST', '/poet/transpile', { json: body, headers: { authorization: 'Bearer nope' } }), 401, 'unauthorized');
    expectError(await t.call('POST', '/poet/transpile', { raw: JSON.stringify(body), headers: { 'content-type': 'text/json' } }), 415, 'unsupported_media_type');
  });

  it('a body over 1 MiB is a 413 even when sent chunked without a length', async () => {
    const piece = Buffer.from(`{"code": "# ${'x'.repeat(64 * 1024)}`);
    const r = await chunkedCall(t.svc.port, t.token, Array.from({ length: 20 }, () => piece));
    assert.equal(r.status, 413, r.text);
    assert.equal(JSON.parse(r.text).error.code, 'payload_too_large');
    // The service still answers on a new connection.
    assert.equal((await t.call('POST', '/poet/transpile', { json: body })).status, 200);
  });

  it('malformed JSON, a top level that is not an object, and an empty body are 400s that say why', async () => {
    const bad = await t.call('POST', '/poet/transpile', { raw: '{"code": ', headers: { 'content-type': 'application/json' } });
    expectError(bad, 400, 'invalid_request');
    assert.match(bad.body.error.message, /Malformed JSON/);
    const scalar = await t.call('POST', '/poet/transpile', { raw: '"def f(): pass"', headers: { 'content-type': 'application/json' } });
    expectError(scalar, 400, 'invalid_request');
    assert.match(scalar.body.error.message, /Malformed JSON.*must be a JSON object/);
    const empty = await t.call('POST', '/poet/transpile', { raw: '', headers: { 'content-type': 'application/json' } });
    expectError(empty, 400, 'invalid_request');
    assert.match(empty.body.error.message, /code/);
  });

  it('echoes the request id, logs the request line and counts it in the metrics under its route', async () => {
    const r = await t.call('POST', '/poet/transpile', { json: body, headers: { 'x-request-id': 'fast-path-1' } });
    assert.equal(r.headers['x-request-id'], 'fast-path-1');
    const line = t.logs.map((l) => JSON.parse(l)).find((l) => l.req_id === 'fast-path-1' && l.msg === 'request');
    assert.deepEqual({ method: line?.method, path: line?.path, status: line?.status }, { method: 'POST', path: '/poet/transpile', status: 200 });
    const metrics = await t.call('GET', '/metrics');
    assert.equal(metrics.status, 200, metrics.text);
    assert.match(metrics.text, /poet_http_requests_total\{method="POST",route="\/poet\/transpile",status="200"\} \d+/);
  });

  it('POST /poet/executions answers alike on the fast path and through Express', async () => {
    const run = { function_name: 'add', version: 'v1', inputs: { a: 1, b: 2 }, output: 3, duration_ms: 1.5, attempts: 1, started_at: '2026-01-01T00:00:00Z' };
    const fast = await t.call('POST', '/poet/executions', { json: run, headers: { 'x-request-id': 'exec-fast' } });
    const express = await t.call('POST', '/poet/executions?via=express', { raw: gzipSync(JSON.stringify(run)), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
    for (const r of [fast, express]) {
      assert.equal(r.status, 201, r.text);
      const back = await t.call('GET', `/poet/executions/${r.body.execution_id}`);
      assert.deepEqual(back.body.context.inputs, run.inputs);
    }
    for (const p of ['/poet/executions', '/poet/executions?via=express']) {
      const bad = await t.call('POST', p, { json: { ...run, attempts: 0 } });
      expectError(bad, 400, 'invalid_request');
      assert.match(bad.body.error.message, /attempts/);
      expectError(await t.call('POST', p, { json: { ...run, version: 'v9' } }), 404, 'not_found');
      expectError(await t.call('POST', p, { json: run, noAuth: true }), 401, 'unauthorized');
    }
    const line = t.logs.map((l) => JSON.parse(l)).find((l) => l.req_id === 'exec-fast' && l.msg === 'request');
    assert.deepEqual({ path: line?.path, status: line?.status }, { path: '/poet/executions', status: 201 });
  });

  it('a 500 inside the fast path is logged with its request id and answered without a stack', async () => {
    // A directory where the cache entry file should be: reading it fails with EISDIR.
    const { mkdir, rm } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const other = { code: PY_ADD.replace('a + b', 'b + a'), language: 'python' };
    const first = TranspileResponseSchema.parse((await t.call('POST', '/poet/transpile', { json: other })).body);
    const entry = join(t.ws, '.dana/poet/cache', first.key, `${first.source_hash.slice('sha256:'.length)}.json`);
    await rm(entry);
    await mkdir(entry);
    const r = await t.call('POST', '/poet/transpile', { json: other, headers: { 'x-request-id': 'fast-500' } });
    await rm(entry, { recursive: true });
    expectError(r, 500, 'internal');
    assert.deepEqual(r.body.error.details, { request_id: 'fast-500' });
    assert.doesNotMatch(r.text, /EISDIR|node:internal/);
    assert.ok(t.logs.map((l) => JSON.parse(l)).some((l) => l.req_id === 'fast-500' && /EISDIR/.test(l.err?.stack ?? '')), 'logged with its request id');
  });
});
