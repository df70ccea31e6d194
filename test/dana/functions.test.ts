// The function model of parseDana: names, kinds, lines, receivers, params, decorators with
// literal values, docstrings, parents, ranges and exact source, plus error recovery.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDana } from '../../shared/dana/index';
import type { FunctionModel } from '../../shared/source/model';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/dana/valid', name), 'utf8');
const byName = (fns: FunctionModel[], name: string): FunctionModel => {
  const f = fns.find((x) => x.name === name);
  assert.ok(f, `no function ${name} in ${fns.map((x) => x.name).join(', ')}`);
  return f;
};

describe('dana function model', () => {
  it('finds every def kind with lines, params, types and composition', () => {
    const text = fixture('03-functions.na');
    const { functions, errors } = parseDana(text);
    assert.deepEqual(errors, []);
    assert.deepEqual(functions.map((f) => f.name), [
      'plain', 'typed', 'synced', 'withdraw', 'area', 'run_step', 'layout', 'with_comment_after_comma', 'outer', 'inner',
      'conditional', 'list', 'int', 'doc', 'clean', 'first_only', 'add_tax', 'spread', 'no_stage_args',
    ]);
    const typed = byName(functions, 'typed');
    assert.equal(typed.kind, 'def');
    assert.equal(typed.line, 5);
    assert.deepEqual(typed.params.map((p) => [p.name, p.type, p.default]), [
      ['a', 'int', null], ['b', 'str', '"x"'], ['c', 'list[dict[str, any]]', '[]'], ['d', 'int | None', 'None'],
    ]);
    assert.equal(typed.return_type, 'tuple[int, str]');
    assert.equal(byName(functions, 'synced').kind, 'sync def');
    assert.deepEqual(byName(functions, 'withdraw').receiver, { name: 'acct', type: 'Account' });
    assert.deepEqual(byName(functions, 'area').receiver, { name: 's', type: 'Square | Circle' });
    const rs = byName(functions, 'run_step');
    assert.equal(rs.kind, 'sync def');
    assert.deepEqual(rs.receiver, { name: 'w', type: 'Worker' });
    const layout = byName(functions, 'layout');
    assert.deepEqual([layout.line, layout.start_line, layout.end_line], [21, 21, 27]);
    assert.deepEqual(layout.params.map((p) => [p.name, p.type, p.default]), [['a', 'int', null], ['b', 'int', '2']]);
    assert.deepEqual(byName(functions, 'inner').parents, ['outer']);
    assert.deepEqual(byName(functions, 'conditional').parents, ['outer']);
    assert.equal(byName(functions, 'doc').docstring, '"""The docstring."""');
    const clean = byName(functions, 'clean');
    assert.equal(clean.kind, 'declarative');
    assert.equal(clean.composition, 'strip_tags | normalize as n | [summarize, classify(n)]');
    assert.equal(clean.end_line, clean.line);
    assert.equal(clean.body_range.start.offset, clean.body_range.end.offset);
    const spread = byName(functions, 'spread');
    assert.equal(spread.end_line, spread.line + 1);
    assert.equal(byName(functions, 'add_tax').composition, 'multiply($$, 1.07)');
  });

  it('parses decorator arguments to literal values and keeps the rest as source', () => {
    const { functions } = parseDana(fixture('04-decorators.na'));
    const score = byName(functions, 'score');
    assert.deepEqual(score.decorators.map((d) => [d.name, d.line]), [['poet', 2], ['audit', 5]]);
    assert.equal(score.start_line, 2);
    assert.equal(score.line, 6);
    assert.equal(score.decorators[0]!.args, 'domain="finance",\n      retries=3');
    assert.deepEqual(score.decorators[0]!.kwargs, { domain: 'finance', retries: 3 });
    assert.equal(score.decorators[1]!.args, '');
    const inline = byName(functions, 'inline_decorated');
    assert.equal(inline.start_line, inline.line);
    const sp = byName(functions, 'setpoint');
    assert.deepEqual(sp.decorators[0]!.kwargs, { domain: 'hvac', retries: 2, timeout: 30.5, enable_training: true });
    const st = byName(functions, 'stacked');
    assert.equal(st.kind, 'sync def');
    const c = st.decorators[2]!;
    assert.deepEqual(c.positional.map((a) => a.value), [1, 'two', [3], { four: 4 }, null]);
    assert.deepEqual(c.keywords.map((k) => [k.name, k.literal, k.source]), [['key', false, 'f"v{x}"']]);
    assert.deepEqual(c.kwargs, {});
    const summarize = byName(functions, 'summarize');
    assert.deepEqual(summarize.decorators[0]!.kwargs, { domain: 'text', retries: 1 });
  });

  it('gives struct-like members their parents and ignores defs inside strings and comments', () => {
    const defs = parseDana(fixture('05-definitions.na')).functions;
    assert.deepEqual(defs.map((f) => [f.name, f.parents]), [['describe', ['Account']], ['plan', ['Planner']], ['load', ['Store']]]);
    const tricky = parseDana(fixture('08-tricky.na'));
    assert.deepEqual(tricky.functions.map((f) => f.name), ['real_one', 'tricky', 'fine']);
    const t = byName(tricky.functions, 'tricky');
    assert.deepEqual(t.params.map((p) => [p.name, p.type, p.default]), [
      ['label', 'str', '"a) -> b: #c"'], ['weights', 'dict[str, list[int | None]]', '{"w": [1, None]}'],
      ['mode', 'str | None', 'None'], ['cb', null, 'lambda v :: v * 2'],
    ]);
    assert.equal(byName(tricky.functions, 'real_one').docstring, '"""def inside_docstring(): nope"""');
    assert.equal(byName(tricky.functions, 'fine').end_line, 20);
  });

  it('has ranges that cut out the exact source', () => {
    const text = fixture('04-decorators.na');
    for (const f of parseDana(text).functions) {
      assert.equal(text.slice(f.range.start.offset, f.range.end.offset), f.source);
      assert.equal(text.slice(f.name_range.start.offset, f.name_range.end.offset), f.name);
      assert.ok(f.source.startsWith('@'));
      assert.ok(text.slice(f.header_range.start.offset, f.header_range.end.offset).endsWith(':'));
      assert.equal(f.range.start.line, f.start_line);
      assert.equal(f.range.end.line, f.end_line);
      for (const p of f.params) assert.ok(text.slice(p.range.start.offset, p.range.end.offset).startsWith(p.name));
    }
    const fs = parseDana(text).functions;
    const body = byName(fs, 'score').body_range;
    assert.equal(text.slice(body.start.offset, body.end.offset), 'return x');
  });

  it('keeps exact source with CRLF and counts tabs as 8 columns', () => {
    const crlf = parseDana(fixture('10-crlf.na'));
    assert.deepEqual(crlf.errors, []);
    const f = crlf.functions[0]!;
    assert.equal(f.end_line, 3);
    assert.ok(f.source.includes('\r\n'));
    assert.equal(f.docstring, '"""Windows line endings."""');
    const tabs = parseDana(fixture('11-tabs.na'));
    assert.deepEqual(tabs.errors, []);
    assert.deepEqual(tabs.functions.map((x) => [x.name, x.end_line]), [['tabbed', 4], ['mixed', 8]]);
  });

  it('does not let a broken function hide the others', () => {
    const text = [
      'def good1(a: int) -> int:',
      '    return a',
      '',
      '@poet(domain="x", retries=2)',
      'def broken(x: float) -> float:',
      '    """Still documented."""',
      '    y = (1 +',
      '    return x',
      '',
      'def good2():',
      '    return [1, 2,',
      '3]',
      '',
      'struct S:',
      '    a: int',
      '    def m() -> int:',
      '        return a +',
      '',
      'def good3() = f | g',
      '',
    ].join('\n');
    const r = parseDana(text);
    assert.ok(r.errors.length >= 1);
    assert.equal(r.errors[0]!.line, 8);
    assert.deepEqual(r.functions.map((f) => f.name), ['good1', 'broken', 'good2', 'm', 'good3']);
    const broken = byName(r.functions, 'broken');
    assert.deepEqual(broken.decorators[0]!.kwargs, { domain: 'x', retries: 2 });
    assert.deepEqual([broken.start_line, broken.line, broken.end_line], [4, 5, 8]);
    assert.equal(broken.docstring, '"""Still documented."""');
    assert.deepEqual(broken.params.map((p) => [p.name, p.type]), [['x', 'float']]);
    assert.deepEqual(byName(r.functions, 'm').parents, ['S']);
    assert.equal(byName(r.functions, 'good3').kind, 'declarative');
    assert.ok(r.errors.some((e) => e.line === 17));
  });

  it('recovers after a column-0 comment inside a body and reports where Dana does', () => {
    const text = 'def broken():\n    x = 1\n# oops\n    return x\n\ndef after(y):\n    return y\n';
    const r = parseDana(text);
    assert.deepEqual(r.errors.map((e) => [e.line, e.column]), [[4, 5]]);
    assert.deepEqual(r.functions.map((f) => [f.name, f.end_line]), [['broken', 2], ['after', 7]]);
  });

  it('still extracts a def whose header is broken, by name', () => {
    const r = parseDana('def half(a, b,):\n    return a\n\ndef ok():\n    pass\n');
    assert.equal(r.errors[0]!.line, 1);
    assert.deepEqual(r.functions.map((f) => f.name), ['half', 'ok']);
  });
});
