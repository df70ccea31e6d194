// computation: numeric sanity for numeric parameters, zero divisors, the domains of sqrt
// and log, and a finite result. Which parameters are divisors or sqrt/log arguments is read
// from the function's source, so `a / b` protects `b` only.
import { z } from 'zod';
import type { FunctionModel } from '../../../shared/source/model';
import type { InputRule, OutputRule } from '../rules/schema';
import { num, type DomainDefinition } from './types';

function bodyText(fn: FunctionModel): string {
  return fn.source.slice(fn.body_range.start.offset - fn.range.start.offset);
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Parameters that appear as a divisor (`x / p`, `x % p`, `x // p`) in the body. */
export function divisorParams(fn: FunctionModel): string[] {
  const body = bodyText(fn);
  return fn.params.map((p) => p.name).filter((n) => new RegExp(`(?:/|%)\\s*\\(?\\s*${esc(n)}\\b(?!\\s*[\\[.(])`).test(body));
}

/** Parameters passed directly to sqrt(...) / log(...). */
export function callArgParams(fn: FunctionModel, fnNames: string[]): string[] {
  const body = bodyText(fn);
  const alt = fnNames.map(esc).join('|');
  return fn.params.map((p) => p.name).filter((n) => new RegExp(`\\b(?:${alt})\\s*\\(\\s*${esc(n)}\\s*\\)`).test(body) || (fnNames.includes('sqrt') && new RegExp(`\\b${esc(n)}\\s*\\*\\*\\s*\\(?\\s*0?\\.5`).test(body)));
}

export const computation: DomainDefinition = {
  name: 'computation',
  description: 'Numeric sanity: no NaN or infinities, bounded magnitude, no zero divisors, sqrt/log domains, finite results.',
  origin: 'builtin',
  params: {
    max_magnitude: { schema: z.number().positive(), default: 1e100, description: 'Largest absolute value accepted for a numeric input.' },
    output_max_magnitude: { schema: z.number().positive(), default: 1e100, description: 'Largest absolute value accepted for a numeric result.' },
  },
  learnableParams: [
    { key: 'timeout', min: 0.1, max: 300, default: 30, description: 'Seconds per attempt.' },
    { key: 'retries', min: 0, max: 5, default: 2, description: 'Extra attempts after a transient failure.' },
  ],
  rules(values, fn) {
    const maxAbs = num(values.max_magnitude, 1e100);
    const inputs: InputRule[] = [
      { params: ['*'], when_type: ['number', 'integer'], finite: true, max_abs: maxAbs, description: 'numeric inputs must be finite and of sane magnitude' },
    ];
    const divisors = divisorParams(fn);
    if (divisors.length) inputs.push({ params: divisors, non_zero: true, description: 'used as a divisor' });
    const sqrtArgs = callArgParams(fn, ['sqrt']);
    if (sqrtArgs.length) inputs.push({ params: sqrtArgs, min: 0, description: 'square root of a negative number' });
    const logArgs = callArgParams(fn, ['log', 'log10', 'log2', 'ln']);
    if (logArgs.length) inputs.push({ params: logArgs, gt: 0, description: 'logarithm of a non-positive number' });
    const outputs: OutputRule[] = [
      { finite: true, max_abs: num(values.output_max_magnitude, 1e100), description: 'numeric results must be finite' },
      { functions: ['*prob*'], min: 0, max: 1, description: 'a probability lies in [0, 1]' },
      { functions: ['*percent*', '*pct*'], min: 0, max: 100, description: 'a percentage lies in [0, 100]' },
      { functions: ['*count*', '*length*', '*size*', '*index*'], min: 0, description: 'counts and sizes are not negative' },
    ];
    return { inputs, outputs };
  },
};
