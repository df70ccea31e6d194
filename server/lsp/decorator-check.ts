// Checks one @poet(...) decorator against the POETConfig schema and the workspace's domains,
// and says where each problem is. The rules themselves live in shared/config.ts
// (resolveConfig); this file only decides which argument a problem belongs to.
// Catalogue (code → meaning) is in docs/language-server.md.
import { CORE_KEYS, CoreConfigShape, DEFAULT_CONFIG, resolveConfig, type ConfigContext, type PoetConfigInput } from '../../shared/config';
import type { z } from 'zod';
import type { DecoratorArg, DecoratorModel, Range } from '../../shared/source/model';
import { didYouMean } from '../../shared/util/suggest';

export const DiagnosticCodes = {
  unknownKey: 'poet.unknown-key',
  invalidType: 'poet.invalid-type',
  outOfRange: 'poet.out-of-range',
  unknownDomain: 'poet.unknown-domain',
  positional: 'poet.positional-argument',
  nonLiteral: 'poet.non-literal',
  duplicate: 'poet.duplicate-argument',
  syntax: 'dana.syntax-error',
} as const;
export type DiagnosticCode = (typeof DiagnosticCodes)[keyof typeof DiagnosticCodes];

export interface DecoratorIssue {
  code: DiagnosticCode;
  severity: 'error' | 'warning';
  message: string;
  range: Range;
  /** A replacement for the text at `range` that would fix it (did-you-mean). */
  suggestion?: string;
}

type Keyword = DecoratorModel['keywords'][number];

const isCore = (k: string): k is (typeof CORE_KEYS)[number] => (CORE_KEYS as readonly string[]).includes(k);

/** Which zod failure a value has at `path` (e.g. `backoff.jitter`): a wrong type, or a right type out of its range. */
function classify(schema: z.ZodType | undefined, key: string, path: string, value: unknown): DiagnosticCode {
  if (!schema) return DiagnosticCodes.invalidType;
  // backoff is merged key by key over the defaults before it is checked
  const v = key === 'backoff' && value && typeof value === 'object' ? { ...DEFAULT_CONFIG.backoff, ...value } : value;
  const r = schema.safeParse(v);
  if (r.success) return DiagnosticCodes.invalidType;
  const sub = path.split('.').slice(1).join('.');
  const mine = r.error.issues.filter((i) => i.path.map(String).join('.') === sub);
  const codes = (mine.length ? mine : r.error.issues).map((i) => i.code);
  return codes.every((c) => c === 'too_big' || c === 'too_small') ? DiagnosticCodes.outOfRange : DiagnosticCodes.invalidType;
}

/**
 * A literal string (or None) as the first positional argument is the domain
 * (`@poet("finance")`), as in POET's own signature and the service's reading of it.
 */
function positionalDomain(dec: DecoratorModel): DecoratorArg | undefined {
  const first = dec.positional[0];
  return first && first.literal && (typeof first.value === 'string' || first.value === null) && first.range.start.offset < (dec.keywords[0]?.range.start.offset ?? Infinity)
    ? first
    : undefined;
}

/**
 * Every problem of `dec`. `baseLayers` are the layers under the decorator (settings), used
 * only to know the effective domain; problems are reported for the decorator's own arguments.
 */
