// Nothing that was only data in a request becomes code in a generated file, and nothing from a
// request decides how the file is read. The reproductions of the security review, over real HTTP
// and with the real python3, and a property over arbitrary strings in the places they can hide.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseDana } from '../../shared/dana/index';
import { generate, lines, python, tempWorkspace } from './helpers';
import { startTestService, type TestService } from '../service/helpers';

const ATTACK = `def note(text):
    return lambda f: f

@poet(retries=1)
@note('''
def _unused(): pass
__import__('os').system('touch PWN')
#''')
def d1(x: int) -> int:
    return x
`;

const DOCSTRING_ARG = `def doc(text):
    return lambda f: f

@poet(retries=1)
@doc("""Example:

def example():
    return 1
""")
def d2(x: int) -> int:
    return x + 1
`;

/** Imports .dana/poet/functions/KEY/v1/enhanced.py in `ws` and calls NAME(arg). */
function importAndCall(ws: string, key: string, arg: string, name = key): Promise<{ code: number; stdout: string; stderr: string }> {
  return python(ws, [
    'import importlib.util, json',
    `spec = importlib.util.spec_from_file_location("e", ".dana/poet/functions/${key}/v1/enhanced.py")`,
    'e = importlib.util.module_from_spec(spec)',
    'spec.loader.exec_module(e)',
    `print(json.dumps(e.${name}(${arg})))`,
  ].join('\n'));
}

