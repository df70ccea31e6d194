// The prompt for LLM rule suggestions: the rule schema, the function and the rules already in
// force. Deterministic for the same input (its hash is recorded in metadata).
import { canonicalJson } from '../../../shared/config';
import { NORMALIZERS, VALUE_TYPES } from '../rules/schema';
import { rulesFor } from '../common';
import type { GenerateRequest } from '../types';

const SCHEMA = `{"inputs": [InputRule], "outputs": [OutputRule]}
InputRule: {"params": [name patterns, "*" wildcard], "exclude"?: [patterns], "when_type"?: [type],
  "normalize"?: [one of ${NORMALIZERS.join(', ')}], "type"?: one of ${VALUE_TYPES.join(', ')},
  "min"?, "max"?, "gt"?: number, "finite"?, "non_zero"?, "non_empty"?, "no_control_chars"?, "items_finite"?: boolean,
  "max_abs"?, "mean_min"?, "mean_max"?: number, "enum"?: [literals], "pattern"?: regex, "min_length"?, "max_length"?: integer,
  "description": short reason}
OutputRule: {"field"?: dict key of the result, "functions"?: [name patterns], "exclusive"?: [field, field], "threshold"?: number,
  "interlock"?: {"when": field, "above": number, "require": field, "at_least": number}, "parse_json"?: boolean,
  and the same checks as InputRule (no params/normalize), "description": short reason}`;

export function buildPrompt(req: GenerateRequest): { system: string; user: string } {
  const system = [
    'You propose input and output validation rules for a function, as JSON data only.',
    'Answer with one JSON object in exactly this schema and nothing else (no code, no prose):',
    SCHEMA,
    'Propose only rules that follow from the function\'s names, types, docstring and body; do not repeat the existing rules.',
    'Return {"inputs": [], "outputs": []} when nothing is missing.',
  ].join('\n');
  const existing = rulesFor(req);
  const user = [
    `Language: ${req.fn.language}`,
    `Domain: ${req.config.domain ?? '(none)'}`,
    'Function:',
    req.fn.source,
    `Existing rules: ${canonicalJson(existing)}`,
  ].join('\n');
  return { system, user };
}
