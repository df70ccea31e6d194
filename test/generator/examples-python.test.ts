// Every @poet function in examples/**/*.py: the generated enhanced.py imports with python3 (the
// workspace on sys.path), keeps the original signature, and takes the original from its module.
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSource } from '../../shared/source/parse';
import { generate, install, lines, python, tempWorkspace } from './helpers';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

function pyFiles(): string[] {
  return readdirSync(EXAMPLES, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.py')).map((f) => f.split('\\').join('/')).sort();
}

describe('generated Python for the examples', function () {
  this.timeout(120_000);

  it('imports, keeps each signature and resolves the original from its module', async () => {
    const ws = tempWorkspace();
    cpSync(EXAMPLES, ws, { recursive: true });
    const checks: string[] = [];
    for (const file of pyFiles()) {
      const text = readFileSync(join(EXAMPLES, file), 'utf8');
      for (const fn of parseSource(text, 'python').functions) {
        if (!fn.decorators.some((d) => d.name === 'poet') || fn.parents.length) continue;
        const key = `${file.replace(/\.py$/, '').replace(/\//g, '.')}.${fn.name}`;
        install(ws, key, 'v1', await generate({ ws, file, text, language: 'python', name: fn.name }));
        const mod = file.replace(/\.py$/, '').replace(/\//g, '.');
        checks.push(`check(${JSON.stringify(key)}, ${JSON.stringify(mod)}, ${JSON.stringify(fn.name)})`);
      }
    }
    assert.ok(checks.length >= 4, `only ${checks.length} @poet functions found`);
    const script = [
      'import importlib, importlib.util, inspect, json',
      'def check(key, mod, name):',
      '    spec = importlib.util.spec_from_file_location("enh_" + key.replace(".", "_"), ".dana/poet/functions/%s/v1/enhanced.py" % key)',
      '    e = importlib.util.module_from_spec(spec)',
      '    spec.loader.exec_module(e)',
      '    original = getattr(importlib.import_module(mod), name)',
      '    enhanced = getattr(e, name)',
      '    same = str(inspect.signature(enhanced)) == str(inspect.signature(original))',
      '    taken = e._poet_op.original()',
      '    print(json.dumps([key, same, taken is inspect.unwrap(original) or taken.__code__ is original.__code__]))',
      ...checks,
    ].join('\n');
    for (const row of lines(await python(ws, script)) as Array<[string, boolean, boolean]>) {
      assert.ok(row[1], `${row[0]}: signature differs`);
      assert.ok(row[2], `${row[0]}: original not taken from its module`);
    }
  });
});
