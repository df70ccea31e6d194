// Per-function locks: an in-process queue (cheap, fair) plus a lock file created with
// O_EXCL, so two service processes on one workspace also take turns. A lock file whose
// owner died (SIGKILL, crash) is detected by its pid and taken over; no heartbeat needed.
// Hand-written rather than proper-lockfile: that library detects staleness by mtime only,
// so after a SIGKILL every waiter would wait out the stale period; a pid check is immediate.
import { promises as fs, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { PoetError } from '../../shared/contract/errors';
import { INSTANCE_ID, TEMP_MARK, mkdirDurable, pidAlive } from './atomic';

interface LockOwner {
  pid: number;
  instance: string;
  host: string;
  acquired_at: string;
}

export interface LockOptions {
  /** Give up after this long (ms); the caller gets 409 `conflict`. */
  timeoutMs?: number;
  /** A lock older than this whose owner cannot be checked (another host) counts as stale. */
  staleMs?: number;
}

const tails = new Map<string, Promise<void>>();

/** Runs `fn` after every earlier call with the same `id` in this process has finished. */
export async function withMutex<T>(id: string, fn: () => Promise<T>): Promise<T> {
  const prev = tails.get(id) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const tail = prev.then(() => mine);
  tails.set(id, tail);
  await prev;
  try {
    return await fn();
  } finally {
    release();
    if (tails.get(id) === tail) tails.delete(id);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function isStale(owner: LockOwner | undefined, ageMs: number, staleMs: number): boolean {
  if (!owner) return ageMs > 5000; // unreadable: maybe being written right now; give it a moment
  if (owner.host === hostname()) {
    // Same pid but another instance: an earlier process whose pid this one reused.
    if (owner.pid === process.pid) return owner.instance !== INSTANCE_ID;
    return !pidAlive(owner.pid);
  }
  return ageMs > staleMs;
}

async function readOwner(path: string): Promise<{ owner: LockOwner | undefined; ageMs: number; text: string } | undefined> {
  try {
    const [text, st] = await Promise.all([fs.readFile(path, 'utf8'), fs.stat(path)]);
    let owner: LockOwner | undefined;
    try {
      owner = JSON.parse(text) as LockOwner;
      if (typeof owner?.pid !== 'number') owner = undefined;
    } catch {
      owner = undefined;
    }
    return { owner, ageMs: Date.now() - st.mtimeMs, text };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Removes a stale lock without removing a fresh one that replaced it in the meantime. */
async function breakStale(path: string, seen: string): Promise<void> {
  const aside = join(dirname(path), `${TEMP_MARK}${basename(path)}.stale.${process.pid}-${INSTANCE_ID}.${Date.now().toString(16).slice(-8).padStart(8, '0')}`);
  try {
    await fs.rename(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const moved = await fs.readFile(aside, 'utf8').catch(() => '');
  if (moved !== seen) {
    // Someone took the lock between our read and our rename: put theirs back.
    await fs.link(aside, path).catch(() => undefined);
  }
  await fs.rm(aside, { force: true });
}

async function acquireFile(path: string, opts: Required<LockOptions>): Promise<void> {
  const me: LockOwner = { pid: process.pid, instance: INSTANCE_ID, host: hostname(), acquired_at: new Date().toISOString() };
  const body = JSON.stringify(me);
  const deadline = Date.now() + opts.timeoutMs;
  let wait = 1;
  for (;;) {
    try {
      const fh = await fs.open(path, 'wx');
      try {
        await fh.writeFile(body);
      } finally {
        await fh.close();
      }
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        await mkdirDurable(dirname(path));
        continue;
      }
      if (code !== 'EEXIST') throw e;
    }
    const cur = await readOwner(path);
    if (cur && isStale(cur.owner, cur.ageMs, opts.staleMs)) {
      await breakStale(path, cur.text);
      continue;
    }
    if (Date.now() > deadline) {
      throw new PoetError('conflict', `Function is locked by another POET process${cur?.owner ? ` (pid ${cur.owner.pid})` : ''}; try again shortly.`, {
        lock: basename(path),
      });
    }
    await sleep(wait);
    wait = Math.min(wait * 2, 50);
  }
}

/**
 * Serialises work on one lock file: first in this process, then across processes.
 * `lockPath` must already be a checked path inside `.dana/poet/`.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const opts = { timeoutMs: options.timeoutMs ?? 60_000, staleMs: options.staleMs ?? 120_000 };
  return withMutex(lockPath, async () => {
    await acquireFile(lockPath, opts);
    try {
      return await fn();
    } finally {
      // Synchronous: an unlink takes microseconds, less than a thread-pool round trip.
      rmSync(lockPath, { force: true });
    }
  });
}
