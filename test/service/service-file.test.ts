// The service file: a running service announces its URL and token to tools of the same user
// (poet run), in a private file that goes away with the service; stale files are skipped.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findService } from '../../server/cli/run/service';
import { startService } from '../../server/service/start';
import { serviceFilePrefix } from '../../shared/contract/service-file';
import { memoryLogger } from './helpers';

describe('service file (poet run finds the workspace service)', function () {
  this.timeout(30_000);
  let dir: string;
  let ws: string;
  const env = () => ({ POET_RUNTIME_DIR: join(dir, 'services') });
  const prev = process.env.POET_RUNTIME_DIR;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'poet-svcfile-'));
    ws = mkdtempSync(join(dir, 'ws-'));
    process.env.POET_RUNTIME_DIR = env().POET_RUNTIME_DIR;
  });
  afterEach(() => {
    if (prev === undefined) delete process.env.POET_RUNTIME_DIR;
    else process.env.POET_RUNTIME_DIR = prev;
    rmSync(dir, { recursive: true, force: true });
  });

  it('is private to the user, names URL and token, and is removed when the service closes', async () => {
    const svc = await startService({ workspace: ws, port: 0, token: 'tok-1', announce: true, logger: memoryLogger([]) });
    try {
      const files = readdirSync(env().POET_RUNTIME_DIR);
      assert.equal(files.length, 1);
      if (process.platform !== 'win32') {
        assert.equal(statSync(env().POET_RUNTIME_DIR).mode & 0o777, 0o700);
        assert.equal(statSync(join(env().POET_RUNTIME_DIR, files[0]!)).mode & 0o777, 0o600);
      }
      const found = await findService(ws, env());
      assert.equal(found?.url, svc.url);
      assert.equal(found?.token, 'tok-1');
      assert.equal(await findService(join(ws, '..'), env()), undefined, 'another workspace');
    } finally {
      await svc.close();
    }
    assert.deepEqual(readdirSync(env().POET_RUNTIME_DIR), []);
    assert.equal(await findService(ws, env()), undefined);
  });

  it('is not written unless the service is asked to announce itself (tests, embedders)', async () => {
    const svc = await startService({ workspace: ws, port: 0, token: 'tok-2', announce: false, logger: memoryLogger([]) });
    await svc.close();
    assert.throws(() => readdirSync(env().POET_RUNTIME_DIR), /ENOENT/);
  });

  it('skips and removes the file of a dead service, and ignores one whose token is refused', async () => {
    const svc = await startService({ workspace: ws, port: 0, token: 'tok-3', logger: memoryLogger([]) });
    try {
      const d = env().POET_RUNTIME_DIR;
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
      mkdirSync(d, { recursive: true });
      const real = realpathSync(ws);
      const record = (pid: number, token: string) => JSON.stringify({ url: svc.url, workspace: real, pid, token, started_at: new Date().toISOString() });
      writeFileSync(join(d, `${serviceFilePrefix(real)}${dead}.json`), record(Number(dead), 'tok-3'));
      writeFileSync(join(d, `${serviceFilePrefix(real)}${process.pid}.json`), record(process.pid, 'wrong-token'));
      assert.equal(await findService(ws, env()), undefined);
      assert.deepEqual(readdirSync(d), [`${serviceFilePrefix(real)}${process.pid}.json`], 'the dead one is removed, the live one kept');
    } finally {
      await svc.close();
    }
  });
});
