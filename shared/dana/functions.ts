// The function model (shared/source/model.ts) from Dana syntax trees: every `def`, `sync def`,
// receiver method and declarative def, wherever it is nested, with exact ranges and source.
import type * as A from './ast';
import type { LineIndex } from '../source/lines';
import type { DecoratorArg, DecoratorModel, FunctionModel, LiteralValue, ParamModel, Range } from '../source/model';

export interface DefSite {
  node: A.FunctionDef | A.Declarative;
  parents: string[];
  /** Body range (offsets); for declarative defs empty at the end of the composition. */
  body: A.Loc;
  /** Raw docstring literal, or null. */
  docstring: string | null;
}

export class ModelBuilder {
  constructor(private readonly text: string, private readonly lines: LineIndex) {}

  range(loc: A.Loc): Range {
    const start = Math.min(Math.max(loc.start, 0), this.text.length);
    const end = Math.min(Math.max(loc.end, start), this.text.length);
    return { start: this.lines.position(start), end: this.lines.position(end) };
  }

  slice(loc: A.Loc | undefined): string | null {
    return loc ? this.text.slice(loc.start, loc.end) : null;
  }

  /** Last line of a range whose end is exclusive. */
  private lastLine(loc: A.Loc): number {
    return this.lines.position(Math.max(loc.start, loc.end - 1)).line;
  }

  param(p: A.Param): ParamModel {
    return {
      name: p.name,
      type: p.type ? this.slice(p.type.loc) : null,
      default: p.default ? this.slice(p.default.loc) : null,
      range: this.range(p.loc ?? { start: 0, end: 0 }),
    };
  }

  decorator(d: A.Decorator): DecoratorModel {
    const loc = d.loc ?? { start: 0, end: 0 };
    const src = this.text.slice(loc.start, loc.end);
    let args = '';
    if (d.args !== null) {
      const open = src.indexOf('(');
      args = src.slice(open + 1, src.length - 1);
    }
    const positional: DecoratorArg[] = [];
    const keywords: DecoratorModel['keywords'] = [];
    const kwargs: Record<string, LiteralValue> = {};
    for (const a of d.args ?? []) {
      const value = literalValue(a.value);
      const arg: DecoratorArg = {
        source: this.slice(a.value.loc) ?? '',
        literal: value !== NOT_LITERAL,
        range: this.range(a.value.loc ?? loc),
      };
      if (value !== NOT_LITERAL) arg.value = value;
      if (a.name === null) positional.push(arg);
      else {
        const ns = a.loc?.start ?? loc.start;
        keywords.push({ ...arg, name: a.name, nameRange: this.range({ start: ns, end: ns + a.name.length }) });
        if (value !== NOT_LITERAL) kwargs[a.name] = value;
      }
    }
    return { name: d.name, args, positional, keywords, kwargs, line: this.lines.position(loc.start).line, range: this.range(loc) };
  }

  model(site: DefSite): FunctionModel {
    const n = site.node;
    const header = n.headerLoc ?? n.loc ?? { start: 0, end: 0 };
    const decorators = n.kind === 'def' ? n.decorators.map((d) => this.decorator(d)) : [];
    const start = n.kind === 'def' && n.decorators[0]?.loc ? n.decorators[0].loc.start : header.start;
    const end = n.kind === 'declarative' ? (n.compositionLoc?.end ?? header.end) : Math.max(site.body.end, header.end);
    const line = this.lines.position(header.start).line;
    const full = { start, end };
    return {
      language: 'dana',
      name: n.name,
      kind: n.kind === 'declarative' ? 'declarative' : n.sync ? 'sync def' : 'def',
      line,
      start_line: decorators[0]?.line ?? line,
      end_line: this.lastLine(full),
      receiver: n.kind === 'def' && n.receiver ? { name: n.receiver.name, type: n.receiver.type ? this.slice(n.receiver.type.loc) : null } : null,
      params: n.params.map((p) => this.param(p)),
      return_type: n.returns ? this.slice(n.returns.loc) : null,
      decorators,
      docstring: site.docstring,
      parents: site.parents,
      composition: n.kind === 'declarative' ? this.slice(n.compositionLoc) : null,
      range: this.range(full),
      header_range: this.range(header),
      body_range: this.range(site.body),
      name_range: this.range(n.nameLoc ?? header),
      source: this.text.slice(full.start, full.end),
    };
  }
}