describe('generated code: what comes from a request stays data', function () {
  this.timeout(120_000);
  let t: TestService;
  before(async () => (t = await startTestService()));
  after(() => t.close());

  for (const file of [undefined, 'my-scripts/tool.py']) {
    it(`code inside a decorator's string literal never runs (${file ? `context.file ${file}` : 'no context.file'})`, async () => {
      const r = await t.call('POST', '/poet/transpile', { json: { code: ATTACK, language: 'python', function_name: 'd1', ...(file ? { context: { file } } : {}), key: file ? 'd1_tool' : 'd1' } });
      assert.equal(r.status, 200, r.text);
      const key = file ? 'd1_tool' : 'd1';
      const code = readFileSync(join(t.ws, `.dana/poet/functions/${key}/v1/enhanced.py`), 'utf8');
      assert.doesNotMatch(code, /touch PWN|_unused/, 'nothing of the decorator argument is in the file');
      const out = await importAndCall(t.ws, key, '41', 'd1');
      assert.equal(out.code, 0, out.stderr);
      assert.deepEqual(lines(out), [41]);
      assert.equal(existsSync(join(t.ws, 'PWN')), false, 'importing the enhanced module ran nothing');
    });
  }

  it('a docstring-like decorator argument containing "def example():" leaves a valid file', async () => {
    const r = await t.call('POST', '/poet/transpile', { json: { code: DOCSTRING_ARG, language: 'python', function_name: 'd2' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(lines(await importAndCall(t.ws, 'd2', '1')), [2]);
  });

  it('context.file cannot declare an encoding or add a line: "coding:latin_1 x.py" keeps "é" as "é"', async () => {
    const ws = tempWorkspace();
    const text = 'def u() -> str:\n    return "é"\n';
    for (const file of ['coding:latin_1 x.py', 'coding:utf_7 y.py', 'two\nlines.py', 'ret\rurn.py', 'sep\u2028ar.py']) {
      const r = await generate({ ws, file, text, language: 'python', key: 'u' });
      const [l1, l2] = r.code.split('\n');
      assert.equal(l1, '# -*- coding: utf-8 -*-');
      assert.equal(l2, '# POET enhanced Python: generated, do not edit; enhance the function again instead.');
      assert.ok(!/[\r\u2028\u2029]/.test(r.code), `${JSON.stringify(file)}: no line breaks but \\n`);
      assert.equal(r.code.split('\n').filter((l) => l.includes('Source file:')).length, 1);
      // Python reads it as UTF-8 whatever the request said (a utf_7 declaration made it invalid).
      const dir = mkdtempSync(join(tmpdir(), 'poet-enc-'));
      writeFileSync(join(dir, 'enhanced.py'), r.code);
      execFileSync('python3', ['-c', 'import sys; compile(open(sys.argv[1], "rb").read(), "enhanced.py", "exec")', join(dir, 'enhanced.py')]);
    }
    const d = await generate({ ws, file: 'two\nlines.na', text: 'def u() -> str:\n    return "é"\n', language: 'dana', key: 'u' });
    assert.deepEqual(parseDana(d.code).errors, []);
    const [d1, d2] = d.code.split('\n');
    assert.match(d1!, /^# POET enhanced Dana: generated/);
    assert.equal(d2, '# Plan and wrapper below; the runtime is a module of its own (see Generator).');
    assert.ok(d.code.includes('# Source file: two\\u000alines.na'));
  });

  it('and the enhanced function still returns "é" when the request named such a file', async () => {
    const r = await t.call('POST', '/poet/transpile', { json: { code: 'def u() -> str:\n    return "é"\n', language: 'python', context: { file: 'coding:latin_1 x.py' } } });
    assert.equal(r.status, 200, r.text);
    const out = await importAndCall(t.ws, 'u', '');
    assert.deepEqual(lines(out), ['é']);
  });
});

/** Text a user might put in a string or comment: quotes, newlines, code-looking lines. */
const nasty = fc.array(
  fc.oneof(
    fc.constantFrom('def x(): pass', '__import__("os")', '"""', "'''", '\\', '#', '\n', '\r\n', 'coding: latin_1', '@poet', ')', 'return 1', '\t'),
    fc.string({ maxLength: 6 }),
  ),
  { maxLength: 6 },
).map((parts) => parts.join(''));

describe('generated code: a property over arbitrary strings, comments and defaults', function () {
  this.timeout(180_000);

  it('Python: the enhanced module holds the original def unchanged (decorators dropped) and nothing else from the source', async () => {
    const ws = tempWorkspace();
    const cases: Array<{ file: string }> = [];
    const samples = fc.sample(fc.tuple(nasty, nasty, nasty, nasty), { numRuns: 40, seed: 4242 });
    for (const [i, [deco, comment, dflt, body]] of samples.entries()) {
      const text = [
        'def keep(*a, **k):\n    return lambda f: f\n',
        `@poet(retries=1)\n@keep(${JSON.stringify(deco)})`,
        `def f(x: int, label: str = ${JSON.stringify(dflt)}) -> str:`,
        `    # ${comment.replace(/[\r\n]/g, ' ')}`,
        `    return label + ${JSON.stringify(body)} + str(x)`,
        '',
      ].join('\n');
      const file = `case_${i}.py`;
      writeFileSync(join(ws, `src_${i}.py`), text);
      const r = await generate({ ws, file: null, text, language: 'python', name: 'f', key: `f${i}` });
      writeFileSync(join(ws, file), r.code);
      cases.push({ file });
    }
    const check = `
import ast, json, sys
out = []
for i in range(${cases.length}):
    src = ast.parse(open("src_%d.py" % i, encoding="utf-8").read())
    enh = ast.parse(open("case_%d.py" % i, encoding="utf-8").read())
    original = [n for n in src.body if isinstance(n, ast.FunctionDef) and n.name == "f"][0]
    original.decorator_list = []
    original.name = "_poet_original_f"
    kept = [n for n in enh.body if isinstance(n, ast.FunctionDef) and n.name == "_poet_original_f"]
    same = len(kept) == 1 and ast.dump(kept[0]) == ast.dump(original)
    # Top-level statements: the same shape whatever the strings were.
    shape = [type(n).__name__ + ":" + (getattr(n, "name", "") or "") for n in enh.body]
    out.append([same, shape])
print(json.dumps(out))
`;
    writeFileSync(join(ws, 'check.py'), check);
    const results = JSON.parse(execFileSync('python3', ['check.py'], { cwd: ws, encoding: 'utf8' })) as Array<[boolean, string[]]>;
    const shape = JSON.stringify(results[0]![1]);
    results.forEach(([same, s], i) => {
      assert.ok(same, `case ${i}: the embedded original differs from the source's def`);
      assert.equal(JSON.stringify(s), shape, `case ${i}: the module's top level changed with the strings`);
    });
  });

  it('Dana: the enhanced file parses, keeps the original text verbatim, and its top level does not change with the strings', async () => {
    const ws = tempWorkspace();
    let shape: string | undefined;
    for (const [deco, comment, dflt, body] of fc.sample(fc.tuple(nasty, nasty, nasty, nasty), { numRuns: 40, seed: 99 })) {
      // Dana's "..." strings are one line; '...' strings may span lines.
      const q = (s: string) => JSON.stringify(s.replace(/[\r\n]/g, ' '));
      const original = `def f(x: int, label: str = ${q(dflt)}) -> str:\n    # ${comment.replace(/[\r\n]/g, ' ')}\n    return label + ${q(body)} + str(x)`;
      const text = `@poet(retries=1)\n@keep(${q(deco)})\n${original}\n`;
      const parsedSource = parseDana(text);
      if (parsedSource.errors.length) continue;
      const r = await generate({ ws, file: 'm.na', text, language: 'dana', name: 'f' });
      const parsed = parseDana(r.code);
      assert.deepEqual(parsed.errors, [], r.code);
      assert.ok(r.code.includes(original.replace('def f(', 'def __poet_original_f(')), 'the original is kept verbatim');
      const top = JSON.stringify(parsed.functions.filter((fn) => fn.parents.length === 0).map((fn) => fn.name));
      shape ??= top;
      assert.equal(top, shape);
    }
  });
});
