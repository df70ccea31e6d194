// Executions of enhanced Dana functions: the Dana runtime's Python helper, driven by real python3
// the way the runtime module drives it (trace, attempts through wait/failure, then done or failed),
// reports to a real POET service on 127.0.0.1, with the fields Python's enhanced code sends, and
// never changes what a call returns or raises. (The Dana interpreter itself is a development
// oracle, not a test dependency: docs/generator.md has what it showed.)
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ExecutionDetailSchema, ExecutionListSchema, FunctionMetricsSchema, ServiceMetricsSchema } from '../../shared/contract/learning';
import { startTestService, type TestService } from '../service/helpers';
import { danaHelperPath, lines, loadDanaHelper, python } from './helpers';

const APP = `@poet(retries=2, timeout=5.0)
def get_rate(currency: str) -> float:
    value = rates.fetch(currency)
    return value
`;

const REFUSED = "PerceiveTypeError: [perceive] get_rate: parameter 'currency' = None: must not be None (annotation str)";

/** python3 code that loads the helper as the Dana runtime does and plays one call per case. */
function driver(ws: string): string {
  return `
import concurrent.futures, json
${loadDanaHelper(join(ws, '.dana', 'poet', danaHelperPath()))}
plan = {"names": ["currency"], "report": {"key": "get_rate", "version": "v1"}}

class DanaError(Exception):
    """Stands for Dana's wrapper: the original exception under .original."""
    def __init__(self, original):
        super().__init__("Error executing statement 0 in function 'get_rate': " + str(original))
        self.original = original

class Promise:
    """Stands for Dana's EagerPromise of a call that never finishes."""
    def __init__(self):
        self._future = concurrent.futures.Future()

class Struct:
    """Stands for a Dana struct instance (its fields in _values)."""
    def __init__(self, **fields):
        self._values = fields

def out(v):
    print(json.dumps(v))

# 1. a transient failure, then the value
t = h.trace(plan, ["EUR"])
first = h.failure(DanaError(ConnectionError("rates service unreachable")), [], h.clock(), t)
second = h.wait(1.08, 5, [], h.clock(), t)
out([first["transient"], first["type"], second["ok"], second["value"], h.done(t, second["value"])])

# 2. Perceive refuses the input: the error it raises is the one Dana shows
t = h.trace(plan, [None])
try:
    h.perceive("get_rate", "currency", None, {"type": {"text": "str", "kinds": ["str"], "nullable": False}, "normalize": [], "checks": []}, t)
    out("accepted")
except h.DanaPoetError as e:
    out(str(e))

# 3. the original's own permanent error, under Dana's wrapper
t = h.trace(plan, ["JPY"])
outcome = h.failure(DanaError(KeyError("JPY")), [], h.clock(), t)
out([outcome["transient"], h.failed(t, outcome["error"], "operate") is outcome["error"]])

# 4. an attempt that does not finish in its budget, then POET's TimeoutError
t = h.trace(plan, ["GBP"])
late = h.wait(Promise(), 0.05, [], h.clock(), t)
out([late["ok"], late.get("timeout")])
h.failed(t, "TimeoutError: [timeout] get_rate: 1 attempt(s) (timeout); each attempt may take 0.05s", "timeout")

# 5. a struct as input, a fallback answer
t = h.trace(plan, [Struct(code="CHF", decimals=2)])
h.wait(0.91, 5, [], h.clock(), t)
h.fell_back(t)
out(h.done(t, {"rate": 0.91}))
`;
}

