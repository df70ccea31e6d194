"""Python helper of POET's Dana runtime (standard library only).

The Dana runtime module imports this file (Dana imports Python modules as `import NAME.py`). It
does what Dana code cannot do well, with the very rules of the Python runtime, which it loads
from .dana/poet/runtime/python/ (POET_PYTHON_RUNTIME):

* attempts with a real timeout: a Dana call that is not `sync def` runs as an EagerPromise on
  Dana's thread pool, so an attempt is the promise of the original's call, waited for at most
  its budget; a late attempt is abandoned (a thread cannot be killed) and its result dropped.
  Where Dana ran the call synchronously (its promise limits), the attempt is timed afterwards;
* which failures are transient: the Python exception under Dana's wrappers decides, as in
  Python (connection errors, timeouts, transient OSError errno values, retry_on names);
* Perceive and Enforce, by the Python runtime's rules with Dana's numbers;
* one-shot arguments, the clock and execution reporting.
"""

import importlib.util
import os
import sys
import time


def _python_runtime():
    name = "_POET_PYTHON_RUNTIME"
    module = sys.modules.get(name)
    if module is None:
        here = os.path.dirname(os.path.abspath(__file__))
        path = os.path.join(here, os.pardir, "python", "POET_PYTHON_RUNTIME.py")
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
    return module


_rt = _python_runtime()
_matchers = {}


def _root(exc):
    """The Python exception under Dana's layers (DanaException.original, SandboxError causes)."""
    seen = 0
    x = getattr(exc, "original", exc)
    while seen < 50:
        seen += 1
        nxt = getattr(x, "original_error", None) or x.__cause__ or (None if x.__suppress_context__ else x.__context__)
        if nxt is None or not isinstance(nxt, BaseException):
            return x
        x = nxt
    return x


def _matcher(retry_on):
    key = tuple(retry_on)
    m = _matchers.get(key)
    if m is None:
        m = _matchers[key] = _rt._Matcher(tuple(_rt.DEFAULT_RETRY_ON) + key)
    return m


def clock():
    return time.monotonic()


def sleep(seconds):
    if seconds > 0:
        time.sleep(seconds)
    return True


def backoff(operate, attempt, elapsed):
    """Seconds to wait before attempt ``attempt + 1`` (the Python runtime's formula)."""
    b = operate["backoff"]
    delay = min(b["max_s"], b["initial_s"] * b["multiplier"] ** attempt)
    if b["jitter"]:
        import random
        delay *= 1 + b["jitter"] * (2 * random.random() - 1)
    if operate.get("total_timeout") is not None:
        delay = min(delay, operate["total_timeout"] - elapsed)
    return max(0.0, delay)


def wait(call, budget, retry_on, started):
    """Waits at most ``budget`` seconds for ``call``: the promise of the original's call, or its
    value when Dana ran it synchronously (then timed afterwards, from ``started``). Returns
    {"ok", "value"} / {"ok": False, "timeout"} / {"ok": False, "error", "transient"}."""
    future = getattr(call, "_future", None)
    if future is None:
        if time.monotonic() - started > budget:
            return {"ok": False, "timeout": True, "message": "attempt ran %.3gs, over its %ss" % (time.monotonic() - started, budget)}
        return {"ok": True, "value": call}
    import concurrent.futures
    done, _ = concurrent.futures.wait([future], timeout=max(0.0, budget))
    if not done:
        return {"ok": False, "timeout": True, "message": "attempt timed out after %ss" % budget}
    try:
        value = call._wait_for_delivery()
    except BaseException as e:  # the original's own failure, handed back to the Dana wrapper
        return failure(e, retry_on)
    return {"ok": True, "value": value}


def failure(exc, retry_on):
    """A failed attempt: the exception to re-raise unchanged, and whether a retry may help."""
    root = _root(exc)
    return {"ok": False, "error": getattr(exc, "original", exc), "transient": bool(_rt._transient(root, _matcher(retry_on))),
            "type": type(root).__name__, "message": str(root)}


_compiled = {}


def _compiled_for(spec, build):
    """Perceive/Enforce steps built once per plan entry (the plan is a module-level constant)."""
    hit = _compiled.get(id(spec))
    if hit is None or hit[0] is not spec:
        hit = _compiled[id(spec)] = (spec, build())
    return hit[1]


def _settled(value):
    """A promise handed over as an argument, waited for: checks look at the value itself."""
    if getattr(value, "_future", None) is not None and hasattr(value, "_wait_for_delivery"):
        return value._wait_for_delivery()
    return value


class DanaPoetError(RuntimeError):
    """A POET rejection as Dana shows errors: its text starts with the kind, "PerceiveError: ...".
    ``poet_error`` keeps the Python runtime's error with its rule, parameter and value."""

    def __init__(self, error):
        super().__init__("%s: %s" % (type(error).__name__, error))
        self.poet_error = error


def perceive(fname, name, value, spec):
    """Perceive for one parameter, by the Python runtime's rules with Dana's numbers (an int and
    a float satisfy either annotation): a valid value comes back as it came."""
    step = _compiled_for(spec, lambda: _rt._perceiver(fname, name, spec, loose_numbers=True))
    try:
        return step(_settled(value))
    except _rt.PoetError as e:
        raise DanaPoetError(e) from None


def enforce(fname, value, spec):
    step = _compiled_for(spec, lambda: _rt._enforcer(fname, spec, loose_numbers=True))
    try:
        return step(_settled(value))
    except _rt.PoetError as e:
        raise DanaPoetError(e) from None


def one_shot(names, values):
    """The first parameter whose argument a first attempt may have consumed, or ""."""
    for name, value in zip(names, values):
        if _rt._one_shot(value):
            return name
    return ""


def note(exc, text):
    """Attaches POET's summary to the original's exception (as the Python runtime does)."""
    _rt._note(exc, text)
    return exc


def timeout_error(text):
    return _rt.TimeoutError(text)
