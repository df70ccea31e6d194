// Cross-check with CPython: the functions its `ast` module finds in our fixture, the examples
// and the standard library's own sources must match the model field by field.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parsePython } from '../../shared/python/index';

const HERE = __dirname;
const ORACLE = join(HERE, 'ast_functions.py');

interface AstFunction {
  name: string;
  line: number;
  end_line: number;
  [k: string]: unknown;
}

function oracle(files: string[]): Array<{ file: string; functions?: AstFunction[]; error?: string }> {
  const out = execFileSync('python3', [ORACLE, ...files], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return out.trim().split('\n').map((l) => JSON.parse(l));
}

function ours(text: string) {
  return parsePython(text).functions.map((f) => ({
    name: f.name,
    kind: f.kind,
    line: f.line,
    start_line: f.start_line,
    end_line: f.end_line,
    params: f.params.map((p) => ({ name: p.name, type: p.type, default: p.default })),
    return_type: f.return_type,
    decorators: f.decorators.map((d) => ({ name: d.name, line: d.line })),
    docstring: f.docstring,
    parents: f.parents,
  }));
}

/** Compares every field; end_line may be later than CPython's when comments follow the body. */
function compare(file: string, expected: AstFunction[]): void {
  const text = readFileSync(file, 'utf8');
  const got = ours(text).sort((a, b) => a.line - b.line);
  assert.deepEqual(got.map((f) => `${f.name}@${f.line}`), expected.map((f) => `${f.name}@${f.line}`), file);
  expected.forEach((e, i) => {
    const g = got[i]!;
    assert.ok(g.end_line >= e.end_line, `${file}:${e.line} ${e.name}: end_line ${g.end_line} < ${e.end_line}`);
    assert.deepEqual({ ...g, end_line: 0 }, { ...e, end_line: 0 }, `${file}:${e.line} ${e.name}`);
  });
}

describe('Python model vs CPython ast', function () {
  this.timeout(120_000);

  it('matches on a fixture of tricky constructs, with no syntax errors', () => {
    const file = join(HERE, 'fixtures/constructs.py');
    const [r] = oracle([file]);
    assert.ok(r!.functions, r!.error);
    assert.equal(r!.functions.length, 14);
    compare(file, r!.functions);
    assert.deepEqual(parsePython(readFileSync(file, 'utf8')).errors, []);
  });

  it('matches on the Python examples', () => {
    const ex = resolve(HERE, '../../examples');
    const files = ['finance/portfolio.py', 'building/hvac.py', 'text/prompts.py', 'numeric/geometry.py'].map((f) => join(ex, f));
    for (const r of oracle(files)) compare(r.file, r.functions!);
  });

  it("matches on this machine's Python standard library (when its sources are installed)", function () {
    const lib = execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
    if (!existsSync(join(lib, 'functools.py'))) this.skip();
    const files = readdirSync(lib).filter((f) => f.endsWith('.py')).map((f) => join(lib, f));
    let functions = 0;
    for (const r of oracle(files)) {
      if (!r.functions) continue; // a file this CPython itself rejects (e.g. lib2to3 test data)
      compare(r.file, r.functions);
      functions += r.functions.length;
    }
    assert.ok(functions > 1000, `only ${functions} functions compared`);
  });
});