export function checkPoetDecorator(dec: DecoratorModel, ctx: ConfigContext, baseLayers: PoetConfigInput[] = []): DecoratorIssue[] {
  const issues: DecoratorIssue[] = [];
  const domainArg = positionalDomain(dec);

  for (const p of dec.positional) {
    if (p === domainArg) continue;
    issues.push({
      code: DiagnosticCodes.positional,
      severity: 'error',
      range: p.range,
      message:
        p === dec.positional[0]
          ? `@poet takes only keyword arguments, apart from a domain name as a string first ("…"). Write it as key=value, e.g. domain="…", retries=2.`
          : `Positional argument ${p.source} is not allowed here: @poet takes keyword arguments (e.g. retries=2, timeout=30).`,
    });
  }

  // The decorator's own layer: literal keyword values only; a non-literal (a name, a call)
  // is only known at run time, so its type and range are not checked here.
  const layer: PoetConfigInput = {};
  const seen = new Map<string, Keyword>();
  let domainUnknowable = false;
  const where = new Map<string, Range>(); // key → range of its value
  if (domainArg) {
    layer.domain = domainArg.value;
    where.set('domain', domainArg.range);
  }
  for (const kw of dec.keywords) {
    const dup = seen.get(kw.name) ?? (kw.name === 'domain' && domainArg ? domainArg : undefined);
    if (dup) {
      issues.push({ code: DiagnosticCodes.duplicate, severity: 'error', range: kw.nameRange, message: `"${kw.name}" is given twice; remove one of them.` });
      continue;
    }
    seen.set(kw.name, kw);
    where.set(kw.name, kw.range);
    if (kw.literal) layer[kw.name] = kw.value;
    else {
      // The service reads @poet arguments without running the code: an expression fails there.
      issues.push({
        code: DiagnosticCodes.nonLiteral,
        severity: 'warning',
        range: kw.range,
        message: `POET reads @poet arguments without running the code, so ${kw.name}=${kw.source} cannot be used: write a literal (number, string, True/False, None, list or dict). Enhancing fails until then.`,
      });
    }
    if (!kw.literal && kw.name === 'domain') domainUnknowable = true;
  }
  const nonLiteralUnknowns = dec.keywords.filter((k) => !k.literal && !isCore(k.name) && k.name !== 'domain');

  const result = resolveConfig([...baseLayers, ...(domainUnknowable ? [{ domain: null }] : []), layer], ctx);
  const domainName = typeof layer.domain === 'string' ? layer.domain : (baseLayers.map((l) => l.domain).filter((d) => typeof d === 'string').pop() as string | undefined);
  const domainInfo = domainName ? ctx.domain(domainName) : undefined;
  const validKeys = [...CORE_KEYS, ...Object.keys(domainInfo?.params ?? {})];

  // A domain POET does not know is enhanced with the general rules: a warning, with the closest
  // name as a quick fix when it looks like a typo.
  const domainRange = where.get('domain');
  if (domainRange && typeof layer.domain === 'string') {
    for (const w of result.warnings.filter((x) => x.key === 'domain')) {
      // The fix replaces the whole string: offered for a plain name only, not a part of parent:child.
      const suggestion = layer.domain.includes(':') ? undefined : w.suggestion;
      issues.push({ code: DiagnosticCodes.unknownDomain, severity: 'warning', range: domainRange, message: w.message, ...(suggestion ? { suggestion: JSON.stringify(suggestion) } : {}) });
    }
  }
  if (!result.ok) {
    for (const issue of result.issues) {
      const top = issue.key.split('.')[0] ?? issue.key;
      if (top === 'domain') {
        const r = where.get('domain');
        if (!r) continue; // the domain came from settings
        issues.push({ code: classify(CoreConfigShape.domain, 'domain', 'domain', layer.domain), severity: 'error', range: r, message: `@poet ${issue.message}` });
        continue;
      }
      if (!seen.has(top)) continue; // not from this decorator
      const kw = seen.get(top)!;
      if (!isCore(top) && !(top in (domainInfo?.params ?? {}))) {
        if (domainUnknowable) continue; // the domain is an expression: its keys cannot be known here
        const suggestion = didYouMean(top, validKeys);
        issues.push({ code: DiagnosticCodes.unknownKey, severity: 'error', range: kw.nameRange, message: issue.message, ...(suggestion ? { suggestion } : {}) });
        continue;
      }
      if (!kw.literal) continue;
      if (issue.key.includes('.') && issue.message.startsWith('Unknown key')) {
        // a nested key (backoff={...}): the message names it and suggests the right one
        issues.push({ code: DiagnosticCodes.unknownKey, severity: 'error', range: where.get(top)!, message: `@poet ${issue.message}` });
        continue;
      }
      const schema = isCore(top) ? CoreConfigShape[top] : domainInfo?.params[top];
      issues.push({ code: classify(schema, top, issue.key, kw.value), severity: 'error', range: where.get(top)!, message: `@poet ${issue.message}` });
    }
  }
  // Non-literal keyword values still need a known key name.
  if (!domainUnknowable) {
    for (const kw of nonLiteralUnknowns) {
      if (validKeys.includes(kw.name)) continue;
      if (issues.some((i) => i.range === kw.nameRange)) continue;
      const suggestion = didYouMean(kw.name, validKeys);
      issues.push({
        code: DiagnosticCodes.unknownKey,
        severity: 'error',
        range: kw.nameRange,
        message: `Unknown key "${kw.name}"${domainName && domainInfo ? ` for domain "${domainName}"` : ''}.${suggestion ? ` Did you mean "${suggestion}"?` : ''} Valid keys: ${validKeys.join(', ')}.`,
        ...(suggestion ? { suggestion } : {}),
      });
    }
  }
  return issues.sort((a, b) => a.range.start.offset - b.range.start.offset);
}
