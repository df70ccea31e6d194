// Golden files per domain (Python and Dana) and determinism: the same input gives byte-identical
// output. Regenerate the goldens after an intended change with UPDATE_GOLDEN=1. A version file
// holds only the function's plan and wrapper (the runtime is a file of its own); the runtime's
// hashed name is written as HASH in the goldens, so editing the runtime does not churn them.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDana } from '../../shared/dana/index';
import type { Language } from '../../shared/source/model';
import { BUILTIN_DOMAINS } from '../../server/generator/domains/index';
import { generate, tempWorkspace } from './helpers';

const DIR = join(__dirname, '..', 'fixtures', 'generator');
const SOURCES = join(DIR, 'domains');
const GOLDEN = join(DIR, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';
function withoutRuntimeHash(code: string): string {
  return code.replace(/poet_runtime_[0-9a-f]{12}/g, 'poet_runtime_HASH');
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
      const specific = withoutRuntimeHash(a.code);
      if (update || !existsSync(golden)) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(golden, specific);
        if (!update) assert.fail(`wrote missing golden ${golden}; review and commit it`);
      }
      assert.equal(specific, readFileSync(golden, 'utf8'), `${golden} differs; run with UPDATE_GOLDEN=1 after an intended change`);
    });
  }
});
