// fast-check generators of Dana syntax trees that are valid by construction (names checked,
// no empty sets or bodies, slices in Dana's forms), for emit → parse round trips.
import fc from 'fast-check';
import type * as A from '../../shared/dana/ast';
import { quoteString } from '../../shared/dana/emit';

// Names include keyword-prefixed ones, which Dana's contextual lexer could split.
const NAMES = ['x', 'y', 'total', 'rate', 'orb', 'iffy', 'inbox', 'asx', 'format', 'notable', 'island', 'elsewhere', 'list', 'int', 'any', 'use', '_p'];
export const nameArb = fc.constantFrom(...NAMES);
const numberArb = fc.constantFrom('0', '1', '42', '3.14', '.5', '5.', '1e5', '2.5E-3');
const stringArb = fc.oneof(
  fc.string({ maxLength: 12 }).map(quoteString),
  fc.constantFrom("'single'", "'two\nlines'", 'f"v={x:.2f}"', "f'{d[\"k\"]}'", 'r"\\d+"', '"""doc"""', "'''x'''", '""'),
);
const typeArb: fc.Arbitrary<A.TypeRef> = fc.letrec<{ t: A.TypeRef }>((tie) => ({
  t: fc.record({
    kind: fc.constant('type' as const),
    options: fc.array(fc.record({
      name: fc.constantFrom('int', 'str', 'float', 'None', 'list', 'dict', 'Account', 'any'),
      args: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant<A.TypeRef[]>([]), fc.array(tie('t'), { minLength: 1, maxLength: 2 })),
    }), { minLength: 1, maxLength: 2 }),
  }),
})).t;

export { typeArb };

const SCOPES = ['private', 'public', 'local', 'system'] as const;
const BINOPS: A.BinOp[] = ['+', '-', '*', '/', '//', '%', '**'];
const CMPOPS: A.CmpOp[] = ['==', '!=', '<', '>', '<=', '>=', 'in', 'not in', 'is', 'is not'];

