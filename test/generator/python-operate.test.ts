// Operate in generated Python, run by the real python3: only transient failures are retried;
// everything else propagates at once as the same object; exhausted attempts re-raise the
// original's own exception with a note; one-shot arguments and nested enhanced functions are
// not retried twice over; timeouts interrupt attempts in the caller's thread or in the pool.
import assert from 'node:assert/strict';
import { enhancedScript, generate, install, lines, python, setup, tempWorkspace, write } from './helpers';

const fast = { backoff: { initial_s: 0.01, max_s: 0.05 } };

const FLAKY = `import decimal
import errno
import os

CALLS = []
SAME = FileNotFoundError(errno.ENOENT, "no such file", "data.csv")


class QuotaExceeded(Exception):
    pass


def fetch(x: int, fails: int = 2, error: str = "conn") -> int:
    CALLS.append(x)
    if len(CALLS) <= fails:
        if error == "conn":
            raise ConnectionError("transient failure %d" % len(CALLS))
        if error == "again":
            raise BlockingIOError(errno.EAGAIN, "resource temporarily unavailable")
        if error == "quota":
            raise QuotaExceeded("quota")
        if error == "missing":
            raise SAME
        if error == "syntax":
            raise SyntaxError("bad input", ("x.py", 1, 2, "x y"))
        if error == "decimal":
            return decimal.Decimal("abc")
        if error == "keyerror":
            raise KeyError("deterministic")
    return x * 10


def consume(numbers, fails: int = 1) -> int:
    CALLS.append(1)
    total = sum(next(numbers) for _ in range(2))
    if len(CALLS) <= fails:
        raise ConnectionError("dropped after reading")
    return total


def slow(x: int, swallow: bool = False) -> int:
    import time
    try:
        time.sleep(5)
    except Exception:
        if swallow:
            return -1
        raise
    return x
`;

/** Calls `expr`, then prints [outcome, exception type, len(CALLS), notes, same-object check]. */
const probe = (expr: string, extra = 'None') => [
  'import flaky',
  'del flaky.CALLS[:]',
  'try:',
  `    r = ["ok", ${expr}]`,
  'except BaseException as x:',
  `    r = ["raised", type(x).__name__, getattr(x, "__notes__", []), ${extra}]`,
  'out(r + [len(flaky.CALLS)])',
].join('\n');

