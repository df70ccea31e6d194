import assert from 'node:assert/strict';
import { parsePython } from '../../shared/python/index';
import { assertRangesConsistent, only } from './helpers';

describe('Python model: syntax errors', () => {
  it('reports an unclosed parameter list and still finds the other functions', () => {
    const text = 'def ok1(a):\n    return a\n\ndef broken(x:\n    return 1\n\n@poet(retries=2)\ndef ok2(b: int) -> int:\n    return b\n';
    const parsed = parsePython(text);
    assert.deepEqual(parsed.functions.map((f) => f.name), ['ok1', 'broken', 'ok2']);
    assert.deepEqual(only(parsed, 'ok2').decorators[0]!.kwargs, { retries: 2 });
    assert.deepEqual(parsed.errors.map((e) => [e.line, e.column]), [[4, 11], [5, 5]]);
    assert.equal(parsed.errors[0]!.message, "'(' was never closed");
    assert.match(parsed.errors[1]!.message, /type annotation/);
    assertRangesConsistent(text, parsed);
  });

  it("keeps the next function's decorators when a bracket is left open above it", () => {
    const text = 'def typing(a, b:\n\n@poet(domain="computation")\n@other\ndef next_one(x):\n    return x\n\nclass K:\n    def m(self): pass\n';
    const parsed = parsePython(text);
    assert.deepEqual(parsed.functions.map((f) => [f.name, f.decorators.map((d) => d.name), f.parents]), [
      ['typing', [], []],
      ['next_one', ['poet', 'other'], []],
      ['m', [], ['K']],
    ]);
    assert.deepEqual(parsed.errors.map((e) => [e.line, e.column, e.message]), [
      [1, 11, "'(' was never closed"],
      [3, 1, 'expected a type annotation before "@poet(domain="comput…"'],
    ]);
    assertRangesConsistent(text, parsed);
    // A column-0 "def" inside a string is not a statement start.
    const inString = parsePython('x = (1,\ns = """\ndef fake():\n"""\n');
    assert.ok(!inString.functions.some((f) => f.name === 'fake'));
  });
  it('recovers the same way inside a class, keeping parents and decorators', () => {
    const text = [
      'class Account:',
      '    def withdraw(self, amount: float,',
      '',
      '    @poet(retries=2)',
      '    def deposit(self, amount):',
      '        return amount',
      '',
      '    class Audit:',
      '        def log(self, x',
      '        @staticmethod',
      '        def stamp(): pass',
      '',
      '@poet(domain="computation")',
      'def top(): pass',
      '',
    ].join('\n');
    const parsed = parsePython(text);
    assert.deepEqual(parsed.functions.map((f) => [f.name, f.parents, f.decorators.map((d) => d.name)]), [
      ['withdraw', ['Account'], []],
      ['deposit', ['Account'], ['poet']],
      ['log', ['Account', 'Audit'], []],
      ['stamp', ['Account', 'Audit'], ['staticmethod']],
      ['top', [], ['poet']],
    ]);
    assert.deepEqual(parsed.errors.map((e) => e.line), [2, 4, 9, 10]);
    assert.deepEqual(parsed.errors.filter((e) => e.message === "'(' was never closed").map((e) => [e.line, e.column]), [[2, 17], [9, 16]]);
    assertRangesConsistent(text, parsed);
    assert.equal(only(parsed, 'withdraw').source, 'def withdraw(self, amount: float,');
  });

  it('says what is missing while a decorator or a def is being typed', () => {
    const text = '@poet(domain="x", retries=)\ndef f(a):\n    return a\n\n@poet\ndef \n\n@poet(retries=1)\ndef g(): pass\n';
    const parsed = parsePython(text);
    assert.deepEqual(parsed.errors.map((e) => [e.line, e.column, e.message]), [
      [1, 27, `expected a value after '=' before ")"`],
      [6, 5, `incomplete function definition: expected '(' parameters ')' [-> type] ':' and a body before "@poet(retries=1)"`],
    ]);
    assert.deepEqual(parsed.functions.map((f) => [f.name, f.decorators.map((d) => d.kwargs)]), [
      ['f', [{ domain: 'x' }]],
      ['g', [{ retries: 1 }]],
    ]);
    assert.equal(parsed.functions[0]!.decorators[0]!.keywords[1]!.literal, false);
  });

  it('reports a missing body', () => {
    const parsed = parsePython('def f():\nreturn 1\n');
    assert.equal(parsed.errors.length, 1);
    assert.match(parsed.errors[0]!.message, /expected an indented block before "return"/);
    assert.equal(parsed.errors[0]!.line, 2);
  });

  it('reports unterminated strings once, single-line and triple-quoted', () => {
    const one = parsePython('x = "abc\ndef f():\n    pass\n');
    assert.deepEqual(one.errors.map((e) => [e.line, e.column, e.message]), [[1, 5, 'unterminated string literal']]);
    assert.deepEqual(one.functions.map((f) => f.name), ['f']);
    const triple = parsePython('def f():\n    pass\ns = """never closed\n');
    assert.deepEqual(triple.errors.map((e) => [e.line, e.message]), [[3, 'unterminated string literal']]);
    assert.deepEqual(parsePython('s = "a\\"b"\nt = \'\\\\\'\n').errors, []);
  });

  it('reports stray tokens with what they are', () => {
    const parsed = parsePython('def f(a)):\n    pass\nx = 1 2\n');
    assert.deepEqual(parsed.errors.map((e) => [e.line, e.column, e.message]), [
      [1, 9, "unmatched ')'"],
      [3, 7, 'syntax error: unexpected "2"'],
    ]);
  });

  it('reports an unclosed bracket at the end of the file', () => {
    const parsed = parsePython('def f():\n    return [1, 2\n');
    assert.deepEqual(parsed.errors.map((e) => [e.line, e.column, e.message]), [
      [2, 12, "'[' was never closed"],
      [3, 1, 'unclosed bracket: expected an item or a closing bracket before the end of the file'],
    ]);
  });

  it('reports unmatched and mismatched closing brackets where they are', () => {
    assert.deepEqual(parsePython('x = 1)\n').errors[0], { line: 1, column: 6, end_line: 1, end_column: 7, message: "unmatched ')'" });
    const mismatch = parsePython('x = (1,\n     2]\n');
    assert.deepEqual([mismatch.errors[0]!.line, mismatch.errors[0]!.column, mismatch.errors[0]!.message], [
      2, 7, "closing bracket ']' does not match the '(' opened on line 1",
    ]);
    const quoted = 's = "(" + \'[\' + """{"""  # (\nt = f"{x}"\n';
    assert.deepEqual(parsePython(quoted).errors, [], 'brackets in strings and comments are not brackets');
  });
});

