// enhanced.py: an importable, standard-library-only module that defines the function under its
// original name and signature. It holds the function's own plan (Perceive and Enforce rules as
// data, Operate settings) and a thin wrapper; the runtime (python/poet/runtime.py) is imported
// from an immutable copy under .dana/poet/runtime/python/. The original is taken from its own
// module (so names its body uses resolve there), or embedded when the code came without a file.
import { PoetError } from '../../../shared/contract/errors';
import type { FunctionModel } from '../../../shared/source/model';
import { functionTextHash } from '../../../shared/source/hash';
import { headerLines, operateConfig, phasesSummary, planFor, retryOnFor } from '../common';
import type { ParamPlan } from '../rules/plan';
import type { RuleSet } from '../rules/schema';
import { pythonRuntimeFile } from '../runtime-files';
import { frameDependence } from './frames';
import type { GenerateRequest, GenerateResult } from '../types';
import { pyLit } from './literal';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Immutable literals: safe to repeat in the enhanced signature. */
const SAFE_ATOM = /^(?:[-+]?(?:\d[\d_]*\.?\d*(?:[eE][-+]?\d+)?|\.\d+)|None|True|False|'[^'\\\n]*'|"[^"\\\n]*")$/;
/** An atom, or a flat tuple of atoms such as `(0.0, 0.0)`. */
function safeDefault(text: string): boolean {
  const t = text.trim();
  if (SAFE_ATOM.test(t)) return true;
  if (!t.startsWith('(') || !t.endsWith(')')) return false;
  if (t.slice(1, -1).trim() === '') return true;
  const items = t.slice(1, -1).split(',').map((x) => x.trim());
  if (items.length > 1 && items[items.length - 1] === '') items.pop();
  return items.every((x) => SAFE_ATOM.test(x)) && (items.length !== 1 || /,\s*\)$/.test(t));
}

/** `pkg/mod.py` → `pkg.mod`; `pkg/__init__.py` → `pkg`; null when not importable by name. */
export function moduleNameOf(sourceFile: string | null): string | null {
  if (!sourceFile || !sourceFile.endsWith('.py')) return null;
  const parts = sourceFile.slice(0, -3).split('/').filter((p) => p && p !== '.');
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts.length && parts.every((p) => IDENT.test(p)) ? parts.join('.') : null;
}

/** The parameter list as written (annotations kept; defaults that are not literals become MISSING). */
function signature(params: ParamPlan[], missing: string): string {
  const out: string[] = [];
  const hasPosOnly = params.some((q) => q.kind === 'posonly');
  const hasVarargs = params.some((q) => q.kind === 'varargs');
  let kwMarker = false;
  let posOnlyDone = false;
  for (const p of params) {
    if (hasPosOnly && p.kind !== 'posonly' && !posOnlyDone) {
      out.push('/');
      posOnlyDone = true;
    }
    if (p.kind === 'kwonly' && !kwMarker && !hasVarargs) {
      out.push('*');
      kwMarker = true;
    }
    const ann = p.annotation !== null ? `: ${p.annotation}` : '';
    if (p.kind === 'varargs') out.push(`*${p.name}${ann}`);
    else if (p.kind === 'varkw') out.push(`**${p.name}${ann}`);
    else if (p.default === null) out.push(`${p.name}${ann}`);
    else out.push(`${p.name}${ann}${p.annotation !== null ? ' = ' : '='}${safeDefault(p.default) ? p.default.trim() : missing}`);
  }
  if (hasPosOnly && !posOnlyDone) out.push('/');
  return out.join(', ');
}

/** The call of the original with the wrapper's parameters, kind by kind. */
function forward(params: ParamPlan[]): string {
  return params.map((p) => (p.kind === 'varargs' ? `*${p.name}` : p.kind === 'varkw' ? `**${p.name}` : p.kind === 'kwonly' ? `${p.name}=${p.name}` : p.name)).join(', ');
}

/** Every parameter's value in signature order (the runtime splits them by kind again). */
function valuesTuple(params: ParamPlan[]): string {
  return params.length === 1 ? `(${params[0]!.name},)` : `(${params.map((p) => p.name).join(', ')})`;
}

/**
 * The original function for code sent without an importable file: its text from the `def` to
 * the end of its body, taken by the parsed ranges only (decorators are dropped), renamed. A def
 * that is indented in its file keeps its bytes and sits under `if True:`.
 */
export function embeddedOriginal(fn: FunctionModel, fileText: string, newName: string): string {
  const base = fn.range.start.offset;
  const from = fn.header_range.start.offset - base;
  const nameAt = fn.name_range.start.offset - base;
  const text = fn.source.slice(from, nameAt) + newName + fn.source.slice(nameAt + fn.name.length);
  const lineStart = fileText.lastIndexOf('\n', fn.header_range.start.offset - 1) + 1;
  const indent = fileText.slice(lineStart, fn.header_range.start.offset);
  const body = text.replace(/\s+$/, '');
  return /^[ \t]+$/.test(indent) ? `if True:  # the original is indented in its file\n${indent}${body}` : body;
}

