// POETConfig: one schema for the @poet(...) decorator arguments, the API's `config`
// field and the extension's settings. `resolveConfig` overlays layers (defaults <
// settings < decorator < request) and reports every bad key with a suggestion.
import { z } from 'zod';
import type { LiteralValue } from './source/model';
import { closest } from 'fastest-levenshtein';
import { didYouMean, suggestionSuffix } from './util/suggest';

export const BackoffSchema = z
  .object({
    initial_s: z.number().min(0).max(60),
    multiplier: z.number().min(1).max(10),
    max_s: z.number().min(0).max(600),
    jitter: z.number().min(0).max(1),
  })
  .strict();
export type Backoff = z.infer<typeof BackoffSchema>;

export const FALLBACKS = ['raise', 'original'] as const;
/** `Name` or `pkg.Name` / `pkg.mod.Name`: identifiers joined by dots. */
const EXCEPTION_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** The core keys, each with the range it accepts. */
export const CoreConfigShape = {
  domain: z.string().min(1).max(200).nullable(),
  /** Extra attempts after the first: `retries: 2` means up to 3 calls. */
  retries: z.number().int().min(0).max(10),
  /** Seconds per attempt. */
  timeout: z.number().gt(0).max(86400),
  /** Seconds for all attempts together, including backoff; null for no budget. */
  total_timeout: z.number().gt(0).max(86400).nullable(),
  backoff: BackoffSchema,
  optimize_for: z.string().min(1).max(200).nullable(),
  enable_training: z.boolean(),
  enable_monitoring: z.boolean(),
  fallback: z.enum(FALLBACKS),
  /**
   * Exception classes to retry besides the transient ones POET always retries (connection errors,
   * timeouts, OSError with a transient errno, HTTP clients' disconnects): `Name` matches a class of
   * that name anywhere in the exception's MRO, `pkg.Name` one defined in package `pkg`.
   */
  retry_on: z.array(z.string().regex(EXCEPTION_NAME, 'must be an exception class name such as "RateLimitError" or "requests.Timeout"')).max(50),
  /** Retry even when an argument is one-shot (an iterator, generator, file or stream). */
  retry_one_shot: z.boolean(),
};
export const CORE_KEYS = Object.keys(CoreConfigShape) as Array<keyof typeof CoreConfigShape>;

export const PoetConfigSchema = z
  .object({
    ...CoreConfigShape,
    /** Keys that the chosen domain defines (e.g. `max_rate` for financial_services). */
    domain_params: z.record(z.string(), z.unknown()),
  })
  .strict();
export type PoetConfig = Omit<z.infer<typeof PoetConfigSchema>, 'domain_params'> & {
  domain_params: Record<string, LiteralValue>;
};

/** A partial config as a client sends it: core keys plus domain keys, flat. */
export const PoetConfigInputSchema = z.record(z.string(), z.unknown());
export type PoetConfigInput = Record<string, unknown>;

export const DEFAULT_CONFIG: PoetConfig = Object.freeze({
  domain: null,
  retries: 2,
  timeout: 30,
  total_timeout: null,
  backoff: Object.freeze({ initial_s: 0.1, multiplier: 2, max_s: 5, jitter: 0.1 }),
  optimize_for: null,
  enable_training: false,
  enable_monitoring: true,
  fallback: 'raise',
  retry_on: Object.freeze([]) as unknown as string[],
  retry_one_shot: false,
  domain_params: Object.freeze({}),
}) as PoetConfig;

export interface ConfigIssue {
  /** The offending key (dotted for nested keys, e.g. `backoff.jitter`). */
  key: string;
  message: string;
  suggestion?: string;
}

/** What a domain contributes to config validation. */
export interface DomainConfigInfo {
  /** Domain-specific keys and their schemas. */
  params: Record<string, z.ZodType>;
  /** Parts of a `parent:child` name that are not defined (they add no rules). */
  unknown?: string[];
}

export interface ConfigContext {
  /** Looks a domain (possibly `parent:child`) up; undefined when no part of it is defined. */
  domain(name: string): DomainConfigInfo | undefined;
  /** Every domain name, for suggestions. */
  domainNames(): string[];
}

/** `warnings`: what is accepted but worth saying (a domain POET does not know). */
export type ConfigResult = { ok: true; config: PoetConfig; warnings: ConfigIssue[] } | { ok: false; issues: ConfigIssue[]; warnings: ConfigIssue[] };

