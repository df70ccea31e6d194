// The emitter and builders: §12 emission rules, the builder example from build.ts, and
// misuse caught early with DanaEmitError.
import assert from 'node:assert/strict';
import { b } from '../../shared/dana/build';
import { DanaEmitError, emitDana, emitExpr, quoteString } from '../../shared/dana/emit';
import { parseDana, parseDanaProgram } from '../../shared/dana/index';
import { stringValue } from '../../shared/dana/functions';

const parsesClean = (text: string) => assert.deepEqual(parseDanaProgram(text).errors, [], text);

describe('dana emitter and builders', () => {
  it('builds the documented example into valid Dana with the right function model', () => {
    const f = b.def('safe_divide', [b.param('a', 'float'), b.param('b', 'float', b.float(1))], [
      b.if_(b.cmp('b', '==', 0), [b.ret(b.float(0))]),
      b.try_([b.ret(b.bin('a', '/', 'b'))], [b.except_('Exception', 'e', [b.ret(b.neg(1))])]),
    ], { returns: 'float', docstring: 'Divide a by b.', decorators: [b.decorator('poet', [], { domain: 'math', retries: 3 })] });
    const text = emitDana(b.program([b.comment('generated'), f]));
    assert.equal(text, [
      '# generated',
      '',
      '@poet(domain="math", retries=3)',
      'def safe_divide(a: float, b: float = 1.0) -> float:',
      '    """Divide a by b."""',
      '    if b == 0:',
      '        return 0.0',
      '    try:',
      '        return a / b',
      '    except Exception as e:',
      '        return -1',
      '',
    ].join('\n'));
    const fn = parseDana(text).functions[0]!;
    assert.equal(fn.name, 'safe_divide');
    assert.deepEqual(fn.decorators[0]!.kwargs, { domain: 'math', retries: 3 });
    assert.equal(fn.docstring, '"""Divide a by b."""');
  });

  it('puts pass in empty blocks, 4-space indentation and one final newline', () => {
    const text = emitDana(b.program([b.while_(true, [b.for_('x', 'xs', [])])]));
    assert.equal(text, 'while True:\n    for x in xs:\n        pass\n');
    assert.equal(emitDana(b.program([])), '# (empty program)\n');
    parsesClean(emitDana(b.program([])));
  });

  it('parenthesises by Dana precedence: unary minus binds tighter than **', () => {
    assert.equal(emitExpr(b.neg(b.bin('x', '**', 2))), '-(x ** 2)');
    assert.equal(emitExpr(b.bin(b.neg('x'), '**', 2)), '-x ** 2');
    assert.equal(emitExpr(b.bin('a', '-', b.bin('b', '-', 'c'))), 'a - (b - c)');
    assert.equal(emitExpr(b.bin(b.bin('a', '-', 'b'), '-', 'c')), 'a - b - c');
    assert.equal(emitExpr(b.bin('a', '**', b.bin('b', '**', 'c'))), 'a ** b ** c');
    assert.equal(emitExpr(b.bin(b.bin('a', '**', 'b'), '**', 'c')), '(a ** b) ** c');
    assert.equal(emitExpr(b.not({ kind: 'boolop', op: 'and', values: [b.name('a'), b.name('b')] })), 'not (a and b)');
    assert.equal((b as Record<string, unknown>).and, undefined, 'the builder offers no short-circuit-looking and');
    assert.equal(emitExpr(b.attr(b.num(1), 'real')), '(1).real');
    assert.equal(emitExpr(b.call(b.lambda(['v'], 'v'), [1])), '(lambda v :: v)(1)');
    assert.equal(emitExpr(b.cond(b.cond('a', 'b', 'c'), 'd', 'e')), '(a if b else c) if d else e');
    assert.equal(emitExpr(b.neg(b.neg('x'))), '- -x');
  });

  it('writes Dana-specific syntax: lambdas, dict comprehensions, scopes, declarative defs', () => {
    assert.equal(emitExpr(b.lambda(['v'], b.bin('v', '*', 'v'))), 'lambda v :: v * v');
    assert.equal(emitExpr(b.dictComp('k', b.bin('k', '*', 2), ['k'], 'ks')), '{(k: k * 2) for k in ks}');
    assert.equal(emitExpr(b.scoped('private', 'x')), 'private:x');
    const d = b.declarative('clean', [b.param('text', 'str')], ['strip_tags', b.stageCall('classify', [b.placeholder()]), ['a', 'b']], 'str');
    const text = emitDana(b.program([d]));
    assert.equal(text, 'def clean(text: str) -> str = strip_tags | classify($$) | [a, b]\n');
    assert.equal(parseDana(text).functions[0]!.kind, 'declarative');
  });

  it('quotes strings legally, including newlines, quotes and backslashes', () => {
    for (const v of ['plain', 'say "hi"', 'back\\slash', 'two\nlines', 'tab\there', "it's", '"""', 'ünï']) {
      const raw = quoteString(v);
      parsesClean(`x = ${raw}\n`);
      assert.equal(stringValue(raw), v);
    }
    const doc = emitDana(b.program([b.def('f', [], [b.pass()], { docstring: 'ends with "quote"' })]));
    parsesClean(doc);
  });

  it('keeps comments only where Dana allows them', () => {
    const s = b.struct('S', [b.field('a', 'int'), b.comment('dropped: struct bodies allow no comment lines')]);
    const text = emitDana(b.program([s]));
    assert.ok(!text.includes('dropped'));
    parsesClean(text);
    const f = b.def('f', [{ ...b.param('a', 'int'), comment: 'first' }, { ...b.param('b', 'int'), comment: 'second' }], [b.ret('a')]);
    const t2 = emitDana(b.program([f]));
    assert.equal(t2, 'def f(\n    a: int,  # first\n    b: int  # second\n):\n    return a\n');
    parsesClean(t2);
    const call = b.expr_({ kind: 'call', func: b.name('g'), args: [{ name: null, value: b.name('x'), comment: '# why' }] });
    parsesClean(emitDana(b.program([call])));
  });

  it('parenthesises `with` contexts that start like the call form', () => {
    const text = emitDana(b.program([b.with_(b.attr(b.call('open', ['p']), 'handle'), 'h', [b.pass()])]));
    assert.equal(text, 'with (open(p).handle) as h:\n    pass\n');
    parsesClean(text);
    parsesClean(emitDana(b.program([b.with_(b.call('open', ['p']), 'h', [b.pass()])])));
  });

  it('rejects trees that cannot be valid Dana', () => {
    assert.throws(() => b.name('workflow'), DanaEmitError);
    assert.throws(() => b.param('agent'), DanaEmitError);
    assert.throws(() => b.name('café'), DanaEmitError);
    assert.throws(() => emitDana(b.program([b.struct('Empty', [])])), DanaEmitError);
    assert.throws(() => emitExpr(b.index('a', b.slice(1, undefined, 2))), /1::2/);
    assert.throws(() => emitExpr(b.set()), DanaEmitError);
    assert.throws(() => emitDana(b.program([b.try_([b.pass()], [])])), /except/);
    assert.throws(() => b.type('list[int'), DanaEmitError);
    assert.throws(() => b.fstr('a"b'), DanaEmitError);
  });

  it('round-trips literal decorator values through b.lit', () => {
    const value = { domain: 'hvac', retries: 3, ratio: -0.5, on: true, off: null, tags: ['a', 'b'], nested: { k: [1, { x: 'y' }] } };
    const text = emitDana(b.program([b.def('f', [], [b.pass()], { decorators: [b.decorator('poet', [], value)] })]));
    parsesClean(text);
    assert.deepEqual(parseDana(text).functions[0]!.decorators[0]!.kwargs, value);
  });
});