describe('enhanced Dana: execution reporting through the runtime helper', function () {
  this.timeout(60_000);
  let s: TestService;

  before(async () => {
    s = await startTestService();
    // The service records executions of functions it knows: enhance one (this also writes the runtime files).
    await s.svc.pipeline.enhance({ code: APP, language: 'dana', contextFile: 'app.na' });
  });
  after(() => s.close());

  it('sends each call with the Python fields; results and errors pass through unchanged', async () => {
    const r = await python(s.ws, driver(s.ws), { POET_API_URL: `http://127.0.0.1:${s.svc.port}`, POET_API_KEY: s.token });
    assert.deepEqual(lines(r), [[true, 'ConnectionError', true, 1.08, true], REFUSED, [false, true], [false, true], true]);

    // The program ended right after its last call: what it reported arrived (the helper flushes at exit).
    const list = ExecutionListSchema.parse((await s.call('GET', '/poet/functions/get_rate/executions?limit=10')).body);
    assert.equal(list.total, 5);
    const details = await Promise.all(list.executions.reverse().map(async (e) => ExecutionDetailSchema.parse((await s.call('GET', `/poet/executions/${e.execution_id}`)).body)));
    const [ok, perceive, permanent, timeout, fallback] = details;

    assert.deepEqual(ok!.context.inputs, { currency: 'EUR' });
    assert.equal(ok!.context.version, 'v1');
    assert.equal(ok!.result.status, 'success');
    assert.equal(ok!.result.output, 1.08);
    assert.equal(ok!.result.attempts, 2);
    assert.deepEqual(ok!.result.attempt_log!.map((a) => [a.outcome, a.error_type]), [['error', 'ConnectionError'], ['ok', undefined]]);
    assert.equal(ok!.result.fallback_used, false);

    // Named as Python's enhanced code names it: the POET error class, its own message.
    assert.deepEqual(perceive!.result.error, { type: 'PerceiveTypeError', phase: 'perceive', message: "[perceive] get_rate: parameter 'currency' = None: must not be None (annotation str)" });
    assert.equal(perceive!.result.attempts, 1);
    assert.deepEqual(perceive!.result.attempt_log, []);

    // The original's exception is named by what lies under Dana's wrapper.
    assert.deepEqual(permanent!.result.error, { type: 'KeyError', phase: 'operate', message: "'JPY'" });

    assert.equal(timeout!.result.error!.type, 'TimeoutError');
    assert.equal(timeout!.result.error!.phase, 'timeout');
    assert.deepEqual(timeout!.result.attempt_log!.map((a) => a.outcome), ['timeout']);

    assert.deepEqual(fallback!.context.inputs, { currency: { code: 'CHF', decimals: 2 } });
    assert.deepEqual(fallback!.result.output, { rate: 0.91 });
    assert.equal(fallback!.result.fallback_used, true);
  });

  it('reports nothing without POET_API_URL, and changes nothing when the service is unreachable', async () => {
    for (const env of [{}, { POET_API_URL: 'http://127.0.0.1:9', POET_API_KEY: 'k' }] as Array<Record<string, string>>) {
      const r = await python(s.ws, driver(s.ws), env);
      assert.deepEqual(lines(r), [[true, 'ConnectionError', true, 1.08, true], REFUSED, [false, true], [false, true], true], JSON.stringify(env));
    }
    const list = ExecutionListSchema.parse((await s.call('GET', '/poet/functions/get_rate/executions?limit=10')).body);
    assert.equal(list.total, 5, 'only the five of the first test');
  });
});

/** python3 code that plays `n` calls through the helper: every 20th fails (the original's KeyError). */
function burst(ws: string, n: number): string {
  return `
import json
${loadDanaHelper(join(ws, '.dana', 'poet', danaHelperPath()))}
plan = {"names": ["currency"], "report": {"key": "get_rate", "version": "v1"}}
for i in range(${n}):
    t = h.trace(plan, ["C%d" % i])
    if i % 20 == 0:
        h.failed(t, h.failure(KeyError("C%d" % i), [], h.clock(), t)["error"], "operate")
    else:
        h.done(t, h.wait(1.0 + i, 5, [], h.clock(), t)["value"])
print(json.dumps(h._rt.REPORTER.flush(30.0)))
`;
}

// Dana's helper reports through the Python runtime's reporter, so a Dana program's calls go in
// batches from one thread and honour POET_SAMPLE_RATE the same way (issue 16).
describe('enhanced Dana: reporting in batches, with sampling', function () {
  this.timeout(120_000);
  let s: TestService;
  const posts = async () =>
    ServiceMetricsSchema.parse((await s.call('GET', '/poet/metrics')).body).requests.filter((r) => r.method === 'POST' && r.route === '/poet/executions' && r.status === 201).reduce((n, r) => n + r.count, 0);
  const metrics = async () => FunctionMetricsSchema.parse((await s.call('GET', '/poet/functions/get_rate/metrics')).body).versions.find((v) => v.version === 'v1')!;

  beforeEach(async () => {
    s = await startTestService();
    await s.svc.pipeline.enhance({ code: APP, language: 'dana', contextFile: 'app.na' });
  });
  afterEach(() => s.close());

  it('sends 300 calls in far fewer requests, every one recorded', async () => {
    const r = await python(s.ws, burst(s.ws, 300), { POET_API_URL: s.svc.url, POET_API_KEY: s.token });
    assert.deepEqual(lines(r), [true]);
    const m = await metrics();
    assert.deepEqual([m.executions, m.successes], [300, 285]);
    const requests = await posts();
    assert.ok(requests <= 150, `${requests} requests for 300 calls`);
  });

  it('samples successes with POET_SAMPLE_RATE and keeps every failure', async () => {
    const r = await python(s.ws, burst(s.ws, 400), { POET_API_URL: s.svc.url, POET_API_KEY: s.token, POET_SAMPLE_RATE: '0.25' });
    assert.deepEqual(lines(r), [true]);
    const m = await metrics();
    assert.equal(m.executions - m.successes, 20, 'every failure kept');
    // 380 successes, about a quarter sent, each standing for 4 calls (a binomial: ±5 σ).
    assert.ok(m.successes % 4 === 0 && m.successes >= 4 * 50 && m.successes <= 4 * 140, `${m.successes} successes counted`);
    const stored = ExecutionListSchema.parse((await s.call('GET', '/poet/functions/get_rate/executions?limit=1')).body).total;
    assert.ok(stored < 200, `${stored} records stored for 400 calls`);
  });
});
