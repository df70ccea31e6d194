// Bad input: never an exception, a stack overflow or a hang; a clear error or a result.
import assert from 'node:assert/strict';
import { parseDana, parseDanaProgram } from '../../shared/dana/index';
import { MAX_DEPTH } from '../../shared/dana/parser';

function checkRanges(text: string, r: ReturnType<typeof parseDana>): void {
  for (const e of r.errors) {
    assert.ok(e.line >= 1 && e.column >= 1, JSON.stringify(e));
    assert.ok(e.message.length > 0);
  }
  for (const f of r.functions) {
    for (const rg of [f.range, f.header_range, f.body_range, f.name_range]) {
      assert.ok(rg.start.offset >= 0 && rg.start.offset <= rg.end.offset && rg.end.offset <= text.length, JSON.stringify(rg));
    }
    assert.equal(text.slice(f.range.start.offset, f.range.end.offset), f.source);
  }
}

describe('dana bad input', () => {
  it('reports an empty file and a whitespace-only file as "empty program"', () => {
    for (const text of ['', '\n\n', '   \t\n  ']) {
      const r = parseDana(text);
      assert.equal(r.errors.length, 1);
      assert.match(r.errors[0]!.message, /empty program/);
      assert.deepEqual([r.errors[0]!.line, r.errors[0]!.column], [1, 1]);
      assert.deepEqual(r.functions, []);
    }
  });

  it('rejects a UTF-8 BOM, names it, and still finds the functions', () => {
    const r = parseDana('\ufeffdef f(x):\n    return x\n\ndef g():\n    pass\n');
    assert.deepEqual([r.errors[0]!.line, r.errors[0]!.column], [1, 1]);
    assert.match(r.errors[0]!.message, /byte order mark/);
    assert.deepEqual(r.functions.map((f) => f.name), ['f', 'g']);
  });

  it('survives binary data', () => {
    let seed = 7;
    const bytes: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      bytes.push(String.fromCharCode(seed % 256));
    }
    const text = bytes.join('');
    const r = parseDana(text);
    assert.ok(r.errors.length > 0);
    checkRanges(text, r);
  });

  it('handles CRLF, lone CR and tabs like Dana', () => {
    assert.deepEqual(parseDana('def f(x):\r\n    if x:\r\n        return 1\r\n    return 2\r\n').errors, []);
    assert.deepEqual(parseDana('def f(x):\r    return x\r').errors, []);
    assert.deepEqual(parseDana('def f(x):\n\tif x:\n\t        return 1\n').errors, []);
    const mismatch = parseDana('def f(x):\n\tif x:\n\t\treturn 1\n    return 2\n');
    assert.deepEqual([mismatch.errors[0]!.line, mismatch.errors[0]!.column], [4, 5]);
    assert.match(mismatch.errors[0]!.message, /indentation/);
  });

  it('parses a 1 MB single line', () => {
    const items = Array.from({ length: 150_000 }, (_, i) => String(i)).join(', ');
    const text = `x = [${items}]\n`;
    assert.ok(text.length > 1_000_000);
    assert.deepEqual(parseDana(text).errors, []);
    const str = `s = "${'a'.repeat(1_100_000)}"\n`;
    assert.deepEqual(parseDana(str).errors, []);
    const unterminated = `s = f"${'{a'.repeat(300_000)}\\\n`;
    const r = parseDana(unterminated);
    assert.equal(r.errors.length, 1);
  });

  it('gives an error, not a stack overflow, for 10,000 nested brackets', () => {
    for (const [open, close] of [['(', ')'], ['[', ']'], ['{', '}']] as const) {
      const text = `x = ${open.repeat(10_000)}1${close.repeat(10_000)}\n`;
      const r = parseDana(text);
      assert.equal(r.errors.length, 1);
      assert.match(r.errors[0]!.message, new RegExp(`nesting deeper than ${MAX_DEPTH}`));
      checkRanges(text, r);
    }
    const unclosed = parseDana('x = ' + '('.repeat(10_000) + '\n');
    assert.ok(unclosed.errors.length >= 1);
  });

  it('bounds other deep recursion: unary chains, not, power, lambdas, conditionals, blocks, types', () => {
    const cases = [
      'x = ' + '-'.repeat(10_000) + '1\n',
      'x = ' + 'not '.repeat(10_000) + 'a\n',
      'x = a' + ' ** a'.repeat(10_000) + '\n',
      'x = ' + 'lambda :: '.repeat(10_000) + '1\n',
      'x = a' + ' if b else a'.repeat(10_000) + '\n',
      'def f(x: ' + 'list['.repeat(10_000) + 'int' + ']'.repeat(10_000) + '):\n    pass\n',
      Array.from({ length: 400 }, (_, i) => ' '.repeat(i) + 'if x:\n').join('') + ' '.repeat(400) + 'pass\n',
    ];
    for (const text of cases) {
      const r = parseDanaProgram(text);
      assert.equal(r.program, null);
      assert.match(r.errors[0]!.message, /nesting deeper/);
      checkRanges(text, parseDana(text));
    }
  });

  it('accepts nesting below the limit', () => {
    const depth = MAX_DEPTH - 20;
    assert.deepEqual(parseDana(`x = ${'('.repeat(depth)}1${')'.repeat(depth)}\n`).errors, []);
  });

  it('handles long flat sequences without recursion', () => {
    const text = 'x = a' + ' + a'.repeat(200_000) + '\n' + 'y = a' + ' or b'.repeat(100_000) + '\n';
    assert.deepEqual(parseDana(text).errors, []);
  });

  it('keeps recovering through a file with an error on most lines, capping the error list', () => {
    const text = Array.from({ length: 30_000 }, (_, i) => (i % 3 ? `x${i} = = 1` : `def f${i}(a,):`)).join('\n');
    const r = parseDana(text);
    assert.equal(r.errors.length, 101);
    assert.match(r.errors[100]!.message, /more than 100 syntax errors/);
    assert.equal(r.functions.length, 10_000);
    assert.equal(r.functions[9_999]!.name, 'f29997');
  });

  it('reports NUL bytes and other control characters with their code point', () => {
    const r = parseDana('x = 1\u0000\n');
    assert.match(r.errors[0]!.message, /U\+0000/);
  });
});
