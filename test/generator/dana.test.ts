// Generated Dana for every example and fixture function parses with the project's Dana parser,
// keeps the function's header, carries no @poet, and makes a program (original without its
// decorators + enhanced.na) that parses too. The real grammar and interpreter were used during
// development (test/generator/dana-oracle.ts; results in docs/generator.md).
import assert from 'node:assert/strict';
import { parseDana } from '../../shared/dana/index';
import { danaProgram, stripPoetDecorators } from '../../server/generator/dana/load';
import { danaCases, generateCase } from './dana-cases';
import { generate, tempWorkspace } from './helpers';

describe('generated Dana', function () {
  this.timeout(60_000);
  const cases = danaCases();

  it('covers the examples and fixtures', () => {
    assert.ok(cases.filter((c) => c.file.startsWith('examples/')).length >= 8, `only ${cases.length} cases`);
    assert.ok(cases.some((c) => c.fn.kind === 'declarative'));
  });

  it('parses, keeps each header, has no @poet, and the loaded program parses', async () => {
    const ws = tempWorkspace();
    for (const c of cases) {
      const where = `${c.file}:${c.fn.name}`;
      const r = await generateCase(ws, c);
      assert.equal(r.fileName, 'enhanced.na');
      const parsed = parseDana(r.code);
      assert.deepEqual(parsed.errors, [], `${where}: ${JSON.stringify(parsed.errors)}\n${r.code}`);
      assert.doesNotMatch(r.code, /^\s*@poet\b/m, where);
      const defs = parsed.functions.filter((f) => f.name === c.fn.name);
      assert.equal(defs.length, 1, `${where}: one enhanced def`);
      const enhanced = defs[0]!;
      assert.deepEqual(enhanced.params.map((p) => [p.name, p.type, p.default]), c.fn.params.map((p) => [p.name, p.type, p.default]), where);
      assert.equal(enhanced.return_type, c.fn.return_type, where);
      assert.ok(parsed.functions.some((f) => f.name === `__poet_original_${c.fn.name}`), `${where}: original kept`);
      const program = danaProgram(c.text, c.all, [r.code], `print(${c.fn.name})`);
      assert.deepEqual(parseDana(program).errors, [], `${where}: program`);
    }
  });

  it('parses under every Operate variant (fallback, total_timeout, no retries)', async () => {
    const ws = tempWorkspace();
    const text = '@poet(domain="computation")\ndef safe_divide(a: float, b: float = 1.0) -> float:\n    return a / b\n';
    for (const config of [{ fallback: 'original' }, { total_timeout: 5 }, { retries: 0, fallback: 'original', total_timeout: 1 }, { retries: 10, timeout: 0.5 }]) {
      const r = await generate({ ws, file: 'calc.na', text, language: 'dana', config });
      assert.deepEqual(parseDana(r.code).errors, [], JSON.stringify(config));
      if ('fallback' in config) assert.match(r.code, /return __poet_original_safe_divide\(__poet_raw_a, __poet_raw_b\)/);
    }
  });

  it('strips only @poet decorators and keeps line numbers', () => {
    const text = '@poet(domain="computation",\n      retries=1)\ndef f(a: int) -> int:\n    return a\n\n@other\ndef g() -> int:\n    return 1\n';
    const out = stripPoetDecorators(text, parseDana(text).functions);
    assert.equal(out, '\n\ndef f(a: int) -> int:\n    return a\n\n@other\ndef g() -> int:\n    return 1\n');
  });

  it('refuses receiver methods and nested functions with a clear error', async () => {
    const ws = tempWorkspace();
    const text = 'struct P:\n    x: int = 1\n\ndef (p: P) twice() -> int:\n    return p.x * 2\n';
    await assert.rejects(generate({ ws, file: 'p.na', text, language: 'dana', name: 'twice' }), /receiver methods/);
  });
});
