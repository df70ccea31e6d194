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

  it('keeps the language client, zod and got out of the main bundle, in a lazy one that holds only third-party packages', () => {
    const main = readFileSync(join(dist, 'extension.js'), 'utf8');
    assert.ok(main.includes('./extension-lazy.js'), 'the main bundle requires ./extension-lazy.js at run time');
    // What each bundle was built from, by its source map.
    const sources = (f: string) => (JSON.parse(readFileSync(join(dist, `${f}.map`), 'utf8')) as { sources: string[] }).sources;
    const pkg = (s: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(s)?.[1];
    const lazyOwn = sources('extension-lazy.js').filter((s) => !pkg(s) && !s.startsWith('poet-lazy:'));
    assert.deepEqual(lazyOwn, [], 'dist/extension-lazy.js holds only third-party packages');
    const lazyPkgs = new Set(sources('extension-lazy.js').map(pkg));
    const mainPkgs = new Set(sources('extension.js').map(pkg));
    for (const p of ['vscode-languageclient', 'vscode-languageserver-protocol', 'vscode-jsonrpc', 'zod', 'got']) {
      assert.ok(lazyPkgs.has(p), `${p} is in the lazy bundle`);
      assert.ok(!mainPkgs.has(p), `${p} must not be in dist/extension.js`);
    }
    // The project's own modules are in the main bundle only: one copy of each class.
    assert.ok(sources('extension.js').some((s) => s.endsWith('extension/client/errors.ts')));
  });

  it('parses no source in the extension: the language server answers poet/functionAt, so neither bundle holds a parser', () => {
    // A message of the Python parser's error model (shared/python/errors.ts); the server bundle has it.
    const marker = 'unterminated string literal';
    assert.ok(readFileSync(join(dist, 'server.js'), 'utf8').includes(marker), `${marker} is in dist/server.js`);
    for (const f of ['extension.js', 'extension-lazy.js']) assert.ok(!readFileSync(join(dist, f), 'utf8').includes(marker), `the parser must not be in dist/${f}`);
  });
});
