// The HTTP client against a real server on 127.0.0.1: responses parsed with the contract,
// retries only for idempotent requests, and every failure mapped to an actionable message.
import { strict as assert } from 'node:assert';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'mocha';
import { PoetClient } from '../../extension/client/poetClient';
import { describeError, PoetClientError } from '../../extension/client/errors';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const err = (res: ServerResponse, status: number, code: string, message: string, details?: unknown) =>
  json(res, status, { error: { code, message, ...(details !== undefined ? { details } : {}) } });

const health = { status: 'ok', service: 'poet', version: '0.1.0', workspace: '/tmp/ws', uptime_s: 1 };

async function failure(p: Promise<unknown>): Promise<PoetClientError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof PoetClientError, `expected a PoetClientError, got ${e}`);
    return e;
  }
  assert.fail('expected the call to fail');
}

describe('extension HTTP client and its error messages', () => {
  let server: Server;
  let base: string;
  let handler: Handler;
  let requests: Array<{ method: string; url: string; auth?: string; body: string }>;

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requests.push({ method: req.method!, url: req.url!, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}), body });
        handler(req, res, body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    requests = [];
    handler = (_q, res) => json(res, 200, health);
  });

  const client = (o: Partial<ConstructorParameters<typeof PoetClient>[0]> = {}) => new PoetClient({ baseUrl: base, token: 'tok-123', retries: 2, timeoutMs: 2000, ...o });

  it('sends the bearer token and parses the response with the contract', async () => {
    const h = await client().health();
    assert.deepEqual(h, health);
    assert.equal(requests[0]!.auth, 'Bearer tok-123');
    await new PoetClient({ baseUrl: base }).health();
    assert.equal(requests[1]!.auth, undefined);
  });

  it('keeps a base URL path prefix (remote services behind a proxy)', async () => {
    await new PoetClient({ baseUrl: `${base}/prefix/` }).listFunctions().catch(() => undefined);
    assert.equal(requests[0]!.url, '/prefix/poet/functions');
  });

  it('sends JSON bodies and encodes names in paths', async () => {
    handler = (_q, res) => json(res, 200, { name: 'f', key: 'mod.f', current_version: 'v1', previous_version: 'v2' });
    const r = await client().setCurrent('mod.f', 'v1');
    assert.equal(r.current_version, 'v1');
    assert.equal(requests[0]!.method, 'PUT');
    assert.equal(requests[0]!.url, '/poet/functions/mod.f/current');
    assert.deepEqual(JSON.parse(requests[0]!.body), { version: 'v1' });
  });

  it('retries idempotent requests on 503 but never a transpile POST', async () => {
    handler = (_q, res) => err(res, 503, 'internal', 'busy');
    await failure(client().listFunctions());
    assert.equal(requests.length, 3, 'GET: the first try and 2 retries');
    requests = [];
    await failure(client().transpile({ code: 'def f():\n  pass\n' }));
    assert.equal(requests.length, 1, 'POST is sent once');
  });

  it('does not retry a 500 (the same request would fail the same way)', async () => {
    handler = (_q, res) => err(res, 500, 'internal', 'Unexpected failure (request id r-1).');
    const e = await failure(client().listFunctions());
    assert.equal(requests.length, 1);
    const d = describeError(e, { remote: false });
    assert.match(d.message, /^The POET service failed: Unexpected failure \(request id r-1\)\. See the service log/);
    assert.deepEqual(d.actions, ['showLog', 'restartService']);
  });

  it('explains a 401 locally (restart) and remotely (set the API key)', async () => {
    handler = (_q, res) => err(res, 401, 'unauthorized', 'Missing or wrong bearer token');
    const e = await failure(client().listFunctions());
    assert.equal(e.info.status, 401);
    assert.equal(e.errorCode, 'unauthorized');
    const local = describeError(e, { remote: false });
    assert.match(local.message, /refused the extension's credentials \(Missing or wrong bearer token\), HTTP 401\. Restart it/);
    assert.deepEqual(local.actions, ['restartService', 'showLog']);
    const remote = describeError(e, { remote: true });
    assert.match(remote.message, /^The remote POET service at http:\/\/127\.0\.0\.1:\d+ refused the API key.*Set Remote Service API Key/);
    assert.deepEqual(remote.actions, ['setApiKey']);
    assert.doesNotMatch(local.message + remote.message, /tok-123/);
  });

  it('lists each invalid field with its suggestion', async () => {
    handler = (_q, res) =>
      err(res, 400, 'invalid_request', 'The request is invalid', [
        { field: 'config.retrys', message: 'Unknown key "retrys"', suggestion: 'retries' },
        { field: 'config.timeout', message: 'must be > 0' },
      ]);
    const d = describeError(await failure(client().transpile({ code: 'x' })), { remote: false });
    assert.equal(d.message, 'POET rejected the request: The request is invalid. config.retrys: Unknown key "retrys" (did you mean "retries"?); config.timeout: must be > 0.');
  });

  it('points at the line and column of a syntax error', async () => {
    handler = (_q, res) => err(res, 422, 'syntax_error', 'The code does not parse', { line: 3, column: 7, message: "expected ':'", errors: [] });
    const d = describeError(await failure(client().transpile({ code: 'def f(' })), { remote: false });
    assert.equal(d.message, "The code does not parse (line 3, column 7): expected ':'. Fix the syntax error and enhance again.");
  });

  it('turns not_found and key conflicts into next steps', async () => {
    handler = (_q, res) => err(res, 404, 'not_found', 'No function "ghost" has been enhanced');
    let d = describeError(await failure(client().getFunction('ghost')), { remote: false });
    assert.equal(d.message, 'No function "ghost" has been enhanced. Refresh the POET view, or enhance the function first.');
    handler = (_q, res) => err(res, 409, 'conflict', 'key taken', { key: 'area', existing_source_file: 'geo.py', source_file: 'shapes.py', suggested_key: 'shapes.area' });
    d = describeError(await failure(client().transpile({ code: 'x' })), { remote: false });
    assert.match(d.message, /Another file \(geo\.py\) already has a POET history for "area".*"shapes\.area"/);
  });

  it('reports a response that breaks the contract as a version mismatch', async () => {
    handler = (_q, res) => json(res, 200, [{ name: 'f' }]);
    const e = await failure(client().listFunctions());
    assert.equal(e.kind, 'contract');
    assert.match(describeError(e, { remote: false }).message, /GET \/poet\/functions with a response this extension does not understand \(0\.key: .*versions probably differ/);
    handler = (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>proxy login</html>');
    };
    const e2 = await failure(client().health());
    assert.equal(e2.kind, 'contract');
    assert.match(e2.info.issues![0]!, /not JSON: <html>/);
  });

  it('explains a non-POET error page (e.g. a proxy) by status and text', async () => {
    handler = (_q, res) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('Bad gateway');
    };
    const e = await failure(client({ retries: 0 }).health());
    assert.equal(describeError(e, { remote: true }).message, `The remote POET service at ${base} answered HTTP 502: Bad gateway. Check that "poet.service.url" points to a POET service.`);
  });

  it('says how to recover when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const e = await failure(new PoetClient({ baseUrl: `http://127.0.0.1:${port}`, retries: 1 }).health());
    assert.equal(e.kind, 'network');
    assert.equal(e.info.code, 'ECONNREFUSED');
    const local = describeError(e, { remote: false });
    assert.equal(local.message, `The bundled POET service at http://127.0.0.1:${port} is not reachable (ECONNREFUSED: nothing is listening there). Restart it with "POET: Restart Service".`);
    const remote = describeError(e, { remote: true });
    assert.match(remote.message, /Check the "poet\.service\.url" setting/);
    assert.deepEqual(remote.actions, ['openSettings', 'retry']);
  });

  it('times out a request that gets no answer', async () => {
    handler = () => undefined; // never answers
    const e = await failure(client({ timeoutMs: 300, retries: 0 }).listFunctions());
    assert.equal(e.kind, 'timeout');
    assert.equal(describeError(e, { remote: false }).message, 'The POET service did not answer within 0.3 s (GET /poet/functions). It may be busy; try again, or check the log.');
    const e2 = await failure(client({ retries: 0 }).getFunction('f', { timeoutMs: 1500 }));
    assert.match(describeError(e2, { remote: false }).message, /within 1\.5 s/);
  });

  it('stops when the caller cancels', async () => {
    handler = () => undefined;
    const ac = new AbortController();
    const p = client().transpile({ code: 'x' }, { signal: ac.signal });
    // Abort once the server has the request, so it is a real in-flight cancellation.
    await new Promise<void>((resolve) => {
      const tick = () => (requests.length ? resolve() : setImmediate(tick));
      tick();
    });
    ac.abort();
    const e = await failure(p);
    assert.equal(e.kind, 'cancelled');
    assert.deepEqual(describeError(e, { remote: false }).actions, []);
  });

  it('describes errors that are not the client\'s', () => {
    assert.deepEqual(describeError(new Error('boom'), { remote: false }), { message: 'POET failed: boom. See the POET log for details.', actions: ['showLog'] });
  });
});
