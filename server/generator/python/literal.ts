// JSON-like values as Python literals (deterministic: key order as given).
import type { LiteralValue } from '../../../shared/source/model';

export function pyLit(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? 'float("nan")' : v > 0 ? 'float("inf")' : '-float("inf")';
    return Number.isInteger(v) && Math.abs(v) < 1e16 ? String(v) : String(v).replace('e+', 'e');
  }
  // JSON string escapes (\n, \", \\, \uXXXX) are valid Python escapes too.
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pyLit).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, LiteralValue>).map(([k, x]) => `${JSON.stringify(k)}: ${pyLit(x)}`).join(', ')}}`;
  }
  throw new Error(`no Python literal for ${typeof v}`);
}
