// The built CLI: `poet enhance` runs the pipeline in-process; `poet serve` prints its URL and token.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { TranspileResponseSchema } from '../../shared/contract/api';
import { ErrorBodySchema } from '../../shared/contract/errors';
import { rawCall, tempWorkspace } from './helpers';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist/cli.js');

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, POET_LOG_LEVEL: 'silent', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('poet enhance and poet serve', function () {
  this.timeout(60_000);
  let ws: string;
  before(() => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/ensure-built.mjs')], { stdio: 'inherit' });
  });
  beforeEach(async () => {
    ws = await tempWorkspace('poet-cli-');
    await mkdir(join(ws, 'lib'));
    await writeFile(
      join(ws, 'lib/calc.py'),
      '@poet(retries=2)\ndef scale(x: float, k: float = 2.0) -> float:\n    return x * k\n\ndef helper() -> int:\n    return 1\n',
    );
  });
  afterEach(async () => {
    await rm(ws, { recursive: true, force: true });
  });

  it('enhance prints the transpile response and writes the version', () => {
    const r = cli(['enhance', join(ws, 'lib/calc.py'), '--function', 'scale', '--config', '{"timeout": 3}', '--workspace', ws]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const out = TranspileResponseSchema.parse(JSON.parse(r.stdout));
    assert.equal(out.version, 'v1');
    assert.equal(out.source_file, 'lib/calc.py');
    assert.equal(out.metadata.config.retries, 2);
    assert.equal(out.metadata.config.timeout, 3);
    assert.ok(existsSync(join(ws, out.poet_implementation.file)));
    const again = TranspileResponseSchema.parse(JSON.parse(cli(['enhance', join(ws, 'lib/calc.py'), '--function', 'scale', '--config', '{"timeout": 3}', '--workspace', ws]).stdout));
    assert.equal(again.cached, true);
  });

  it('enhance parses a file over the off-loop threshold in the bundled worker, and exits', async () => {
    const helpers = Array.from({ length: 400 }, (_, i) => `def helper_${i}(x: int) -> int:\n    return x + ${i}\n`).join('\n');
    await writeFile(join(ws, 'lib/big.py'), `${helpers}\n@poet(retries=1)\ndef target(x: int) -> int:\n    return x\n`);
    const r = cli(['enhance', join(ws, 'lib/big.py'), '--function', 'target', '--workspace', ws]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(TranspileResponseSchema.parse(JSON.parse(r.stdout)).function_name, 'target');
  });

  it('enhance exits 1 with the error JSON', () => {
    for (const args of [
      ['--config', '{"retrys": 1}', '--function', 'scale'],
      ['--config', 'not json', '--function', 'scale'],
      ['--config', '[1]', '--function', 'scale'],
    ]) {
      const r = cli(['enhance', join(ws, 'lib/calc.py'), '--workspace', ws, ...args]);
      assert.equal(r.status, 1, args.join(' '));
      const body = ErrorBodySchema.parse(JSON.parse(r.stdout));
      assert.equal(body.error.code, 'invalid_request');
    }
  });

  it('enhance without --function, in a file of several functions, enhances every @poet one (a JSON array)', () => {
    const r = cli(['enhance', join(ws, 'lib/calc.py'), '--workspace', ws]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const all = (JSON.parse(r.stdout) as unknown[]).map((x) => TranspileResponseSchema.parse(x));
    assert.deepEqual(all.map((x) => [x.function_name, x.version]), [['scale', 'v1']]);
  });

  it('enhance exits 2 on bad usage', () => {
    assert.equal(cli(['enhance']).status, 2);
    assert.equal(cli(['enhance', join(ws, 'missing.py')]).status, 2);
    assert.equal(cli(['enhance', join(ws, 'lib/calc.py'), '--bogus']).status, 2);
  });

  it('serve prints its URL and a generated token, and answers with it', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, POET_LOG_LEVEL: 'silent' };
    delete env.POET_API_KEY;
    const child = spawn(process.execPath, [CLI, 'serve', '--workspace', ws, '--port', '0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const lines: string[] = [];
      await new Promise<void>((ok, fail) => {
        createInterface({ input: child.stdout! }).on('line', (l) => {
          lines.push(l);
          if (lines.length === 2) ok();
        });
        child.once('exit', (c) => fail(new Error(`exited ${c}`)));
      });
      const m = /^POET service listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(lines[0]!);
      assert.ok(m, lines[0]);
      const tok = /^POET token: (\S{40,})$/.exec(lines[1]!);
      assert.ok(tok, lines[1]);
      const port = Number(m[1]);
      assert.equal((await rawCall(port, 'GET', '/poet/functions', { token: tok[1] })).status, 200);
      assert.equal((await rawCall(port, 'GET', '/poet/functions', { token: 'nope' })).status, 401);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('serve prints no token line when POET_API_KEY is set, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--workspace', ws, '--port', '0'], {
      env: { ...process.env, POET_API_KEY: 'from-env-token', POET_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const line = await new Promise<string>((ok) => createInterface({ input: child.stdout! }).once('line', ok));
    const port = Number(/:(\d+)$/.exec(line)![1]);
    assert.equal((await rawCall(port, 'GET', '/poet/health', { token: 'from-env-token' })).status, 200);
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', r));
    assert.equal(code, 0);
    assert.doesNotMatch(out, /token/i);
  });

  it('serve refuses a non-loopback host without POET_API_KEY, and bad ports', () => {
    const env: NodeJS.ProcessEnv = { POET_API_KEY: '' };
    const r = cli(['serve', '--workspace', ws, '--host', '0.0.0.0', '--port', '0'], env);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /POET_API_KEY/);
    assert.equal(cli(['serve', '--workspace', ws, '--port', 'abc']).status, 2);
    assert.equal(cli(['serve', '--workspace', ws, '--port', '70000']).status, 2);
  });
});
