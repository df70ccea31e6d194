// enhanced.py: an importable, standard-library-only module that defines the function under its
// original name and signature and runs Perceive → Operate → Enforce around the original, which
// it takes from the original module (so names the body uses resolve there).
import { PoetError } from '../../../shared/contract/errors';
import type { FunctionModel } from '../../../shared/source/model';
import { functionTextHash } from '../../../shared/source/hash';
import { GENERATOR_VERSION, headerLines, operateConfig, phasesSummary, planFor } from '../common';
import type { ParamPlan } from '../rules/plan';
import type { RuleSet } from '../rules/schema';
import type { GenerateRequest, GenerateResult } from '../types';
import { pyLit } from './literal';
import { PYTHON_RUNTIME } from './runtime';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Immutable literals: safe to repeat in the enhanced signature. */
const SAFE_ATOM = /^(?:[-+]?(?:\d[\d_]*\.?\d*(?:[eE][-+]?\d+)?|\.\d+)|None|True|False|'[^'\\\n]*'|"[^"\\\n]*")$/;
/** An atom, or a flat tuple of atoms such as `(0.0, 0.0)`. */
const SAFE_DEFAULT = {
  test(text: string): boolean {
    const t = text.trim();
    if (SAFE_ATOM.test(t)) return true;
    if (!t.startsWith('(') || !t.endsWith(')')) return false;
    if (t.slice(1, -1).trim() === '') return true;
    const items = t.slice(1, -1).split(',').map((x) => x.trim());
    if (items.length > 1 && items[items.length - 1] === '') items.pop();
    return items.every((x) => SAFE_ATOM.test(x)) && (items.length !== 1 || /,\s*\)$/.test(t));
  },
};

/** `pkg/mod.py` → `pkg.mod`; `pkg/__init__.py` → `pkg`; null when not importable by name. */
export function moduleNameOf(sourceFile: string | null): string | null {
  if (!sourceFile || !sourceFile.endsWith('.py')) return null;
  const parts = sourceFile.slice(0, -3).split('/').filter((p) => p && p !== '.');
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts.length && parts.every((p) => IDENT.test(p)) ? parts.join('.') : null;
}

function signature(params: ParamPlan[], fn: FunctionModel): string {
  const out: string[] = [];
  let sawKwOnlyMarker = false;
  let posOnlyDone = false;
  for (const p of params) {
    if (p.kind !== 'posonly' && !posOnlyDone && params.some((q) => q.kind === 'posonly')) {
      out.push('/');
      posOnlyDone = true;
    }
    if (p.kind === 'kwonly' && !sawKwOnlyMarker && !params.some((q) => q.kind === 'varargs')) {
      out.push('*');
      sawKwOnlyMarker = true;
    }
    const ann = p.annotation !== null ? `: ${p.annotation}` : '';
    if (p.kind === 'varargs') out.push(`*${p.name}${ann}`);
    else if (p.kind === 'varkw') out.push(`**${p.name}${ann}`);
    else if (p.default === null) out.push(`${p.name}${ann}`);
    else {
      const d = p.default.trim();
      const eq = p.annotation !== null ? ' = ' : '=';
      out.push(`${p.name}${ann}${eq}${SAFE_DEFAULT.test(d) ? d : '_MISSING'}`);
    }
  }
  if (params.length && params.every((p) => p.kind === 'posonly')) out.push('/');
  void fn;
  return out.join(', ');
}

function callArgs(params: ParamPlan[]): string {
  return params
    .map((p) => (p.kind === 'varargs' ? `*${p.name}` : p.kind === 'varkw' ? `**${p.name}` : p.kind === 'kwonly' ? `${p.name}=${p.name}` : p.name))
    .join(', ');
}

/** The original def with its decorators removed and its indentation taken off (for code given without a file). */
function embeddedOriginal(fn: FunctionModel, newName: string): string {
  const lines = fn.source.replace(/\r\n?/g, '\n').split('\n');
  const defIdx = lines.findIndex((l) => /^\s*(async\s+)?def\s/.test(l));
  const body = lines.slice(Math.max(0, defIdx));
  const indent = /^\s*/.exec(body[0] ?? '')![0].length;
  const dedented = body.map((l, i) => (i === 0 ? l.trimStart() : l.slice(Math.min(indent, /^\s*/.exec(l)![0].length))));
  dedented[0] = dedented[0]!.replace(new RegExp(`def\\s+${fn.name}\\b`), `def ${newName}`);
  return dedented.join('\n').replace(/\s+$/, '');
}