export const exprArb: fc.Arbitrary<A.Expr> = fc.letrec<{ e: A.Expr; leaf: A.Expr }>((tie) => {
  const e = () => tie('e');
  const clause = fc.record({
    targets: fc.array(nameArb, { minLength: 1, maxLength: 2 }),
    parenTargets: fc.boolean(),
    iter: e(),
    cond: fc.option(e(), { nil: null }),
  });
  const arg: fc.Arbitrary<A.Arg> = fc.record({ name: fc.option(nameArb, { nil: null }), value: e() });
  return {
    leaf: fc.oneof(
      nameArb.map((id): A.Expr => ({ kind: 'name', id })),
      fc.tuple(fc.constantFrom(...SCOPES), nameArb).map(([scope, id]): A.Expr => ({ kind: 'scoped', scope, id })),
      numberArb.map((text): A.Expr => ({ kind: 'number', text })),
      stringArb.map((raw): A.Expr => ({ kind: 'string', raw })),
      fc.constantFrom('True', 'false', 'TRUE').map((text): A.Expr => ({ kind: 'bool', value: text.toLowerCase() === 'true', text })),
      fc.constantFrom('None', 'null').map((text): A.Expr => ({ kind: 'none', text })),
      fc.constant<A.Expr>({ kind: 'placeholder' }),
    ),
    e: fc.oneof({ depthSize: 'small', withCrossShrink: true },
      tie('leaf'),
      fc.array(e(), { maxLength: 3 }).map((items): A.Expr => ({ kind: 'list', items })),
      fc.array(e(), { maxLength: 3 }).map((items): A.Expr => ({ kind: 'tuple', items })),
      fc.array(e(), { minLength: 1, maxLength: 3 }).map((items): A.Expr => ({ kind: 'set', items })),
      fc.array(fc.record({ key: e(), value: e() }), { maxLength: 2 }).map((entries): A.Expr => ({ kind: 'dict', entries })),
      fc.record({ elt: e(), clause }).map((r): A.Expr => ({ kind: 'listcomp', ...r })),
      fc.record({ elt: e(), clause }).map((r): A.Expr => ({ kind: 'setcomp', ...r })),
      fc.record({ key: e(), value: e(), clause }).map((r): A.Expr => ({ kind: 'dictcomp', ...r })),
      fc.record({
        receiver: fc.option(fc.record({ name: nameArb, type: typeArb }), { nil: null }),
        params: fc.array(fc.record({ name: nameArb, type: fc.option(typeArb, { nil: null }), default: fc.option(e(), { nil: null }) }), { maxLength: 2 }),
        body: e(),
      }).map((r): A.Expr => ({ kind: 'lambda', ...r })),
      fc.record({ obj: e(), name: nameArb }).map((r): A.Expr => ({ kind: 'attr', ...r })),
      fc.record({
        obj: e(),
        items: fc.array(fc.oneof(e(), fc.constantFrom<[boolean, boolean, boolean]>(
          [true, true, false], [true, false, false], [false, true, false], [false, false, false], [false, false, true], [true, true, true],
        ).chain(([l, u, s]) => fc.record({
          kind: fc.constant('slice' as const),
          lower: l ? e() : fc.constant(null), upper: u ? e() : fc.constant(null), step: s ? e() : fc.constant(null),
        }))), { minLength: 1, maxLength: 2 }),
      }).map((r): A.Expr => ({ kind: 'index', ...r })),
      fc.record({ func: e(), args: fc.array(arg, { maxLength: 3 }) }).map((r): A.Expr => ({ kind: 'call', ...r })),
      fc.record({ op: fc.constantFrom('+' as const, '-' as const), operand: e() }).map((r): A.Expr => ({ kind: 'unary', ...r })),
      e().map((operand): A.Expr => ({ kind: 'not', operand })),
      fc.record({ op: fc.constantFrom(...BINOPS), left: e(), right: e() }).map((r): A.Expr => ({ kind: 'binary', ...r })),
      fc.array(fc.tuple(fc.constantFrom(...CMPOPS), e()), { minLength: 1, maxLength: 2 }).chain((pairs) =>
        e().map((left): A.Expr => ({ kind: 'compare', left, ops: pairs.map((p) => p[0]), rights: pairs.map((p) => p[1]) }))),
      fc.record({ op: fc.constantFrom('and' as const, 'or' as const), values: fc.array(e(), { minLength: 2, maxLength: 3 }) }).map((r): A.Expr => ({ kind: 'boolop', ...r })),
      fc.record({ body: e(), test: e(), orelse: e() }).map((r): A.Expr => ({ kind: 'cond', ...r })),
      fc.array(e(), { minLength: 2, maxLength: 3 }).map((stages): A.Expr => ({ kind: 'pipe', stages })),
    ),
  };
}).e;

const commentArb = fc.option(fc.constantFrom('# note', '#x', '# def not_a_def():', '# ä'), { nil: undefined });
const withComment = <T extends object>(s: T, c: string | undefined): T => (c === undefined ? s : { ...s, comment: c });

const targetArb: fc.Arbitrary<A.Expr> = fc.oneof(
  nameArb.map((id): A.Expr => ({ kind: 'name', id })),
  fc.tuple(fc.constantFrom(...SCOPES), nameArb).map(([scope, id]): A.Expr => ({ kind: 'scoped', scope, id })),
  fc.record({ obj: nameArb.map((id): A.Expr => ({ kind: 'name', id })), name: nameArb }).map((r): A.Expr => ({ kind: 'attr', ...r })),
  fc.record({ obj: nameArb.map((id): A.Expr => ({ kind: 'name', id })), items: fc.array(exprArb, { minLength: 1, maxLength: 1 }) }).map((r): A.Expr => ({ kind: 'index', ...r })),
  fc.array(nameArb.map((id): A.Expr => ({ kind: 'name', id })), { minLength: 2, maxLength: 3 }).map((items): A.Expr => ({ kind: 'tuple', items })),
);

