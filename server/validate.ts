// Request validation, for the service's routes and learning's: a zod failure becomes a 400
// whose details list each field.
import type { z } from 'zod';
import type { FieldIssue } from '../shared/contract/api';
import { PoetError } from '../shared/contract/errors';

export function zodIssues(error: z.ZodError, prefix: string[] = []): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) out.push({ field: [...path, k].join('.'), message: `Unknown field "${k}".` });
    } else {
      out.push({ field: path.join('.') || '(body)', message: issue.message });
    }
  }
  return out;
}

/** Parses `value` with `schema`, or throws 400 `invalid_request` naming every bad field. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = zodIssues(r.error);
  const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  throw new PoetError('invalid_request', `Invalid ${what}: ${summary}`, issues);
}
