// Small builders for Dana syntax trees, so code that writes Dana (the POET generator) builds a
// tree and lets `emitDana` print valid source. Plain values are accepted where a node is meant:
// a JS string in expression position is a *name* (`'x'` → `x`), numbers and booleans become
// literals, `null` becomes `None`; use `b.str('text')` for a string literal. Types are given as
// Dana type text (`'list[dict[str, any]] | None'`).
//
//   import { b } from '../shared/dana/build';
//   import { emitDana } from '../shared/dana/emit';
//   const f = b.def('safe_divide', [b.param('a', 'float'), b.param('b', 'float', 1.0)], [
//     b.if_(b.cmp('b', '==', 0), [b.ret(0.0)]),
//     b.try_([b.ret(b.bin('a', '/', 'b'))], [b.except_('Exception', 'e', [b.ret(b.neg(1))])]),
//   ], { returns: 'float', decorators: [b.decorator('poet', [], { domain: 'math', retries: 3 })] });
//   emitDana(b.program([b.comment('generated'), f]));
//
// Builders check names (ASCII, not reserved) and throw DanaEmitError early on misuse.
import type * as A from './ast';
import { isValidName } from './ast';
import { DanaEmitError, quoteDocstring, quoteString } from './emit';

/** Anything usable as an expression: a node, a name (string), a number, a boolean or null (None). */
export type ExprLike = A.Expr | string | number | boolean | null;
export type TypeLike = A.TypeRef | string;
export type Body = A.Stmt[];

function name(s: string, what = 'name'): string {
  if (!isValidName(s)) throw new DanaEmitError(`${what} ${JSON.stringify(s)} is not a valid Dana name`);
  return s;
}

function ex(v: ExprLike): A.Expr {
  if (v === null) return { kind: 'none', text: 'None' };
  if (typeof v === 'string') return { kind: 'name', id: name(v) };
  if (typeof v === 'boolean') return { kind: 'bool', value: v, text: v ? 'True' : 'False' };
  if (typeof v === 'number') return num(v);
  return v;
}

function num(n: number): A.Expr {
  if (!Number.isFinite(n)) throw new DanaEmitError(`${n} has no Dana literal`);
  const text = String(Math.abs(n));
  // Dana numbers have no `1e+21` with a sign-less exponent problem, but JS writes 1e21 as "1e+21": fine for Dana.
  const lit: A.Num = { kind: 'number', text };
  return n < 0 || Object.is(n, -0) ? { kind: 'unary', op: '-', operand: lit } : lit;
}

/** Parse Dana type text: NAME or `None`, `[...]` arguments, `|` unions. */
function parseType(text: string): A.TypeRef {
  let i = 0;
  const ws = () => { while (text[i] === ' ') i++; };
  const union = (): A.TypeRef => {
    const options: A.SingleType[] = [single()];
    ws();
    while (text[i] === '|') { i++; options.push(single()); ws(); }
    return { kind: 'type', options };
  };
  const single = (): A.SingleType => {
    ws();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (!m) throw new DanaEmitError(`bad Dana type ${JSON.stringify(text)} at ${i}`);
    const id = m[0];
    if (id !== 'None') name(id, 'type name');
    i += id.length;
    ws();
    const args: A.TypeRef[] = [];
    if (text[i] === '[') {
      i++;
      args.push(union());
      while (text[i] === ',') { i++; args.push(union()); }
      if (text[i] !== ']') throw new DanaEmitError(`bad Dana type ${JSON.stringify(text)}: expected ']' at ${i}`);
      i++;
    }
    return { name: id, args };
  };
  const t = union();
  ws();
  if (i !== text.length) throw new DanaEmitError(`bad Dana type ${JSON.stringify(text)}: unexpected ${JSON.stringify(text.slice(i))}`);
  return t;
}

function ty(t: TypeLike): A.TypeRef;
function ty(t: TypeLike | null | undefined): A.TypeRef | null;
function ty(t: TypeLike | null | undefined): A.TypeRef | null {
  if (t === null || t === undefined) return null;
  return typeof t === 'string' ? parseType(t) : t;
}

function args(positional: ExprLike[], keywords: Record<string, ExprLike> = {}): A.Arg[] {
  return [
    ...positional.map((v): A.Arg => ({ name: null, value: ex(v) })),
    ...Object.entries(keywords).map(([k, v]): A.Arg => ({ name: name(k, 'keyword'), value: ex(v) })),
  ];
}

