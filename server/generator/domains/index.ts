// The domain registry: built-in domains, user-defined JSON domains from
// `.dana/poet/domains/NAME.json`, and `parent:child` composition. The service passes
// `configContext(workspace)` to resolveConfig; the language server uses the same for
// diagnostics and completion; the generator asks `getDomain` for a function's rules.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import type { ConfigContext, DomainConfigInfo } from '../../../shared/config';
import { PoetError } from '../../../shared/contract/errors';
import type { LiteralValue } from '../../../shared/source/model';
import { DomainFileSchema, tagRules, type RuleSet } from '../rules/schema';
import { building_management } from './building_management';
import { computation } from './computation';
import { data_processing } from './data_processing';
import { financial_services } from './financial_services';
import { healthcare } from './healthcare';
import { llm_optimization } from './llm_optimization';
import { ml_monitoring } from './ml_monitoring';
import { retail_ecommerce } from './retail_ecommerce';
import { security } from './security';
import { semiconductor } from './semiconductor';
import type { DomainDefinition, DomainParam } from './types';

export type { DomainDefinition, LearnableParam } from './types';

export const BUILTIN_DOMAINS: readonly DomainDefinition[] = [
  computation,
  financial_services,
  building_management,
  llm_optimization,
  ml_monitoring,
  healthcare,
  semiconductor,
  // The domains Dana's own POET framework defines, with rules that carry their meaning.
  data_processing,
  retail_ecommerce,
  security,
];
const BUILTIN = new Map(BUILTIN_DOMAINS.map((d) => [d.name, d]));

/** Names used by the original POET and its examples, accepted for the built-ins. */
export const DOMAIN_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  mathematical_operations: 'computation',
  math: 'computation',
  finance: 'financial_services',
  financial: 'financial_services',
  building: 'building_management',
  hvac: 'building_management',
  llm: 'llm_optimization',
  prompt_optimization: 'llm_optimization',
  ml: 'ml_monitoring',
  medical: 'healthcare',
});

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_-]{0,99}$/;
const DOMAINS_DIR = ['.dana', 'poet', 'domains'];

/** Workspace-relative path of a user domain file. */
export function userDomainPath(name: string): string {
  return [...DOMAINS_DIR, `${name}.json`].join('/');
}

function listUserDomains(workspace: string | undefined): string[] {
  if (!workspace) return [];
  try {
    return readdirSync(join(workspace, ...DOMAINS_DIR))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
      .filter((n) => NAME_RE.test(n) && !BUILTIN.has(n))
      .sort();
  } catch {
    return [];
  }
}

function formatZodPath(path: PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(top level)';
}

/** Reads and validates one user domain; a bad file is a 400 naming the file and the field. */
function loadUserDomain(workspace: string, name: string, seen: Set<string>): DomainDefinition | undefined {
  const rel = userDomainPath(name);
  let text: string;
  try {
    text = readFileSync(join(workspace, ...DOMAINS_DIR, `${name}.json`), 'utf8');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PoetError('invalid_request', `${rel}: not valid JSON (${(e as Error).message}). Fix the file or remove it.`, { file: rel });
  }
  const r = DomainFileSchema.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ field: formatZodPath(i.path), message: i.message }));
    const first = issues[0]!;
    throw new PoetError(
      'invalid_request',
      `${rel}: field "${first.field}": ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}.`,
      { file: rel, issues },
    );
  }
  const file = r.data;
  let parent: DomainDefinition | undefined;
  if (file.extends) {
    if (seen.has(file.extends)) throw new PoetError('invalid_request', `${rel}: field "extends": "${file.extends}" makes a cycle.`, { file: rel });
    parent = resolveOne(file.extends, workspace, new Set([...seen, name]));
    if (!parent) {
      throw new PoetError('invalid_request', `${rel}: field "extends": unknown domain "${file.extends}". Known domains: ${domainNames(workspace).join(', ')}.`, { file: rel });
    }
  }
  const own: RuleSet = { inputs: file.inputs, outputs: file.outputs };
  return {
    name,
    description: file.description ?? `User-defined domain (${rel}).`,
    origin: rel,
    params: parent?.params ?? {},
    learnableParams: parent?.learnableParams ?? [],
    retryOn: [...new Set([...(parent?.retryOn ?? []), ...(file.retry_on ?? [])])],
    rules(values, fn) {
      const base = parent ? tagRules(parent.rules(values, fn), parent.name) : { inputs: [], outputs: [] };
      const mine = tagRules(own, name);
      return { inputs: [...base.inputs, ...mine.inputs], outputs: [...base.outputs, ...mine.outputs] };
    },
  };
}