describe('Python model: bad input', () => {
  it('parses an empty file to nothing', () => {
    assert.deepEqual(parsePython(''), { language: 'python', functions: [], errors: [] });
    assert.deepEqual(parsePython('\n\n   \n').functions, []);
  });

  it('accepts a UTF-8 BOM and keeps offsets in the original text', () => {
    const text = '\ufeffdef f(a):\n    return a\n';
    const parsed = parsePython(text);
    assert.deepEqual(parsed.errors, []);
    const f = only(parsed, 'f');
    assert.equal(f.range.start.offset, 1);
    assert.equal(f.source, 'def f(a):\n    return a');
    assertRangesConsistent(text, parsed);
  });

  it('counts lines the same with CRLF, a lone CR and LF', () => {
    for (const nl of ['\n', '\r\n', '\r']) {
      const text = ['# c', '@poet(retries=1)', 'def f(x):', '    """d"""', '    return x', ''].join(nl);
      const parsed = parsePython(text);
      const f = only(parsed, 'f');
      assert.deepEqual([f.start_line, f.line, f.end_line], [2, 3, 5], JSON.stringify(nl));
      assert.equal(f.docstring, '"""d"""');
      assertRangesConsistent(text, parsed);
    }
  });

  it('accepts what lezer alone rejects: bare yield, a form feed, floats with a trailing dot', () => {
    const text = 'import x\n\f\n@poet(timeout=5., scale=24.*3600.)\ndef gen(a=1.):\n    yield\n    b = (yield)\n    return 3.\n';
    const parsed = parsePython(text);
    assert.deepEqual(parsed.errors, []);
    const gen = only(parsed, 'gen');
    assert.deepEqual(gen.decorators[0]!.kwargs, { timeout: 5 });
    assert.equal(gen.decorators[0]!.keywords[1]!.source, '24.*3600.');
    assert.equal(gen.params[0]!.default, '1.');
    assert.equal(gen.end_line, 7);
  });

  it('handles tab indentation', () => {
    const text = 'class A:\n\tdef m(self):\n\t\treturn 1\n\t# still m\n';
    const m = only(parsePython(text), 'm');
    assert.deepEqual(m.parents, ['A']);
    assert.equal(m.end_line, 3);
  });

  it('survives a 1 MB single line', () => {
    const text = 'x = [' + '1, '.repeat(350_000) + ']\ndef f(): pass\n';
    const parsed = parsePython(text);
    assert.deepEqual(parsed.functions.map((f) => f.name), ['f']);
    assert.deepEqual(parsed.errors, []);
  });

  it('reports 10,000 nested brackets as too deep, as CPython does past 200, and goes on', () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    for (const text of [`x = ${deep}\ndef f(): pass\n`, `@poet(x=${deep})\ndef f(): pass\n`, `def f(a=${'('.repeat(10_000)}1${')'.repeat(10_000)}):\n    pass\n`]) {
      const parsed = parsePython(text);
      assert.deepEqual(parsed.functions.map((f) => f.name), ['f']);
      assert.equal(parsed.errors[0]!.message, 'too many nested brackets: Python allows at most 200 levels');
      assert.ok(parsed.errors.length <= 2, JSON.stringify(parsed.errors.slice(0, 3)));
      assertRangesConsistent(text, parsed);
    }
    const ok = `x = ${'['.repeat(200)}${']'.repeat(200)}\n`;
    assert.deepEqual(parsePython(ok).errors, [], '200 levels are allowed');
    const inStrings = `s = "${'('.repeat(300)}"  # ${'['.repeat(300)}\nt = '''${'{'.repeat(300)}'''\n`;
    assert.deepEqual(parsePython(inStrings).errors, [], 'brackets in strings and comments do not nest');
  });

  it('survives binary data', () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    const text = bytes.toString('utf8') + '\u0000\u0001def g(): pass\n';
    const parsed = parsePython(text);
    assert.ok(parsed.errors.length >= 1);
    assert.ok(parsed.errors.length <= 100, 'issues are capped');
    assert.ok(!parsed.errors.some((e) => e.message.startsWith('internal')));
    assertRangesConsistent(text, parsed);
  });
});
