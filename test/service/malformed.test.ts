// Malformed requests are the client's fault: 4xx in the one error shape, never a 500, on the
// node:http fast path (POST /poet/transpile, plain JSON) and the Express routes alike.
// Reproductions from issue 12 (defect 4): a Content-Encoding on a body that is not compressed,
// JSON nested 10,000 deep, a 60 KB Authorization header.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import fc from 'fast-check';
import { MAX_JSON_DEPTH } from '../../shared/contract/api';
import { ErrorBodySchema } from '../../shared/contract/errors';
import { checkJsonDepth } from '../../server/service/body';
import { PY_ADD, startTestService, type Reply, type TestService } from './helpers';

function expectError(r: Reply, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(ErrorBodySchema.parse(r.body).error.code, code, r.text);
}

/** Sends raw bytes on a fresh connection and returns everything the server answers. */
function rawHttp(port: number, text: string): Promise<string> {
  return new Promise((ok, fail) => {
    const s = connect(port, '127.0.0.1', () => s.end(text));
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    s.on('error', fail);
  });
}

const nested = (n: number, leaf = '1') => '['.repeat(n) + leaf + ']'.repeat(n);
const nestedObj = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

/** Depth of a parsed JSON value: a scalar is 0, `[]` is 1. */
function depth(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  const kids = Array.isArray(v) ? v : Object.values(v);
  return 1 + kids.reduce<number>((m, k) => Math.max(m, depth(k)), 0);
}

describe('malformed requests', () => {
  let t: TestService;
  let executionId: string;
  const json = { 'content-type': 'application/json' };
  before(async () => {
    t = await startTestService();
    assert.equal((await t.call('POST', '/poet/transpile', { json: { code: PY_ADD, language: 'python' } })).status, 200);
    const e = await t.call('POST', '/poet/executions', {
      json: { function_name: 'add', version: 'v1', inputs: { a: 1, b: 2 }, output: 3, duration_ms: 1, attempts: 1, started_at: '2026-01-01T00:00:00Z' },
    });
    executionId = e.body.execution_id;
  });
  after(() => t.close());

  const bodyRoutes = (): Array<[string, string]> => [
    ['POST', '/poet/transpile'],
    ['POST', '/poet/transpile?via=express'],
    ['POST', '/poet/executions'],
    ['POST', '/poet/feedback'],
    ['PUT', '/poet/functions/add/current'],
    ['POST', '/poet/functions/add/train'],
    ['PUT', '/poet/learning/settings'],
  ];

  it('a Content-Encoding the body does not have is a 400 on every body route', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      for (const [m, p] of bodyRoutes()) {
        const r = await t.call(m, p, { raw: '{"code": "x"}', headers: { ...json, 'content-encoding': encoding } });
        expectError(r, 400, 'invalid_request');
        assert.match(r.body.error.message, /Content-Encoding/, `${encoding} ${m} ${p}`);
      }
    }
  });

  it(`JSON nested deeper than ${MAX_JSON_DEPTH} levels is a 400 on every body route, 10,000 deep included`, async () => {
    const bodies = [
      `{"code": ${JSON.stringify(PY_ADD)}, "language": "python", "config": {"retries": ${nested(10_000)}}}`,
      `{"function_name": "add", "version": "v1", "inputs": {"a": ${nestedObj(10_000)}}, "duration_ms": 1, "attempts": 1, "started_at": "2026-01-01T00:00:00Z"}`,
      `{"execution_id": "${executionId}", "feedback": ${nested(MAX_JSON_DEPTH)}}`,
    ];
    for (const raw of bodies) {
      for (const [m, p] of bodyRoutes()) {
        const r = await t.call(m, p, { raw, headers: json });
        expectError(r, 400, 'invalid_request');
        assert.match(r.body.error.message, new RegExp(`deeper than ${MAX_JSON_DEPTH} levels`), `${m} ${p}`);
      }
    }
  });

  it(`JSON exactly ${MAX_JSON_DEPTH} levels deep is accepted, and brackets inside strings do not count`, async () => {
    // The body itself is one level: a value nested MAX - 1 deeper inside it is the limit.
    const deepest = `{"execution_id": "${executionId}", "feedback": {"comment": "fine", "expected": ${nested(MAX_JSON_DEPTH - 2)}}}`;
    assert.equal((await t.call('POST', '/poet/feedback', { raw: deepest, headers: json })).status, 201);
    const inString = JSON.stringify({ code: `# ${'['.repeat(10_000)} "\\" {{{\n${PY_ADD}`, language: 'python' });
    for (const p of ['/poet/transpile', '/poet/transpile?via=express']) {
      const r = await t.call('POST', p, { raw: inString, headers: json });
      assert.equal(r.status, 200, r.text);
    }
  });

  it('the depth check agrees with the parsed depth for any JSON value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: MAX_JSON_DEPTH + 3 }), (v) => {
        const text = JSON.stringify(v);
        let refused = false;
        try {
          checkJsonDepth(Buffer.from(text));
        } catch {
          refused = true;
        }
        assert.equal(refused, depth(v) > MAX_JSON_DEPTH, text.slice(0, 200));
      }),
      { numRuns: 300 },
    );
    // Strings full of quotes, backslashes and brackets, deep and shallow.
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('"', '\\', '[', ']', '{', '}', 'a') }), fc.integer({ min: 0, max: MAX_JSON_DEPTH + 2 }), (s, n) => {
        const text = nested(n, JSON.stringify(s));
        let refused = false;
        try {
          checkJsonDepth(Buffer.from(text));
        } catch {
          refused = true;
        }
        assert.equal(refused, n > MAX_JSON_DEPTH);
      }),
      { numRuns: 300 },
    );
  });

  it('a body in another charset than UTF-8 is a 415 on both request paths', async () => {
    for (const p of ['/poet/transpile', '/poet/transpile?via=express', '/poet/executions']) {
      for (const cs of ['utf-16le', 'latin1']) {
        const r = await t.call('POST', p, { raw: '{}', headers: { 'content-type': `application/json; charset=${cs}` } });
        expectError(r, 415, 'unsupported_media_type');
        assert.match(r.body.error.message, /UTF-8/);
      }
    }
  });

  it('headers over 16 KiB get 431 in the error shape, and the service keeps serving', async () => {
    const r = await t.call('GET', '/poet/functions', { headers: { authorization: `Bearer ${'x'.repeat(60_000)}` } });
    expectError(r, 431, 'headers_too_large');
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.body.error.details.limit_bytes, 16_384);
    for (const [m, p] of [['POST', '/poet/transpile'], ['GET', '/health']] as const) {
      const big = await t.call(m, p, { json: { code: PY_ADD }, headers: { 'x-pad': 'y'.repeat(20_000) } });
      expectError(big, 431, 'headers_too_large');
    }
    assert.equal((await t.call('GET', '/poet/functions')).status, 200);
  });

  it('a request Node cannot parse gets 400 in the error shape', async () => {
    const answer = await rawHttp(t.svc.port, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Line\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 400 Bad Request\r\n/);
    const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
    assert.equal(ErrorBodySchema.parse(JSON.parse(body)).error.code, 'invalid_request');
  });

  it('a path with broken percent-encoding is a 400, not a 500', async () => {
    for (const p of ['/poet/functions/%ZZ', '/poet/functions/%E0%A4%A', '/poet/functions/add/versions/%C0', '/poet/cache/%']) {
      const r = await t.call(p.startsWith('/poet/cache') ? 'DELETE' : 'GET', p);
      expectError(r, 400, 'invalid_request');
    }
  });
});