function resolveOne(name: string, workspace: string | undefined, seen = new Set<string>()): DomainDefinition | undefined {
  const builtin = BUILTIN.get(name);
  if (builtin) return builtin;
  const user = workspace && NAME_RE.test(name) ? loadUserDomain(workspace, name, seen) : undefined;
  return user ?? BUILTIN.get(DOMAIN_ALIASES[name] ?? '');
}

/** `parent:child`: the parent's rules first, then the child's; params of both (child wins). */
function compose(parts: DomainDefinition[]): DomainDefinition {
  if (parts.length === 1) return parts[0]!;
  const params: Record<string, DomainParam> = {};
  for (const p of parts) Object.assign(params, p.params);
  const learnable = new Map<string, DomainDefinition['learnableParams'][number]>();
  for (const p of parts) for (const l of p.learnableParams) learnable.set(l.key, l);
  return {
    name: parts.map((p) => p.name).join(':'),
    description: parts.map((p) => `${p.name}: ${p.description}`).join(' + '),
    origin: parts.map((p) => p.origin).join(' + '),
    params,
    retryOn: [...new Set(parts.flatMap((p) => p.retryOn ?? []))],
    learnableParams: [...learnable.values()],
    rules(values, fn) {
      const sets = parts.map((p) => tagRules(p.rules(values, fn), p.name));
      return { inputs: sets.flatMap((s) => s.inputs), outputs: sets.flatMap((s) => s.outputs) };
    },
  };
}

/** A domain by name, `parent:child` included; undefined when any part is unknown. */
export function getDomain(name: string, workspace?: string): DomainDefinition | undefined {
  const r = resolveDomain(name, workspace);
  return r.unknown.length ? undefined : r.domain;
}

/**
 * What a domain name means when some of it may be undefined: the known parts composed (undefined
 * when none is known), and the names that are not defined. An undefined name adds no rules; the
 * function is enhanced with the general ones (and resolveConfig says so in a warning).
 */
export function resolveDomain(name: string, workspace?: string): { domain: DomainDefinition | undefined; unknown: string[] } {
  const names = name.split(':').map((s) => s.trim());
  const parts: DomainDefinition[] = [];
  const unknown: string[] = [];
  for (const n of names) {
    const d = n ? resolveOne(n, workspace) : undefined;
    if (d) parts.push(d);
    else unknown.push(n);
  }
  return { domain: parts.length ? compose(parts) : undefined, unknown };
}

/** Every built-in and (valid-looking) user domain name, sorted built-ins first. */
export function domainNames(workspace?: string): string[] {
  return [...BUILTIN.keys(), ...listUserDomains(workspace)];
}

/** The config context resolveConfig needs: domain keys with their zod schemas. */
export function domainConfigContext(workspace?: string): ConfigContext {
  return {
    domain(name: string): DomainConfigInfo | undefined {
      const { domain: d, unknown } = resolveDomain(name, workspace);
      if (!d) return undefined;
      const params: Record<string, z.ZodType> = {};
      for (const [k, p] of Object.entries(d.params)) params[k] = p.schema;
      return unknown.length ? { params, unknown } : { params };
    },
    domainNames: () => domainNames(workspace),
  };
}

/** The name the service wires in (server/service/generators.ts). */
export const configContext = domainConfigContext;

/** Learnable parameters of a domain's known parts (for the learning loop); [] for none. */
export function learnableParams(name: string | null, workspace?: string): DomainDefinition['learnableParams'] {
  return name ? (resolveDomain(name, workspace).domain?.learnableParams ?? []) : [];
}

/** Domain parameter values for a config: the domain's defaults overlaid by the config's domain_params. */
export function domainValues(d: DomainDefinition, given: Record<string, LiteralValue>): Record<string, LiteralValue> {
  const out: Record<string, LiteralValue> = {};
  for (const [k, p] of Object.entries(d.params)) out[k] = given[k] ?? p.default;
  return out;
}