const paramArb: fc.Arbitrary<A.Param> = fc.tuple(
  fc.record({ name: nameArb, type: fc.option(typeArb, { nil: null }), default: fc.option(exprArb, { nil: null }) }), commentArb,
).map(([p, c]) => withComment(p, c));

const simpleArb: fc.Arbitrary<A.Stmt> = fc.tuple(fc.oneof(
  exprArb.map((expr): A.Stmt => ({ kind: 'expr', expr })),
  fc.record({ target: targetArb, type: fc.option(typeArb, { nil: null }), value: exprArb }).map((r): A.Stmt => ({ kind: 'assign', ...r })),
  fc.record({ target: targetArb, op: fc.constantFrom('+=' as const, '-=' as const, '*=' as const, '/=' as const), value: exprArb }).map((r): A.Stmt => ({ kind: 'augassign', ...r })),
  fc.option(exprArb, { nil: null }).map((value): A.Stmt => ({ kind: 'return', value })),
  fc.constantFrom<A.Stmt>({ kind: 'pass' }, { kind: 'break' }, { kind: 'continue' }, { kind: 'raise', exc: null, cause: null }),
  fc.record({ exc: exprArb, cause: fc.option(exprArb, { nil: null }) }).map((r): A.Stmt => ({ kind: 'raise', ...r })),
  fc.record({ test: exprArb, msg: fc.option(exprArb, { nil: null }) }).map((r): A.Stmt => ({ kind: 'assert', ...r })),
  fc.record({ module: fc.constantFrom('a', 'a.b', 'math.py'), alias: fc.option(nameArb, { nil: null }) }).map((r): A.Stmt => ({ kind: 'import', ...r })),
  fc.record({
    level: fc.nat({ max: 2 }), module: fc.constantFrom('m', 'pkg.mod'),
    names: fc.oneof(fc.constant('*' as const), fc.array(fc.record({ name: nameArb, alias: fc.option(nameArb, { nil: null }) }), { minLength: 1, maxLength: 2 })),
  }).map((r): A.Stmt => ({ kind: 'from', ...r })),
  fc.record({ name: nameArb, base: nameArb }).map((r): A.Stmt => ({ kind: 'agent_alias', ...r })),
  nameArb.map((name): A.Stmt => ({ kind: 'agent_base', name })),
  fc.record({
    name: nameArb, params: fc.array(fc.record({ name: nameArb, type: fc.option(typeArb, { nil: null }), default: fc.constant(null) }), { maxLength: 2 }),
    returns: fc.option(typeArb, { nil: null }),
    stages: fc.array(fc.record({
      fn: fc.oneof(
        nameArb.map((name): A.StageFn => ({ kind: 'fname', name })),
        fc.record({ name: nameArb, args: fc.array(fc.record({ name: fc.constant(null), value: exprArb }), { maxLength: 2 }) }).map((r): A.StageFn => ({ kind: 'fcall', ...r })),
        fc.array(nameArb.map((name): A.StageFn => ({ kind: 'fname', name })), { maxLength: 2 }).map((items): A.StageFn => ({ kind: 'flist', items })),
      ),
      as: fc.option(nameArb, { nil: null }),
    }), { minLength: 1, maxLength: 3 }),
  }).map((r): A.Stmt => ({ kind: 'declarative', ...r })),
), commentArb).map(([s, c]) => withComment(s, c));

const decoratorArb: fc.Arbitrary<A.Decorator> = fc.record({
  name: nameArb,
  args: fc.option(fc.array(fc.tuple(fc.record({ name: fc.option(nameArb, { nil: null }), value: exprArb }), commentArb).map(([a, c]) => withComment(a, c)), { maxLength: 3 }), { nil: null }),
});

