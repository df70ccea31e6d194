// Token, Host allowlist, Origin refusal, JSON-only bodies, size limit, path traversal, logs.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorBodySchema } from '../../shared/contract/errors';
import { rm } from 'node:fs/promises';
import { startService } from '../../server/service/start';
import { PY_ADD, memoryLogger, rawCall, startTestService, tempWorkspace, type Reply, type TestService } from './helpers';

function expectError(r: Reply, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(ErrorBodySchema.parse(r.body).error.code, code);
}

describe('service security', () => {
  let t: TestService;
  before(async () => {
    t = await startTestService();
    const r = await t.call('POST', '/poet/transpile', { json: { code: PY_ADD, language: 'python' } });
    assert.equal(r.status, 200, r.text);
  });
  after(async () => {
    await t.close();
  });

  describe('bearer token', () => {
    it('is required on every /poet path', async () => {
      for (const [m, p] of [
        ['GET', '/poet/health'],
        ['GET', '/poet/functions'],
        ['GET', '/poet/functions/add'],
        ['GET', '/poet/functions/add/versions/v1'],
        ['PUT', '/poet/functions/add/current'],
        ['POST', '/poet/transpile'],
        ['DELETE', '/poet/cache'],
        ['DELETE', '/poet/cache/add'],
        ['GET', '/poet/unknown'],
      ] as const) {
        expectError(await t.call(m, p, { noAuth: true }), 401, 'unauthorized');
        expectError(await t.call(m, p, { headers: { authorization: 'Bearer wrong' } }), 401, 'unauthorized');
        expectError(await t.call(m, p, { headers: { authorization: `Basic ${t.token}` } }), 401, 'unauthorized');
      }
    });
    it('accepts the right token in any case of "Bearer"', async () => {
      assert.equal((await t.call('GET', '/poet/functions', { headers: { authorization: `bearer ${t.token}` } })).status, 200);
      assert.equal((await t.call('GET', '/poet/functions')).status, 200);
    });
    it('a token that is a prefix of the real one fails', async () => {
      expectError(await t.call('GET', '/poet/functions', { headers: { authorization: `Bearer ${t.token.slice(0, -1)}` } }), 401, 'unauthorized');
    });
    it('is not needed for GET /health', async () => {
      assert.equal((await t.call('GET', '/health', { noAuth: true })).status, 200);
    });
  });

  describe('Host header', () => {
    it('allows 127.0.0.1, localhost and [::1] with the service port', async () => {
      for (const h of ['127.0.0.1', 'localhost', 'LOCALHOST', '[::1]']) {
        assert.equal((await t.call('GET', '/health', { headers: { host: `${h}:${t.svc.port}` } })).status, 200, h);
      }
    });
    it('refuses other names and other ports (DNS rebinding)', async () => {
      for (const h of ['evil.example', `evil.example:${t.svc.port}`, `127.0.0.1:${t.svc.port + 1}`, '127.0.0.1', `localhost.evil:${t.svc.port}`]) {
        expectError(await t.call('GET', '/health', { headers: { host: h } }), 403, 'forbidden');
        expectError(await t.call('GET', '/poet/functions', { headers: { host: h } }), 403, 'forbidden');
      }
    });
  });

  describe('allowed extra Host names', () => {
    it('accepts the names given in allowedHosts, with the port, and nothing else', async () => {
      const ws = await tempWorkspace();
      const svc = await startService({ workspace: ws, port: 0, token: 'tok', allowedHosts: ['poet.example'], logger: memoryLogger([]) });
      try {
        assert.equal((await rawCall(svc.port, 'GET', '/health', { headers: { host: `poet.example:${svc.port}` } })).status, 200);
        assert.equal((await rawCall(svc.port, 'GET', '/health', { headers: { host: `POET.example:${svc.port}` } })).status, 200);
        expectError(await rawCall(svc.port, 'GET', '/health', { headers: { host: 'poet.example:1' } }), 403, 'forbidden');
        expectError(await rawCall(svc.port, 'GET', '/health', { headers: { host: `other.example:${svc.port}` } }), 403, 'forbidden');
      } finally {
        await svc.close();
        await rm(ws, { recursive: true, force: true });
      }
    });
  });

  describe('Origin header', () => {
    it('refuses any request with an Origin, even with the token', async () => {
      for (const o of ['http://evil.example', `http://127.0.0.1:${t.svc.port}`, 'null', 'vscode-webview://abc']) {
        expectError(await t.call('GET', '/poet/functions', { headers: { origin: o } }), 403, 'forbidden');
        expectError(await t.call('GET', '/health', { headers: { origin: o } }), 403, 'forbidden');
        expectError(await t.call('POST', '/poet/transpile', { headers: { origin: o }, json: { code: PY_ADD } }), 403, 'forbidden');
      }
    });
  });

  describe('bodies', () => {
    it('must be JSON (415)', async () => {
      expectError(await t.call('POST', '/poet/transpile', { raw: 'code=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
      expectError(await t.call('POST', '/poet/transpile', { raw: '{"code":"x"}', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');
      expectError(await t.call('PUT', '/poet/functions/add/current', { raw: '{"version":"v1"}' }), 415, 'unsupported_media_type');
    });
    it('may be at most 1 MiB (413)', async () => {
      const big = { code: `# ${'x'.repeat(1024 * 1024)}\n${PY_ADD}`, language: 'python' };
      expectError(await t.call('POST', '/poet/transpile', { json: big }), 413, 'payload_too_large');
    });
    it('malformed JSON is a 400', async () => {
      const r = await t.call('POST', '/poet/transpile', { raw: '{"code": ', headers: { 'content-type': 'application/json' } });
      expectError(r, 400, 'invalid_request');
      assert.match(r.body.error.message, /Malformed JSON/);
    });
  });

  describe('path traversal', () => {
    const bad = ['..', '%2e%2e', '..%2f..%2fetc', 'a%2Fb', 'a%5Cb', '%2Fetc%2Fpasswd', 'a%00b', 'x'.repeat(201), '1abc', 'a-b', 'a..b', '.hidden', 'a.'];
    it('every name parameter rejects non-identifiers with 400', async () => {
      for (const name of bad) {
        const cases: Array<[string, string, unknown?]> = [
          ['GET', `/poet/functions/${name}`],
          ['GET', `/poet/functions/${name}/versions/v1`],
          ['GET', `/poet/functions/add/versions/${name}`],
          ['PUT', `/poet/functions/${name}/current`, { version: 'v1' }],
          ['DELETE', `/poet/cache/${name}`],
        ];
        for (const [m, p, json] of cases) {
          const r = await t.call(m, p, json === undefined ? {} : { json });
          expectError(r, 400, 'invalid_request');
        }
      }
    });
    it('an empty name is a 400 too', async () => {
      expectError(await t.call('GET', '/poet/functions//versions/v1'), 400, 'invalid_request');
      expectError(await t.call('DELETE', '/poet/cache/'), 400, 'invalid_request');
      expectError(await t.call('PUT', '/poet/functions//current', { json: { version: 'v1' } }), 400, 'invalid_request');
      assert.ok(existsSync(join(t.ws, '.dana/poet/cache/add')), 'DELETE /poet/cache/ did not drop everything');
    });
    it('raw ../ segments do not escape', async () => {
      for (const p of ['/poet/functions/../../../etc/passwd', '/poet/functions/add/versions/../../../../etc', '/poet/cache/..']) {
        const r = await t.call(p.startsWith('/poet/cache') ? 'DELETE' : 'GET', p);
        assert.ok(r.status === 400 || r.status === 404, `${p}: ${r.status}`);
        assert.doesNotMatch(r.text, /root:/);
      }
    });
    it('function_name, key and context.file in a transpile are checked', async () => {
      for (const function_name of ['..', '../x', 'a/b', 'a\\b', 'a\u0000b', '', 'x'.repeat(201)]) {
        expectError(await t.call('POST', '/poet/transpile', { json: { code: PY_ADD, language: 'python', function_name } }), 400, 'invalid_request');
      }
      for (const key of ['..', '../x', 'a/b', 'a\\b', 'a\u0000b', '', 'x'.repeat(201), 'a..b']) {
        expectError(await t.call('POST', '/poet/transpile', { json: { code: PY_ADD, language: 'python', key } }), 400, 'invalid_request');
      }
      for (const file of ['../outside.py', '/etc/passwd.py', 'a/../../b.py', '..\\..\\x.py', 'a\u0000.py']) {
        const r = await t.call('POST', '/poet/transpile', { json: { code: PY_ADD, language: 'python', context: { file } } });
        expectError(r, 400, 'invalid_request');
      }
    });
  });

  describe('logs', () => {
    it('are JSON lines with a request id, and never contain the token', async () => {
      await t.call('GET', '/poet/functions', { headers: { 'x-request-id': 'log-check-1' } });
      await t.call('GET', '/poet/functions', { headers: { authorization: 'Bearer not-the-token-xyz' } });
      const entries = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.ok(entries.some((e) => e.req_id === 'log-check-1' && e.status === 200));
      for (const l of t.logs) {
        assert.ok(!l.includes(t.token), 'token in log');
        assert.ok(!l.includes('not-the-token-xyz'), 'a presented token in log');
      }
    });
  });

  it('rawCall sends to the right port (sanity of the helper)', async () => {
    const r = await rawCall(t.svc.port, 'GET', '/health');
    assert.equal(r.status, 200);
  });
});
