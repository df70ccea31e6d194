// The running service answers exactly the endpoints the contract declares (shared/contract/
// endpoints.ts): each one reaches a handler at the path the clients build, behind the token
// when it says so, and the same path with another method is no endpoint.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'mocha';
import { ENDPOINTS } from '../../shared/contract/endpoints';
import { endpointPath, type HttpMethod } from '../../shared/contract/endpoint';
import { startTestService, type TestService } from './helpers';

const PARAMS = { name: 'nothing_here', version: 'v1', id: 'x1' };
const NO_ENDPOINT = /^No endpoint /;

describe('service endpoints declared in the contract', () => {
  let t: TestService;
  before(async () => {
    t = await startTestService();
  });
  after(() => t.close());

  it('declares each method and path once', () => {
    const seen = ENDPOINTS.map((e) => `${e.method} ${e.path}`);
    assert.deepEqual(seen, [...new Set(seen)]);
  });

  for (const e of ENDPOINTS) {
    it(`${e.method} ${e.path} reaches its handler${e.auth ? ', behind the token' : ''}`, async () => {
      const path = endpointPath(e, PARAMS);
      const body = e.method === 'POST' || e.method === 'PUT' ? { json: {} } : {};
      const r = await t.call(e.method, path, body);
      assert.ok(!(r.status === 404 && NO_ENDPOINT.test(String(r.body?.error?.message ?? ''))), `${e.method} ${path}: ${r.text}`);
      if (e.auth) assert.equal((await t.call(e.method, path, { ...body, noAuth: true })).status, 401);
    });
  }

  it('answers no method the contract does not declare for a path', async () => {
    const methods: HttpMethod[] = ['GET', 'POST', 'PUT', 'DELETE'];
    for (const path of new Set(ENDPOINTS.map((e) => e.path))) {
      for (const m of methods.filter((m) => !ENDPOINTS.some((e) => e.path === path && e.method === m))) {
        const r = await t.call(m, endpointPath({ path }, PARAMS), m === 'POST' || m === 'PUT' ? { json: {} } : {});
        assert.equal(r.status, 404, `${m} ${path}: ${r.text}`);
      }
    }
  });
});
