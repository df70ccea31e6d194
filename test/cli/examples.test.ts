// The shipped examples are what new users see first: they must parse cleanly with our own
// parsers, and the Python ones must import with the examples folder on sys.path.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resolveConfig } from '../../shared/config';
import { domainConfigContext } from '../../server/generator/domains/index';
import { languageOfPath } from '../../shared/source/model';
import { parseSource } from '../../shared/source/parse';
import { poetDecorator } from '../../shared/source/locate';
import { EXAMPLES } from './run';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return languageOfPath(p) ? [p] : [];
  });
}

describe('examples/', () => {
  const files = sourceFiles(EXAMPLES);

  it('has Dana and Python files in every area', () => {
    const rel = files.map((f) => relative(EXAMPLES, f)).sort();
    assert.deepEqual(rel, [
      'building/hvac.na', 'building/hvac.py', 'finance/loans.na', 'finance/portfolio.py',
      'numeric/geometry.py', 'numeric/stats.na', 'text/prompts.py', 'text/summarize.na',
    ]);
  });

  for (const file of sourceFiles(EXAMPLES)) {
    it(`${relative(EXAMPLES, file)} parses without errors, with @poet and plain functions`, () => {
      const parsed = parseSource(readFileSync(file, 'utf8'), languageOfPath(file)!);
      assert.deepEqual(parsed.errors, []);
      const top = parsed.functions.filter((f) => f.parents.length === 0);
      assert.ok(top.length >= 2 && top.length <= 4, `${top.length} top-level functions`);
      const decorated = parsed.functions.filter((f) => poetDecorator(f));
      assert.ok(decorated.length >= 1 && decorated.length < parsed.functions.length, 'some decorated, some not');
      for (const fn of decorated) {
        const kw = poetDecorator(fn)!.kwargs;
        assert.ok(['financial_services', 'building_management', 'llm_optimization', 'computation'].includes(kw.domain as string), fn.name);
        // What the editor and the service will check: every @poet(...) is a valid POETConfig.
        const resolved = resolveConfig([kw], domainConfigContext(EXAMPLES));
        assert.ok(resolved.ok, `${fn.name}: ${JSON.stringify(resolved)}`);
      }
      for (const fn of top) assert.ok(fn.docstring !== null || fn.kind === 'declarative', `${fn.name} has a docstring`);
    });
  }

  it('the Python examples import with the examples folder on sys.path', () => {
    const out = execFileSync('python3', ['-c', 'import finance.portfolio, building.hvac, text.prompts, numeric.geometry; print("ok")'], {
      cwd: EXAMPLES,
      encoding: 'utf8',
    });
    assert.equal(out.trim(), 'ok');
  });
});
