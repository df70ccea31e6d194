// Storage primitives on real files: containment, atomic writes, leftovers, locks.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PoetError } from '../../shared/contract/errors';
import { INSTANCE_ID, TEMP_MARK, tempName, writeJsonAtomic } from '../../server/storage/atomic';
import { withFileLock } from '../../server/storage/lock';
import { processStart, selfOwner } from '../../server/storage/owner';
import { checkKey, resolveInside } from '../../server/storage/paths';
import { FileStore } from '../../server/storage/file-store';
import { tempWorkspace } from './helpers';

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('storage', () => {
  let ws: string;
  let store: FileStore;
  beforeEach(async () => {
    ws = await tempWorkspace('poet-store-');
    store = new FileStore(ws);
    await store.ensureLayout();
  });
  afterEach(async () => {
    await rm(ws, { recursive: true, force: true });
  });

  it('creates the design\'s layout', async () => {
    assert.deepEqual((await readdir(join(ws, '.dana/poet'))).filter((n) => !n.startsWith('.')).sort(), ['cache', 'executions', 'feedback', 'functions', 'magic']);
  });

  it('resolveInside refuses anything that leaves the base', () => {
    const base = store.paths.root;
    assert.equal(resolveInside(base, 'functions', 'add'), join(base, 'functions', 'add'));
    for (const segs of [['..'], ['a', '..', '..'], ['/etc/passwd'], ['a\0b'], ['.'], ['']]) {
      assert.throws(() => resolveInside(base, ...segs), (e: unknown) => e instanceof PoetError && e.code === 'invalid_request', segs.join('|'));
    }
  });

  it('checkKey accepts identifiers and dotted identifiers only', () => {
    for (const ok of ['add', '_x1', 'billing.total', 'a.b.c', 'x'.repeat(200)]) assert.equal(checkKey(ok), ok);
    for (const bad of ['', '..', 'a/b', 'a\\b', 'a\0', 'x'.repeat(201), '1a', 'a..b', '.a', 'a.', 'a b', 'é']) {
      assert.throws(() => checkKey(bad), PoetError, JSON.stringify(bad));
    }
  });

  it('an execution id that is not one reads as missing, never as a path', async () => {
    for (const bad of ['..', 'a/b', '', '-x', 'a\0', '../../functions/add']) assert.equal(await store.executions.get(bad), undefined);
  });

  it('writeJsonAtomic replaces the file whole and leaves no temporary file', async () => {
    const f = join(store.paths.feedback, 'add', 'x.json');
    await writeJsonAtomic(f, { a: 1 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => writeJsonAtomic(f, { a: i, pad: 'y'.repeat(10000) })));
    const v = JSON.parse(await readFile(f, 'utf8'));
    assert.equal(v.pad.length, 10000);
    assert.deepEqual(await readdir(join(store.paths.feedback, 'add')), ['x.json']);
  });

  it('documents stay inside .dana/poet', async () => {
    await assert.rejects(store.writeDocument('../outside.json', {}), PoetError);
    await assert.rejects(store.local.writeJson(join(ws, 'outside.json'), {}), PoetError);
    await store.writeDocument('learning/settings.json', { ok: true });
    assert.deepEqual(await store.readDocument('learning/settings.json'), { ok: true });
    assert.ok(existsSync(join(ws, '.dana/poet/learning/settings.json')));
  });

  it('start-up cleanup removes dead writers\' temporary files and keeps live ones', async () => {
    const dir = join(store.paths.functions, 'add');
    await mkdir(dir, { recursive: true });
    const dead = join(dir, `${TEMP_MARK}current.${deadPid()}-deadbeef.0a0b0c0d`);
    const deadDir = join(dir, `${TEMP_MARK}v3.${deadPid()}-deadbeef.01020304`);
    const ownEarlier = join(dir, `${TEMP_MARK}index.json.${process.pid}-00000000.01020304`);
    const live = tempName(join(dir, 'index.json'));
    const unparsable = join(store.paths.cache, `${TEMP_MARK}junk`);
    await writeFile(dead, 'v');
    await mkdir(deadDir);
    await writeFile(join(deadDir, 'metadata.json'), '{');
    await writeFile(ownEarlier, 'x');
    await writeFile(live, 'x');
    await writeFile(unparsable, 'x');
    // A function whose key looks like a version: its folder is walked, unlike functions/add/v1.
    const keyV1 = join(store.paths.functions, 'v1');
    const underKeyV1 = [join(keyV1, `${TEMP_MARK}current.${deadPid()}-deadbeef.0a0b0c0e`), join(store.paths.cache, 'v1', `${TEMP_MARK}x.json.${deadPid()}-deadbeef.0a0b0c0f`)];
    const inVersion = join(dir, 'v1', `${TEMP_MARK}never-made-here.${deadPid()}-deadbeef.0a0b0c10`);
    for (const f of [...underKeyV1, inVersion]) {
      await mkdir(join(f, '..'), { recursive: true });
      await writeFile(f, 'x');
    }
    const removed = await store.removeLeftovers();
    assert.deepEqual(removed.sort(), [dead, deadDir, ownEarlier, unparsable, ...underKeyV1].sort());
    assert.ok(existsSync(inVersion), 'version folders are immutable and not walked');
    assert.ok(existsSync(live), 'this instance\'s in-flight file stays');
    assert.ok(live.includes(INSTANCE_ID));
  });

  it('withFunctionLock serialises work on one function', async () => {
    let inside = 0;
    let max = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        store.withFunctionLock('add', async () => {
          inside++;
          max = Math.max(max, inside);
          await new Promise((r) => setTimeout(r, 2));
          inside--;
        }),
      ),
    );
    assert.equal(max, 1);
    assert.deepEqual(await readdir(store.paths.locks), [], 'lock file removed after use');
  });

  it('a lock file left by a dead process is taken over', async () => {
    const lock = join(store.paths.locks, 'add.lock');
    await writeFile(lock, JSON.stringify({ pid: deadPid(), instance: 'deadbeef', host: hostname(), acquired_at: new Date().toISOString() }));
    let ran = false;
    await store.withFunctionLock('add', async () => {
      ran = true;
    });
    assert.ok(ran);
    assert.ok(!existsSync(lock));
  });

  it('a lock held by a live process waits, then times out with 409', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      const lock = join(store.paths.locks, 'busy.lock');
      await writeFile(lock, JSON.stringify({ ...selfOwner(), pid: holder.pid!, start: processStart(holder.pid!) ?? null, instance: 'cafebabe' }));
      await assert.rejects(
        withFileLock(lock, async () => undefined, { timeoutMs: 150 }),
        (e: unknown) => e instanceof PoetError && e.code === 'conflict' && new RegExp(String(holder.pid)).test(e.message),
      );
      assert.ok(existsSync(lock), 'a live holder\'s lock is not broken');
      // Once the holder releases, the waiter gets in.
      const waiting = withFileLock(lock, async () => 'got it', { timeoutMs: 5000 });
      setTimeout(() => void rm(lock), 50);
      assert.equal(await waiting, 'got it');
    } finally {
      holder.kill();
    }
  });
});
