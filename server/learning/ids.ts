// Sortable, unique stamps for record ids and feedback file names: a UTC time to the
// millisecond plus a counter that separates records made within the same millisecond.
import { INSTANCE_ID } from '../storage/atomic';

let lastMs = 0;
let seq = 0;

/** `20261126T143512123Z-0000`: sorts as text in time order; unique within this process. */
export function sortableStamp(now = Date.now()): string {
  // Never go backwards (clock adjustments) so that order in this process is preserved.
  const ms = Math.max(now, lastMs);
  if (ms === lastMs) seq++;
  else {
    lastMs = ms;
    seq = 0;
  }
  return `${compactIso(ms)}-${String(seq).padStart(4, '0')}`;
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
 * Execution/feedback id: the stamp (unique in this process) plus this process's random
 * instance id, so two processes never collide (no random bytes per record: a syscall each).
 */
export function newRecordId(): string {
  return `${sortableStamp()}-${INSTANCE_ID}`;
}
