// Generated Python executed with the real python3: results equal the original's on valid
// input; Perceive, Operate (retries, timeouts, fallback) and Enforce behave as configured.
import assert from 'node:assert/strict';
import { enhancedScript, generate, install, lines, python, tempWorkspace, write } from './helpers';

async function setup(file: string, text: string, config: Record<string, unknown> = {}, name?: string) {
  const ws = tempWorkspace();
  write(ws, file, text);
  const r = await generate({ ws, file, text, language: 'python', config, name });
  const fn = name ?? /def (\w+)/.exec(text)![1]!;
  install(ws, fn, 'v1', r);
  return { ws, fn, result: r };
}

const CALC = `import math

SCALE = 1.0


def safe_divide(a: float, b: float = 1.0) -> float:
    """Divides a by b (SCALE comes from this module)."""
    return a / b * SCALE


def root_log(x: float, y: float) -> float:
    return math.sqrt(x) + math.log(y)
`;

describe('generated Python: computation', function () {
  this.timeout(60_000);

  it('gives the original results on valid inputs and keeps the signature', async () => {
    const { ws } = await setup('calc.py', CALC, { domain: 'computation' }, 'safe_divide');
    const out = lines(
      await python(
        ws,
        enhancedScript('safe_divide', 'v1', [
          'import calc, inspect',
          'cases = [(10, 4), (3,), (-7.5, 2.5), (1e10, 3)]',
          'out([[e.safe_divide(*c), calc.safe_divide(*c)] for c in cases])',
          'out(str(inspect.signature(e.safe_divide)))',
          'out(e.safe_divide.__doc__)',
        ].join('\n')),
      ),
    );
    for (const [got, want] of out[0] as number[][]) assert.equal(got, want);
    assert.equal(out[1], '(a: float, b: float = 1.0) -> float');
    assert.match(String(out[2]), /SCALE comes from this module/);
  });

  it('rejects zero divisors, NaN, wrong types and sqrt/log domains with PerceiveError naming parameter, value and rule', async () => {
    const { ws } = await setup('calc.py', CALC, { domain: 'computation' }, 'safe_divide');
    const out = lines(
      await python(ws, enhancedScript('safe_divide', 'v1', ['err(e.safe_divide, 1, 0)', 'err(e.safe_divide, float("nan"), 1)', 'err(e.safe_divide, "x", 1)', 'err(e.safe_divide, None, 1)'].join('\n'))),
    ) as Array<{ error: string; message: string; phase: string }>;
    assert.deepEqual(out.map((o) => o.error), ['PerceiveError', 'PerceiveError', 'PerceiveError', 'PerceiveError']);
    assert.equal(out[0]!.message, "[perceive] parameter 'b' = 0: must not be zero (computation: used as a divisor)");
    assert.match(out[1]!.message, /parameter 'a' = nan: must be a finite number/);
    assert.match(out[2]!.message, /parameter 'a' = 'x': expected float, got str/);
    assert.match(out[3]!.message, /parameter 'a' = None: must not be None/);
    assert.ok(out.every((o) => o.phase === 'perceive'));

    const r2 = await setup('calc.py', CALC, { domain: 'computation' }, 'root_log');
    const out2 = lines(await python(r2.ws, enhancedScript('root_log', 'v1', 'err(e.root_log, -1, 1)\nerr(e.root_log, 4, 0)\nerr(e.root_log, 4, 1)'))) as Array<Record<string, unknown>>;
    assert.match(String(out2[0]!.message), /parameter 'x' = -1: must be at least 0 \(computation: square root/);
    assert.match(String(out2[1]!.message), /parameter 'y' = 0: must be greater than 0 \(computation: logarithm/);
    assert.deepEqual(out2[2], { ok: 2 });
  });
});

const FLAKY = `import os

STATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "count.txt")


def fetch(x: int) -> int:
    n = int(open(STATE).read()) if os.path.exists(STATE) else 0
    open(STATE, "w").write(str(n + 1))
    if n < 2:
        raise ConnectionError("transient failure %d" % n)
    return x * 10


def slow(x: int) -> int:
    import time
    time.sleep(5)
    return x


def bad_output(x: int) -> float:
    return "not a number"


def broken(x: int) -> int:
    raise KeyError("deterministic")
`;

describe('generated Python: Operate and Enforce', function () {
  this.timeout(60_000);
  const fast = { backoff: { initial_s: 0.01, max_s: 0.05 } };

  it('retries transient failures: two failures succeed with retries=2 and fail with retries=1', async () => {
    const ok = await setup('flaky.py', FLAKY, { retries: 2, ...fast }, 'fetch');
    assert.deepEqual(lines(await python(ok.ws, enhancedScript('fetch', 'v1', 'err(e.fetch, 4)'))), [{ ok: 40 }]);
    const ko = await setup('flaky.py', FLAKY, { retries: 1, ...fast }, 'fetch');
    const [r] = lines(await python(ko.ws, enhancedScript('fetch', 'v1', 'err(e.fetch, 4)'))) as Array<Record<string, unknown>>;
    assert.equal(r!.error, 'RetryExhaustedError');
    assert.equal(r!.phase, 'operate');
    assert.match(String(r!.message), /2 attempts failed; last error: ConnectionError: transient failure 1/);
  });

  it('does not retry deterministic errors or Perceive rejections', async () => {
    const { ws } = await setup('flaky.py', FLAKY, { retries: 3, ...fast }, 'broken');
    const [r] = lines(await python(ws, enhancedScript('broken', 'v1', 'import flaky\ntry:\n    e.broken(1)\nexcept KeyError as x:\n    out([type(x).__name__, getattr(x, "poet_phase", None)])'))) as unknown[][];
    assert.deepEqual(r, ['KeyError', 'operate']);
  });

  it('stops a slow attempt at timeout, and total_timeout bounds the whole call', async () => {
    const one = await setup('flaky.py', FLAKY, { timeout: 0.2, retries: 0 }, 'slow');
    const [r1] = lines(await python(one.ws, enhancedScript('slow', 'v1', 'err(e.slow, 1)'))) as Array<Record<string, unknown>>;
    assert.equal(r1!.error, 'TimeoutError');
    assert.match(String(r1!.message), /attempt 1 timed out/);
    const total = await setup('flaky.py', FLAKY, { timeout: 0.3, retries: 10, total_timeout: 0.5, ...fast }, 'slow');
    const [r2] = lines(await python(total.ws, enhancedScript('slow', 'v1', 'err(e.slow, 1)\nimport builtins\nout(issubclass(e.TimeoutError, builtins.TimeoutError))'))) as Array<Record<string, unknown>>;
    assert.equal(r2!.error, 'TimeoutError');
    assert.match(String(r2!.message), /total_timeout of 0.5s exceeded after \d attempt/);
  });

  it('falls back to the original with fallback="original"', async () => {
    const { ws } = await setup('flaky.py', FLAKY, { timeout: 0.2, retries: 0, fallback: 'original' }, 'fetch');
    // fetch fails twice: the enhanced attempt fails (retries=0), the fallback's plain call fails too, then a third call succeeds.
    const out = lines(await python(ws, enhancedScript('fetch', 'v1', 'err(e.fetch, 1)\nerr(e.fetch, 2)'))) as Array<Record<string, unknown>>;
    assert.equal(out[0]!.error, 'ConnectionError');
    assert.deepEqual(out[1], { ok: 20 });
  });

  it('Enforce rejects a result that breaks the return annotation', async () => {
    const { ws } = await setup('flaky.py', FLAKY, {}, 'bad_output');
    const [r] = lines(await python(ws, enhancedScript('bad_output', 'v1', 'err(e.bad_output, 1)'))) as Array<Record<string, unknown>>;
    assert.equal(r!.error, 'EnforceError');
    assert.equal(r!.phase, 'enforce');
    assert.match(String(r!.message), /result 'not a number': expected float, got str/);
  });

  it('enhances coroutine functions: results, retries and a timeout that really cancels', async () => {
    const text = `import asyncio

CALLS = []


async def fetch_async(x: int, delay: float = 0.0) -> int:
    CALLS.append(x)
    await asyncio.sleep(delay)
    if len(CALLS) < 2:
        raise ConnectionError("first call fails")
    return x + 1
`;
    const { ws } = await setup('aio.py', text, { retries: 1, timeout: 0.2, ...fast });
    const out = lines(await python(ws, enhancedScript('fetch_async', 'v1', [
      'import asyncio, inspect',
      'out(inspect.iscoroutinefunction(e.fetch_async))',
      'out(asyncio.run(e.fetch_async(1)))',
      'async def slow():',
      '    try:',
      '        await e.fetch_async(2, 5.0)',
      '    except Exception as x:',
      '        return type(x).__name__',
      'out(asyncio.run(slow()))',
    ].join('\n')))) as unknown[];
    assert.deepEqual(out, [true, 2, 'TimeoutError']);
  });

  it('keeps parameters whose names the wrapper could clash with (result, log, inputs, original, error)', async () => {
    const text = 'def clash(result: int, log: str, inputs: list, original: float = 1.5, error: bool = False) -> list:\n    return [result, log, inputs, original, error]\n';
    const { ws } = await setup('clash.py', text, { fallback: 'original' });
    assert.deepEqual(lines(await python(ws, enhancedScript('clash', 'v1', 'err(e.clash, 1, "x", [2], error=True)'))), [{ ok: [1, 'x', [2], 1.5, true] }]);
  });

  it('works for code given without a file (the original is embedded)', async () => {
    const ws = tempWorkspace();
    const text = 'def twice(x: int) -> int:\n    return x * 2\n';
    install(ws, 'twice', 'v1', await generate({ ws, file: null, text, language: 'python', config: { domain: 'computation' } }));
    assert.deepEqual(lines(await python(ws, enhancedScript('twice', 'v1', 'err(e.twice, 21)\nerr(e.twice, float("inf"))')))[0], { ok: 42 });
  });
});
