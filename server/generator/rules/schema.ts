// The declarative rule language. Built-in domains, user-defined domains
// (.dana/poet/domains/NAME.json) and LLM-suggested rules are all expressed in it, so one
// planner turns them into per-parameter checks and each language's runtime interprets them.
import { z } from 'zod';

/**
 * Normalisers from a fixed set; each language's runtime implements exactly these. They convert
 * only a value that does not have the parameter's annotated type (a string for a number), never a
 * valid one; `strip` and `lower` only shape the text that checks such as `enum` compare.
 */
export const NORMALIZERS = [
  'strip', // trim white space around strings
  'lower', // lower-case strings
  'number', // "1,234.5", "5 Torr", "72 bpm" → 1234.5 / 5 / 72
  'money', // "$50,000", "50K", "2.5M", "1.2B" → 50000 / 50000 / 2500000 / 1.2e9
  'ratio', // "25%" → 0.25, "0.25" → 0.25; a number is never rescaled
  'credit_score', // "excellent" → 780, "good" → 720, "fair" → 650, "poor" → 580, "score: 700" → 700
  'duration_years', // "30 months" → 2.5, "5 years" → 5
  'temperature_f', // "72°F", "22C", "295K" → degrees Fahrenheit
  'temperature_c', // the same, to degrees Celsius
  'bool', // "yes"/"no", "true"/"false", "on"/"off", "1"/"0" → booleans
] as const;
export type Normalizer = (typeof NORMALIZERS)[number];

/** Value kinds a rule may demand (after normalisation). */
export const VALUE_TYPES = ['number', 'integer', 'string', 'boolean', 'list', 'dict'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

const Num = z.number().refine(Number.isFinite, 'must be a finite number');
const Lit = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** The checks one rule can carry. Number checks apply to numbers, string checks to strings. */
const checkFields = {
  type: z.enum(VALUE_TYPES).optional(),
  min: Num.optional(),
  max: Num.optional(),
  /** Exclusive lower bound (e.g. the domain of log). */
  gt: Num.optional(),
  /** Reject NaN and ±infinity. */
  finite: z.boolean().optional(),
  max_abs: Num.optional(),
  non_zero: z.boolean().optional(),
  enum: z.array(Lit).min(1).max(200).optional(),
  /** A regular expression the whole string must match (Python `re.fullmatch` syntax). */
  pattern: z
    .string()
    .max(500)
    .refine((p) => {
      try {
        new RegExp(p);
        return true;
      } catch {
        return false;
      }
    }, 'must be a valid regular expression')
    .optional(),
  non_empty: z.boolean().optional(),
  min_length: z.number().int().min(0).optional(),
  max_length: z.number().int().min(0).optional(),
  /** Reject ASCII control characters other than tab, newline and carriage return. */
  no_control_chars: z.boolean().optional(),
  /** For lists: every element must be a finite number. */
  items_finite: z.boolean().optional(),
  /** For lists of numbers: bounds on their mean (drift against a baseline). */
  mean_min: Num.optional(),
  mean_max: Num.optional(),
};

export const InputRuleSchema = z
  .object({
    /** Parameter-name patterns, case-insensitive; `*` matches any run of characters. */
    params: z.array(z.string().min(1).max(100)).min(1).max(50),
    /** Parameter-name patterns the rule skips even when `params` matches (e.g. "*ratio*"). */
    exclude: z.array(z.string().min(1).max(100)).max(50).optional(),
    /** Only for parameters whose annotation is one of these (e.g. ["int", "float"]); any when absent. */
    when_type: z.array(z.enum(VALUE_TYPES)).optional(),
    normalize: z.array(z.enum(NORMALIZERS)).max(5).optional(),
    /** Why: shown in error messages (e.g. "credit scores run from 300 to 850"). */
    description: z.string().max(300).optional(),
    ...checkFields,
  })
  .strict();
export type InputRule = z.infer<typeof InputRuleSchema>;

export const OutputRuleSchema = z
  .object({
    /** Check this key of a dict result (or attribute of an object); skipped when absent. */
    field: z.string().min(1).max(100).optional(),
    /** Only for functions whose name matches one of these patterns. */
    functions: z.array(z.string().min(1).max(100)).max(50).optional(),
    /** Two fields that must not both exceed `threshold` (e.g. heating and cooling). */
    exclusive: z.tuple([z.string().min(1).max(100), z.string().min(1).max(100)]).optional(),
    threshold: Num.optional(),
    /** When field `when` exceeds `above`, field `require` must be at least `at_least`. */
    interlock: z.object({ when: z.string().min(1).max(100), above: Num, require: z.string().min(1).max(100), at_least: Num }).strict().optional(),
    /** Parse a string result as JSON (when the return type is structured). */
    parse_json: z.boolean().optional(),
    description: z.string().max(300).optional(),
    ...checkFields,
  })
  .strict();
export type OutputRule = z.infer<typeof OutputRuleSchema>;

export const RuleSetSchema = z
  .object({
    inputs: z.array(InputRuleSchema).max(200).default([]),
    outputs: z.array(OutputRuleSchema).max(200).default([]),
  })
  .strict();
/** Rules as the planner sees them: `origin` names the domain (or "llm") a rule came from. */
export type RuleSet = { inputs: Array<InputRule & { origin?: string }>; outputs: Array<OutputRule & { origin?: string }> };

/** Tags every untagged rule with its origin (so composed domains name the right part in messages). */
export function tagRules(rules: RuleSet, origin: string): RuleSet {
  return {
    inputs: rules.inputs.map((r) => (r.origin ? r : { ...r, origin })),
    outputs: rules.outputs.map((r) => (r.origin ? r : { ...r, origin })),
  };
}

/** A user-defined domain file: `.dana/poet/domains/NAME.json`. */
export const DomainFileSchema = z
  .object({
    description: z.string().max(500).optional(),
    /** Extend another domain (built-in or user-defined): its rules apply first. */
    extends: z.string().min(1).max(100).optional(),
    inputs: z.array(InputRuleSchema).max(200).default([]),
    outputs: z.array(OutputRuleSchema).max(200).default([]),
    /** Default retries/timeout the domain recommends (informational for Train). */
    learnable: z.array(z.string().min(1).max(100)).max(50).optional(),
    /** Exception class names that are transient in this domain (`Name` or `pkg.Name`). */
    retry_on: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/)).max(50).optional(),
  })
  .strict();
export type DomainFile = z.infer<typeof DomainFileSchema>;

/** `*` wildcard, case-insensitive, whole name. */
export function matchesPattern(pattern: string, name: string): boolean {
  const re = new RegExp('^' + pattern.split('*').map(escapeRe).join('.*') + '$', 'i');
  return re.test(name);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
