// Python literals in decorator arguments, evaluated from @lezer/python's tree:
// str, int/float, True/False, None, list, tuple (as a list) and dict with string keys.
// Anything else (names, calls, f-strings, bytes, sets, comprehensions) is not a literal
// and stays as source text in the model.
import type { SyntaxNode } from '@lezer/common';
import type { LiteralValue } from '../source/model';

/** Deeper nesting than this is kept as source text, so hostile input cannot exhaust the stack. */
const MAX_DEPTH = 64;

export type Evaluated = { ok: true; value: LiteralValue } | { ok: false };
const NOT_LITERAL: Evaluated = { ok: false };

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/**
 * The value of one Python string literal token, e.g. `'a\n'`, `r"x"`, `"""doc"""`.
 * Null for f-strings, bytes, unterminated strings and `\N{...}` escapes.
 */
export function decodeStringLiteral(token: string): string | null {
  const m = /^([rRuUbBfF]{0,2})('''|"""|'|")/.exec(token);
  if (!m) return null;
  const prefix = m[1]!.toLowerCase();
  const quote = m[2]!;
  if (prefix.includes('b') || prefix.includes('f')) return null;
  const start = m[0].length;
  const end = token.length - quote.length;
  if (end < start || !token.endsWith(quote)) return null;
  const body = token.slice(start, end);
  if (prefix.includes('r')) {
    // A raw string cannot end in an odd backslash; the tokenizer would have run on.
    return body;
  }
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[i + 1];
    if (n === undefined) return null;
    if (n === '\n') { i++; continue; }
    if (n === '\r') { i += body[i + 2] === '\n' ? 2 : 1; continue; }
    const simple = SIMPLE_ESCAPES[n];
    if (simple !== undefined) { out += simple; i++; continue; }
    if (n >= '0' && n <= '7') {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
      out += String.fromCodePoint(parseInt(oct, 8));
      i += oct.length;
      continue;
    }
    const hexLen = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
    if (hexLen > 0) {
      const hex = body.slice(i + 2, i + 2 + hexLen);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) return null;
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) return null;
      out += String.fromCodePoint(cp);
      i += 1 + hexLen;
      continue;
    }
    if (n === 'N') return null; // named escapes need the Unicode name table
    out += '\\' + n; // Python keeps unknown escapes as written
    i++;
  }
  return out;
}

/** The value of a Python int or float literal; null for complex numbers or unsafe integers. */
export function decodeNumberLiteral(token: string): number | null {
  const t = token.replace(/_/g, '');
  if (/[jJ]$/.test(t)) return null;
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) v = parseInt(t.slice(2), 16);
  else if (/^0[oO][0-7]+$/.test(t)) v = parseInt(t.slice(2), 8);
  else if (/^0[bB][01]+$/.test(t)) v = parseInt(t.slice(2), 2);
  else if (/^\d+$/.test(t)) v = parseInt(t, 10);
  else if (/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  else return null;
  return Number.isSafeInteger(v) ? v : null;
}

/** `obj[key] = value`, except that a key "__proto__" stays an own, plain key. */
export function setKey(obj: Record<string, LiteralValue>, key: string, value: LiteralValue): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Children of a bracketed node, grouped by top-level commas, brackets and comments dropped. */
export function commaGroups(node: SyntaxNode): SyntaxNode[][] {
  const groups: SyntaxNode[][] = [];
  let current: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    const name = c.name;
    if (name === ',') {
      groups.push(current);
      current = [];
    } else if (!['(', ')', '[', ']', '{', '}', 'Comment'].includes(name)) {
      current.push(c);
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Evaluates a node as a Python literal. */
export function evaluateLiteral(node: SyntaxNode, text: string, depth = 0): Evaluated {
  if (depth > MAX_DEPTH || node.type.isError) return NOT_LITERAL;
  const src = text.slice(node.from, node.to);
  switch (node.name) {
    case 'String': {
      const s = decodeStringLiteral(src);
      return s === null ? NOT_LITERAL : { ok: true, value: s };
    }
    case 'ContinuedString': {
      // Adjacent literals concatenate: "a" "b" == "ab".
      let s = '';
      for (let c = node.firstChild; c; c = c.nextSibling) {
        if (c.name === 'Comment') continue;
        if (c.name !== 'String') return NOT_LITERAL;
        const part = decodeStringLiteral(text.slice(c.from, c.to));
        if (part === null) return NOT_LITERAL;
        s += part;
      }
      return { ok: true, value: s };
    }
    case 'Number': {
      const n = decodeNumberLiteral(src);
      return n === null ? NOT_LITERAL : { ok: true, value: n };
    }
    case 'Boolean':
      return src === 'True' ? { ok: true, value: true } : src === 'False' ? { ok: true, value: false } : NOT_LITERAL;
    case 'None':
      return { ok: true, value: null };
    case 'UnaryExpression': {
      const op = node.firstChild;
      const operand = op?.nextSibling;
      if (!op || !operand || operand.nextSibling) return NOT_LITERAL;
      const opText = text.slice(op.from, op.to);
      if (opText !== '-' && opText !== '+') return NOT_LITERAL;
      const inner = evaluateLiteral(operand, text, depth + 1);
      if (!inner.ok || typeof inner.value !== 'number') return NOT_LITERAL;
      return { ok: true, value: opText === '-' ? -inner.value : inner.value };
    }
    case 'ParenthesizedExpression': {
      const groups = commaGroups(node);
      if (groups.length !== 1 || groups[0]!.length !== 1) return NOT_LITERAL;
      return evaluateLiteral(groups[0]![0]!, text, depth + 1);
    }
    case 'ArrayExpression':
    case 'TupleExpression': {
      const out: LiteralValue[] = [];
      for (const g of commaGroups(node)) {
        if (g.length !== 1) return NOT_LITERAL; // starred items, errors
        const v = evaluateLiteral(g[0]!, text, depth + 1);
        if (!v.ok) return NOT_LITERAL;
        out.push(v.value);
      }
      return { ok: true, value: out };
    }
    case 'DictionaryExpression': {
      const out: Record<string, LiteralValue> = {};
      for (const g of commaGroups(node)) {
        // key ':' value; `**spread` or anything else is not a literal.
        if (g.length !== 3 || g[1]!.name !== ':') return NOT_LITERAL;
        const k = evaluateLiteral(g[0]!, text, depth + 1);
        if (!k.ok || typeof k.value !== 'string') return NOT_LITERAL;
        const v = evaluateLiteral(g[2]!, text, depth + 1);
        if (!v.ok) return NOT_LITERAL;
        setKey(out, k.value, v.value);
      }
      return { ok: true, value: out };
    }
    default:
      return NOT_LITERAL;
  }
}