export function generatePython(req: GenerateRequest, extra?: RuleSet): GenerateResult {
  const { fn, config } = req;
  const isAsync = fn.kind === 'async def';
  if (fn.parents.length) {
    throw new PoetError('invalid_request', `POET enhances module-level Python functions; "${fn.name}" is inside ${fn.parents.join('.')}.`);
  }
  const plan = planFor(req, extra);
  const params = plan.params;
  const moduleName = moduleNameOf(req.sourceFile);
  const L: string[] = [];
  for (const h of headerLines(req, 'Python')) L.push(`# ${h}`);
  L.push('#');
  L.push(`# Use: import this module and call ${fn.name}(...) as before, or mark the original with`);
  L.push('# `from poet import poet` / `@poet(...)` and the runtime hook swaps this version in.');
  L.push('# Errors: PerceiveError (inputs), OperateError / RetryExhaustedError / TimeoutError (calls),');
  L.push('# EnforceError (result). Reporting: set POET_API_URL (and POET_API_KEY).');
  L.push('from __future__ import annotations');
  L.push('');
  L.push(PYTHON_RUNTIME.trimEnd());
  L.push('');
  L.push('import importlib as _importlib');
  L.push('');
  L.push(`__all__ = [${pyLit(fn.name)}, "PerceiveError", "OperateError", "EnforceError", "RetryExhaustedError", "TimeoutError", "last_execution_id", "flush_reports"]`);
  L.push(`_FUNCTION = ${pyLit(fn.name)}`);
  L.push(`_MODULE = ${pyLit(moduleName)}`);
  L.push(`_SOURCE_FILE = ${pyLit(req.sourceFile)}`);
  L.push(`_VERSION = ${pyLit(req.version)}`);
  L.push(`_SOURCE_HASH = ${pyLit(req.sourceHash)}`);
  L.push(`_FUNCTION_HASH = ${pyLit(functionTextHash(fn.source))}`);
  L.push(`_GENERATOR = ${pyLit(`poet-python ${GENERATOR_VERSION}`)}`);
  L.push(`_OPERATE = ${pyLit(operateConfig(config))}`);
  L.push('# Perceive plan: per parameter, the annotation type, normalisers and domain checks.');
  L.push('_PERCEIVE = {');
  for (const p of params) {
    if (p.kind === 'varargs' || p.kind === 'varkw') continue;
    L.push(`    ${pyLit(p.name)}: ${pyLit({ type: p.type, normalize: p.normalize, checks: p.checks })},`);
  }
  L.push('}');
  L.push('# Enforce plan: the return annotation and the output rules.');
  L.push(`_ENFORCE = ${pyLit({ type: plan.output.type, checks: plan.output.checks })}`);
  L.push('_reporter = _Reporter()');
  L.push('_original = None');
  L.push('');
  if (moduleName === null) {
    L.push('');
    L.push('# The original function, embedded because the code came without an importable file.');
    L.push(embeddedOriginal(fn, `_poet_original_${fn.name}`));
    L.push('');
  }
  L.push('');
  L.push('def _key():');
  L.push('    # The storage key is the folder name: .dana/poet/functions/KEY/vN/enhanced.py');
  L.push('    parts = _os.path.abspath(__file__).split(_os.sep)');
  L.push('    if len(parts) >= 4 and parts[-4] == "functions":');
  L.push('        return parts[-3]');
  L.push('    return _FUNCTION');
  L.push('');
  L.push('');
  L.push('def _poet_original():');
  L.push('    """The unenhanced function, taken from its own module the first time it is needed."""');
  L.push('    global _original');
  L.push('    if _original is None:');
  if (moduleName === null) {
    L.push(`        _original = _poet_original_${fn.name}`);
  } else {
    L.push('        workspace = _locate_workspace(__file__) or _os.getcwd()');
    L.push('        if workspace not in _sys.path:');
    L.push('            _sys.path.insert(0, workspace)');
    L.push('        module = _importlib.import_module(_MODULE)');
    L.push('        _original = _unwrap(getattr(module, _FUNCTION))');
  }
  L.push(`        ${fn.name}.__wrapped__ = _original`);
  L.push('    return _original');
  L.push('');
  L.push('');
  L.push('def _poet_bind_original(fn):');
  L.push('    """Called by the runtime hook with the function it is replacing (no import needed)."""');
  L.push('    global _original');
  L.push('    _original = _unwrap(fn)');
  L.push(`    ${fn.name}.__wrapped__ = _original`);
  L.push(`    return ${fn.name}`);
  L.push('');
  L.push('');
  L.push('def last_execution_id(wait=True):');
  L.push('    """Id the service gave the last reported call (None when reporting is off or failed)."""');
  L.push('    if wait:');
  L.push('        _reporter.flush()');
  L.push('    return _reporter.last_id');
  L.push('');
  L.push('');
  L.push('def flush_reports(timeout=5.0):');
  L.push('    _reporter.flush(timeout)');
  L.push('');
  L.push('');
  L.push('def _report(inputs, started_at, t0, log, result=None, error=None, fallback_used=False):');
  L.push('    if not _os.environ.get("POET_API_URL"):');
  L.push('        return');
  L.push('    try:');
  L.push('        body = {"function_name": _key(), "version": _VERSION, "inputs": _jsonable(inputs),');
  L.push('                "duration_ms": (_time.monotonic() - t0) * 1000.0, "attempts": max(1, len(log)),');
  L.push('                "started_at": started_at, "attempt_log": log[:1000], "fallback_used": fallback_used}');
  L.push('        if error is None:');
  L.push('            body["output"] = _jsonable(result)');
  L.push('        else:');
  L.push('            phase = "timeout" if isinstance(error, TimeoutError) else getattr(error, "phase", None) or getattr(error, "poet_phase", "operate")');
  L.push('            body["error"] = {"type": type(error).__name__, "message": str(error)[:20000], "phase": phase}');
  L.push('        _reporter.report(body)');
  L.push('    except Exception:');
  L.push('        pass');
  L.push('');
  L.push('');
  // The enhanced function itself.
  const rt = fn.return_type !== null ? ` -> ${fn.return_type}` : '';
  L.push(`${isAsync ? 'async ' : ''}def ${fn.name}(${signature(params, fn)})${rt}:`);
  if (fn.docstring) L.push(`    ${fn.docstring}`);
  L.push('    _poet_fn = _poet_original()');
  const named = params.filter((p) => p.kind !== 'varargs' && p.kind !== 'varkw');
  const missing = named.filter((p) => p.default !== null && !SAFE_DEFAULT.test(p.default.trim()));
  if (missing.length) {
    L.push('    # Defaults that are expressions are taken from the original, evaluated where it was defined.');
    L.push('    _poet_defaults = _inspect.signature(_poet_fn).parameters');
    for (const p of missing) L.push(`    if ${p.name} is _MISSING:`, `        ${p.name} = _poet_defaults[${pyLit(p.name)}].default`);
  }
  const inputsDict = `{${params.map((p) => `${pyLit(p.kind === 'varargs' ? `*${p.name}` : p.kind === 'varkw' ? `**${p.name}` : p.name)}: ${p.name}`).join(', ')}}`;
  L.push(`    _poet_inputs = ${inputsDict}`);
  L.push('    _poet_started = _datetime.datetime.now(_datetime.timezone.utc).isoformat()');
  L.push('    _poet_t0 = _time.monotonic()');
  L.push('    _poet_log = []');
  L.push('    _poet_fallback = False');
  L.push('    try:');
  L.push('        # ---- Perceive: check each argument against its annotation and the domain rules; normalise ----');
  if (!named.length) L.push('        pass');
  for (const p of named) L.push(`        ${p.name} = _perceive(${pyLit(p.name)}, ${p.name}, _PERCEIVE[${pyLit(p.name)}])`);
  L.push(`        # ---- Operate: call the original; ${config.retries} retries, ${config.timeout}s per attempt, total ${config.total_timeout === null ? 'unbounded' : `${config.total_timeout}s`}, fallback ${config.fallback} ----`);
  const call = `_poet_fn(${callArgs(params)})`;
  // Coroutine functions: each attempt is a fresh coroutine awaited under asyncio.wait_for.
  const operate = isAsync ? `await _operate_async(lambda: ${call}, _OPERATE, _FUNCTION, _poet_log)` : `_operate(lambda: ${call}, _OPERATE, _FUNCTION, _poet_log)`;
  if (config.fallback === 'original') {
    L.push('        try:');
    L.push(`            _poet_result = ${operate}`);
    L.push('        except Exception as _poet_e:');
    L.push('            if isinstance(_poet_e, (PerceiveError, EnforceError)):');
    L.push('                raise');
    L.push('            # fallback="original": one plain call of the unenhanced function, with the caller\'s arguments.');
    L.push('            _poet_fallback = True');
    L.push(`            _poet_result = ${isAsync ? 'await ' : ''}_poet_fn(${params.map((p) => (p.kind === 'varargs' ? `*_poet_inputs[${pyLit('*' + p.name)}]` : p.kind === 'varkw' ? `**_poet_inputs[${pyLit('**' + p.name)}]` : p.kind === 'kwonly' ? `${p.name}=_poet_inputs[${pyLit(p.name)}]` : `_poet_inputs[${pyLit(p.name)}]`)).join(', ')})`);
  } else {
    L.push(`        _poet_result = ${operate}`);
  }
  L.push('        # ---- Enforce: check the result against the return annotation and the output rules ----');
  L.push('        _poet_result = _enforce(_poet_result, _ENFORCE)');
  L.push('    except Exception as _poet_error:');
  L.push('        _report(_poet_inputs, _poet_started, _poet_t0, _poet_log, error=_poet_error, fallback_used=_poet_fallback)');
  L.push('        raise');
  L.push('    _report(_poet_inputs, _poet_started, _poet_t0, _poet_log, result=_poet_result, fallback_used=_poet_fallback)');
  L.push('    return _poet_result');
  L.push('');
  L.push('');
  L.push(`${fn.name}.__poet_enhanced__ = True`);
  L.push(`${fn.name}.last_execution_id = last_execution_id`);
  L.push(`${fn.name}.flush_reports = flush_reports`);
  L.push('');
  const code = L.join('\n');
  return {
    code,
    trainCode: null,
    fileName: 'enhanced.py',
    phases: phasesSummary(plan, config),
    metadata: { function_text_hash: functionTextHash(fn.source), module: moduleName, runtime: 'embedded' },
  };
}
