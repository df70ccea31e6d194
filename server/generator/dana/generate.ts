// enhanced.na: loaded after the function's module (whose @poet decorators are removed), or
// composed into it by `poet build` / `poet run`. It keeps the original under
// `__poet_original_NAME` and redefines NAME with the same header (name, parameters, types,
// defaults, return type), so every caller goes through Perceive → Operate → Enforce. The rules
// live in the version's plan; the logic lives in the Dana runtime module the file imports from
// .dana/poet/runtime/dana/ (immutable, named by its hash), and its Python helper. Generated parts
// are Dana syntax trees printed by the shared emitter; the original is copied by parsed ranges.
import { b } from '../../../shared/dana/build';
import { emitDana, emitStatement } from '../../../shared/dana/emit';
import type * as A from '../../../shared/dana/ast';
import { PoetError } from '../../../shared/contract/errors';
import type { FunctionModel } from '../../../shared/source/model';
import { functionTextHash } from '../../../shared/source/hash';
import { headerLines, operateConfig, phasesSummary, planFor, retryOnFor } from '../common';
import type { RuleSet } from '../rules/schema';
import { danaRuntimeFiles } from '../runtime-files';
import type { GenerateRequest, GenerateResult } from '../types';

/** Text of `range` relative to the function's own source. */
function slice(fn: FunctionModel, start: number, end: number): string {
  const base = fn.range.start.offset;
  return fn.source.slice(start - base, end - base);
}

/** The original def from its header on (decorators dropped), renamed. */
export function originalUnderNewName(fn: FunctionModel, newName: string): string {
  const fromHeader = slice(fn, fn.header_range.start.offset, fn.range.end.offset);
  const nameAt = fn.name_range.start.offset - fn.header_range.start.offset;
  return (fromHeader.slice(0, nameAt) + newName + fromHeader.slice(nameAt + fn.name.length)).replace(/\s+$/, '');
}

/** `def NAME(params) -> T:` exactly as written (a declarative `=` header becomes `:`). */
function enhancedHeader(fn: FunctionModel): string {
  const h = slice(fn, fn.header_range.start.offset, fn.header_range.end.offset).replace(/\s+$/, '');
  return h.replace(/[:=]$/, '').replace(/\s+$/, '') + ':';
}

const P = (s: string) => `__poet_${s}`;
/**
 * The runtime module's alias in enhanced code: its hashed module name, so that versions generated
 * with different runtimes can live in one module (a composed program, or several enhanced.na
 * loaded together) without the later import rebinding the earlier versions' runtime.
 */
export function runtimeAlias(module: string): string {
  return `__${module}`;
}
/** Markers around the renamed original, so a composer can take the generated part alone. */
export const ORIGINAL_BEGIN = '# ---- the original, kept under another name (decorators removed) ----';
export const ORIGINAL_END = '# ---- end of the original ----';

