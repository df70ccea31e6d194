// The enhanced function is the same function to everything that looks at it: its metadata (as
// functools.update_wrapper gives it), pickling by reference, attributes of a decorated original,
// the thread, thread-locals and contextvars it runs with, where its warnings point, recursion.
// Enhanced through the service's pipeline and swapped in by the runtime hook, as users run it.
import assert from 'node:assert/strict';
import { enhanceModule, lines, tempWorkspace, withHook } from './helpers';

const APP = `import contextvars
import functools
import threading
import warnings

import poet as _poet

LOCAL = threading.local()
REQUEST = contextvars.ContextVar("request", default="none")


@_poet.poet(retries=2, timeout=5)
def where(tag: str) -> list:
    """Reports the thread, thread-local and context it runs in."""
    REQUEST.set("set by " + tag)
    return [threading.current_thread().name, getattr(LOCAL, "user", None), tag]


@_poet.poet(retries=1)
def deprecated(x):
    warnings.warn("deprecated(x) is going away", DeprecationWarning, stacklevel=2)
    return x


@_poet.poet(retries=2)
@functools.lru_cache(maxsize=None)
def square(n: int) -> int:
    return n * n


@_poet.poet()
def depth(n: int) -> int:
    return 0 if n == 0 else 1 + depth(n - 1)
`;

describe('generated Python: the same function to everything that looks at it', function () {
  this.timeout(90_000);
  let ws = '';

  before(async () => {
    ws = tempWorkspace();
    await enhanceModule(ws, 'app.py', APP);
  });

  it('has the original\'s name, module, docstring, signature and attributes, and pickles by reference', async () => {
    const out = lines(await withHook(ws, [
      'import inspect, json, pickle, app',
      'f = app.where',
      'print(json.dumps([f.__poet_enhanced__, f.__module__, f.__qualname__, f.__name__, f.__doc__, str(inspect.signature(f)),',
      '    inspect.unwrap(f).__code__.co_filename.endswith("app.py"), pickle.loads(pickle.dumps(f)) is f]))',
      'app.square(4)',
      'print(json.dumps([app.square(4), app.square.cache_info().hits, app.square.cache_clear() is None, app.square.cache_info().currsize]))',
    ].join('\n')));
    assert.deepEqual(out[0], [true, 'app', 'where', 'where', 'Reports the thread, thread-local and context it runs in.', '(tag: str) -> list', true, true]);
    assert.deepEqual(out[1], [16, 1, true, 0]);
  });

  it('runs in the caller\'s thread with its thread-locals, and context changes reach the caller', async () => {
    const out = lines(await withHook(ws, [
      'import json, threading, app',
      'app.LOCAL.user = "alice"',
      'r = app.where("main")',
      'print(json.dumps(r + [app.REQUEST.get()]))',
      'box = []',
      'def work():',
      '    app.LOCAL.user = "bob"',
      '    box.append(app.where("worker") + [app.REQUEST.get() != "set by worker"])',
      't = threading.Thread(target=work, name="worker-1")',
      't.start()',
      't.join()',
      'print(json.dumps(box[0]))',
    ].join('\n')));
    assert.deepEqual(out[0], ['MainThread', 'alice', 'main', 'set by main']);
    // Off the main thread an attempt runs in a reused worker with a copy of the caller's context
    // (only there can a timeout stop it): the one place where thread and context differ.
    assert.equal((out[1] as unknown[])[2], 'worker');
  });

  it('points warnings raised with stacklevel=2 at the caller, not at POET', async () => {
    const out = lines(await withHook(ws, [
      'import json, warnings, app',
      'with warnings.catch_warnings(record=True) as w:',
      '    warnings.simplefilter("always")',
      '    app.deprecated(1)',
      'print(json.dumps([w[0].filename == __file__, w[0].lineno, str(w[0].message)]))',
    ].join('\n')));
    assert.deepEqual(out[0], [true, 4, 'deprecated(x) is going away']);
  });

  it('recurses through itself with one extra frame per level', async () => {
    const out = lines(await withHook(ws, 'import json, sys, app\nsys.setrecursionlimit(1000)\nprint(json.dumps([app.depth(400)]))'));
    assert.deepEqual(out[0], [400]);
  });

  it('a module executed twice gets wrappers bound to its own functions', async () => {
    const out = lines(await withHook(ws, [
      'import importlib, json, app',
      'first = app.where',
      'importlib.reload(app)',
      'print(json.dumps([first is not app.where, first.__wrapped__ is not app.where.__wrapped__, app.where.__wrapped__.__globals__ is vars(app)]))',
    ].join('\n')));
    assert.deepEqual(out[0], [true, true, true]);
  });
});
