// The shipped bundle activates without loading its lazy half (dist/extension-lazy.js), and the
// lazy half loads on demand. Guards the two-bundle split (docs/extension.md, "Activation time")
// against a static import that would drag the language client or zod back into activation.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'mocha';

const root = join(__dirname, '..', '..');
const dist = join(root, 'dist');

describe('extension bundle', () => {
  before(function () {
    this.timeout(120_000);
    // npm test builds first; a lone run of this file builds here.
    if (!existsSync(join(dist, 'extension.js')) || !existsSync(join(dist, 'extension-lazy.js'))) {
      const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    }
  });

  it('activates without loading dist/extension-lazy.js', () => {
    const r = spawnSync(process.execPath, [join(root, 'extension/tools/activation-time.cjs'), '--child'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { loaded: string[] };
    assert.deepEqual(out.loaded.map((f) => f.slice(dist.length + 1)), ['extension.js']);
  });

  it('keeps the language client, zod and got out of the main bundle, in the lazy one it requires at run time', () => {
    const main = readFileSync(join(dist, 'extension.js'), 'utf8');
    assert.ok(main.includes('./extension-lazy.js'), 'the main bundle requires ./extension-lazy.js at run time');
    const lazySrc = readFileSync(join(dist, 'extension-lazy.js'), 'utf8');
    for (const marker of ['clientProcessId', 'ZodError', 'HTTPError']) {
      assert.ok(lazySrc.includes(marker), `${marker} is in the lazy bundle`);
      assert.ok(!main.includes(marker), `${marker} must not be in dist/extension.js`);
    }
  });

  it('parses no source in the extension: the language server answers poet/functionAt, so neither bundle holds a parser', () => {
    // A message of the Python parser's error model (shared/python/errors.ts); the server bundle has it.
    const marker = 'unterminated string literal';
    assert.ok(readFileSync(join(dist, 'server.js'), 'utf8').includes(marker), `${marker} is in dist/server.js`);
    for (const f of ['extension.js', 'extension-lazy.js']) assert.ok(!readFileSync(join(dist, f), 'utf8').includes(marker), `the parser must not be in dist/${f}`);
  });
});
