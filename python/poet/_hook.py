import hashlib
import importlib.util
import inspect
import json
import os
import re
import warnings

_warned = set()
_loaded = {}


class PoetWarning(UserWarning):
    """The function runs unenhanced (no matching version under .dana/poet/)."""


def function_text_hash(source):
    """Same as functionTextHash in shared/source/hash.ts: CRLF/CR -> LF, trailing white space
    at the end removed, one final newline, sha256 hex prefixed "sha256:"."""
    text = re.sub(r"\s+$", "", source.replace("\r\n", "\n").replace("\r", "\n")) + "\n"
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _workspace_of(path):
    d = os.path.dirname(os.path.abspath(path))
    while True:
        if os.path.isdir(os.path.join(d, ".dana", "poet")):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def _read_json(path):
    try:
        with open(path, "r", encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def find_version(fn):
    """(workspace, key, version, metadata, reason): the current version generated for ``fn``,
    or None entries and a reason when there is none or its hash differs."""
    try:
        path = inspect.getsourcefile(fn)
        source = inspect.getsource(fn)
    except (OSError, TypeError):
        return None, None, None, None, "its source is not available"
    workspace = _workspace_of(path)
    if workspace is None:
        return None, None, None, None, "no .dana/poet/ folder above %s" % path
    rel = os.path.relpath(os.path.abspath(path), workspace).replace(os.sep, "/")
    want = function_text_hash(source)
    functions = os.path.join(workspace, ".dana", "poet", "functions")
    try:
        keys = sorted(os.listdir(functions))
    except OSError:
        keys = []
    stale = None
    for key in keys:
        try:
            with open(os.path.join(functions, key, "current"), "r", encoding="utf-8") as f:
                version = f.read().strip()
        except OSError:
            continue
        if not re.match(r"^v[1-9][0-9]*$", version):
            continue
        meta = _read_json(os.path.join(functions, key, version, "metadata.json"))
        if not meta or meta.get("function_name") != fn.__name__ or meta.get("language") != "python":
            continue
        if meta.get("source_file") not in (rel, None):
            continue
        recorded = meta.get("function_hash") or (meta.get("generator_metadata") or {}).get("function_text_hash")
        if recorded == want:
            return workspace, key, version, meta, None
        stale = "its current version %s was generated from other source (edited since)" % version
    return workspace, None, None, None, stale or "it has not been enhanced yet"


def _load(workspace, key, version):
    path = os.path.join(workspace, ".dana", "poet", "functions", key, version, "enhanced.py")
    if path in _loaded:
        return _loaded[path]
    name = "_poet_enhanced_%s_%s" % (re.sub(r"\W", "_", key), version)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    _loaded[path] = module
    return module


def _warn_once(fn, reason, workspace=None):
    where = (inspect.getsourcefile(fn) if hasattr(fn, "__code__") else None) or "FILE"
    tag = (where, fn.__qualname__)
    if workspace and where != "FILE":
        where = os.path.relpath(where, workspace).replace(os.sep, "/")
    if tag in _warned:
        return
    _warned.add(tag)
    warnings.warn(
        "POET: %s runs unenhanced: %s. Enhance it with `node dist/cli.js enhance %s --function %s` "
        "(or the VS Code command \"POET: Enhance Function\")." % (fn.__qualname__, reason, where, fn.__name__),
        PoetWarning,
        stacklevel=4,  # the user's decorator line: warn <- _warn_once <- _enhance <- poet/decorate
    )


def _enhance(fn):
    workspace, key, version, _meta, reason = find_version(fn)
    if key is None:
        _warn_once(fn, reason, workspace)
        return fn
    try:
        module = _load(workspace, key, version)
        enhanced = module._poet_bind_original(fn)
    except Exception as e:  # a broken version must not break the user's import
        _warn_once(fn, "loading %s/%s failed (%s: %s)" % (key, version, type(e).__name__, e), workspace)
        return fn
    return enhanced


def poet(_fn=None, **config):
    """``@poet`` or ``@poet(domain=..., retries=..., ...)``."""
    if callable(_fn) and not config:
        return _enhance(_fn)

    def decorate(fn):
        return _enhance(fn)

    return decorate