/** A prefix for generated names that no parameter (nor the function) starts with. */
function prefixFor(fn: FunctionModel, params: ParamPlan[]): string {
  let prefix = '_poet_';
  while (fn.name.startsWith(prefix) || params.some((p) => p.name.startsWith(prefix))) prefix = `_${prefix}`;
  return prefix;
}

const ERRORS = ['PerceiveError', 'PerceiveTypeError', 'PerceiveZeroDivisionError', 'EnforceError', 'TimeoutError', 'OperateError', 'RetryExhaustedError'];

export function generatePython(req: GenerateRequest, extra?: RuleSet): GenerateResult {
  const { fn, config } = req;
  if (fn.parents.length) {
    throw new PoetError('invalid_request', `POET enhances module-level Python functions; "${fn.name}" is inside ${fn.parents.join('.')}.`);
  }
  const frames = frameDependence(fn, req.fileText);
  if (frames) {
    throw new PoetError(
      'invalid_request',
      `POET cannot enhance "${fn.name}" without changing what it returns: ${frames}, and the wrapper would add a frame between it and its caller. Leave it unmarked, or enhance the functions that call it.`,
      [{ field: 'function_name', message: 'depends on its callers\' stack frames' }],
    );
  }
  const runtime = pythonRuntimeFile();
  const plan = planFor(req, extra);
  const params = plan.params;
  const moduleName = moduleNameOf(req.sourceFile);
  const isAsync = fn.kind === 'async def';
  const P = prefixFor(fn, params);
  const named = params.filter((p) => p.kind !== 'varargs' && p.kind !== 'varkw');
  const perceived = named.filter((p) => (p.type !== null && p.type.kinds.length > 0) || p.checks.length > 0);
  const enforced = (plan.output.type !== null && plan.output.type.kinds.length > 0) || plan.output.checks.length > 0;
  const missing = named.filter((p) => p.default !== null && !safeDefault(p.default));
  const values = valuesTuple(params);
  const enforce = (expr: string) => (enforced ? `${P}enforce(${expr})` : expr);
  const fallbackRaw = config.fallback === 'original' && perceived.length > 0;

  const L: string[] = ['# -*- coding: utf-8 -*-', ...headerLines(req, 'Python', runtime.path).map((h) => `# ${h}`)];
  L.push(
    '#',
    `# Use: import this module and call ${fn.name}(...) as before, or keep \`from poet import poet\` /`,
    '# `@poet(...)` on the original and the runtime hook swaps this version in. Errors POET adds:',
    '# PerceiveError (an input was rejected), EnforceError (the result was rejected), TimeoutError',
    "# (attempts ran out of time); every other error is the original's own, raised unchanged.",
    'from __future__ import annotations',
    '',
    '',
    `def ${P}load_runtime():`,
    '    """The POET runtime this version was generated with, loaded once per process."""',
    '    import importlib.util, os, sys',
    `    name = ${pyLit(`_${runtime.module}`)}`,
    '    module = sys.modules.get(name)',
    '    if module is None:',
    `        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", ${runtime.path.split('/').map(pyLit).join(', ')})`,
    '        if not os.path.isfile(path):',
    '            raise ImportError("POET runtime %s is missing: enhance the function again to restore it" % path)',
    '        spec = importlib.util.spec_from_file_location(name, path)',
    '        module = importlib.util.module_from_spec(spec)',
    '        sys.modules[name] = module',
    '        try:',
    '            spec.loader.exec_module(module)',
    '        except BaseException:',
    '            del sys.modules[name]',
    '            raise',
    '    return module',
    '',
    '',
    `${P}rt = ${P}load_runtime()`,
  );
  const exported = ERRORS.filter((e) => e !== fn.name);
  for (const e of exported) L.push(`${e} = ${P}rt.${e}`);
  L.push(
    `${P}RERAISE = ${P}rt.RERAISE`,
    `${P}MISSING = ${P}rt.MISSING`,
    `${P}reporter = ${P}rt.REPORTER`,
    '',
    '# ---- The plan: rules resolved when this version was generated ----',
    `${P}op = ${P}rt.Operation(`,
    `    name=${pyLit(fn.name)},`,
    `    module=${pyLit(moduleName)},`,
    `    key=${pyLit(req.key)},`,
    `    version=${pyLit(req.version)},`,
    `    params=${pyLit(params.map((p) => [p.name, p.kind]))},`,
    `    # Operate: ${config.retries} retries of transient failures, ${config.timeout}s per attempt, total ${config.total_timeout === null ? 'unbounded' : `${config.total_timeout}s`}, fallback ${config.fallback}`,
    `    operate=${pyLit(operateConfig(config))},`,
    `    retry_on=${pyLit(retryOnFor(req))},`,
    '    # Perceive: per parameter, the type its annotation demands, converters and domain checks',
    '    perceive={',
  );
  for (const p of named) L.push(`        ${pyLit(p.name)}: ${pyLit({ type: p.type, normalize: p.normalize, checks: p.checks })},`);
  L.push('    },', '    # Enforce: the return annotation and the output rules', `    enforce=${pyLit({ type: plan.output.type, checks: plan.output.checks })},`, ')');
  for (const p of perceived) L.push(`${P}p_${p.name} = ${P}op.perceivers[${pyLit(p.name)}]`);
  if (enforced) L.push(`${P}enforce = ${P}op.enforce`);
  L.push('');

  const originalName = `${P}original_${fn.name}`;
  if (moduleName === null) {
    L.push('', '# The original function, embedded because the code came without an importable file.', embeddedOriginal(fn, req.fileText, originalName), '');
  }
  L.push(
    '',
    `def ${P}fn(*args, **kwargs):`,
    '    """Stands in for the original until it is known: takes it from its module, once."""',
    `    global ${P}fn`,
    `    ${P}fn = ${P}op.original()`,
    `    return ${P}fn(*args, **kwargs)`,
    '',
    '',
    `${P}fn = ${P}rt.hide(${P}fn)`,
    '',
    '',
  );

  // ---- the enhanced function
  const rt = fn.return_type !== null ? ` -> ${fn.return_type}` : '';
  L.push(`${isAsync ? 'async ' : ''}def ${fn.name}(${signature(params, `${P}MISSING`)})${rt}:`);
  if (fn.docstring) L.push(`    ${fn.docstring}`);
  for (const p of missing) L.push(`    if ${p.name} is ${P}MISSING:`, `        ${p.name} = ${P}op.default(${pyLit(p.name)})`);
  if (isAsync) {
    L.push(`    return await ${P}op.call_async(${values})`);
  } else {
    L.push(`    if ${P}reporter.url:`, `        return ${P}op.call(${values})  # reported: the whole call runs in the runtime`);
    if (fallbackRaw) L.push(`    ${P}raw = ${values}`);
    if (perceived.length) L.push('    # ---- Perceive ----');
    for (const p of perceived) L.push(`    ${p.name} = ${P}p_${p.name}(${p.name})`);
    const raw = fallbackRaw ? `, ${P}raw` : '';
    L.push(
      '    # ---- Operate: the first attempt in the caller\'s thread; retries, timeouts and the pool in the runtime ----',
      `    ${P}i = ${P}op.enter()`,
      `    if ${P}i < 0:`,
      `        return ${enforce(`${P}op.attempts(${values}${raw})`)}`,
      '    try:',
      `        ${P}r = ${P}fn(${forward(params)})`,
      `        ${P}op.leave(${P}i)`,
      `    except BaseException as ${P}e:`,
      `        ${P}r = ${P}op.failed(${P}i, ${P}e)`,
      `        if ${P}r is ${P}RERAISE:`,
      '            raise',
      '    else:',
      `        return ${enforce(`${P}r`)}`,
      `    return ${enforce(`${P}op.retry(${P}r, ${values}${raw})`)}`,
    );
  }
  L.push(
    '',
    '',
    `${P}op.adopt(${fn.name}, ${moduleName === null ? `lambda: ${originalName}` : `lambda: ${P}rt.import_original(__file__, ${pyLit(moduleName)}, ${pyLit(fn.name)})`})`,
    ...(moduleName === null ? [`${P}fn = ${P}op.original()`] : [`if ${P}op.bind_if_loaded():`, `    ${P}fn = ${P}op.fn`]),
    '',
    '',
    `def ${P}bind_original(fn):`,
    '    """The runtime hook hands over the function this version replaces (no import needed)."""',
    `    global ${P}fn`,
    `    ${P}fn = ${P}op.bind(fn)`,
    `    return ${fn.name}`,
    '',
    '',
    `last_execution_id = ${P}op.last_execution_id`,
    `flush_reports = ${P}reporter.flush`,
    `__all__ = ${pyLit([fn.name, ...exported, 'last_execution_id', 'flush_reports'])}`,
    '',
  );
  if (P !== '_poet_') L.push(`_poet_bind_original = ${P}bind_original`, '');
  return {
    code: L.join('\n'),
    trainCode: null,
    fileName: 'enhanced.py',
    phases: phasesSummary(plan, config),
    metadata: { function_text_hash: functionTextHash(fn.source), module: moduleName, runtime: `.dana/poet/${runtime.path}` },
    runtime: [runtime],
  };
}
