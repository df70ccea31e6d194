// Optional LLM assistance against a local OpenAI-compatible chat-completions server on 127.0.0.1:
// valid rule answers are merged and recorded; failures, timeouts and invalid or code-like
// answers fall back to the deterministic output; nothing is sent unless configured.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { enhancedScript, generate, install, lines, python, tempWorkspace, write } from './helpers';

type Reply = { status?: number; content?: string; delayMs?: number };

describe('LLM rule assistance', function () {
  this.timeout(60_000);
  let server: Server;
  let url = '';
  let reply: Reply = {};
  const requests: Array<{ auth?: string; body: { model: string; messages: Array<{ role: string; content: string }> } }> = [];
  const saved = { ...process.env };

  before(async () => {
    server = createServer((req, res) => {
      let s = '';
      req.on('data', (c: Buffer) => (s += c.toString('utf8')));
      req.on('end', () => {
        requests.push({ auth: req.headers.authorization, body: JSON.parse(s) });
        setTimeout(() => {
          res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: reply.content ?? '' }, finish_reason: 'stop' }] }));
        }, reply.delayMs ?? 0);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(() => {
    process.env = saved;
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });
  beforeEach(() => {
    requests.length = 0;
    process.env = { ...saved, POET_LLM_URL: url, POET_LLM_MODEL: 'test-model', POET_LLM_API_KEY: 'sk-test', POET_LLM_TIMEOUT_MS: '500' };
  });

  const TEXT = 'def ship(weight_kg: float, country: str) -> float:\n    """Shipping cost."""\n    return weight_kg * 2.0\n';
  const gen = (ws: string) => generate({ ws, file: 'ship.py', text: TEXT, language: 'python', config: { domain: 'computation' } });

  it('merges valid suggested rules, records model, prompt hash and rules, and the generated code applies them', async () => {
    reply = { content: '```json\n{"inputs": [{"params": ["weight_kg"], "min": 0, "max": 500, "description": "parcel weight"}, {"params": ["nonexistent"], "min": 1}], "outputs": [{"min": 0, "description": "costs are not negative"}]}\n```' };
    const ws = tempWorkspace();
    write(ws, 'ship.py', TEXT);
    const r = await gen(ws);
    const llm = r.metadata.llm as Record<string, unknown>;
    assert.equal(llm.used, true);
    assert.equal(llm.model, 'test-model');
    assert.match(String(llm.prompt_hash), /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(llm.rules_taken, { inputs: [{ params: ['weight_kg'], min: 0, max: 500, description: 'parcel weight' }], outputs: [{ min: 0, description: 'costs are not negative' }] });
    assert.equal(llm.rules_dropped, 1);
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.auth, 'Bearer sk-test');
    assert.equal(requests[0]!.body.model, 'test-model');
    assert.match(requests[0]!.body.messages[1]!.content, /def ship\(weight_kg: float/);
    assert.doesNotMatch(JSON.stringify(r.metadata), /sk-test/);
    install(ws, 'ship', 'v1', r);
    const out = lines(await python(ws, enhancedScript('ship', 'v1', 'err(e.ship, 2, "NL")\nerr(e.ship, 900, "NL")'))) as Array<Record<string, unknown>>;
    assert.deepEqual(out[0], { ok: 4.0 });
    assert.match(String(out[1]!.message), /parameter 'weight_kg' = 900: must be at most 500 \(llm: parcel weight\)/);
  });

  const deterministic = async () => {
    const prev = process.env;
    process.env = { ...saved };
    delete process.env.POET_LLM_URL;
    const r = await gen(tempWorkspace());
    process.env = prev;
    return r;
  };

  for (const [what, r, reason] of [
    ['an HTTP error', { status: 500, content: 'x' }, /HTTP 500/],
    ['a timeout', { delayMs: 2000, content: '{"inputs": [], "outputs": []}' }, /no answer within 500 ms/],
    ['prose instead of JSON', { content: 'Sure! Here are some ideas.' }, /invalid answer: no JSON object/],
    ['code instead of rules', { content: '{"inputs": [{"params": ["weight_kg"], "code": "import os; os.system(\'x\')"}]}' }, /invalid answer: inputs.0: Unrecognized key/],
    ['an unknown normaliser', { content: '{"inputs": [{"params": ["weight_kg"], "normalize": ["eval"]}]}' }, /invalid answer: inputs.0.normalize.0/],
  ] as Array<[string, Reply, RegExp]>) {
    it(`falls back to the deterministic output on ${what}`, async () => {
      reply = r;
      const got = await gen(tempWorkspace());
      const llm = got.metadata.llm as Record<string, unknown>;
      assert.equal(llm.used, false);
      assert.match(String(llm.reason), reason);
      assert.equal(llm.fallback, 'deterministic rules only');
      assert.equal(got.code, (await deterministic()).code);
    });
  }

  it('sends nothing unless all three variables are set', async () => {
    process.env = { ...saved, POET_LLM_URL: url, POET_LLM_MODEL: 'test-model' };
    delete process.env.POET_LLM_API_KEY;
    const r = await gen(tempWorkspace());
    assert.equal(requests.length, 0);
    assert.match(String((r.metadata.llm as Record<string, unknown>).reason), /not configured/);
  });
});