/** A JS value (string, number, boolean, null, array, plain object) as a Dana literal expression. */
function lit(v: unknown): A.Expr {
  if (typeof v === 'string') return { kind: 'string', raw: quoteString(v) };
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return ex(v);
  if (Array.isArray(v)) return { kind: 'list', items: v.map(lit) };
  if (typeof v === 'object') {
    return { kind: 'dict', entries: Object.entries(v as Record<string, unknown>).map(([k, x]) => ({ key: lit(k), value: lit(x) })) };
  }
  throw new DanaEmitError(`no Dana literal for ${typeof v}`);
}

type CmpOp = A.CmpOp;

export const b = {
  program: (body: Body): A.Program => ({ kind: 'program', body }),

  // ----- expressions -----
  name: (id: string): A.Name => ({ kind: 'name', id: name(id) }),
  scoped: (scope: A.Scope, id: string): A.Scoped => ({ kind: 'scoped', scope, id: name(id) }),
  /** A string literal with this value (quoted and escaped legally). */
  str: (value: string): A.Str => ({ kind: 'string', raw: quoteString(value) }),
  /** An f-string from its inner text, e.g. `b.fstr('total: {n}')`; the text must not contain `"` or a newline. */
  fstr: (inner: string): A.Str => {
    if (/["\r\n]/.test(inner)) throw new DanaEmitError('f-string text must not contain `"` or newlines');
    return { kind: 'string', raw: `f"${inner}"` };
  },
  num: (n: number): A.Expr => num(n),
  /** A float literal that keeps its decimal point (`b.float(1)` → `1.0`). */
  float: (n: number): A.Expr => {
    const e = num(n);
    const lit = e.kind === 'unary' ? (e.operand as A.Num) : (e as A.Num);
    if (/^[0-9]+$/.test(lit.text)) lit.text += '.0';
    return e;
  },
  bool: (v: boolean): A.Bool => ({ kind: 'bool', value: v, text: v ? 'True' : 'False' }),
  none: (): A.NoneLit => ({ kind: 'none', text: 'None' }),
  /** Any JSON-like JS value as a literal (`{a: [1, 'x']}` → `{"a": [1, "x"]}`). */
  lit,
  expr: ex,
  placeholder: (): A.Placeholder => ({ kind: 'placeholder' }),
  list: (...items: ExprLike[]): A.ListExpr => ({ kind: 'list', items: items.map(ex) }),
  tuple: (...items: ExprLike[]): A.TupleExpr => ({ kind: 'tuple', items: items.map(ex) }),
  set: (...items: ExprLike[]): A.SetExpr => ({ kind: 'set', items: items.map(ex) }),
  dict: (entries: Array<[ExprLike, ExprLike]>): A.DictExpr => ({ kind: 'dict', entries: entries.map(([k, v]) => ({ key: ex(k), value: ex(v) })) }),
  attr: (obj: ExprLike, attr: string): A.Attribute => ({ kind: 'attr', obj: ex(obj), name: name(attr, 'attribute') }),
  /** `a.b.c` from a dotted string. */
  dotted: (path: string): A.Expr => {
    const [first, ...rest] = path.split('.');
    return rest.reduce<A.Expr>((o, p) => ({ kind: 'attr', obj: o, name: name(p, 'attribute') }), ex(first ?? ''));
  },
  index: (obj: ExprLike, ...items: Array<ExprLike | A.Slice>): A.Index => ({
    kind: 'index', obj: ex(obj), items: items.map((i) => (i !== null && typeof i === 'object' && i.kind === 'slice' ? i : ex(i as ExprLike))),
  }),
  slice: (lower: ExprLike | undefined, upper: ExprLike | undefined, step?: ExprLike): A.Slice => ({
    kind: 'slice', lower: lower === undefined ? null : ex(lower), upper: upper === undefined ? null : ex(upper), step: step === undefined ? null : ex(step),
  }),
  /** `f(positional..., key=value...)`; `func` may be a dotted string (`'log.info'`). */
  call: (func: ExprLike, positional: ExprLike[] = [], keywords: Record<string, ExprLike> = {}): A.Call => ({
    kind: 'call', func: typeof func === 'string' && func.includes('.') ? b.dotted(func) : ex(func), args: args(positional, keywords),
  }),
  neg: (operand: ExprLike): A.Unary => ({ kind: 'unary', op: '-', operand: ex(operand) }),
  not: (operand: ExprLike): A.Not => ({ kind: 'not', operand: ex(operand) }),
  bin: (left: ExprLike, op: A.BinOp, right: ExprLike): A.Binary => ({ kind: 'binary', op, left: ex(left), right: ex(right) }),
  cmp: (left: ExprLike, op: CmpOp, right: ExprLike): A.Compare => ({ kind: 'compare', left: ex(left), ops: [op], rights: [ex(right)] }),
  // No `and` / `or`: Dana evaluates both operands (`x != None and x.y` reads x.y when x is None),
  // so code that writes Dana nests ifs instead. The emitter still prints them for parsed code.
  cond: (body: ExprLike, test: ExprLike, orelse: ExprLike): A.Cond => ({ kind: 'cond', body: ex(body), test: ex(test), orelse: ex(orelse) }),
  /** `lambda p1, p2 :: body` (params as names or `b.lparam`). */
  lambda: (params: Array<string | A.LambdaParam>, body: ExprLike): A.Lambda => ({
    kind: 'lambda', receiver: null, params: params.map((p) => (typeof p === 'string' ? { name: name(p, 'parameter'), type: null, default: null } : p)), body: ex(body),
  }),
  lparam: (n: string, type?: TypeLike, dflt?: ExprLike): A.LambdaParam => ({ name: name(n, 'parameter'), type: ty(type), default: dflt === undefined ? null : ex(dflt) }),
  listComp: (elt: ExprLike, targets: string[], iter: ExprLike, cond?: ExprLike): A.ListComp => ({
    kind: 'listcomp', elt: ex(elt), clause: { targets: targets.map((t) => name(t, 'target')), parenTargets: false, iter: ex(iter), cond: cond === undefined ? null : ex(cond) },
  }),
  dictComp: (key: ExprLike, value: ExprLike, targets: string[], iter: ExprLike, cond?: ExprLike): A.DictComp => ({
    kind: 'dictcomp', key: ex(key), value: ex(value), clause: { targets: targets.map((t) => name(t, 'target')), parenTargets: false, iter: ex(iter), cond: cond === undefined ? null : ex(cond) },
  }),
  type: (t: string): A.TypeRef => parseType(t),

  // ----- statements -----
  /** A comment line (`text` without or with the leading `#`). */
  comment: (text: string): A.Comment => ({ kind: 'comment', text: text.startsWith('#') ? text : text ? `# ${text}` : '#' }),
  expr_: (e: ExprLike, comment?: string): A.ExprStmt => ({ kind: 'expr', expr: ex(e), ...(comment ? { comment } : {}) }),
  assign: (target: ExprLike, value: ExprLike, type?: TypeLike): A.Assign => ({ kind: 'assign', target: ex(target), type: ty(type), value: ex(value) }),
  augAssign: (target: ExprLike, op: A.AugAssign['op'], value: ExprLike): A.AugAssign => ({ kind: 'augassign', target: ex(target), op, value: ex(value) }),
  ret: (value?: ExprLike): A.Return => ({ kind: 'return', value: value === undefined ? null : ex(value) }),
  pass: (): A.Pass => ({ kind: 'pass' }),
  break_: (): A.Break => ({ kind: 'break' }),
  continue_: (): A.Continue => ({ kind: 'continue' }),
  raise: (exc?: ExprLike, cause?: ExprLike): A.Raise => ({ kind: 'raise', exc: exc === undefined ? null : ex(exc), cause: cause === undefined ? null : ex(cause) }),
  assert_: (test: ExprLike, msg?: ExprLike): A.Assert => ({ kind: 'assert', test: ex(test), msg: msg === undefined ? null : ex(msg) }),
  import_: (module: string, alias?: string): A.Import => ({ kind: 'import', module, alias: alias ?? null }),
  from_: (module: string, names: Array<string | [string, string]> | '*', level = 0): A.FromImport => ({
    kind: 'from', level, module: module || null,
    names: names === '*' ? '*' : names.map((n) => (typeof n === 'string' ? { name: n, alias: null } : { name: n[0], alias: n[1] })),
  }),
  if_: (test: ExprLike, body: Body, orelse?: Body, elifs: Array<[ExprLike, Body]> = []): A.If => ({
    kind: 'if', test: ex(test), body, elifs: elifs.map(([t, bd]) => ({ test: ex(t), body: bd })), orelse: orelse ?? null,
  }),
  while_: (test: ExprLike, body: Body): A.While => ({ kind: 'while', test: ex(test), body }),
  for_: (targets: string | string[], iter: ExprLike, body: Body): A.For => ({
    kind: 'for', targets: (typeof targets === 'string' ? [targets] : targets).map((t) => name(t, 'target')), parenTargets: false, iter: ex(iter), body,
  }),
  /** `except [type] [as name]:` handler for `b.try_`. */
  except_: (type: ExprLike | undefined, asName: string | undefined, body: Body): A.ExceptHandler => ({
    type: type === undefined ? null : ex(type), name: asName === undefined ? null : name(asName, 'exception name'), body,
  }),
  try_: (body: Body, handlers: A.ExceptHandler[], finalbody?: Body): A.Try => ({ kind: 'try', body, handlers, finalbody: finalbody ?? null }),
  with_: (context: ExprLike, asName: string, body: Body): A.With => ({ kind: 'with', context: ex(context), name: name(asName, 'with target'), body }),
  param: (n: string, type?: TypeLike, dflt?: ExprLike): A.Param => ({ name: name(n, 'parameter'), type: ty(type), default: dflt === undefined ? null : ex(dflt) }),
  /** `@name`, or `@name(args...)` when positional or keyword arguments are given (plain JS values become literals). */
  decorator: (n: string, positional?: unknown[], keywords?: Record<string, unknown>): A.Decorator => ({
    name: name(n, 'decorator'),
    args: positional === undefined && keywords === undefined ? null : [
      ...(positional ?? []).map((v): A.Arg => ({ name: null, value: lit(v) })),
      ...Object.entries(keywords ?? {}).map(([k, v]): A.Arg => ({ name: name(k, 'keyword'), value: lit(v) })),
    ],
  }),
  def: (n: string, params: A.Param[], body: Body, opts: {
    returns?: TypeLike; decorators?: A.Decorator[]; sync?: boolean; receiver?: A.Param; docstring?: string;
  } = {}): A.FunctionDef => ({
    kind: 'def', name: name(n, 'function'), sync: opts.sync ?? false, receiver: opts.receiver ?? null, params,
    returns: ty(opts.returns), decorators: opts.decorators ?? [],
    body: opts.docstring !== undefined ? [{ kind: 'expr', expr: { kind: 'string', raw: quoteDocstring(opts.docstring) } }, ...body] : body,
  }),
  /** `def n(params) [-> T] = f | g(x) as y | [h, k]`; stages as names, `b.stageCall`, arrays (parallel) or full Stage objects. */
  declarative: (n: string, params: A.Param[], stages: Array<string | A.StageFn | A.Stage | Array<string | A.StageFn>>, returns?: TypeLike): A.Declarative => {
    const fn = (s: string | A.StageFn | Array<string | A.StageFn>): A.StageFn =>
      typeof s === 'string' ? { kind: 'fname', name: name(s, 'function') } : Array.isArray(s) ? { kind: 'flist', items: s.map(fn) } : s;
    return {
      kind: 'declarative', name: name(n, 'function'), params, returns: ty(returns),
      stages: stages.map((s) => (typeof s === 'object' && !Array.isArray(s) && 'fn' in s ? s : { fn: fn(s as string | A.StageFn), as: null })),
    };
  },
  stageCall: (n: string, positional: ExprLike[] = [], keywords: Record<string, ExprLike> = {}): A.StageFn => ({ kind: 'fcall', name: name(n, 'function'), args: args(positional, keywords) }),
  field: (n: string, type: TypeLike, dflt?: ExprLike): A.Field => ({ kind: 'field', name: name(n, 'field'), type: ty(type), default: dflt === undefined ? null : ex(dflt) }),
  struct: (n: string, members: A.Definition['members'], opts: { keyword?: A.DefinitionKeyword; docstring?: string } = {}): A.Definition => ({
    kind: 'definition', keyword: opts.keyword ?? 'struct', name: name(n, 'struct'), docstring: opts.docstring === undefined ? null : quoteDocstring(opts.docstring), members,
  }),
};
