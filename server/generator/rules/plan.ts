// From a function model and its domain's rules to a plan: for each parameter, the type its
// annotation demands, the normalisers and the checks that apply; for the result, the same.
// The plan is plain data; each language renders it as a literal its runtime interprets, so the
// rule data live here once and no check is written twice per language.
import type { FunctionModel, LiteralValue, ParamModel } from '../../../shared/source/model';
import { matchesPattern, type InputRule, type Normalizer, type OutputRule, type RuleSet, type ValueType } from './schema';

/** What an annotation demands at run time; `kinds` empty means "not checkable" (a class, Any, a type variable). */
export interface TypeSpec {
  /** Annotation text as written. */
  text: string;
  /** Accepted runtime kinds: int, float, str, bool, list, dict, tuple, set. */
  kinds: string[];
  nullable: boolean;
}

/** One check: the rule's check fields plus where it came from, in a fixed key order. */
export type Check = Record<string, LiteralValue>;

export type ParamKind = 'regular' | 'posonly' | 'kwonly' | 'varargs' | 'varkw';

export interface ParamPlan {
  name: string;
  kind: ParamKind;
  annotation: string | null;
  default: string | null;
  type: TypeSpec | null;
  normalize: Normalizer[];
  checks: Check[];
}

export interface FunctionPlan {
  name: string;
  domain: string | null;
  params: ParamPlan[];
  output: { type: TypeSpec | null; checks: Check[] };
}

const CHECK_KEYS = [
  'type', 'finite', 'max_abs', 'non_zero', 'gt', 'min', 'max', 'enum', 'pattern', 'non_empty', 'min_length', 'max_length',
  'no_control_chars', 'items_finite', 'mean_min', 'mean_max', 'field', 'exclusive', 'threshold', 'interlock', 'parse_json',
] as const;

// Abstract types (Mapping, Sequence, Iterable) are not checked: many concrete types satisfy them.
const SCALAR: Record<string, string[]> = {
  int: ['int'], float: ['int', 'float'], complex: ['complex', 'float', 'int'], str: ['str'], string: ['str'], bool: ['bool'],
  list: ['list'], List: ['list'], dict: ['dict'], Dict: ['dict'],
  tuple: ['tuple'], Tuple: ['tuple'], set: ['set'], Set: ['set'], frozenset: ['set'],
};

/** Splits on a separator at bracket depth 0. */
function splitTop(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') depth--;
    if (ch === sep && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** Annotation text → what can be checked at run time (both languages use the same names). */
export function typeSpec(annotation: string | null, defaultText: string | null = null): TypeSpec | null {
  if (annotation === null) return null;
  const text = annotation.trim().replace(/^["']|["']$/g, '');
  const kinds = new Set<string>();
  let nullable = defaultText !== null && /^None$/.test(defaultText.trim());
  let checkable = true;
  const visit = (t: string): void => {
    t = t.trim().replace(/^typing\./, '');
    const m = /^([A-Za-z_][A-Za-z0-9_.]*)\s*(?:\[(.*)\])?$/s.exec(t);
    if (!m) {
      checkable = false;
      return;
    }
    const head = m[1]!;
    const args = m[2];
    if (head === 'None' || head === 'NoneType') nullable = true;
    else if (head === 'Optional' && args !== undefined) {
      nullable = true;
      visit(args);
    } else if (head === 'Union' && args !== undefined) splitTop(args, ',').forEach(visit);
    else if (SCALAR[head]) SCALAR[head].forEach((k) => kinds.add(k));
    else checkable = false; // Any, any, object, classes, type variables
  };
  splitTop(text, '|').forEach(visit);
  if (!checkable || kinds.size === 0) return nullable && kinds.size > 0 ? { text, kinds: [...kinds].sort(), nullable } : { text, kinds: [], nullable: true };
  return { text, kinds: [...kinds].sort(), nullable };
}

const VALUE_KINDS: Record<ValueType, string[]> = {
  number: ['int', 'float'], integer: ['int'], string: ['str'], boolean: ['bool'], list: ['list', 'tuple'], dict: ['dict'],
};

function whenTypeMatches(rule: InputRule, spec: TypeSpec | null): boolean {
  if (!spec || spec.kinds.length === 0) return true; // unknown type: the runtime checks apply by value kind
  // A rule that demands another type than the annotation (an `amount: str`) is not about this parameter.
  if (rule.type && !VALUE_KINDS[rule.type].some((k) => spec.kinds.includes(k))) return false;
  if (!rule.when_type) return true;
  return rule.when_type.some((w) => VALUE_KINDS[w].some((k) => spec.kinds.includes(k)));
}

function checkOf(rule: (InputRule | OutputRule) & { origin?: string }, fallback: string): Check {
  const source = rule.origin ?? fallback;
  const c: Check = {};
  for (const k of CHECK_KEYS) {
    const v = (rule as Record<string, unknown>)[k];
    if (v !== undefined) c[k] = v as LiteralValue;
  }
  c.rule = rule.description ? `${source}: ${rule.description}` : source;
  return c;
}

/** Python parameter kinds from the model's names (`*args`, `**kw`, `/` and `*` markers). */
function paramKinds(params: ParamModel[]): Array<{ p: ParamModel; kind: ParamKind; name: string } | null> {
  const slash = params.findIndex((p) => p.name === '/');
  let kwonly = false;
  return params.map((p, i) => {
    if (p.name === '/') return null;
    if (p.name === '*') {
      kwonly = true;
      return null;
    }
    if (p.name.startsWith('**')) return { p, kind: 'varkw', name: p.name.slice(2) };
    if (p.name.startsWith('*')) {
      kwonly = true;
      return { p, kind: 'varargs', name: p.name.slice(1) };
    }
    return { p, kind: kwonly ? 'kwonly' : i < slash ? 'posonly' : 'regular', name: p.name };
  });
}

export function buildPlan(fn: FunctionModel, rules: RuleSet, domain: string | null): FunctionPlan {
  const source = domain ?? 'rules';
  const params: ParamPlan[] = [];
  for (const entry of paramKinds(fn.params)) {
    if (!entry) continue;
    const { p, kind, name } = entry;
    const spec = kind === 'regular' || kind === 'posonly' || kind === 'kwonly' ? typeSpec(p.type, p.default) : null;
    const normalize: Normalizer[] = [];
    const checks: Check[] = [];
    if (kind === 'regular' || kind === 'posonly' || kind === 'kwonly') {
      // Rules that name the parameter exactly win over pattern rules for the same concern: all apply, in order.
      for (const rule of rules.inputs) {
        if (!rule.params.some((pat) => matchesPattern(pat, name))) continue;
        if (rule.exclude?.some((pat) => matchesPattern(pat, name))) continue;
        if (!whenTypeMatches(rule, spec)) continue;
        for (const n of rule.normalize ?? []) if (!normalize.includes(n)) normalize.push(n);
        const c = checkOf(rule, source);
        if (Object.keys(c).length > 1) checks.push(c);
      }
    }
    params.push({ name, kind, annotation: p.type, default: p.default, type: spec, normalize, checks });
  }
  const outChecks: Check[] = [];
  for (const rule of rules.outputs) {
    if (rule.functions && !rule.functions.some((pat) => matchesPattern(pat, fn.name))) continue;
    const c = checkOf(rule, source);
    if (Object.keys(c).length > 1) outChecks.push(c);
  }
  return { name: fn.name, domain, params, output: { type: typeSpec(fn.return_type), checks: outChecks } };
}
