// What a domain is: config keys it adds, parameters Train may tune, and the rules it
// contributes for one function (rules may depend on its config values and on the function).
import type { z } from 'zod';
import type { LiteralValue, FunctionModel } from '../../../shared/source/model';
import type { RuleSet } from '../rules/schema';

export interface DomainParam {
  schema: z.ZodType;
  default: LiteralValue;
  description: string;
}

/** A parameter the learning loop may tune, with the bounds it must stay within. */
export interface LearnableParam {
  key: string;
  min: number;
  max: number;
  default: number;
  description: string;
}

export interface DomainDefinition {
  name: string;
  description: string;
  /** Domain-specific config keys (`@poet(domain="financial_services", max_rate=30)`). */
  params: Record<string, DomainParam>;
  /** Config keys Train may adjust (core keys such as `timeout` or domain keys). */
  learnableParams: LearnableParam[];
  /** The rules for one function, given the effective domain parameter values. */
  rules(values: Record<string, LiteralValue>, fn: FunctionModel): RuleSet;
  /** Where it came from: "builtin", or the workspace-relative path of a user domain file. */
  origin: string;
  /** Exception class names that are transient in this domain (retried like connection errors). */
  retryOn?: string[];
}


export const num = (v: LiteralValue | undefined, fallback: number): number => (typeof v === 'number' ? v : fallback);
