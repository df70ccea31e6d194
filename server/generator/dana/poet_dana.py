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
* one-shot arguments and the clock;
* execution reporting: with POET_API_URL set, each call of an enhanced function is sent to the
  POET service with the fields the Python runtime sends (inputs, output or error, duration,
  attempts and their log, version), through the Python runtime's background reporter: in
  batches from one thread, a bounded queue, POET_SAMPLE_RATE honoured (failures always sent).
  Reporting only reads values: it never changes a result or an error, and its own failures are
  swallowed.
"""

import atexit
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


def wait(call, budget, retry_on, started, trace=None):
    """Waits at most ``budget`` seconds (None: no limit) for ``call``: the promise of the
    original's call, or its value when Dana ran it synchronously (then timed afterwards, from
    ``started``). Returns {"ok", "value"} / {"ok": False, "timeout"} / {"ok": False, "error",
    "transient"}, and adds the attempt to ``trace``."""
    future = getattr(call, "_future", None)
    if future is None:
        took = time.monotonic() - started
        if budget is not None and took > budget:
            return _logged(trace, started, {"ok": False, "timeout": True, "message": "attempt ran %.3gs, over its %ss" % (took, budget)})
        return _logged(trace, started, {"ok": True, "value": call})
    import concurrent.futures
    done, _ = concurrent.futures.wait([future], timeout=None if budget is None else max(0.0, budget))
    if not done:
        return _logged(trace, started, {"ok": False, "timeout": True, "message": "attempt timed out after %ss" % budget})
    try:
        value = call._wait_for_delivery()
    except BaseException as e:  # the original's own failure, handed back to the Dana wrapper
        return failure(e, retry_on, started, trace)
    return _logged(trace, started, {"ok": True, "value": value})


def failure(exc, retry_on, started=None, trace=None):
    """A failed attempt: the exception to re-raise unchanged, and whether a retry may help."""
    root = _root(exc)
    outcome = {"ok": False, "error": getattr(exc, "original", exc), "transient": bool(_rt._transient(root, _matcher(retry_on))),
               "type": type(root).__name__, "message": str(root)}
    return _logged(trace, started, outcome) if started is not None else outcome


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


def perceive(fname, name, value, spec, trace=None):
    """Perceive for one parameter, by the Python runtime's rules with Dana's numbers (an int and
    a float satisfy either annotation): a valid value comes back as it came."""
    step = _compiled_for(spec, lambda: _rt._perceiver(fname, name, spec, loose_numbers=True))
    try:
        return step(_settled(value))
    except _rt.PoetError as e:
        raise failed(trace, DanaPoetError(e), "perceive") from None


def enforce(fname, value, spec, trace=None):
    step = _compiled_for(spec, lambda: _rt._enforcer(fname, spec, loose_numbers=True))
    try:
        return step(_settled(value))
    except _rt.PoetError as e:
        raise failed(trace, DanaPoetError(e), "enforce") from None


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


# ----------------------------------------------------------------------------------- reporting

class _Call:
    """One call of an enhanced function, as the service records it (the Python runtime's fields)."""

    __slots__ = ("key", "version", "names", "args", "started", "t0", "log", "notes", "fallback_used")

    def __init__(self, report, names, args):
        import datetime
        self.key = report["key"]
        self.version = report["version"]
        self.names = names
        self.args = list(args)
        self.started = datetime.datetime.now(datetime.timezone.utc).isoformat()
        self.t0 = time.monotonic()
        self.log = []
        self.notes = []
        self.fallback_used = False

    def send(self, fields):
        try:
            body = {"function_name": self.key, "version": self.version,
                    "inputs": _plain(dict(zip(self.names, self.args))),
                    "duration_ms": (time.monotonic() - self.t0) * 1000.0, "attempts": max(1, len(self.log)),
                    "started_at": self.started, "attempt_log": self.log[:1000], "fallback_used": self.fallback_used}
            if self.notes:
                body["notes"] = [n[:500] for n in self.notes[:20]]
            body.update(fields)
            _rt.REPORTER.send(self.key, body)
        except Exception:
            pass  # reporting never changes a call


def trace(plan, args):
    """The execution record of one call, or None when executions are not reported."""
    if not _rt.REPORTER.url:
        return None
    try:
        return _Call(plan["report"], plan["names"], args)
    except Exception:
        return None


def _logged(trace, started, outcome):
    if trace is not None:
        entry = {"duration_ms": max(0.0, (time.monotonic() - started) * 1000.0)}
        if outcome["ok"]:
            entry["outcome"] = "ok"
        elif outcome.get("timeout"):
            entry["outcome"] = "timeout"
        else:
            entry["outcome"] = "error"
            entry["error_type"] = outcome["type"][:200]
        trace.log.append(entry)
    return outcome


def done(trace, result):
    """Reports a call that returned ``result``."""
    if trace is not None:
        trace.send({"output": _plain(result)})
    return True


def failed(trace, error, phase):
    """Reports a call that is about to raise ``error`` (a POET error, as DanaPoetError or a string,
    or the original's exception) and returns ``error`` unchanged, for the runtime to raise."""
    if trace is not None:
        try:
            if isinstance(error, DanaPoetError):
                inner = error.poet_error
                kind, message, phase = type(inner).__name__, str(inner), getattr(inner, "phase", None) or phase
            elif isinstance(error, str):
                head = error.split(":", 1)[0]
                kind, message = (head if head.endswith("Error") else "Error"), error
            else:
                root = _root(error)
                kind, message = type(root).__name__, str(root)
            trace.send({"error": {"type": kind[:200], "message": message[:20000], "phase": phase}})
        except Exception:
            pass
    return error


def fell_back(trace):
    """Marks the call as answered by the original (fallback="original"); returns None, so the
    fallback call is not logged as an attempt."""
    if trace is not None:
        trace.fallback_used = True
    return None


def _plain(value, depth=0):
    """A Dana value as JSON data: struct instances become their fields; the rest as in Python."""
    fields = getattr(value, "_values", None)
    if isinstance(fields, dict) and depth < 4:
        return {str(k): _plain(v, depth + 1) for k, v in list(fields.items())[:100]}
    if depth < 4 and isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in list(value)[:100]]
    if depth < 4 and isinstance(value, dict):
        return {str(k): _plain(v, depth + 1) for k, v in list(value.items())[:100]}
    return _rt._jsonable(value, 4)


# A program ends as soon as its last statement ran: give the background reporter a moment to send
# what is queued (bounded: a dead service cannot hold the program up for longer).
atexit.register(lambda: _rt.REPORTER.flush(2.0) if _rt.REPORTER.url else None)
