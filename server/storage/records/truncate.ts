// Keeps recorded inputs/outputs bounded. Large values are cut field by field (so the
// small numeric fields Train learns from survive), and the record says what happened.
import type { Truncation } from '../../../shared/contract/learning';

/** Default cap on the JSON size of one recorded inputs/output value. */
export const RECORD_VALUE_LIMIT = 16 * 1024;

export function jsonBytes(v: unknown): number {
  const s = JSON.stringify(v);
  return s === undefined ? 0 : Buffer.byteLength(s, 'utf8');
}

function marker(bytes: number): string {
  return `[truncated: ${bytes} bytes]`;
}

export function truncateValue(value: unknown, limit = RECORD_VALUE_LIMIT): { value: unknown; truncation: Truncation } {
  const original = jsonBytes(value);
  if (original <= limit) return { value, truncation: { truncated: false, original_bytes: original, limit_bytes: limit } };
  let out: unknown = marker(original);
  if (value && typeof value === 'object') {
    // Cut the biggest fields first until the whole fits; scalars usually stay.
    const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
    const entries = Object.entries(copy).map(([k, v]) => ({ k, bytes: jsonBytes(v) })).sort((a, b) => b.bytes - a.bytes);
    let size = original;
    for (const e of entries) {
      if (size <= limit) break;
      const m = marker(e.bytes);
      (copy as Record<string, unknown>)[e.k] = m;
      size -= e.bytes - jsonBytes(m);
    }
    if (jsonBytes(copy) <= limit) out = copy;
  } else if (typeof value === 'string') {
    out = `${value.slice(0, Math.max(0, Math.floor(limit / 2)))}… ${marker(original)}`;
  }
  return { value: out, truncation: { truncated: true, original_bytes: original, limit_bytes: limit } };
}