/**
 * An undefined domain name is not a reason to refuse a function (Dana's own code names domains
 * such as "string_processing" or "validation"): it is enhanced with the general rules, and told
 * what is nearest and how to define the name.
 */
export function unknownDomainWarning(name: string, known: string[]): string {
  const near = known.length ? closest(name, known) : undefined;
  return (
    `Unknown domain "${name}": enhanced with the general rules only (types from the annotations, no domain rules).` +
    (near ? ` The closest known domain is "${near}".` : '') +
    ` To define "${name}", write .dana/poet/domains/${name}.json, e.g. {"description": "…",${near ? ` "extends": "${near}",` : ''} "inputs": [], "outputs": []} (docs/generator.md, "User-defined domains").`
  );
}

function describeZodIssue(key: string, issue: z.core.$ZodIssue): string {
  return `${key}: ${issue.message}`;
}

/**
 * Overlays the layers left to right on top of the defaults and validates the result.
 * Unknown keys are accepted only when the effective domain defines them.
 */
export function resolveConfig(layers: PoetConfigInput[], ctx: ConfigContext): ConfigResult {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      if (v === undefined) continue;
      // backoff may be given partially; it merges key by key.
      if (k === 'backoff' && v && typeof v === 'object' && !Array.isArray(v)) {
        const prev = (merged.backoff ?? {}) as Record<string, unknown>;
        merged.backoff = { ...prev, ...(v as Record<string, unknown>) };
      } else {
        merged[k] = v;
      }
    }
  }

  const issues: ConfigIssue[] = [];
  const core: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(merged)) {
    if (k in CoreConfigShape) core[k] = v;
    else extra[k] = v;
  }

  const full = { ...DEFAULT_CONFIG, ...core, backoff: { ...DEFAULT_CONFIG.backoff, ...((core.backoff as object) ?? {}) } };
  for (const key of CORE_KEYS) {
    const r = CoreConfigShape[key].safeParse((full as Record<string, unknown>)[key]);
    if (!r.success) {
      for (const issue of r.error.issues) {
        const path = [key, ...issue.path.map(String)].join('.');
        const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
        if (unknownKeys.length) {
          for (const uk of unknownKeys) {
            const msg = `Unknown key "${key}.${uk}".${suggestionSuffix(uk, Object.keys(DEFAULT_CONFIG.backoff))}`;
            issues.push({ key: `${key}.${uk}`, message: msg });
          }
        } else {
          issues.push({ key: path, message: describeZodIssue(path, issue) });
        }
      }
    }
  }

  const domainName = full.domain as string | null;
  let domain: DomainConfigInfo | undefined;
  const warnings: ConfigIssue[] = [];
  if (typeof domainName === 'string') {
    const parts = domainName.split(':').map((p) => p.trim());
    domain = ctx.domain(domainName);
    if (parts.some((p) => !p)) {
      issues.push({ key: 'domain', message: `Domain "${domainName}" has an empty part: write a name, or "parent:child" with both names.` });
    } else {
      for (const part of domain ? (domain.unknown ?? []) : parts) {
        const suggestion = didYouMean(part, ctx.domainNames());
        warnings.push({ key: 'domain', message: unknownDomainWarning(part, ctx.domainNames()), ...(suggestion ? { suggestion } : {}) });
      }
    }
  }

  const domainParams: Record<string, LiteralValue> = {};
  const allowed = domain?.params ?? {};
  for (const [k, v] of Object.entries(extra)) {
    const schema = allowed[k];
    if (!schema) {
      const candidates = [...CORE_KEYS, ...Object.keys(allowed)];
      const where = domainName && domain ? ` for domain "${domainName}"` : '';
      issues.push({
        key: k,
        message: `Unknown key "${k}"${where}.${suggestionSuffix(k, candidates)} Valid keys: ${candidates.join(', ')}.`,
      });
      continue;
    }
    const r = schema.safeParse(v);
    if (!r.success) {
      for (const issue of r.error.issues) issues.push({ key: k, message: describeZodIssue(k, issue) });
    } else {
      domainParams[k] = r.data as LiteralValue;
    }
  }

  if (issues.length) return { ok: false, issues, warnings };
  const config = { ...(full as unknown as PoetConfig), domain_params: domainParams };
  return { ok: true, config, warnings };
}

/** Canonical JSON: keys sorted at every level, so equal configs hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
