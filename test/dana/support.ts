// Helpers shared by the Dana tests.
import type * as A from '../../shared/dana/ast';

const LOC_KEYS = new Set(['loc', 'nameLoc', 'headerLoc', 'bodyLoc', 'compositionLoc']);

/**
 * A tree without source locations, parentheses, comments inside brackets, or the spelling
 * details the emitter normalises, for comparing trees structurally.
 */
export function stripLocs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripLocs);
  if (node === null || typeof node !== 'object') return node;
  const n = node as Record<string, unknown>;
  if (n.kind === 'paren') return stripLocs(n.expr);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(n)) {
    if (LOC_KEYS.has(k) || v === undefined) continue;
    out[k] = stripLocs(v);
  }
  return out;
}

export type { A };
