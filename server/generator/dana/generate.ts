// enhanced.na: loaded into the function's module after the module itself (whose @poet
// decorators are removed). It keeps the original body under `__poet_original_NAME`, then
// redefines NAME with the same header (name, parameters, types, defaults, return type) so
// every caller goes through Perceive → Operate → Enforce. Generated parts are built as Dana
// syntax trees and printed by the shared emitter; the original body and header are copied
// verbatim from the source, so they stay exactly as written.
import { b } from '../../../shared/dana/build';
import { emitDana, emitStatement } from '../../../shared/dana/emit';
import type * as A from '../../../shared/dana/ast';
import { PoetError } from '../../../shared/contract/errors';
import type { FunctionModel } from '../../../shared/source/model';
import { functionTextHash } from '../../../shared/source/hash';
import { headerLines, phasesSummary, planFor } from '../common';
import type { RuleSet } from '../rules/schema';
import type { GenerateRequest, GenerateResult } from '../types';
import { DANA_RUNTIME, DANA_RUNTIME_IMPORTS } from './runtime';

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

export function generateDana(req: GenerateRequest, extra?: RuleSet): GenerateResult {
  const { fn, config } = req;
  if (fn.parents.length) throw new PoetError('invalid_request', `POET enhances top-level Dana functions; "${fn.name}" is inside ${fn.parents.join('.')}.`);
  if (fn.receiver) throw new PoetError('invalid_request', `POET does not enhance receiver methods yet ("${fn.name}" has receiver ${fn.receiver.name}).`);
  const plan = planFor(req, extra);
  const name = fn.name;
  const orig = P(`original_${name}`);
  const attemptFn = P(`attempt_${name}`);
  const planFn = P(`plan_${name}`);
  const params = plan.params.map((p) => p.name);

  // ----- header, imports -----
  const head: A.Stmt[] = [
    ...headerLines(req, 'Dana').map((l) => b.comment(l)),
    b.comment(''),
    b.comment(`Load order: the original module (without its @poet decorators), then this file, then callers.`),
    b.comment(`Errors are raised as strings starting with PerceiveError / OperateError / RetryExhaustedError /`),
    b.comment(`TimeoutError / EnforceError and the phase in brackets. Timeouts: Dana cannot interrupt a call, so an`),
    b.comment(`attempt that ran longer than the timeout is discarded afterwards and counts as a timed-out attempt.`),
    ...DANA_RUNTIME_IMPORTS.map((m) => b.import_(`${m}.py`, P(m))),
  ];

  // ----- the plan and the attempt wrapper -----
  const perceive: Record<string, unknown> = {};
  for (const p of plan.params) perceive[p.name] = { type: p.type, normalize: p.normalize, checks: p.checks };
  const planDef = b.def(planFn, [], [b.ret(b.lit({ perceive, enforce: { type: plan.output.type, checks: plan.output.checks } }))], { returns: 'dict' });
  // Only `return` inside try/except: the interpreter loses assignments made in an `except as e` block.
  const attemptDef = b.def(attemptFn, params.map((p) => b.param(p)), [
    b.try_(
      [b.ret(b.dict([[b.str('ok'), true], [b.str('value'), b.call(orig, params)]]))],
      [b.except_(undefined, 'e', [b.ret(b.dict([[b.str('ok'), false], [b.str('error'), b.call('str', ['e'])]]))])],
    ),
  ], { returns: 'dict' });

  // ----- the enhanced body -----
  const body: A.Stmt[] = [];
  const fail = (kind: string, ...parts: Array<A.Expr | string>) =>
    b.raise(parts.reduce<A.Expr>((acc, p) => b.bin(acc, '+', typeof p === 'string' ? b.str(p) : p), b.str(`${kind}: [${kind === 'EnforceError' ? 'enforce' : kind === 'PerceiveError' ? 'perceive' : 'operate'}] ${name}: `)));
  body.push(b.assign(P('plan'), b.call(planFn)));
  if (config.fallback === 'original') for (const p of params) body.push(b.assign(P(`raw_${p}`), p));
  body.push(b.comment('---- Perceive: check each argument against its annotation and the domain rules; normalise ----'));
  for (const p of params) {
    body.push(b.assign(p, b.call(P('perceive'), [b.str(name), b.str(p), p, b.index(b.index(P('plan'), b.str('perceive')), b.str(p))])));
  }
  body.push(b.comment(`---- Operate: ${config.retries} retries, ${config.timeout}s per attempt (checked after the attempt), total ${config.total_timeout === null ? 'unbounded' : `${config.total_timeout}s`}, fallback ${config.fallback} ----`));
  const outcome = P('outcome');
  const attempt = P('attempt');
  const start = P('start');
  const t0 = P('t0');
  const op = b.lit({ backoff: config.backoff });
  body.push(b.assign(start, b.call(`${P('time')}.time`)));
  body.push(b.assign(attempt, 0));
  body.push(b.assign(outcome, b.dict([[b.str('ok'), false], [b.str('error'), b.str('not run')]])));
  body.push(b.assign(P('done'), false));
  const giveUp = (stmt: A.Stmt): A.Stmt[] =>
    config.fallback === 'original'
      ? [b.comment('fallback="original": one plain call of the unenhanced function with the caller\'s arguments'), b.ret(b.call(orig, params.map((p) => P(`raw_${p}`))))]
      : [stmt];
  const loop: A.Stmt[] = [
    b.assign(t0, b.call(`${P('time')}.time`)),
    b.assign(outcome, b.call(attemptFn, params)),
    b.augAssign(attempt, '+=', 1),
    b.if_(b.and(b.index(outcome, b.str('ok')), b.cmp(b.bin(b.call(`${P('time')}.time`), '-', t0), '>', b.float(config.timeout))), [
      b.assign(outcome, b.dict([[b.str('ok'), false], [b.str('timeout'), true], [b.str('error'), b.str(`TimeoutError: attempt took longer than ${config.timeout}s`)]])),
    ]),
    b.if_(
      b.index(outcome, b.str('ok')),
      [b.assign(P('done'), true)],
      [
        ...(config.total_timeout !== null
          ? [b.if_(b.cmp(b.bin(b.call(`${P('time')}.time`), '-', start), '>=', b.float(config.total_timeout)), giveUp(fail('TimeoutError', `total_timeout of ${config.total_timeout}s exceeded after `, b.call('str', [attempt]), ' attempt(s); last error: ', b.index(outcome, b.str('error')))))]
          : []),
        // Results of Dana functions are assigned before they go to a Python function: passed directly,
        // the interpreter hands over an unresolved promise (seen with time.sleep).
        b.assign(P('delay'), b.call(P('backoff'), [op, b.bin(attempt, '-', 1)])),
        ...(config.total_timeout !== null
          ? [
              b.assign(P('left'), b.bin(b.float(config.total_timeout), '-', b.bin(b.call(`${P('time')}.time`), '-', start))),
              b.if_(b.cmp(P('delay'), '>', P('left')), [b.assign(P('delay'), P('left'))]),
              b.if_(b.cmp(P('delay'), '<', 0), [b.assign(P('delay'), b.float(0))]),
            ]
          : []),
        b.expr_(b.call(`${P('time')}.sleep`, [P('delay')])),
      ],
      [
        [b.call(P('permanent'), [b.index(outcome, b.str('error'))]), [fail('OperateError', b.index(outcome, b.str('error')))]],
        [b.cmp(attempt, '>', config.retries), giveUp(config.retries === 0
          ? fail('OperateError', b.index(outcome, b.str('error')))
          : fail('RetryExhaustedError', `${config.retries + 1} attempts failed; last error: `, b.index(outcome, b.str('error'))))],
      ],
    ),
  ];
  body.push(b.while_(b.not(P('done')), loop));
  body.push(b.comment('---- Enforce: check the result against the return annotation and the output rules ----'));
  body.push(b.ret(b.call(P('enforce'), [b.str(name), b.index(outcome, b.str('value')), b.index(P('plan'), b.str('enforce'))])));

  const parts = [
    emitDana(b.program(head)).trimEnd(),
    DANA_RUNTIME.trimEnd(),
    '',
    `# ---- the original ${name}, kept under another name (decorators removed) ----`,
    originalUnderNewName(fn, orig),
    '',
    emitDana(b.program([b.comment(`---- POET plan for ${name} (rules resolved at generation time) ----`), planDef, attemptDef])).trimEnd(),
    '',
    `# ---- ${name}, enhanced: Perceive -> Operate -> Enforce ----`,
    enhancedHeader(fn),
    ...body.map((s) => emitStatement(s, '    ').trimEnd()),
    '',
  ];
  const code = parts.join('\n');
  return {
    code,
    trainCode: null,
    fileName: 'enhanced.na',
    phases: phasesSummary(plan, config),
    metadata: { function_text_hash: functionTextHash(fn.source), original_name: orig, runtime: 'embedded' },
  };
}
