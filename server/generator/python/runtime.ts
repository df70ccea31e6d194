// The runtime section every enhanced.py carries. It is embedded (not imported) so that an
// enhanced module is importable with the standard library alone, without the `poet` package
// installed; it interprets the plan literals the generator writes (`_PERCEIVE`, `_ENFORCE`).
// Kept byte-stable: the same text in every generated file.
export const PYTHON_RUNTIME = String.raw`# ===================== POET runtime (standard library only) =====================
import asyncio as _asyncio
import builtins as _builtins
import contextvars as _contextvars
import datetime as _datetime
import inspect as _inspect
import json as _json
import math as _math
import os as _os
import random as _random
import re as _re
import sys as _sys
import threading as _threading
import time as _time
import urllib.request as _urllib_request


class PoetError(Exception):
    """Base of POET's errors; ` + "`phase`" + String.raw` says where it happened."""

    phase = "poet"

    def __init__(self, message, *, rule=None, param=None, value=None, attempts=None):
        super().__init__("[%s] %s" % (self.phase, message))
        self.rule = rule
        self.param = param
        self.value = value
        self.attempts = attempts


class PerceiveError(PoetError, ValueError):
    """An input was rejected (never retried)."""

    phase = "perceive"


class OperateError(PoetError, RuntimeError):
    """Calling the function failed."""

    phase = "operate"


class RetryExhaustedError(OperateError):
    """Every attempt failed with a transient error; ` + "`__cause__`" + String.raw` is the last one."""


class TimeoutError(OperateError, _builtins.TimeoutError):
    """An attempt exceeded ` + "`timeout`" + String.raw`, or the call exceeded ` + "`total_timeout`" + String.raw`."""


class EnforceError(PoetError, ValueError):
    """The result was rejected (never retried)."""

    phase = "enforce"


# Deterministic errors: retrying gives the same answer, so they are raised at once.
_NOT_TRANSIENT = (PoetError, TypeError, ValueError, KeyError, IndexError, AttributeError,
                  NameError, ZeroDivisionError, AssertionError, NotImplementedError, RecursionError)
class _Missing:
    def __repr__(self):
        return "<the original's default>"


_MISSING = _Missing()
_CREDIT_WORDS = {"exceptional": 800, "excellent": 780, "very good": 740, "good": 720,
                 "fair": 650, "average": 650, "poor": 580, "bad": 560, "very poor": 520}
_NUMBER_RE = _re.compile(r"^\s*([-+]?(?:\d[\d,_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")
_CONTROL_RE = _re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _show(value):
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _split_number(text):
    m = _NUMBER_RE.match(text)
    if not m:
        return None, None
    try:
        return float(m.group(1).replace(",", "").replace("_", "")), m.group(2)
    except ValueError:
        return None, None


def _normalize(kind, v):
    """One normaliser from the fixed set; returns the value unchanged when it does not apply."""
    if kind == "ratio" and _is_number(v):
        return v / 100.0 if v > 1 else v
    if not isinstance(v, str):
        return v
    s = v.strip()
    if kind == "strip":
        return s
    if kind == "lower":
        return v.lower()
    if kind == "bool":
        low = s.lower()
        if low in ("true", "yes", "y", "on", "1", "occupied"):
            return True
        if low in ("false", "no", "n", "off", "0", "unoccupied", "vacant"):
            return False
        return v
    if kind == "credit_score":
        low = " ".join(s.lower().replace("_", " ").split())
        if low in _CREDIT_WORDS:
            return _CREDIT_WORDS[low]
        digits = _re.search(r"\d{3}", low)
        return int(digits.group(0)) if digits else v
    if kind == "money":
        n, unit = _split_number(s.replace("$", "").replace("€", "").replace("£", ""))
        scale = {"": 1, "k": 1e3, "m": 1e6, "mm": 1e6, "b": 1e9, "bn": 1e9}.get((unit or "").lower().replace("usd", "").strip())
        return v if n is None or scale is None else n * scale
    if kind == "ratio":
        n, unit = _split_number(s)
        if n is None or unit not in ("", "%"):
            return v
        return n / 100.0 if unit == "%" or n > 1 else n
    if kind == "duration_years":
        n, unit = _split_number(s)
        if n is None:
            return v
        unit = unit.lower()
        if unit.startswith("month") or unit == "mo":
            return n / 12.0
        if unit.startswith("week"):
            return n / 52.0
        return n if unit in ("", "y", "yr", "yrs") or unit.startswith("year") else v
    if kind in ("temperature_f", "temperature_c"):
        n, unit = _split_number(s.replace("°", "").replace("º", ""))
        if n is None:
            return v
        unit = unit.upper().replace("DEG", "").strip()
        if unit == "":
            return n  # a bare number is already in the target unit
        if unit in ("F", "FAHRENHEIT"):
            f = n
        elif unit in ("C", "CELSIUS"):
            f = n * 9.0 / 5.0 + 32
        elif unit in ("K", "KELVIN"):
            f = (n - 273.15) * 9.0 / 5.0 + 32
        else:
            return v
        return round(f, 6) if kind == "temperature_f" else round((f - 32) * 5.0 / 9.0, 6)
    if kind == "number":
        n, unit = _split_number(s)
        if n is None or not _re.match(r"^[A-Za-z%°/]*$", unit or ""):
            return v
        return int(n) if n.is_integer() and _re.match(r"^\s*[-+]?[\d,_]+\s*[A-Za-z%°/]*\s*$", s) else n
    return v


_KIND_TEST = {
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, float),
    "str": lambda v: isinstance(v, str),
    "bool": lambda v: isinstance(v, bool),
    "list": lambda v: isinstance(v, list),
    "dict": lambda v: isinstance(v, dict),
    "tuple": lambda v: isinstance(v, tuple),
    "set": lambda v: isinstance(v, (set, frozenset)),
}
_RULE_TYPE = {"number": ("int", "float"), "integer": ("int",), "string": ("str",), "boolean": ("bool",),
              "list": ("list", "tuple"), "dict": ("dict",)}


def _type_ok(value, kinds):
    return any(_KIND_TEST[k](value) for k in kinds)


def _violation(check, v, get):
    """The first check in ` + "`check`" + String.raw` that ` + "`v`" + String.raw` fails, as a short text, or None."""
    t = check.get("type")
    if t is not None and v is not None and not _type_ok(v, _RULE_TYPE[t]):
        return "expected %s, got %s" % (t, type(v).__name__)
    if _is_number(v):
        if check.get("finite") and not _math.isfinite(v):
            return "must be a finite number"
        if "max_abs" in check and _math.isfinite(v) and abs(v) > check["max_abs"]:
            return "magnitude must be at most %r" % check["max_abs"]
        if check.get("non_zero") and v == 0:
            return "must not be zero"
        if "gt" in check and not v > check["gt"]:
            return "must be greater than %r" % check["gt"]
        if "min" in check and v < check["min"]:
            return "must be at least %r" % check["min"]
        if "max" in check and v > check["max"]:
            return "must be at most %r" % check["max"]
    if "enum" in check and v not in check["enum"]:
        return "must be one of %s" % ", ".join(repr(e) for e in check["enum"])
    if isinstance(v, str):
        if "pattern" in check and not _re.fullmatch(check["pattern"], v):
            return "must match /%s/" % check["pattern"]
        if check.get("no_control_chars") and _CONTROL_RE.search(v):
            return "must not contain control characters"
    if check.get("non_empty") and (v is None or (isinstance(v, str) and not v.strip()) or (hasattr(v, "__len__") and len(v) == 0)):
        return "must not be empty"
    if hasattr(v, "__len__") and not isinstance(v, (bytes, bytearray)):
        n = len(v.strip()) if isinstance(v, str) else len(v)
        if "min_length" in check and n < check["min_length"]:
            return "length %d is below the minimum %d" % (n, check["min_length"])
        if "max_length" in check and n > check["max_length"]:
            return "length %d exceeds the maximum %d" % (n, check["max_length"])
    if isinstance(v, (list, tuple)):
        if check.get("items_finite"):
            for i, x in enumerate(v):
                if not _is_number(x) or not _math.isfinite(x):
                    return "item %d (%s) must be a finite number" % (i, _show(x))
        if ("mean_min" in check or "mean_max" in check) and v and all(_is_number(x) for x in v):
            mean = sum(v) / len(v)
            if mean < check.get("mean_min", mean) or mean > check.get("mean_max", mean):
                return "mean %r drifted outside [%r, %r]" % (mean, check.get("mean_min"), check.get("mean_max"))
    if "exclusive" in check:
        a, b = (get(f) for f in check["exclusive"])
        limit = check.get("threshold", 0)
        if _is_number(a) and _is_number(b) and a > limit and b > limit:
            return "%s and %s must not both exceed %r (got %r and %r)" % (check["exclusive"][0], check["exclusive"][1], limit, a, b)
    if "interlock" in check:
        lk = check["interlock"]
        w, r = get(lk["when"]), get(lk["require"])
        if _is_number(w) and _is_number(r) and w > lk["above"] and r < lk["at_least"]:
            return "%s %r above %r needs %s of at least %r (got %r)" % (lk["when"], w, lk["above"], lk["require"], lk["at_least"], r)
    return None


def _field_getter(value):
    def get(name):
        if isinstance(value, dict):
            return value.get(name)
        return getattr(value, name, None)
    return get


def _perceive(name, value, spec):
    """Normalise and check one argument; raise PerceiveError naming the parameter, value and rule."""
    raw = value
    for kind in spec["normalize"]:
        value = _normalize(kind, value)
    t = spec["type"]
    if t is not None:
        if value is None:
            if not t["nullable"]:
                raise PerceiveError("parameter %r = None: must not be None (annotation %s)" % (name, t["text"]),
                                    rule="annotation", param=name, value=raw)
            return value
        if t["kinds"]:
            if not _type_ok(value, t["kinds"]):
                raise PerceiveError("parameter %r = %s: expected %s, got %s" % (name, _show(raw), t["text"], type(value).__name__),
                                    rule="annotation", param=name, value=raw)
            if t["kinds"] == ["int"] and isinstance(value, float) and value is not raw and value.is_integer():
                value = int(value)
    for check in spec["checks"]:
        problem = _violation(check, value, _field_getter(value))
        if problem:
            raise PerceiveError("parameter %r = %s: %s (%s)" % (name, _show(raw), problem, check["rule"]),
                                rule=check["rule"], param=name, value=raw)
    return value


def _enforce(result, spec):
    """Check the result against the return annotation and the output rules."""
    checks = spec["checks"]
    if any(c.get("parse_json") for c in checks) and isinstance(result, str):
        try:
            result = _json.loads(result)
        except ValueError as e:
            raise EnforceError("result is not valid JSON: %s" % e, rule="parse_json", value=result) from None
    t = spec["type"]
    if t is not None and t["kinds"]:
        if result is None and not t["nullable"]:
            raise EnforceError("result is None, expected %s" % t["text"], rule="annotation", value=result)
        if result is not None and not _type_ok(result, t["kinds"]):
            raise EnforceError("result %s: expected %s, got %s" % (_show(result), t["text"], type(result).__name__),
                               rule="annotation", value=result)
    get = _field_getter(result)
    for check in checks:
        if "field" in check:
            value = get(check["field"])
            if value is None:
                continue
            problem = _violation(check, value, get)
            where = "result field %r = %s" % (check["field"], _show(value))
        else:
            problem = _violation(check, result, get)
            where = "result %s" % _show(result)
        if problem:
            raise EnforceError("%s: %s (%s)" % (where, problem, check["rule"]), rule=check["rule"], value=result)
    return result


def _run_attempt(call, seconds):
    """Run ` + "`call`" + String.raw` in a worker thread and wait at most ` + "`seconds`" + String.raw`.

    Python cannot kill a thread: a timed-out attempt is abandoned (it runs on as a daemon thread
    and its result is discarded) while the caller gets TimeoutError at once.
    """
    box = {}
    ctx = _contextvars.copy_context()

    def target():
        try:
            box["value"] = ctx.run(call)
        except BaseException as e:  # handed to the caller's thread
            box["error"] = e

    worker = _threading.Thread(target=target, name="poet-attempt", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        return False, None
    if "error" in box:
        raise box["error"]
    return True, box.get("value")


def _backoff_delay(cfg, attempt, elapsed):
    """Exponential backoff with jitter before the next attempt, cut to what the total budget leaves."""
    b = cfg["backoff"]
    delay = min(b["max_s"], b["initial_s"] * b["multiplier"] ** attempt)
    delay *= 1 + b["jitter"] * (2 * _random.random() - 1)
    if cfg["total_timeout"] is not None:
        delay = min(delay, cfg["total_timeout"] - elapsed)
    return max(0.0, delay)


def _raise_exhausted(name, cfg, last):
    """Every attempt failed: a lone attempt's own error, else TimeoutError or RetryExhaustedError."""
    attempts = cfg["retries"] + 1
    if isinstance(last, TimeoutError):
        if attempts == 1:
            raise last
        raise TimeoutError("%s: all %d attempts timed out (timeout %ss)" % (name, attempts, cfg["timeout"]), attempts=attempts) from last
    if attempts == 1:
        last.poet_phase = "operate"
        raise last
    raise RetryExhaustedError("%s: %d attempts failed; last error: %s: %s" % (name, attempts, type(last).__name__, last),
                              attempts=attempts) from last


def _operate(call, cfg, name, log):
    """Attempts with backoff, per-attempt timeout and total budget; fills ` + "`log`" + String.raw` with one entry per attempt."""
    start = _time.monotonic()
    total = cfg["total_timeout"]
    last = None
    for attempt in range(cfg["retries"] + 1):
        per = cfg["timeout"]
        if total is not None:
            left = total - (_time.monotonic() - start)
            if left <= 0:
                raise TimeoutError("%s: total_timeout of %ss exceeded after %d attempt(s)" % (name, total, attempt),
                                   attempts=attempt) from last
            per = min(per, left)
        t0 = _time.monotonic()
        try:
            done, value = _run_attempt(call, per)
        except _NOT_TRANSIENT as e:
            log.append({"duration_ms": (_time.monotonic() - t0) * 1000.0, "outcome": "error", "error_type": type(e).__name__})
            if not isinstance(e, PoetError):
                e.poet_phase = "operate"
            raise
        except Exception as e:
            log.append({"duration_ms": (_time.monotonic() - t0) * 1000.0, "outcome": "error", "error_type": type(e).__name__})
            last = e
        else:
            if done:
                log.append({"duration_ms": (_time.monotonic() - t0) * 1000.0, "outcome": "ok"})
                return value
            log.append({"duration_ms": (_time.monotonic() - t0) * 1000.0, "outcome": "timeout"})
            last = TimeoutError("%s: attempt %d timed out after %.3gs" % (name, attempt + 1, per), attempts=attempt + 1)
            if total is not None and _time.monotonic() - start >= total:
                raise TimeoutError("%s: total_timeout of %ss exceeded after %d attempt(s)" % (name, total, attempt + 1),
                                   attempts=attempt + 1) from None
        if attempt < cfg["retries"]:
            _time.sleep(_backoff_delay(cfg, attempt, _time.monotonic() - start))
    _raise_exhausted(name, cfg, last)


async def _operate_async(make, cfg, name, log):
    """_operate for coroutine functions: asyncio.wait_for cancels a timed-out attempt for real."""
    loop_time = _time.monotonic
    start = loop_time()
    total = cfg["total_timeout"]
    last = None
    for attempt in range(cfg["retries"] + 1):
        per = cfg["timeout"]
        if total is not None:
            left = total - (loop_time() - start)
            if left <= 0:
                raise TimeoutError("%s: total_timeout of %ss exceeded after %d attempt(s)" % (name, total, attempt),
                                   attempts=attempt) from last
            per = min(per, left)
        t0 = loop_time()
        try:
            value = await _asyncio.wait_for(make(), per)
        except _asyncio.TimeoutError:
            log.append({"duration_ms": (loop_time() - t0) * 1000.0, "outcome": "timeout"})
            last = TimeoutError("%s: attempt %d timed out after %.3gs" % (name, attempt + 1, per), attempts=attempt + 1)
            if total is not None and loop_time() - start >= total:
                raise TimeoutError("%s: total_timeout of %ss exceeded after %d attempt(s)" % (name, total, attempt + 1),
                                   attempts=attempt + 1) from None
        except _NOT_TRANSIENT as e:
            log.append({"duration_ms": (loop_time() - t0) * 1000.0, "outcome": "error", "error_type": type(e).__name__})
            if not isinstance(e, PoetError):
                e.poet_phase = "operate"
            raise
        except Exception as e:
            log.append({"duration_ms": (loop_time() - t0) * 1000.0, "outcome": "error", "error_type": type(e).__name__})
            last = e
        else:
            log.append({"duration_ms": (loop_time() - t0) * 1000.0, "outcome": "ok"})
            return value
        if attempt < cfg["retries"]:
            await _asyncio.sleep(_backoff_delay(cfg, attempt, loop_time() - start))
    _raise_exhausted(name, cfg, last)


def _jsonable(value, depth=0):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if _math.isfinite(value) else repr(value)
    if depth < 4 and isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v, depth + 1) for v in list(value)[:100]]
    if depth < 4 and isinstance(value, dict):
        return {str(k): _jsonable(v, depth + 1) for k, v in list(value.items())[:100]}
    return _show(value)


class _Reporter:
    """Posts each call to POET_API_URL/poet/executions in the background; never affects the call."""

    def __init__(self):
        self._lock = _threading.Lock()
        self.last_id = None
        self.pending = []

    def report(self, body):
        url = _os.environ.get("POET_API_URL")
        if not url:
            return None
        key = _os.environ.get("POET_API_KEY")
        worker = _threading.Thread(target=self._post, args=(url.rstrip("/") + "/poet/executions", key, body),
                                   name="poet-report", daemon=True)
        with self._lock:
            self.pending = [t for t in self.pending if t.is_alive()] + [worker]
        worker.start()
        return worker

    def _post(self, url, key, body):
        try:
            data = _json.dumps(body).encode("utf-8")
            req = _urllib_request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json"})
            if key:
                req.add_header("Authorization", "Bearer " + key)
            with _urllib_request.urlopen(req, timeout=2.0) as res:
                got = _json.loads(res.read().decode("utf-8") or "{}")
            with self._lock:
                self.last_id = got.get("execution_id", self.last_id)
        except Exception:
            pass  # reporting is best effort by design

    def flush(self, timeout=5.0):
        """Wait for reports in flight (tests and short scripts call this before exiting)."""
        with self._lock:
            pending = list(self.pending)
        for t in pending:
            t.join(timeout)


def _locate_workspace(here):
    """The folder that holds .dana/ above this file (enhanced.py lives in .dana/poet/functions/KEY/vN/)."""
    d = _os.path.dirname(_os.path.abspath(here))
    while True:
        if _os.path.basename(d) == ".dana":
            return _os.path.dirname(d)
        parent = _os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def _unwrap(fn):
    # The runtime hook (and this module) mark enhanced functions; follow __wrapped__ to the original.
    while getattr(fn, "__poet_enhanced__", False) and getattr(fn, "__wrapped__", None) is not None:
        fn = fn.__wrapped__
    return fn
# =================================================================================
`;
