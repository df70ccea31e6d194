// What both generators share: the plan for a request (domain rules + optional extra rules),
// the effective Operate settings, and the header facts.
import { canonicalJson, type PoetConfig } from '../../shared/config';
import type { GenerateRequest } from './types';
import { domainValues, resolveDomain } from './domains/index';
import { buildPlan, type FunctionPlan } from './rules/plan';
import type { RuleSet } from './rules/schema';

export const GENERATOR_VERSION = '2.0.0';

/** The rules that apply to a request: the domain's (with its parameter values) plus any extra. */
export function rulesFor(req: GenerateRequest, extra?: RuleSet): RuleSet {
  const name = req.config.domain;
  let rules: RuleSet = { inputs: [], outputs: [] };
  // A name that is not defined adds no rules (resolveConfig warned about it).
  const d = name ? resolveDomain(name, req.workspace).domain : undefined;
  if (d) rules = d.rules(domainValues(d, req.config.domain_params), req.fn);
  if (extra) rules = { inputs: [...rules.inputs, ...extra.inputs], outputs: [...rules.outputs, ...extra.outputs] };
  return rules;
}

export function planFor(req: GenerateRequest, extra?: RuleSet): FunctionPlan {
  return buildPlan(req.fn, rulesFor(req, extra), req.config.domain);
}

/** The Operate settings the runtimes read. */
export function operateConfig(c: PoetConfig) {
  return {
    retries: c.retries,
    timeout: c.timeout,
    total_timeout: c.total_timeout,
    backoff: { initial_s: c.backoff.initial_s, multiplier: c.backoff.multiplier, max_s: c.backoff.max_s, jitter: c.backoff.jitter },
    fallback: c.fallback,
    retry_one_shot: c.retry_one_shot,
  };
}

/** Exception class names retried for this function: the domain's (e.g. rate limits) and `retry_on`. */
export function retryOnFor(req: GenerateRequest): string[] {
  const names = new Set<string>();
  if (req.config.domain) for (const n of resolveDomain(req.config.domain, req.workspace).domain?.retryOn ?? []) names.add(n);
  for (const n of req.config.retry_on) names.add(n);
  return [...names];
}

/**
 * Header lines (without comment markers), the same facts for both languages. The rule for every
 * generated file: its first two lines are fixed text (Python reads an encoding declaration there),
 * and each value taken from a request appears only after them, escaped onto one line of printable
 * ASCII, so no request can steer how the file is read or add a line to it.
 */
export function headerLines(req: GenerateRequest, language: string, runtimePath: string | null): string[] {
  return [
    `POET enhanced ${language}: generated, do not edit; enhance the function again instead.`,
    `Function: ${commentText(req.fn.name)} (line ${req.fn.line})`,
    `Source file: ${req.sourceFile === null ? '(none: code given without a file)' : commentText(req.sourceFile)}`,
    `Storage key: ${commentText(req.key)}, version ${commentText(req.version)}`,
    `Source hash: ${commentText(req.sourceHash)}`,
    `Generator: poet-${language.toLowerCase()} ${GENERATOR_VERSION}${runtimePath ? `, runtime .dana/poet/${runtimePath}` : ''}`,
    `Config: ${commentText(canonicalJson(req.config))}`,
  ];
}

/** Text safe inside a one-line comment: printable ASCII only, anything else as \uXXXX. */
export function commentText(text: string): string {
  return text.replace(/[^\x20-\x7e]|\\/g, (c) => (c === '\\' ? '\\\\' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** Phases summary recorded in metadata.json. */
export function phasesSummary(plan: FunctionPlan, config: PoetConfig) {
  return {
    perceive: {
      params: Object.fromEntries(plan.params.map((p) => [p.name, { type: p.type?.text ?? null, normalize: p.normalize, checks: p.checks.map((c) => c.rule) }])),
    },
    operate: operateConfig(config),
    enforce: { type: plan.output.type?.text ?? null, checks: plan.output.checks.map((c) => c.rule) },
  };
}
