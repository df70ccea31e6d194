// What the editor says about each @poet(...) key: a sentence per core key, and the type and
// range read from the zod schema itself (so a changed bound in shared/config.ts shows up
// here without an edit).
import { z } from 'zod';
import { CORE_KEYS, CoreConfigShape, DEFAULT_CONFIG, type ConfigContext } from '../../shared/config';

export const KEY_DOCS: Record<(typeof CORE_KEYS)[number], string> = {
  domain: 'Domain whose rules POET applies (input checks, output guarantees, extra keys), e.g. "financial_services". A string as the first positional argument means the same.',
  retries: 'Extra attempts after the first call: retries=2 means up to 3 calls.',
  timeout: 'Seconds each attempt may take.',
  total_timeout: 'Seconds for all attempts together, backoff included; None for no budget.',
  backoff: 'Wait between attempts: {"initial_s": 0.1, "multiplier": 2, "max_s": 5, "jitter": 0.1}; give only the keys you change.',
  optimize_for: 'What Train optimises (e.g. "latency", "accuracy"); enables learning from feedback.',
  enable_training: 'Let Train produce new versions from recorded executions and feedback.',
  enable_monitoring: 'Record executions (inputs, outcome, duration) for metrics and Train.',
  fallback: '"raise": fail when the enhanced path fails; "original": call the unenhanced function instead.',
  retry_on: 'Exception classes to retry besides the transient ones POET always retries (connection errors, timeouts, transient OSErrors): ["RateLimitError", "requests.Timeout"]. Anything else is raised at once, unchanged.',
  retry_one_shot: 'Retry even when an argument is one-shot (an iterator, generator, file or stream the first attempt may have consumed). Off by default.',
};

type Json = Record<string, unknown>;

function describeJson(s: Json): string {
  if (Array.isArray(s.anyOf)) return (s.anyOf as Json[]).map(describeJson).join(' or ');
  if (Array.isArray(s.type)) return (s.type as unknown[]).map((t) => describeJson({ ...s, type: t })).join(' or ');
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  const type = s.type;
  if (type === 'null') return 'None';
  if (type === 'object') {
    const props = s.properties && typeof s.properties === 'object' ? Object.keys(s.properties) : [];
    return props.length ? `dict {${props.join(', ')}}` : 'dict';
  }
  if (type === 'integer' || type === 'number') {
    const lo = s.exclusiveMinimum !== undefined ? `> ${String(s.exclusiveMinimum)}` : s.minimum !== undefined ? String(s.minimum) : undefined;
    const hi = s.maximum !== undefined ? String(s.maximum) : s.exclusiveMaximum !== undefined ? `< ${String(s.exclusiveMaximum)}` : undefined;
    const name = type === 'integer' ? 'integer' : 'number';
    if (lo !== undefined && hi !== undefined) return lo.startsWith('>') ? `${name} ${lo}, ≤ ${hi}` : `${name} ${lo}–${hi}`;
    if (lo !== undefined) return lo.startsWith('>') ? `${name} ${lo}` : `${name} ≥ ${lo}`;
    if (hi !== undefined) return `${name} ≤ ${hi}`;
    return name;
  }
  if (type === 'string') return 'string';
  if (type === 'boolean') return 'bool (True/False)';
  return typeof type === 'string' ? type : 'value';
}

/** "integer 0–10", "number > 0, ≤ 86400", "\"raise\" | \"original\"", … */
export function describeSchema(schema: z.ZodType): string {
  try {
    return describeJson(z.toJSONSchema(schema, { unrepresentable: 'any' }) as Json);
  } catch {
    return 'value';
  }
}

export interface KeyInfo {
  key: string;
  /** Type and range, e.g. "integer 0–10". */
  detail: string;
  doc: string;
  /** The default, as Python/Dana source text; undefined for domain keys. */
  defaultText?: string;
  /** The domain that defines it; undefined for core keys. */
  domain?: string;
}

/** Dana/Python literal text of a default value. */
export function literalText(v: unknown): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  return JSON.stringify(v);
}

/** Optional descriptions of a domain's keys (the registry has them; a bare ConfigContext does not). */
export type DomainKeyDocs = (domain: string) => { params: Record<string, { description: string; default: unknown }> } | undefined;

/** The keys @poet accepts: the core keys, plus the domain's own when a known domain is given. */
export function keyInfos(ctx: ConfigContext, domain: string | undefined, docs?: DomainKeyDocs): KeyInfo[] {
  const core: KeyInfo[] = CORE_KEYS.map((k) => ({
    key: k,
    detail: describeSchema(CoreConfigShape[k]),
    doc: KEY_DOCS[k],
    defaultText: literalText((DEFAULT_CONFIG as unknown as Record<string, unknown>)[k]),
  }));
  const params = domain ? (ctx.domain(domain)?.params ?? {}) : {};
  const d = domain ? docs?.(domain) : undefined;
  const extra: KeyInfo[] = Object.entries(params).map(([k, s]) => {
    const doc = d?.params[k];
    return {
      key: k,
      detail: describeSchema(s),
      doc: doc?.description ?? s.description ?? `A parameter of the "${domain}" domain.`,
      ...(doc ? { defaultText: literalText(doc.default) } : {}),
      domain,
    };
  });
  return [...core, ...extra];
}
