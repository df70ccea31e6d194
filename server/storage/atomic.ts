// Crash-safe file primitives: a reader never sees a half-written file, and after the
// call returns the data is on disk (file and directory entry both fsynced).
//
// Which calls block and which go through libuv's thread pool follows what they cost (measured
// on this project's VM disk): writing, renaming, reading and opening an existing file take
// 0.01-0.03 ms, less than one thread-pool round trip, so they are synchronous. Creating a file
// or folder takes 0.5-1 ms there and fsync waits for the device: those go through the thread
// pool, where several overlap, so callers start them together.
import { closeSync, fsync, openSync, promises as fs, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Marker in every temporary name, so that start-up can find and remove leftovers. */
export const TEMP_MARK = '.tmp-';

/** Distinguishes this process from an earlier one that had the same pid (containers reuse pids). */
export const INSTANCE_ID = randomBytes(4).toString('hex');

/** Unique per process with INSTANCE_ID; a counter, since random bytes per write cost a syscall each. */
let tempCounter = 0;

export function tempName(target: string): string {
  tempCounter = (tempCounter + 1) % 0x1_0000_0000;
  return join(dirname(target), `${TEMP_MARK}${basename(target)}.${process.pid}-${INSTANCE_ID}.${tempCounter.toString(16).padStart(8, '0')}`);
}

export function fsyncFd(fd: number): Promise<void> {
  return new Promise((ok, fail) => fsync(fd, (e) => (e ? fail(e) : ok())));
}

/** Where directories cannot be opened or fsynced (Windows), that step is skipped. */
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EINVAL', 'EACCES']);

async function fsyncPath(path: string, isDir: boolean): Promise<void> {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    await fsyncFd(fd);
  } catch (e) {
    if (!isDir || !DIR_SYNC_UNSUPPORTED.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** fsync a directory so a rename or create inside it survives a crash. No-op where unsupported (Windows). */
export function fsyncDir(dir: string): Promise<void> {
  return fsyncPath(dir, true);
}

/** fsync an existing file by path (any descriptor flushes the file's data and inode). */
export function fsyncFile(path: string): Promise<void> {
  return fsyncPath(path, false);
}

/** Writes and fsyncs a new file (fails if it exists). */
export async function writeFileDurable(path: string, data: string | Uint8Array): Promise<void> {
  const fh = await fs.open(path, 'wx');
  try {
    writeFileSync(fh.fd, data);
    await fsyncFd(fh.fd);
  } finally {
    await fh.close();
  }
}

/**
 * Writes `data` to a new temporary file next to `target` without syncing it, and returns
 * its path. For batched commits: stage several files, fsync them together, then rename.
 */
export async function stageFile(target: string, data: string | Uint8Array): Promise<string> {
  const tmp = tempName(target);
  await fs.writeFile(tmp, data, { flag: 'wx' });
  return tmp;
}

/** temp file + fsync + rename + fsync(dir). Creates the parent directory when missing. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(target);
  await mkdirDurable(dir);
  const tmp = tempName(target);
  try {
    await writeFileDurable(tmp, data);
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(dir);
}

/**
 * Creates folder `target` with `files` in it, whole or not at all: the files are written in a
 * temporary folder beside it and fsynced (together), then that folder is fsynced and renamed
 * into place, and the parent fsynced. Three fsync rounds however many files; `target` must
 * not exist.
 */
export async function writeFolderAtomic(target: string, files: ReadonlyArray<{ name: string; data: string }>): Promise<void> {
  const tmp = tempName(target);
  try {
    await fs.mkdir(tmp);
    await Promise.all(files.map((f) => writeFileDurable(join(tmp, f.name), f.data)));
    await fsyncDir(tmp);
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw e;
  }
  await fsyncDir(dirname(target));
}

export async function writeJsonAtomic(target: string, value: unknown): Promise<void> {
  await writeFileAtomic(target, JSON.stringify(value, null, 2) + '\n');
}

/** mkdir -p, fsyncing each parent whose entry was created. */
export async function mkdirDurable(dir: string): Promise<void> {
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return;
  const first = await fs.mkdir(dir, { recursive: true });
  if (first === undefined) return;
  // Every directory from `first` down to `dir` is new: fsync each one's parent.
  let d = dir;
  const created: string[] = [];
  while (d.length >= first.length) {
    created.push(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const c of created) await fsyncDir(dirname(c));
}

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the temporary name (from `tempName`) belongs to a live writer. */
function tempInFlight(name: string): boolean {
  const m = /\.(\d+)-([0-9a-f]{8})\.[0-9a-f]{8}$/.exec(name);
  if (!m) return false;
  const pid = Number(m[1]);
  if (pid === process.pid) return m[2] === INSTANCE_ID;
  return pidAlive(pid);
}

/**
 * Removes temporary files and directories left by processes that died mid-write (their pid
 * is no longer alive), so a second service on the same workspace keeps its in-flight files.
 * Folders for which `skip` says true are not walked (the store skips version folders, which
 * are immutable once renamed into place).
 */
export async function removeTempLeftovers(root: string, skip: (dir: string) => boolean = () => false): Promise<string[]> {
  const removed: string[] = [];
  async function walk(dir: string): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    await Promise.all(
      entries.map(async (e) => {
        const p = join(dir, e.name);
        if (e.name.startsWith(TEMP_MARK)) {
          if (tempInFlight(e.name)) return;
          await fs.rm(p, { recursive: true, force: true });
          removed.push(p);
        } else if (e.isDirectory() && !skip(p)) {
          await walk(p);
        }
      }),
    );
  }
  await walk(root);
  return removed;
}
