// FunctionModel for every `def` / `async def` in a @lezer/python tree: signature,
// decorators with their literal arguments, docstring, enclosing defs and classes,
// ranges and exact source.
import type { SyntaxNode } from '@lezer/common';
import type { DecoratorArg, DecoratorModel, FunctionModel, LiteralValue, ParamModel, Range } from '../source/model';
import { evaluateLiteral, setKey } from './literals';
import { indentWidth, lineStartOf, type Source } from './positions';

function rangeOf(src: Source, from: number, to: number): Range {
  return src.lines.range(from + src.base, to + src.base);
}

function slice(src: Source, n: { from: number; to: number }): string {
  return src.text.slice(n.from, n.to);
}

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** End of the last non-white-space character at or before `to`. */
function trimEnd(text: string, from: number, to: number): number {
  let e = to;
  while (e > from && /\s/.test(text[e - 1]!)) e--;
  return e;
}

/**
 * The contents of a bracketed list (ParamList, ArgList) split at its commas: for each
 * item the nodes in it and the text span it covers (so that an item made only of an
 * anonymous token, like the `/` marker, can still be seen).
 */
interface Item { nodes: SyntaxNode[]; from: number; to: number }
function items(list: SyntaxNode): Item[] {
  const out: Item[] = [];
  let current: Item | null = null;
  for (const c of children(list)) {
    if (c.name === '(') {
      current = { nodes: [], from: c.to, to: c.to };
    } else if (c.name === ',' || c.name === ')') {
      if (current) {
        current.to = c.from;
        out.push(current);
      }
      current = c.name === ',' ? { nodes: [], from: c.to, to: c.to } : null;
    } else if (current && c.name !== 'Comment' && !(c.type.isError && c.from === c.to)) {
      current.nodes.push(c);
    }
  }
  if (current) {
    current.to = list.to;
    out.push(current);
  }
  return out;
}

/** Type text of a TypeDef node (`: int` or `-> list[int]`), or null when it is empty. */
function typeText(src: Source, typeDef: SyntaxNode | null): string | null {
  if (!typeDef) return null;
  const t = slice(src, typeDef).replace(/^\s*(:|->)/, '').trim();
  return t === '' ? null : t;
}

