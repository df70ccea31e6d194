import codecs
import hashlib
import importlib.util
import json
import os
import re
import warnings

_warned = set()
_indexes = {}
_files = {}

_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_VERSION = re.compile(r"^v[1-9][0-9]*$")


class PoetWarning(UserWarning):
    """The function runs unenhanced (no matching version under .dana/poet/)."""


def function_text_hash(source):
    """Same as functionTextHash in shared/source/hash.ts: CRLF/CR -> LF, trailing white space
    at the end removed, one final newline, sha256 hex prefixed "sha256:"."""
    text = re.sub(r"\s+$", "", source.replace("\r\n", "\n").replace("\r", "\n")) + "\n"
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _source_lines(path):
    """The file's lines, decoded as Python decodes source (BOM, coding cookie, else UTF-8).
    Read directly: inspect and linecache need tokenize, which may be the module being enhanced."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _files:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            return None
        encoding = "utf-8"
        if data.startswith(codecs.BOM_UTF8):
            data, encoding = data[3:], "utf-8"
        else:
            for line in data.split(b"\n", 2)[:2]:
                m = _COOKIE.match(line)
                if m:
                    encoding = m.group(1).decode("ascii")
                    break
                if line.strip() and not line.lstrip().startswith(b"#"):
                    break
        try:
            _files[key] = _NEWLINE.split(data.decode(encoding))
        except (LookupError, UnicodeDecodeError):
            return None
    return _files[key]


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


def _index(workspace, refresh=False):
    """(function name, source file) -> [(key, version, metadata)] for every current Python version,
    read once per process (again when a lookup misses)."""
    if refresh or workspace not in _indexes:
        index = {}
        functions = os.path.join(workspace, ".dana", "poet", "functions")
        try:
            keys = sorted(os.listdir(functions))
        except OSError:
            keys = []
        for key in keys:
            try:
                with open(os.path.join(functions, key, "current"), "r", encoding="utf-8") as f:
                    version = f.read().strip()
            except OSError:
                continue
            if not _VERSION.match(version):
                continue
            meta = _read_json(os.path.join(functions, key, version, "metadata.json"))
            if not isinstance(meta, dict) or meta.get("language") != "python":
                continue
            index.setdefault((meta.get("function_name"), meta.get("source_file")), []).append((key, version, meta))
        _indexes[workspace] = index
    return _indexes[workspace]


def _matches(code, meta):
    """The version was generated from the function's current text."""
    lines = meta.get("function_lines")
    if isinstance(lines, dict) and isinstance(lines.get("count"), int):
        source = _source_lines(code.co_filename)
        first = code.co_firstlineno - 1
        if source is None or first + lines["count"] > len(source):
            return False
        text = source[first:first + lines["count"]]
        text = [text[0].lstrip(" \t\f")] + text[1:]
        return function_text_hash("\n".join(text)) == lines.get("hash")
    # Versions from before function_lines: compare the text inspect gives.
    try:
        import inspect
        source = inspect.getsource(code)
    except Exception:
        return False
    recorded = meta.get("function_hash") or (meta.get("generator_metadata") or {}).get("function_text_hash")
    return function_text_hash(source) == recorded


def _other_version_matching(workspace, key, current, code):
    """The newest version other than ``current`` generated from the function's text as it is now
    (for the advice after a rollback: enhancing again would only find it, not make it current)."""
    folder = os.path.join(workspace, ".dana", "poet", "functions", key)
    try:
        versions = [v for v in os.listdir(folder) if _VERSION.match(v) and v != current]
    except OSError:
        return None
    for v in sorted(versions, key=lambda v: int(v[1:]), reverse=True):
        meta = _read_json(os.path.join(folder, v, "metadata.json"))
        if isinstance(meta, dict) and _matches(code, meta):
            return v
    return None


def find_version(fn):
    """(workspace, key, version, metadata, reason): the current version generated for ``fn``,
    or None entries and a reason when there is none or its text differs."""
    target = fn
    while not hasattr(target, "__code__") and hasattr(target, "__wrapped__"):
        target = target.__wrapped__  # through decorators below @poet (functools.lru_cache, ...)
    code = getattr(target, "__code__", None)
    if code is None or not os.path.isfile(code.co_filename):
        return None, None, None, None, "its source is not available"
    path = os.path.abspath(code.co_filename)
    workspace = _workspace_of(path)
    if workspace is None:
        return None, None, None, None, "no .dana/poet/ folder above %s" % path
    rel = os.path.relpath(path, workspace).replace(os.sep, "/")
    stale = None
    for refresh in (False, True):
        index = _index(workspace, refresh)
        for where in (rel, None):
            for key, version, meta in index.get((fn.__name__, where), ()):
                if _matches(code, meta):
                    return workspace, key, version, meta, None
                stale = "its current version %s was generated from other source (edited since)" % version
                other = _other_version_matching(workspace, key, version, code)
                if other:
                    stale = ("its current version %s was set by hand, and %s matches this source: make %s current with "
                             "\"POET: Set as Current Version\" in VS Code (or its CodeLens)" % (version, other, other))
        if stale:
            break
    return workspace, None, None, None, stale or "it has not been enhanced yet"


def _load(workspace, key, version):
    """A fresh instance of the version's module for each function it replaces: a module executed
    twice (importlib.reload, a test's fresh import) gets wrappers of its own, bound to its own
    function, not the wrapper of the earlier copy."""
    path = os.path.join(workspace, ".dana", "poet", "functions", key, version, "enhanced.py")
    name = "_poet_enhanced_%s_%s" % (re.sub(r"\W", "_", key), version)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _warn_once(fn, reason, workspace=None):
    code = getattr(fn, "__code__", None)
    where = code.co_filename if code is not None else "FILE"
    tag = (where, getattr(fn, "__qualname__", fn.__name__))
    if workspace and where != "FILE":
        where = os.path.relpath(where, workspace).replace(os.sep, "/")
    if tag in _warned:
        return
    _warned.add(tag)
    warnings.warn(
        "POET: %s runs unenhanced: %s. To enhance it, put the cursor inside %s in %s and run "
        "\"POET: Enhance Function\" in VS Code." % (tag[1], reason, fn.__name__, where),
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