describe('generated Python: what is retried', function () {
  this.timeout(60_000);

  it('retries transient failures, and re-raises the original exception type with a note when attempts run out', async () => {
    const ok = await setup('flaky.py', FLAKY, { retries: 2, ...fast }, 'fetch');
    assert.deepEqual(lines(await python(ok.ws, enhancedScript('fetch', 'v1', probe('e.fetch(4)')))), [['ok', 40, 3]]);
    const ko = await setup('flaky.py', FLAKY, { retries: 1, ...fast }, 'fetch');
    const [r] = lines(await python(ko.ws, enhancedScript('fetch', 'v1', probe('e.fetch(4)', 'str(x)')))) as unknown[][];
    assert.equal(r![0], 'raised');
    assert.equal(r![1], 'ConnectionError', 'the caller\'s except ConnectionError keeps working');
    assert.equal(r![3], 'transient failure 2');
    assert.match(String((r![2] as string[])[0]), /^POET: fetch: 2 attempts \(ConnectionError, ConnectionError\)\. This is the last error/);
    assert.equal(r![4], 2);
  });

  it('retries OSError only for transient errno values, and classes named in retry_on', async () => {
    const again = await setup('flaky.py', FLAKY, { retries: 2, ...fast }, 'fetch');
    assert.deepEqual(lines(await python(again.ws, enhancedScript('fetch', 'v1', probe('e.fetch(1, 2, "again")')))), [['ok', 10, 3]]);
    const quota = await setup('flaky.py', FLAKY, { retries: 2, retry_on: ['QuotaExceeded'], ...fast }, 'fetch');
    assert.deepEqual(lines(await python(quota.ws, enhancedScript('fetch', 'v1', probe('e.fetch(1, 2, "quota")')))), [['ok', 10, 3]]);
    const scoped = await setup('flaky.py', FLAKY, { retries: 2, retry_on: ['flaky.QuotaExceeded'], ...fast }, 'fetch');
    assert.deepEqual(lines(await python(scoped.ws, enhancedScript('fetch', 'v1', probe('e.fetch(1, 2, "quota")')))), [['ok', 10, 3]]);
    const notListed = await setup('flaky.py', FLAKY, { retries: 2, ...fast }, 'fetch');
    assert.deepEqual(lines(await python(notListed.ws, enhancedScript('fetch', 'v1', probe('e.fetch(1, 2, "quota")')))), [['raised', 'QuotaExceeded', [], null, 1]]);
  });

  it('raises deterministic errors at once: the same object, its traceback through the original, no note', async () => {
    const { ws } = await setup('flaky.py', FLAKY, { retries: 3, ...fast }, 'fetch');
    const out = lines(await python(ws, enhancedScript('fetch', 'v1', [
      probe('e.fetch(1, 1, "missing")', 'x is flaky.SAME and "fetch" in [f.name for f in __import__("traceback").extract_tb(x.__traceback__)]'),
      probe('e.fetch(1, 1, "syntax")'),
      probe('e.fetch(1, 1, "decimal")'),
      probe('e.fetch(1, 1, "keyerror")', 'hasattr(x, "poet_phase")'),
    ].join('\n')))) as unknown[][];
    assert.deepEqual(out, [
      ['raised', 'FileNotFoundError', [], true, 1],
      ['raised', 'SyntaxError', [], null, 1],
      ['raised', 'InvalidOperation', [], null, 1],
      ['raised', 'KeyError', [], false, 1],
    ]);
  });

  it('does not retry a call whose argument the first attempt consumed (an iterator), unless told to', async () => {
    const { ws } = await setup('flaky.py', FLAKY, { retries: 2, ...fast }, 'consume');
    const [r] = lines(await python(ws, enhancedScript('consume', 'v1', probe('e.consume(iter([1, 2, 3, 4, 5]))')))) as unknown[][];
    assert.deepEqual(r!.slice(0, 2), ['raised', 'ConnectionError']);
    assert.match(String((r![2] as string[])[0]), /not retried: argument 'numbers' is one-shot/);
    assert.equal(r![4], 1, 'one call, not a retry that would read the rest and answer wrongly');
    const opted = await setup('flaky.py', FLAKY, { retries: 2, retry_one_shot: true, ...fast }, 'consume');
    assert.deepEqual(lines(await python(opted.ws, enhancedScript('consume', 'v1', probe('e.consume(iter([1, 2, 3, 4, 5]))')))), [['ok', 7, 2]]);
  });

  it('nested enhanced functions do not multiply attempts (3, not 3 x 3)', async () => {
    const text = `CALLS = []


def inner(x: int) -> int:
    CALLS.append(x)
    raise ConnectionError("always down")


def outer(x: int) -> int:
    return inner(x) + 1
`;
    const ws = tempWorkspace();
    write(ws, 'nest.py', text);
    install(ws, 'inner', 'v1', await generate({ ws, file: 'nest.py', text, language: 'python', name: 'inner', config: { retries: 2, ...fast } }));
    install(ws, 'outer', 'v1', await generate({ ws, file: 'nest.py', text, language: 'python', name: 'outer', config: { retries: 2, ...fast } }));
    const out = lines(await python(ws, [
      'import importlib.util, json, nest',
      'def load(k):',
      '    spec = importlib.util.spec_from_file_location("e_" + k, ".dana/poet/functions/%s/v1/enhanced.py" % k)',
      '    m = importlib.util.module_from_spec(spec)',
      '    spec.loader.exec_module(m)',
      '    return m',
      'nest.inner = load("inner").inner',
      'outer = load("outer").outer',
      'try:',
      '    outer(1)',
      'except ConnectionError as x:',
      '    print(json.dumps([len(nest.CALLS), len(x.__notes__)]))',
    ].join('\n')));
    assert.deepEqual(out, [[3, 1]]);
  });
});

