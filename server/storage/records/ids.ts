// Sortable, unique stamps for record ids and feedback file names: a UTC time to the
// millisecond plus a counter that separates records made within the same millisecond.
import { createHash } from 'node:crypto';
import { INSTANCE_ID } from '../atomic';

let lastMs = 0;
let seq = 0;

/** `20261126T143512123Z-0000`: sorts as text in time order; unique within this process. */
export function sortableStamp(now = Date.now()): string {
  // Never go backwards (clock adjustments) so that order in this process is preserved; past
  // 10,000 stamps in one millisecond, borrow the next one so the counter keeps 4 digits.
  const ms = Math.max(now, lastMs);
  if (ms === lastMs) seq++;
  else {
    lastMs = ms;
    seq = 0;
  }
  if (seq > 9999) {
    lastMs++;
    seq = 0;
  }
  return `${compactIso(lastMs)}-${String(seq).padStart(4, '0')}`;
}

/** `2026-11-26T14:35:12.123Z` → `20261126T143512123Z` (no characters that are bad in file names). */
export function compactIso(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, '');
}

/** Back from a stamp to ISO 8601, for display. */
export function stampToIso(stamp: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(stamp);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z` : null;
}

/**
 * Feedback id: the stamp (unique in this process) plus this process's random instance id, so two
 * processes never collide (no random bytes per record: a syscall each).
 */
export function newRecordId(): string {
  return `${sortableStamp()}-${INSTANCE_ID}`;
}

const keyHashes = new Map<string, string>();

/** 8 hex digits of the key's SHA-256: names the function in an execution id without its dots. */
export function keyHash(key: string): string {
  let h = keyHashes.get(key);
  if (h === undefined) {
    h = createHash('sha256').update(key).digest('hex').slice(0, 8);
    if (keyHashes.size >= 4096) keyHashes.clear();
    keyHashes.set(key, h);
  }
  return h;
}

/**
 * Execution id: `{stamp}-{instance}-{key hash}-{version}`, e.g.
 * `20261126T143005117Z-0000-9f2c4a1b-3fa2c1d0-v3`. It sorts in recording order, is unique across
 * processes, and says where the file store keeps the record (its function and version).
 */
export function newExecutionId(key: string, version: string): string {
  return `${newRecordId()}-${keyHash(key)}-${version}`;
}

const EXECUTION_ID_RE = /^(\d{8}T\d{9}Z-\d{4})-([0-9a-f]{8})-([0-9a-f]{8})-(v[1-9]\d{0,8})$/;

/** The parts of an execution id from newExecutionId; null for other ids (records of older versions of POET). */
export function parseExecutionId(id: string): { stamp: string; instance: string; keyHash: string; version: string } | null {
  const m = EXECUTION_ID_RE.exec(id);
  return m ? { stamp: m[1]!, instance: m[2]!, keyHash: m[3]!, version: m[4]! } : null;
}
