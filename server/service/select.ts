// Picks the function to enhance out of submitted code, and reads its @poet(...) arguments.
import type { FieldIssue } from '../../shared/contract/api';
import { PoetError } from '../../shared/contract/errors';
import { findFunction, poetDecorator, qualifiedName } from '../../shared/source/locate';
import type { FunctionModel, LiteralValue, ParsedFile } from '../../shared/source/model';
import { suggestionSuffix } from '../../shared/util/suggest';

/** The named function, or the only top-level one; 400 with the candidates otherwise. */
export function selectFunction(parsed: ParsedFile, functionName: string | undefined): FunctionModel {
  const names = parsed.functions.map(qualifiedName);
  if (functionName !== undefined) {
    const fn = findFunction(parsed, functionName);
    if (fn) return fn;
    throw new PoetError(
      'invalid_request',
      `The code defines no function "${functionName}".${suggestionSuffix(functionName, names)}${names.length ? ` It defines: ${names.join(', ')}.` : ''}`,
      [{ field: 'function_name', message: 'not defined in code' }],
    );
  }
  const top = parsed.functions.filter((f) => f.parents.length === 0);
  if (top.length === 1) return top[0]!;
  if (top.length === 0 && parsed.functions.length === 1) return parsed.functions[0]!;
  if (parsed.functions.length === 0) {
    throw new PoetError('invalid_request', 'The code defines no function. Send the function\'s source (with its def line) in "code".', [
      { field: 'code', message: 'no function definition found' },
    ]);
  }
  throw new PoetError('invalid_request', `The code defines several functions (${names.join(', ')}); say which one in "function_name".`, [
    { field: 'function_name', message: `required when code defines several functions: ${names.join(', ')}` },
  ]);
}

/**
 * The function's own config from `@poet(...)`: keyword arguments, and a positional first
 * argument as the domain. Non-literal arguments cannot be evaluated here, so they are 400s.
 */
export function decoratorConfig(fn: FunctionModel): { layer: Record<string, LiteralValue>; issues: FieldIssue[] } {
  const d = poetDecorator(fn);
  const layer: Record<string, LiteralValue> = {};
  const issues: FieldIssue[] = [];
  if (!d) return { layer, issues };
  d.positional.forEach((arg, i) => {
    if (i > 0) {
      issues.push({ field: `@poet[${i}]`, message: `Only the first positional argument (the domain) is allowed; use keywords: ${arg.source}` });
    } else if (!arg.literal || !(typeof arg.value === 'string' || arg.value === null)) {
      issues.push({ field: '@poet[0]', message: `The first positional argument is the domain and must be a string literal, not ${arg.source}` });
    } else {
      layer.domain = arg.value as string | null;
    }
  });
  for (const kw of d.keywords) {
    if (!kw.literal || kw.value === undefined) {
      issues.push({ field: `@poet.${kw.name}`, message: `@poet(${kw.name}=...) must be a literal value (number, string, bool, None, list or dict), not ${kw.source}` });
    } else {
      layer[kw.name] = kw.value;
    }
  }
  return { layer, issues };
}