export function generateDana(req: GenerateRequest, extra?: RuleSet): GenerateResult {
  const { fn, config } = req;
  if (fn.parents.length) throw new PoetError('invalid_request', `POET enhances top-level Dana functions; "${fn.name}" is inside ${fn.parents.join('.')}.`);
  if (fn.receiver) throw new PoetError('invalid_request', `POET does not enhance receiver methods yet ("${fn.name}" has receiver ${fn.receiver.name}).`);
  const runtime = danaRuntimeFiles();
  const RUNTIME_ALIAS = runtimeAlias(runtime.module.module);
  const plan = planFor(req, extra);
  const name = fn.name;
  const orig = P(`original_${name}`);
  const params = plan.params.map((p) => p.name);
  const argsOf = (list: string) => params.map((_, i) => b.index(list, i));

  const perceive: Record<string, unknown> = {};
  for (const p of plan.params) if ((p.type && p.type.kinds.length) || p.checks.length) perceive[p.name] = { type: p.type, normalize: p.normalize, checks: p.checks };
  const enforced = (plan.output.type !== null && plan.output.type.kinds.length > 0) || plan.output.checks.length > 0;
  const operate = {
    ...operateConfig(config),
    first_budget: config.total_timeout === null ? config.timeout : Math.min(config.timeout, config.total_timeout),
    retry_on: retryOnFor(req),
  };

  // ----- the plan, and the call of the original the runtime makes -----
  // A module-level constant: evaluated once when the file loads, not on every call. `report`
  // names the version in the execution records the helper sends.
  const planDef = b.assign(P(`plan_${name}`), b.lit({ names: params, perceive, operate, enforce: { type: plan.output.type, checks: plan.output.checks }, report: { key: req.key, version: req.version } }));
  // One attempt: the original's call goes straight to the helper, which waits for its promise at
  // most `budget` seconds (null: no limit, for fallback="original"); a failure raised before that
  // (a synchronous call) is caught here. The helper adds the attempt to the call's record `trace`.
  const attemptDef = b.def(P(`attempt_${name}`), [b.param('args', 'list'), b.param('budget'), b.param('retry_on', 'list'), b.param('trace')], [
    b.assign(P('t0'), b.call(`${RUNTIME_ALIAS}.py.clock`)),
    b.try_(
      [
        b.assign(P('outcome'), b.call(`${RUNTIME_ALIAS}.py.wait`, [b.call(orig, argsOf('args')), 'budget', 'retry_on', P('t0'), 'trace'])),
        b.ret(P('outcome')),
      ],
      [b.except_(undefined, 'e', [b.ret(b.call(`${RUNTIME_ALIAS}.py.failure`, ['e', 'retry_on', P('t0'), 'trace']))])],
    ),
  ], { returns: 'dict', sync: true });

  // ----- the enhanced body -----
  // The call's execution record (null unless executions are reported) goes to every phase; the
  // call is reported where it ends: a raise in a phase, or the return below.
  const body: A.Stmt[] = [b.assign(P('plan'), P(`plan_${name}`)), b.assign(P('trace'), b.call(`${RUNTIME_ALIAS}.py.trace`, [P('plan'), b.list(...params)]))];
  if (config.fallback === 'original') body.push(b.assign(P('raw'), b.list(...params)));
  if (Object.keys(perceive).length) body.push(b.comment('---- Perceive: values of the annotated type pass untouched; only what the original cannot take is converted ----'));
  for (const p of params) {
    if (!(p in perceive)) continue;
    body.push(b.assign(p, b.call(`${RUNTIME_ALIAS}.py.perceive`, [b.str(name), b.str(p), p, b.index(b.index(P('plan'), b.str('perceive')), b.str(p)), P('trace')])));
  }
  body.push(b.comment(`---- Operate: ${config.retries} retries of transient failures, ${config.timeout}s per attempt, total ${config.total_timeout === null ? 'unbounded' : `${config.total_timeout}s`}, fallback ${config.fallback} ----`));
  body.push(
    b.assign(
      P('result'),
      b.call(`${RUNTIME_ALIAS}.operate`, [b.str(name), P(`attempt_${name}`), b.list(...params), config.fallback === 'original' ? P('raw') : b.list(...params), P('plan'), P('trace')]),
    ),
  );
  if (enforced) {
    body.push(b.comment('---- Enforce: the result against the return annotation and the output rules ----'));
    body.push(b.assign(P('result'), b.call(`${RUNTIME_ALIAS}.py.enforce`, [b.str(name), P('result'), b.index(P('plan'), b.str('enforce')), P('trace')])));
  }
  body.push(b.expr_(b.call(`${RUNTIME_ALIAS}.py.done`, [P('trace'), P('result')])));
  body.push(b.ret(P('result')));

  const [first, ...facts] = headerLines(req, 'Dana', runtime.module.path);
  const head: A.Stmt[] = [
    b.comment(first!),
    b.comment('Plan and wrapper below; the runtime is a module of its own (see Generator).'),
    ...facts.map((l) => b.comment(l)),
    b.comment(''),
    b.comment('Load order: the original module without its @poet decorators, then this file, then callers (`poet build`'),
    b.comment('and `poet run` do it). The runtime module is found through DANAPATH=.dana/poet/runtime/dana. Errors POET'),
    b.comment('adds are strings starting with PerceiveError:, EnforceError: or TimeoutError:; every other error is the'),
    b.comment("original's own, raised unchanged."),
    b.import_(runtime.module.module, RUNTIME_ALIAS),
  ];
  const parts = [
    emitDana(b.program(head)).trimEnd(),
    '',
    ORIGINAL_BEGIN,
    originalUnderNewName(fn, orig),
    ORIGINAL_END,
    '',
    emitDana(b.program([b.comment(`---- POET plan for ${name} (rules resolved when this version was generated) ----`), planDef, attemptDef])).trimEnd(),
    '',
    `# ---- ${name}, enhanced: Perceive -> Operate -> Enforce ----`,
    enhancedHeader(fn),
    ...body.map((s) => emitStatement(s, '    ').trimEnd()),
    '',
  ];
  return {
    code: parts.join('\n'),
    trainCode: null,
    fileName: 'enhanced.na',
    phases: phasesSummary(plan, config),
    metadata: { function_text_hash: functionTextHash(fn.source), original_name: orig, runtime: `.dana/poet/${runtime.module.path}` },
    runtime: runtime.files,
  };
}