function params(src: Source, list: SyntaxNode | null): ParamModel[] {
  if (!list) return [];
  const out: ParamModel[] = [];
  for (const it of items(list)) {
    const nodes = it.nodes.filter((n) => !n.type.isError);
    if (nodes.length === 0) {
      // The positional-only marker is an anonymous token: only the text shows it.
      const raw = src.text.slice(it.from, it.to).replace(/#[^\n\r]*/g, '').trim();
      if (raw === '/') {
        const at = src.text.indexOf('/', it.from);
        out.push({ name: '/', type: null, default: null, range: rangeOf(src, at, at + 1) });
      }
      continue;
    }
    let i = 0;
    let star = '';
    if (nodes[0]!.name === '*' || nodes[0]!.name === '**') star = slice(src, nodes[i++]!);
    const nameNode = nodes[i]?.name === 'VariableName' ? nodes[i++]! : null;
    if (!nameNode && !star) continue;
    const name = star + (nameNode ? slice(src, nameNode) : '');
    let type: string | null = null;
    if (nodes[i]?.name === 'TypeDef') type = typeText(src, nodes[i++]!);
    let dflt: string | null = null;
    if (nodes[i]?.name === 'AssignOp' && nodes[i + 1]) {
      dflt = src.text.slice(nodes[i + 1]!.from, nodes[nodes.length - 1]!.to).trim();
    }
    const last = nodes[nodes.length - 1]!;
    out.push({ name, type, default: dflt, range: rangeOf(src, nodes[0]!.from, trimEnd(src.text, nodes[0]!.from, last.to)) });
  }
  return out;
}

function decoratorArg(src: Source, nodes: SyntaxNode[]): DecoratorArg {
  const from = nodes[0]!.from;
  const to = nodes[nodes.length - 1]!.to;
  const source = src.text.slice(from, to);
  const range = rangeOf(src, from, to);
  if (nodes.length === 1) {
    const v = evaluateLiteral(nodes[0]!, src.text);
    if (v.ok) return { source, literal: true, value: v.value, range };
  }
  return { source, literal: false, range };
}

function decorator(src: Source, node: SyntaxNode): DecoratorModel {
  const kids = children(node);
  const argList = kids.find((c) => c.name === 'ArgList') ?? null;
  // The name is the dotted path after `@`, written without the spaces Python allows in it.
  const name = kids
    .filter((c) => (c.name === 'VariableName' || c.name === '.') && (!argList || c.from < argList.from))
    .map((c) => slice(src, c))
    .join('');
  const positional: DecoratorArg[] = [];
  const keywords: DecoratorModel['keywords'] = [];
  const kwargs: Record<string, LiteralValue> = {};
  let args = '';
  if (argList) {
    const open = argList.firstChild;
    const close = argList.lastChild?.name === ')' ? argList.lastChild : null;
    args = src.text.slice(open ? open.to : argList.from, close ? close.from : argList.to).trim();
    for (const it of items(argList)) {
      const nodes = it.nodes.filter((n) => !n.type.isError);
      if (nodes.length === 0) continue;
      if (nodes.length >= 2 && nodes[0]!.name === 'VariableName' && nodes[1]!.name === 'AssignOp') {
        const kw = slice(src, nodes[0]!);
        const value = nodes.slice(2);
        const arg: DecoratorArg = value.length > 0
          ? decoratorArg(src, value)
          : { source: '', literal: false, range: rangeOf(src, nodes[1]!.to, nodes[1]!.to) };
        keywords.push({ ...arg, name: kw, nameRange: rangeOf(src, nodes[0]!.from, nodes[0]!.to) });
        if (arg.literal) setKey(kwargs, kw, arg.value!);
      } else {
        positional.push(decoratorArg(src, nodes));
      }
    }
  }
  const start = rangeOf(src, node.from, node.from).start;
  return {
    name,
    args,
    positional,
    keywords,
    kwargs,
    line: start.line,
    range: rangeOf(src, node.from, trimEnd(src.text, node.from, node.to)),
  };
}

function docstring(src: Source, first: SyntaxNode | undefined): string | null {
  if (!first || first.name !== 'ExpressionStatement') return null;
  const kids = children(first).filter((c) => c.name !== 'Comment');
  if (kids.length !== 1) return null;
  const k = kids[0]!;
  const parts = k.name === 'ContinuedString' ? children(k).filter((c) => c.name !== 'Comment') : [k];
  // Python only takes plain (or raw/unicode) string literals as docstrings: not f-strings, not bytes.
  const isDoc = parts.every((p) => p.name === 'String' && !/^[a-zA-Z]*[bBfF]/.test(slice(src, p)));
  return isDoc ? slice(src, k) : null;
}

const LINE = /[^\n\r]*/y;
function lineAt(text: string, at: number): string {
  LINE.lastIndex = at;
  return LINE.exec(text)![0];
}

/**
 * Lezer leaves comments outside the Body node. Python ignores comments for indentation, so a
 * comment after the last statement belongs to the function when it sits on that statement's line
 * or on a following line indented deeper than the `def`.
 */
function extendOverComments(text: string, end: number, defIndent: number): number {
  const rest = lineAt(text, end);
  let result = end;
  if (/^[ \t]*#/.test(rest)) result = trimEnd(text, end, end + rest.length);
  let p = end + rest.length;
  while (p < text.length) {
    p += text[p] === '\r' && text[p + 1] === '\n' ? 2 : 1;
    const line = lineAt(text, p);
    if (/^\s*$/.test(line)) {
      p += line.length;
      continue;
    }
    const m = /^([ \t]*)#/.exec(line);
    if (!m || indentWidth(text, p) <= defIndent) break;
    result = trimEnd(text, p, p + line.length);
    p += line.length;
  }
  return result;
}

/** Names of the defs and classes around `node`, outermost first. */
export function enclosingNames(text: string, node: SyntaxNode): string[] {
  const names: string[] = [];
  for (let p = node.parent; p; p = p.parent) {
    if (p.name !== 'FunctionDefinition' && p.name !== 'ClassDefinition') continue;
    const n = p.getChild('VariableName');
    if (n) names.unshift(text.slice(n.from, n.to));
  }
  return names;
}

export function functionModel(src: Source, fn: SyntaxNode): FunctionModel | null {
  const nameNode = fn.getChild('VariableName');
  if (!nameNode) return null; // `def` with nothing after it: reported as a syntax error only
  const first = fn.firstChild!;
  const kind = first.name === 'async' ? 'async def' : 'def';
  const paramList = fn.getChild('ParamList');
  const returnType = fn.getChild('TypeDef');
  const body = fn.getChild('Body');
  const decorated = fn.parent?.name === 'DecoratedStatement' ? fn.parent : null;
  const decoratorNodes = decorated ? children(decorated).filter((c) => c.name === 'Decorator') : [];
  const start = decoratorNodes[0]?.from ?? first.from;

  const colon = body?.firstChild?.name === ':' ? body.firstChild : null;
  const headerEnd = colon
    ? colon.to
    : trimEnd(src.text, nameNode.to, Math.max(nameNode.to, paramList?.to ?? 0, returnType?.to ?? 0));
  const statements = body
    ? children(body).filter((c) => c.name !== ':' && c.name !== 'Comment' && !(c.type.isError && c.from === c.to))
    : [];
  let bodyStart = headerEnd;
  let bodyEnd = headerEnd;
  if (statements.length > 0) {
    bodyStart = statements[0]!.from;
    bodyEnd = trimEnd(src.text, bodyStart, statements[statements.length - 1]!.to);
    bodyEnd = extendOverComments(src.text, bodyEnd, indentWidth(src.text, lineStartOf(src.text, start)));
  }
  const end = Math.max(bodyEnd, headerEnd);

  const range = rangeOf(src, start, end);
  return {
    language: 'python',
    name: slice(src, nameNode),
    kind,
    line: rangeOf(src, first.from, first.from).start.line,
    start_line: range.start.line,
    end_line: range.end.line,
    receiver: null,
    params: params(src, paramList),
    return_type: typeText(src, returnType),
    decorators: decoratorNodes.map((d) => decorator(src, d)),
    docstring: docstring(src, statements[0]),
    parents: enclosingNames(src.text, fn),
    composition: null,
    range,
    header_range: rangeOf(src, first.from, headerEnd),
    body_range: rangeOf(src, bodyStart, Math.max(bodyStart, bodyEnd)),
    name_range: rangeOf(src, nameNode.from, nameNode.to),
    source: src.file.slice(range.start.offset, range.end.offset),
  };
}
