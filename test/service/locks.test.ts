// Lock ownership (server/storage/lock.ts, owner.ts): a lock file is taken over at once when its
// writer is gone, whatever the file looks like, and respected while its writer runs. Real lock
// files in a temporary workspace, real processes as owners. `timeoutMs: 0` makes "taken over
// at once" exact: the first look at a live owner's lock already gives up with 409.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PoetError } from '../../shared/contract/errors';
import { withFileLock } from '../../server/storage/lock';
import { parseOwner, processStart, selfOwner, type Owner } from '../../server/storage/owner';
import { PY_ADD, startTestService, tempWorkspace } from './helpers';

const HAS_PROC = existsSync('/proc/self/stat');

function sleeper(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
}

/** A lock record as POET writes it, for `pid`, with fields overridden. */
function record(pid: number, over: Partial<Owner> = {}): string {
  return JSON.stringify({ ...selfOwner(), pid, start: processStart(pid) ?? null, instance: 'cafebabe', ...over });
}

const taken = async (lock: string): Promise<boolean> => withFileLock(lock, async () => true, { timeoutMs: 0 });
const refused = (lock: string) => assert.rejects(taken(lock), (e: unknown) => e instanceof PoetError && e.code === 'conflict');

describe('lock ownership', () => {
  let dir: string;
  let holder: ChildProcess;
  beforeEach(async () => {
    dir = await tempWorkspace('poet-locks-');
    holder = sleeper();
    await new Promise((r) => holder.once('spawn', r));
  });
  afterEach(async () => {
    holder.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('a live owner\'s lock is respected', async () => {
    const lock = join(dir, 'live.lock');
    const text = record(holder.pid!);
    await writeFile(lock, text);
    await refused(lock);
    assert.equal(await readFile(lock, 'utf8'), text, 'left as it was');
  });

  it('a lock naming a live process that started after it was written (a reused pid) is taken over at once', async function () {
    if (!HAS_PROC) this.skip();
    const lock = join(dir, 'reused.lock');
    // The pid is alive, but the process behind it is not the one that wrote the lock.
    await writeFile(lock, record(holder.pid!, { start: '1' }));
    assert.equal(await taken(lock), true);
    assert.ok(!existsSync(lock), 'released after use');
  });

  it('a lock from before a reboot is taken over at once', async function () {
    if (!HAS_PROC) this.skip();
    const lock = join(dir, 'reboot.lock');
    await writeFile(lock, record(holder.pid!, { boot: '00000000-0000-0000-0000-000000000000' }));
    assert.equal(await taken(lock), true);
  });

  it('an empty or partial lock file (a writer killed between create and write) is taken over at once', async () => {
    for (const text of ['', '{"pid": 4', 'not json', 'null', '{"pid": "x"}']) {
      const lock = join(dir, 'partial.lock');
      await writeFile(lock, text);
      assert.equal(await taken(lock), true, JSON.stringify(text));
    }
  });

  it('a lock without a start time (older POET, written by hand) counts only while younger than the stale age', async () => {
    const lock = join(dir, 'old-format.lock');
    await writeFile(lock, JSON.stringify({ pid: holder.pid, instance: 'cafebabe', host: selfOwner().host, acquired_at: new Date().toISOString() }));
    await refused(lock);
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(lock, old, old);
    assert.equal(await taken(lock), true);
  });

  it('a lock of this process\'s pid from an earlier process (another instance id) is taken over at once', async () => {
    const lock = join(dir, 'self.lock');
    await writeFile(lock, record(process.pid, { instance: '00000000' }));
    assert.equal(await taken(lock), true);
  });

  it('a lock file is whole from the moment it exists: it names this process, start time and boot', async () => {
    const lock = join(dir, 'mine.lock');
    const seen = await withFileLock(lock, async () => parseOwner(readFileSync(lock, 'utf8')));
    assert.ok(seen);
    assert.equal(seen.pid, process.pid);
    assert.equal(seen.start, processStart(process.pid) ?? null);
    if (HAS_PROC) assert.match(String(seen.start), /^\d+$/);
  });

  it('the service takes over leftover locks at once, also across a restart', async function () {
    this.timeout(20_000);
    // The service waits 60 s for a live owner: a lock it wrongly respected would time this test out.
    const ws = await tempWorkspace('poet-locks-svc-');
    try {
      const locks = join(ws, '.dana/poet/.locks');
      await mkdir(locks, { recursive: true });
      await writeFile(join(locks, 'add.lock'), '');
      await writeFile(join(locks, 'other.lock'), HAS_PROC ? record(holder.pid!, { start: '1' }) : '');
      const t = await startTestService({ ws });
      try {
        const r = await t.call('POST', '/poet/transpile', { json: { code: PY_ADD, language: 'python' } });
        assert.equal(r.status, 200, r.text);
        const o = await t.call('POST', '/poet/transpile', { json: { code: PY_ADD.replace(/add/g, 'other'), language: 'python' } });
        assert.equal(o.status, 200, o.text);
      } finally {
        await t.close();
      }
    } finally {
      await rm(ws, { recursive: true, force: true });
    }
  });
});
