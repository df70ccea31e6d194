// `poet sync` writes a PostgreSQL store's current versions into a workspace in the file store's
// layout, runtime files included, so the Python runtime hook swaps the enhanced version in.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PY_ADD, startTestService, tempWorkspace, type TestService } from '../service/helpers';
import { freshDatabase, needsPostgres } from '../support/postgres';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const MODULE = `from poet import poet\n\n${PY_ADD}`;

async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [CLI, ...args], { env: { ...process.env, POET_LOG_LEVEL: 'silent', ...env } });
    return { code: 0, ...r };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('poet sync from PostgreSQL', function () {
  this.timeout(60_000);
  let db: { url: string; drop(): Promise<void> } | undefined;
  let t: TestService | undefined;
  const dirs: string[] = [];

  before(async function () {
    needsPostgres(this);
    db = await freshDatabase();
    t = await startTestService({ store: db.url });
    const r = await t.call('POST', '/poet/transpile', { json: { code: MODULE, language: 'python', function_name: 'add', context: { file: 'calc.py' } } });
    assert.equal(r.status, 200, r.text);
  });
  after(async () => {
    await t?.close();
    await db?.drop();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('writes the current versions and their runtime, and the runtime hook uses them', async () => {
    const ws = await tempWorkspace('poet-sync-');
    dirs.push(ws);
    writeFileSync(join(ws, 'calc.py'), MODULE);
    const first = await cli(['sync', '--workspace', ws], { POET_STORE: db!.url });
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(first.stdout.trim().split('\n').map((l) => JSON.parse(l)), [{ key: 'add', version: 'v1', action: 'written' }]);
    assert.equal(readFileSync(join(ws, '.dana/poet/functions/add/current'), 'utf8'), 'v1\n');
    const meta = JSON.parse(readFileSync(join(ws, '.dana/poet/functions/add/v1/metadata.json'), 'utf8'));
    assert.ok(existsSync(join(ws, meta.generator_metadata.runtime)), 'the runtime file the version imports');
    const py = await run('python3', ['-c', 'import calc; print(getattr(calc.add, "__poet_enhanced__", False), calc.add(2, 3))'], {
      cwd: ws,
      env: { ...process.env, PYTHONPATH: [ws, join(ROOT, 'python')].join(':'), PYTHONDONTWRITEBYTECODE: '1', POET_API_URL: '' },
    });
    assert.equal(py.stdout.trim(), 'True 5', py.stderr);
    // --store without the password, which comes from PGPASSWORD.
    const url = new URL(db!.url);
    const password = decodeURIComponent(url.password);
    url.password = '';
    const again = await cli(['sync', '--workspace', ws, '--store', url.href], { PGPASSWORD: password });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout), { key: 'add', version: 'v1', action: 'unchanged' });
  });

  it('leaves a local version of the same number with other content alone unless --force', async () => {
    const ws = await tempWorkspace('poet-sync-');
    dirs.push(ws);
    writeFileSync(join(ws, 'calc.py'), MODULE);
    const local = await cli(['enhance', join(ws, 'calc.py'), '--function', 'add', '--workspace', ws, '--config', '{"timeout": 7}']);
    assert.equal(local.code, 0, local.stdout);
    const conflict = await cli(['sync', '--workspace', ws], { POET_STORE: db!.url });
    assert.equal(conflict.code, 1);
    assert.deepEqual(JSON.parse(conflict.stdout), { key: 'add', version: 'v1', action: 'conflict' });
    assert.match(conflict.stderr, /--force replaces them/);
    assert.equal(JSON.parse(readFileSync(join(ws, '.dana/poet/functions/add/v1/metadata.json'), 'utf8')).config.timeout, 7);
    const forced = await cli(['sync', '--workspace', ws, '--force'], { POET_STORE: db!.url });
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(JSON.parse(readFileSync(join(ws, '.dana/poet/functions/add/v1/metadata.json'), 'utf8')).config.timeout, 5);
  });

  it('says what to give when there is no PostgreSQL store', async () => {
    const r = await cli(['sync', '--workspace', '/tmp', '--store', 'file']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /sync reads a PostgreSQL store: set POET_STORE=postgres:\/\//);
    const bad = await cli(['serve', '--store', 'mysql://x']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown store 'mysql:\/\/x': give "file"/);
  });

  it('refuses a password on the command line, where every user of the machine can read it', async () => {
    for (const command of ['serve', 'sync']) {
      const r = await cli([command, '--workspace', '/tmp', '--store', 'postgres://poet:s3cret-pw@127.0.0.1:1/poet']);
      assert.equal(r.code, 2, `${command}: ${r.stderr}`);
      assert.match(r.stderr, /--store carries a password, and command-line arguments are visible to every user of this machine\. Give the URL in POET_STORE instead/);
      assert.doesNotMatch(r.stderr + r.stdout, /s3cret-pw/);
    }
  });
});
