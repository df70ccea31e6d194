// Who wrote a lock file, and whether that writer still runs. A pid alone is ambiguous: pids are
// reused (a container restarts at the same small pids, a busy machine wraps around), so a lock
// naming a pid that now belongs to an unrelated process would look held forever. On Linux the
// kernel's start time of the process (field 22 of /proc/PID/stat) and the boot id pin one
// process for good; elsewhere only the pid and the lock's age are known.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { INSTANCE_ID, pidAlive } from './atomic';

export interface Owner {
  pid: number;
  /** Start time of the process in clock ticks since boot (/proc/PID/stat), where /proc exists. */
  start?: string | null;
  /** /proc/sys/kernel/random/boot_id, where it exists: a lock from before a reboot is dead. */
  boot?: string | null;
  /** Random per process (atomic.ts): tells this process from an earlier one with its pid. */
  instance: string;
  host: string;
  acquired_at: string;
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

const HAS_PROC = readProc('/proc/self/stat') !== undefined;
const BOOT_ID = readProc('/proc/sys/kernel/random/boot_id')?.trim() || null;
const HOST = hostname();

/**
 * The start time of `pid` as the kernel reports it: a string of clock ticks, null when no
 * such process exists, undefined when this system has no /proc to ask.
 */
export function processStart(pid: number): string | null | undefined {
  if (!HAS_PROC) return undefined;
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === undefined) return null;
  // "PID (COMM) STATE PPID …": COMM may hold spaces and parentheses, so count from the last ")".
  // The fields after it start at field 3; the start time is field 22.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3] ?? null;
}

/** This process, as a lock file records it. */
export function selfOwner(): Owner {
  return { pid: process.pid, start: processStart(process.pid) ?? null, boot: BOOT_ID, instance: INSTANCE_ID, host: HOST, acquired_at: new Date().toISOString() };
}

export type Liveness = 'alive' | 'dead' | 'unknown';

/**
 * Whether the process that wrote `owner` still runs. `unknown` for another host, and on this
 * host when the record carries no start time to compare (no /proc, or a lock written by hand
 * or by an older POET): then only the lock's age can tell.
 */
export function ownerLiveness(owner: Owner): Liveness {
  if (owner.host !== HOST) return 'unknown';
  if (owner.boot && BOOT_ID && owner.boot !== BOOT_ID) return 'dead';
  if (owner.pid === process.pid) return owner.instance === INSTANCE_ID ? 'alive' : 'dead';
  if (!pidAlive(owner.pid)) return 'dead';
  const now = processStart(owner.pid);
  if (now === null) return 'dead';
  if (now === undefined || !owner.start) return 'unknown';
  // The pid is taken, but by a process started at another time: the writer is gone.
  return now === owner.start ? 'alive' : 'dead';
}

/** A parsed owner record, or undefined for an empty, partial or foreign file. */
export function parseOwner(text: string): Owner | undefined {
  try {
    const o = JSON.parse(text) as Partial<Owner> | null;
    if (!o || !Number.isInteger(o.pid) || typeof o.host !== 'string' || typeof o.instance !== 'string') return undefined;
    return o as Owner;
  } catch {
    return undefined;
  }
}
