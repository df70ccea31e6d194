// What both generators share: the plan for a request (domain rules + optional extra rules),
// the effective Operate settings, and the header facts.
import { canonicalJson, type PoetConfig } from '../../shared/config';
import { PoetError } from '../../shared/contract/errors';
import type { GenerateRequest } from './types';
import { domainValues, getDomain, domainNames } from './domains/index';
import { buildPlan, type FunctionPlan } from './rules/plan';
import type { RuleSet } from './rules/schema';
import { suggestionSuffix } from '../../shared/util/suggest';

export const GENERATOR_VERSION = '1.0.2';

/** The rules that apply to a request: the domain's (with its parameter values) plus any extra. */
export function rulesFor(req: GenerateRequest, extra?: RuleSet): RuleSet {
  const name = req.config.domain;
  let rules: RuleSet = { inputs: [], outputs: [] };
  if (name) {
    const d = getDomain(name, req.workspace);
    if (!d) {
      const names = domainNames(req.workspace);
      throw new PoetError('invalid_request', `Unknown domain "${name}".${suggestionSuffix(name, names)} Known domains: ${names.join(', ')}.`);
    }
    rules = d.rules(domainValues(d, req.config.domain_params), req.fn);
  }
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
  };
}

/** Header lines (without comment markers), the same facts for both languages. */
export function headerLines(req: GenerateRequest, language: string): string[] {
  return [
    `POET enhanced ${language} for function "${req.fn.name}". Generated: do not edit; regenerate instead.`,
    `Source file: ${req.sourceFile ?? '(none: code given without a file)'}`,
    `Function: ${req.fn.name} (line ${req.fn.line})`,
    `Version: ${req.version}`,
    `Source hash: ${req.sourceHash}`,
    `Generator: poet-${language.toLowerCase()} ${GENERATOR_VERSION}`,
    `Config: ${canonicalJson(req.config)}`,
  ];
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
