// Golden files per domain (Python and Dana) and determinism: the same input gives byte-identical
// output. Regenerate the goldens after an intended change with UPDATE_GOLDEN=1. The runtime
// section, identical in every file, is checked against its source once per file and stored in
// the goldens as one marker line, so they hold only what differs per function.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDana } from '../../shared/dana/index';
import type { Language } from '../../shared/source/model';
import { BUILTIN_DOMAINS } from '../../server/generator/domains/index';
import { PYTHON_RUNTIME } from '../../server/generator/python/runtime';
import { DANA_RUNTIME } from '../../server/generator/dana/runtime';
import { generate, tempWorkspace } from './helpers';

const DIR = join(__dirname, '..', 'fixtures', 'generator');
const SOURCES = join(DIR, 'domains');
const GOLDEN = join(DIR, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';
const RUNTIME: Record<Language, string> = { python: PYTHON_RUNTIME, dana: DANA_RUNTIME };
const RUNTIME_MARK = '# <POET runtime section: byte for byte as in server/generator/LANGUAGE/runtime.ts>';

function withoutRuntime(code: string, language: Language): string {
  const runtime = RUNTIME[language];
  const at = code.indexOf(runtime);
  assert.ok(at >= 0, 'the runtime section is embedded unchanged');
  assert.equal(code.indexOf(runtime, at + 1), -1, 'the runtime section is embedded once');
  return code.slice(0, at) + RUNTIME_MARK + code.slice(at + runtime.length);
}

const sources = readdirSync(SOURCES).filter((f) => /\.(na|py)$/.test(f)).sort();

describe('generator goldens and determinism', function () {
  this.timeout(60_000);
  // A fixed workspace path, so nothing machine-specific can leak into the output unnoticed.
  const ws = tempWorkspace();

  it('has a source fixture for every built-in domain in both languages', () => {
    for (const d of BUILTIN_DOMAINS) {
      assert.ok(sources.includes(`${d.name}.na`), `${d.name}.na`);
      assert.ok(sources.includes(`${d.name}.py`), `${d.name}.py`);
    }
  });

  for (const file of sources) {
    it(`${file} matches its golden file and is deterministic`, async () => {
      const language: Language = file.endsWith('.na') ? 'dana' : 'python';
      const text = readFileSync(join(SOURCES, file), 'utf8');
      const rel = `test/fixtures/generator/domains/${file}`;
      const a = await generate({ ws, file: rel, text, language });
      const b = await generate({ ws: tempWorkspace(), file: rel, text, language });
      assert.equal(a.code, b.code, 'same input, same bytes');
      assert.deepEqual(a.phases, b.phases);
      if (language === 'dana') assert.deepEqual(parseDana(a.code).errors, []);
      const golden = join(GOLDEN, `${file}.enhanced.${language === 'dana' ? 'na' : 'py'}`);
      const specific = withoutRuntime(a.code, language);
      if (update || !existsSync(golden)) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(golden, specific);
        if (!update) assert.fail(`wrote missing golden ${golden}; review and commit it`);
      }
      assert.equal(specific, readFileSync(golden, 'utf8'), `${golden} differs; run with UPDATE_GOLDEN=1 after an intended change`);
    });
  }
});
