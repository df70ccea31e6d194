// Per-function locks: an in-process queue (cheap, fair) plus a lock file, so two service
// processes on one workspace also take turns. The lock file names its owner unambiguously
// (owner.ts: pid, process start time, boot id, a per-process random id), so a lock whose owner
// died (SIGKILL, crash, reboot), even one whose pid now belongs to another process, is taken
// over at once; no heartbeat needed.
// Hand-written rather than proper-lockfile: that library detects staleness by mtime only,
// so after a SIGKILL every waiter would wait out the stale period.
import { promises as fs, linkSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PoetError } from '../../shared/contract/errors';
import { INSTANCE_ID, TEMP_MARK, mkdirDurable, tempName } from './atomic';
import { ownerLiveness, parseOwner, selfOwner, type Owner } from './owner';

export interface LockOptions {
  /** Give up after this long (ms); the caller gets 409 `conflict`. */
  timeoutMs?: number;
  /**
   * A lock older than this whose owner cannot be checked (another host, or no start time to
   * compare) counts as stale. Longer than any work done under a lock (an LLM call is capped at
   * 120 s).
   */
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

/** Lock folders on a file system without hard links (FAT): there the file is created, then written. */
const noHardLinks = new Set<string>();
const NO_LINK_CODES = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);
/**
 * Only without hard links can a live owner's lock file be empty for a moment (between its
 * creation and its write). Past this age an empty or partial file is a killed writer's.
 */
const PARTIAL_GRACE_MS = 1000;

interface Seen {
  owner: Owner | undefined;
  ageMs: number;
  text: string;
}

function isStale(cur: Seen, staleMs: number, dir: string): boolean {
  // POET writes a lock file whole (see tryCreate): an empty or partial one is a leftover.
  if (!cur.owner) return !noHardLinks.has(dir) || cur.ageMs > PARTIAL_GRACE_MS;
  const l = ownerLiveness(cur.owner);
  return l === 'unknown' ? cur.ageMs > staleMs : l === 'dead';
}

async function readOwner(path: string): Promise<Seen | undefined> {
  try {
    const [text, st] = await Promise.all([fs.readFile(path, 'utf8'), fs.stat(path)]);
    return { owner: parseOwner(text), ageMs: Date.now() - st.mtimeMs, text };
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

/**
 * Creates the lock file with its owner record in one step, or returns false when it exists.
 * The record is written to a temporary file (`staged`) that is hard-linked to the lock's name;
 * link(2) fails when the name exists, like O_EXCL, so a lock file is never seen empty or
 * partial. Without hard links the file is created with O_EXCL and then written.
 */
async function tryCreate(path: string, body: string, staged: { file?: string; at: number }): Promise<boolean> {
  const dir = dirname(path);
  if (!noHardLinks.has(dir)) {
    // A record staged long ago would make the lock look old to an age check: stage it afresh.
    if (staged.file && Date.now() - staged.at > PARTIAL_GRACE_MS) {
      rmSync(staged.file, { force: true });
      staged.file = undefined;
    }
    if (!staged.file) {
      const file = tempName(path);
      await fs.writeFile(file, body, { flag: 'wx' });
      Object.assign(staged, { file, at: Date.now() });
    }
    try {
      linkSync(staged.file!, path);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') return false;
      if (!NO_LINK_CODES.has(code) || statSync(path, { throwIfNoEntry: false })) throw e;
      noHardLinks.add(dir);
    }
  }
  try {
    const fh = await fs.open(path, 'wx');
    try {
      await fh.writeFile(body);
    } finally {
      await fh.close();
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

async function acquireFile(path: string, opts: Required<LockOptions>): Promise<void> {
  const body = JSON.stringify(selfOwner());
  const deadline = Date.now() + opts.timeoutMs;
  const staged: { file?: string; at: number } = { at: 0 };
  let wait = 1;
  try {
    for (;;) {
      try {
        if (await tryCreate(path, body, staged)) return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        await mkdirDurable(dirname(path));
        continue;
      }
      const cur = await readOwner(path);
      if (cur && isStale(cur, opts.staleMs, dirname(path))) {
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
  } finally {
    if (staged.file) rmSync(staged.file, { force: true });
  }
}

/**
 * Serialises work on one lock file: first in this process, then across processes.
 * `lockPath` must already be a checked path inside `.dana/poet/`.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const opts = { timeoutMs: options.timeoutMs ?? 60_000, staleMs: options.staleMs ?? 300_000 };
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