describe('generated Python: timeouts', function () {
  this.timeout(60_000);

  it('interrupts a blocking attempt in the caller\'s thread, even one that catches Exception, and total_timeout bounds the call', async () => {
    const one = await setup('flaky.py', FLAKY, { timeout: 0.2, retries: 0 }, 'slow');
    const out = lines(await python(one.ws, enhancedScript('slow', 'v1', [
      'import time, builtins',
      't = time.monotonic()',
      'err(e.slow, 1)',
      'err(e.slow, 1, True)',
      'out([time.monotonic() - t < 2, issubclass(e.TimeoutError, builtins.TimeoutError)])',
    ].join('\n')))) as Array<Record<string, unknown>>;
    assert.equal(out[0]!.error, 'TimeoutError');
    assert.equal(out[0]!.phase, 'timeout');
    assert.match(String(out[0]!.message), /slow: 1 attempt \(timeout\); each attempt may take 0\.2s/);
    assert.equal(out[1]!.error, 'TimeoutError', 'an except Exception in the original does not swallow the timeout');
    assert.deepEqual(out[2], [true, true]);
    const total = await setup('flaky.py', FLAKY, { timeout: 0.3, retries: 10, total_timeout: 0.5, ...fast }, 'slow');
    const [r2] = lines(await python(total.ws, enhancedScript('slow', 'v1', 'err(e.slow, 1)'))) as Array<Record<string, unknown>>;
    assert.equal(r2!.error, 'TimeoutError');
    assert.match(String(r2!.message), /total_timeout of 0\.5s spent/);
  });

  it('stops an attempt in another thread too (the attempt runs in a reused worker)', async () => {
    const one = await setup('flaky.py', FLAKY, { timeout: 0.2, retries: 1, ...fast }, 'slow');
    const out = lines(await python(one.ws, enhancedScript('slow', 'v1', [
      'import threading',
      'box = []',
      'def work():',
      '    try:',
      '        e.slow(1)',
      '    except Exception as x:',
      '        box.append([type(x).__name__, str(x)])',
      't = threading.Thread(target=work)',
      't.start()',
      't.join(10)',
      'out(box[0])',
    ].join('\n'))));
    assert.deepEqual((out[0] as string[])[0], 'TimeoutError');
    assert.match((out[0] as string[])[1]!, /2 attempts \(timeout, timeout\)/);
  });

  it('leaves a signal handler the program installed alone, and still stops the attempt (in the pool)', async () => {
    const one = await setup('flaky.py', FLAKY, { timeout: 0.2, retries: 0 }, 'slow');
    const out = lines(await python(one.ws, enhancedScript('slow', 'v1', [
      'import signal',
      'mine = lambda *a: None',
      'signal.signal(signal.SIGRTMAX, mine)',
      'err(e.slow, 1)',
      'out(signal.getsignal(signal.SIGRTMAX) is mine)',
    ].join('\n')))) as Array<Record<string, unknown>>;
    assert.equal(out[0]!.error, 'TimeoutError');
    assert.equal(out[1], true);
  });

  it('falls back to the original with fallback="original"', async () => {
    const { ws } = await setup('flaky.py', FLAKY, { retries: 0, fallback: 'original' }, 'fetch');
    // The enhanced attempt fails (retries=0); the fallback's plain call is the second call and fails too.
    assert.deepEqual(lines(await python(ws, enhancedScript('fetch', 'v1', probe('e.fetch(1, 1)') + '\n' + probe('e.fetch(2, 1)')))), [
      ['ok', 10, 2],
      ['ok', 20, 2],
    ]);
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
});

describe('generated Python: names and embedding', function () {
  this.timeout(60_000);

  it('keeps parameters whose names the wrapper could clash with', async () => {
    const text = 'def clash(result: int, log: str, _poet_op: list, original: float = 1.5, _poet_r: bool = False) -> list:\n    return [result, log, _poet_op, original, _poet_r]\n';
    const { ws } = await setup('clash.py', text, { fallback: 'original' });
    assert.deepEqual(lines(await python(ws, enhancedScript('clash', 'v1', 'err(e.clash, 1, "x", [2], _poet_r=True)'))), [{ ok: [1, 'x', [2], 1.5, true] }]);
  });

  it('works for code given without a file (the original is embedded)', async () => {
    const ws = tempWorkspace();
    const text = 'def twice(x: int) -> int:\n    return x * 2\n';
    install(ws, 'twice', 'v1', await generate({ ws, file: null, text, language: 'python', config: { domain: 'computation' } }));
    assert.deepEqual(lines(await python(ws, enhancedScript('twice', 'v1', 'err(e.twice, 21)\nerr(e.twice, float("inf"))')))[0], { ok: 42 });
  });
});