/**
 * The docstring of a body: its first statement when that is a lone string literal (as Dana's
 * own tooling sees it, a trailing comment on that line disqualifies it).
 */
export function docstringOf(body: A.Stmt[]): string | null {
  const first = body[0];
  return first && first.kind === 'expr' && first.expr.kind === 'string' && first.comment === undefined ? first.expr.raw : null;
}

/** Every def in the statements, nested ones included, with their parents. */
export function collectDefs(body: A.Stmt[], parents: string[] = [], out: DefSite[] = []): DefSite[] {
  for (const s of body) {
    switch (s.kind) {
      case 'def': {
        out.push({ node: s, parents, body: s.bodyLoc ?? s.loc ?? { start: 0, end: 0 }, docstring: docstringOf(s.body) });
        collectDefs(s.body, [...parents, s.name], out);
        break;
      }
      case 'declarative': {
        const end = s.compositionLoc?.end ?? s.loc?.end ?? 0;
        out.push({ node: s, parents, body: { start: end, end }, docstring: null });
        break;
      }
      case 'definition':
        for (const m of s.members) if (m.kind === 'def') collectDefs([m], [...parents, s.name], out);
        break;
      case 'if':
        collectDefs(s.body, parents, out);
        for (const e of s.elifs) collectDefs(e.body, parents, out);
        if (s.orelse) collectDefs(s.orelse, parents, out);
        break;
      case 'while': case 'for': case 'with':
        collectDefs(s.body, parents, out);
        break;
      case 'try':
        collectDefs(s.body, parents, out);
        for (const h of s.handlers) collectDefs(h.body, parents, out);
        if (s.finalbody) collectDefs(s.finalbody, parents, out);
        break;
      default:
        break;
    }
  }
  return out;
}

// ---------- literal values of decorator arguments ----------

const NOT_LITERAL = Symbol('not a literal');

function literalValue(e: A.Expr): LiteralValue | typeof NOT_LITERAL {
  switch (e.kind) {
    case 'string': return stringValue(e.raw) ?? NOT_LITERAL;
    case 'number': return Number(e.text);
    case 'bool': return e.value;
    case 'none': return null;
    case 'paren': return literalValue(e.expr);
    case 'unary': {
      const v = literalValue(e.operand);
      return typeof v === 'number' ? (e.op === '-' ? -v : v) : NOT_LITERAL;
    }
    case 'list': case 'tuple': {
      const out: LiteralValue[] = [];
      for (const item of e.items) {
        const v = literalValue(item);
        if (v === NOT_LITERAL) return NOT_LITERAL;
        out.push(v);
      }
      return out;
    }
    case 'dict': {
      const out: Record<string, LiteralValue> = {};
      for (const { key, value } of e.entries) {
        const k = literalValue(key);
        const v = literalValue(value);
        if (typeof k !== 'string' || v === NOT_LITERAL) return NOT_LITERAL;
        out[k] = v;
      }
      return out;
    }
    default: return NOT_LITERAL;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', a: '\x07', '0': '\0', '\\': '\\', "'": "'", '"': '"', '\n': '',
};

/** The value of a string literal; null for f-strings (not literal values). */
export function stringValue(raw: string): string | null {
  let s = raw;
  const prefix = /^[fFrR]/.test(s) ? s[0]!.toLowerCase() : '';
  if (prefix === 'f') return null;
  if (prefix) s = s.slice(1);
  const q = s.startsWith('"""') || s.startsWith("'''") ? 3 : 1;
  const body = s.slice(q, s.length - q);
  if (prefix === 'r') return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const d = body[i + 1]!;
    const simple = SIMPLE_ESCAPES[d];
    if (simple !== undefined) {
      out += simple;
      i++;
    } else if ((d === 'x' || d === 'u') && /^[0-9a-fA-F]+$/.test(body.slice(i + 2, i + (d === 'x' ? 4 : 6)))) {
      const len = d === 'x' ? 2 : 4;
      out += String.fromCharCode(parseInt(body.slice(i + 2, i + 2 + len), 16));
      i += 1 + len;
    } else {
      out += c;
    }
  }
  return out;
}
