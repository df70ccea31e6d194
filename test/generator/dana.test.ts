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
      if ('fallback' in config) assert.match(r.code, /__poet_raw = \[a, b\]/);
    }
  });

  it('calls its runtime by the module\'s own hashed name, so versions of two POET releases can share a module', async () => {
    const { danaRuntimeFiles } = await import('../../server/generator/runtime-files');
    const module = danaRuntimeFiles().module.module;
    const r = await generate({ ws: tempWorkspace(), file: 'calc.na', text: '@poet(fallback="original")\ndef half(a: float) -> float:\n    return a / 2\n', language: 'dana' });
    // A shared alias would be rebound by the next version's import, and an older wrapper would
    // call a runtime whose functions it does not match (Dana resolves names at call time).
    const imports = r.code.match(/^import .*$/gm) ?? [];
    assert.deepEqual(imports, [`import ${module} as __${module}`]);
    const uses = new Set(r.code.match(/\b__poet_r\w*\./g));
    assert.deepEqual([...uses], [`__${module}.`]);
  });

  it('never writes and/or (Dana evaluates both sides), and declares every runtime helper sync', async () => {
    const { danaRuntimeFiles } = await import('../../server/generator/runtime-files');
    const runtime = danaRuntimeFiles().module.text;
    const code = (t: string) => t.replace(/#[^\n]*/g, '').replace(/"(?:[^"\\\n]|\\.)*"/g, '""');
    assert.doesNotMatch(code(runtime), /\b(and|or)\b/, 'the runtime module');
    for (const def of runtime.match(/^\s*(sync )?def \w+/gm) ?? []) assert.match(def, /sync def/, def);
    const ws = tempWorkspace();
    for (const c of cases.slice(0, 20)) {
      const r = await generateCase(ws, c);
      assert.doesNotMatch(code(r.code.slice(r.code.indexOf('# ---- end of the original'))), /\b(and|or)\b/, `${c.file}:${c.fn.name}`);
    }
  });

  it('composes a module: originals renamed in place, the generated part after each, line map back to the source', async () => {
    const { composeDana } = await import('../../server/generator/dana/load');
    const ws = tempWorkspace();
    const text = 'LIMIT = 10\n\n@poet(retries=1)\ndef f(a: int = LIMIT) -> int:\n    return a\n\nprint(f())\n\ndef g(x) :\n    return x\nprint(g(2))\n';
    const fns = parseDana(text).functions;
    const r = await generate({ ws, file: 'm.na', text, language: 'dana', name: 'f' });
    const out = composeDana(text, fns, new Map([['f', r.code]]));
    assert.deepEqual(parseDana(out.text).errors, []);
    const lines = out.text.split('\n');
    assert.equal(lines[3], 'def __poet_original_f(a: int = LIMIT) -> int:', 'renamed where it was');
    assert.equal(lines[2], '', 'the @poet line is blank (Dana\'s own @poet would run otherwise)');
    const wrapper = lines.indexOf('def f(a: int = LIMIT) -> int:');
    assert.ok(wrapper > 4 && wrapper < lines.indexOf('print(f())'), 'the wrapper follows the original, before its callers');
    assert.equal(out.lineMap[lines.indexOf('print(f())')], 7);
    assert.equal(out.lineMap[lines.indexOf('print(g(2))')], 11);
    assert.equal(out.lineMap[wrapper], 0);
    assert.ok(!out.text.includes('---- the original, kept'), 'the composed file has no second copy of the original');
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