export const stmtArb: fc.Arbitrary<A.Stmt> = fc.letrec<{ s: A.Stmt; body: A.Stmt[] }>((tie) => {
  const body = () => tie('body');
  const hc = <T extends object>(arb: fc.Arbitrary<T>) => fc.tuple(arb, commentArb).map(([s, c]) => (c === undefined ? s : { ...s, headerComment: c }));
  const def = hc(fc.record({
    kind: fc.constant('def' as const), name: nameArb, sync: fc.boolean(),
    receiver: fc.option(fc.record({ name: nameArb, type: fc.option(typeArb, { nil: null }), default: fc.constant(null) }), { nil: null }),
    params: fc.array(paramArb, { maxLength: 3 }), returns: fc.option(typeArb, { nil: null }),
    decorators: fc.array(decoratorArb, { maxLength: 2 }), body: body(),
  }));
  return {
    body: fc.array(tie('s'), { minLength: 1, maxLength: 3 }),
    s: fc.oneof({ depthSize: 'small', withCrossShrink: true },
      simpleArb,
      fc.constantFrom('# a comment', '#', '## metadata').map((text): A.Stmt => ({ kind: 'comment', text })),
      hc(fc.record({
        kind: fc.constant('if' as const), test: exprArb, body: body(),
        elifs: fc.array(hc(fc.record({ test: exprArb, body: body() })), { maxLength: 2 }),
        orelse: fc.option(body(), { nil: null }),
      })),
      hc(fc.record({ kind: fc.constant('while' as const), test: exprArb, body: body() })),
      hc(fc.record({ kind: fc.constant('for' as const), targets: fc.array(nameArb, { minLength: 1, maxLength: 2 }), parenTargets: fc.boolean(), iter: exprArb, body: body() })),
      hc(fc.record({
        kind: fc.constant('try' as const), body: body(),
        handlers: fc.array(hc(fc.record({ type: fc.option(exprArb, { nil: null }), name: fc.option(nameArb, { nil: null }), body: body() })), { minLength: 1, maxLength: 2 }),
        finalbody: fc.option(body(), { nil: null }),
      })),
      hc(fc.record({ kind: fc.constant('with' as const), context: exprArb, name: nameArb, body: body() })),
      def,
      hc(fc.record({
        kind: fc.constant('definition' as const),
        keyword: fc.constantFrom('struct' as const, 'resource' as const, 'agent_blueprint' as const, 'workflow' as const),
        name: nameArb, docstring: fc.option(fc.constant('"""Doc."""'), { nil: null }),
        members: fc.array(fc.oneof(
          fc.tuple(fc.record({ kind: fc.constant('field' as const), name: nameArb, type: typeArb, default: fc.option(exprArb, { nil: null }) }), commentArb)
            .map(([f, c]): A.Definition['members'][number] => withComment(f, c)),
          def as fc.Arbitrary<A.FunctionDef>,
        ), { minLength: 1, maxLength: 3 }),
      })),
      hc(fc.record({
        kind: fc.constant('definition' as const), keyword: fc.constant('interface' as const),
        name: nameArb, docstring: fc.option(fc.constant('"""An interface."""'), { nil: null }),
        members: fc.array(fc.oneof(
          fc.record({ kind: fc.constant('imethod' as const), name: nameArb, params: fc.array(paramArb, { maxLength: 2 }), returns: fc.option(typeArb, { nil: null }) }),
          fc.record({ kind: fc.constant('embed' as const), name: nameArb }),
          fc.constant({ kind: 'comment' as const, text: '# member note' }),
        ), { minLength: 1, maxLength: 3 }),
      })),
      hc(fc.record({
        kind: fc.constant('agent_def' as const), name: fc.option(nameArb, { nil: null }), base: nameArb,
        docstring: fc.constant('"""An agent."""'),
        fields: fc.array(fc.record({ name: nameArb, value: exprArb }), { maxLength: 2 }),
      })),
    ),
  };
}).s;

export const programArb: fc.Arbitrary<A.Program> = fc.array(stmtArb, { minLength: 1, maxLength: 4 }).map((body) => ({ kind: 'program', body }));
