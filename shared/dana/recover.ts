// Error recovery for the editor. Dana's own parser stops at the first error; an editor still
// wants every other function of the file. So:
// 1. parse top-level statements until an error; keep the statements before it;
// 2. skip the broken top-level statement: resume at the next line that starts at column 0 with
//    something that can begin a statement (outside strings), with a fresh indentation stack;
// 3. repeat until the end, collecting one error per broken region;
// 4. scan each broken region tolerantly: every `def` at the start of a logical line gets its
//    header parsed by the real parser and its body measured by indentation (comment lines
//    count, as in Dana), with parents taken from enclosing defs and struct-like blocks.
import type * as A from './ast';
import type { LineIndex } from '../source/lines';
import { Lexer, type Token } from './lexer';
import { Parser } from './parser';
import type { SyntaxIssue } from '../source/model';
import type { DefSite } from './functions';

/** Errors reported per file; recovery (and function extraction) goes on after that. */
export const MAX_ERRORS = 100;

export interface Recovered {
  body: A.Stmt[];
  errors: SyntaxIssue[];
  /** Broken top-level regions (offsets), in order. */
  broken: A.Loc[];
}

const RESYNC_KEYWORDS = new Set([
  'def', 'sync', 'struct', 'resource', 'agent_blueprint', 'interface', 'workflow', 'agent', 'if', 'while',
  'for', 'try', 'with', 'import', 'from', 'return', 'raise', 'assert', 'pass', 'break', 'continue', 'lambda',
  'private', 'public', 'local', 'system', 'not',
]);
const STRUCT_LIKE = new Set(['struct', 'resource', 'agent_blueprint', 'interface', 'workflow']);

/** `onStatement`: receive top-level statements one at a time instead of in `body`. */
export function parseWithRecovery(text: string, lines: LineIndex, onStatement?: (s: A.Stmt) => void): Recovered {
  const body: A.Stmt[] = [];
  const errors: SyntaxIssue[] = [];
  const broken: A.Loc[] = [];
  let offset = 0;
  let first = true;
  while (offset <= text.length) {
    const r = new Parser(text, lines, offset).parseTopLevel(first, onStatement);
    body.push(...r.body);
    if (!r.error) break;
    if (errors.length < MAX_ERRORS) errors.push(r.error.issue);
    else if (errors.length === MAX_ERRORS) {
      errors.push({ line: r.error.issue.line, column: r.error.issue.column, message: `more than ${MAX_ERRORS} syntax errors; the rest are not reported` });
    }
    const regionStart = first ? Math.min(r.stmtStart, r.error.offset) : r.stmtStart;
    first = false;
    const next = resyncPoint(text, lines, regionStart, Math.max(r.error.offset, regionStart));
    broken.push({ start: regionStart, end: next ?? text.length });
    if (next === null) break;
    offset = next;
  }
  return { body, errors, broken };
}

/** Indentation width of the line holding `offset`, up to `offset` (tabs count 8). */
function widthBefore(text: string, lineStart: number, offset: number): number {
  let w = 0;
  for (let i = lineStart; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0xfeff) w += c === 9 ? 8 : 1;
  }
  return w;
}

/**
 * Visit the tokens of [start, end) in flat mode; `first` is true for the first token of a line,
 * and `lineStart` is then the offset of that line. A BOM at offset 0 is skipped. Stops when
 * `visit` returns true.
 */
function scanFlat(text: string, start: number, end: number, visit: (t: Token, first: boolean, lineStart: number) => boolean | void): void {
  const lex = new Lexer(text, start, true);
  let first = true;
  for (;;) {
    const t = lex.next();
    if (t.type === 'eof' || t.start >= end) return;
    if (t.type === 'newline') {
      first = true;
      continue;
    }
    if (t.start === 0 && t.type === 'error' && text.charCodeAt(0) === 0xfeff) continue;
    let lineStart = -1;
    if (first) {
      lineStart = t.start;
      while (lineStart > 0) {
        const c = text.charCodeAt(lineStart - 1);
        if (c === 10 || c === 13) break;
        lineStart--;
      }
    }
    if (visit(t, first, lineStart)) return;
    first = false;
  }
}

/** The next line after the error's line that begins at column 0 with a statement starter. */
function resyncPoint(text: string, lines: LineIndex, regionStart: number, errorOffset: number): number | null {
  const after = lines.lineStart(lines.position(errorOffset).line + 1);
  if (after <= errorOffset) return null;
  let found: number | null = null;
  scanFlat(text, regionStart, text.length, (t, first, lineStart) => {
    if (!first || t.start < after || lineStart !== t.start) return false;
    if (t.type === 'name' || t.type === 'string' || t.type === 'number' || (t.type === 'kw' && RESYNC_KEYWORDS.has(t.value)) ||
        (t.type === 'op' && (t.value === '@' || t.value === '[' || t.value === '(' || t.value === '{'))) {
      found = t.start;
      return true;
    }
    return false;
  });
  return found;
}

interface Open {
  width: number;
  name: string;
  site: DefSite | null;
  lastEnd: number;
}

/** Defs in a broken region, found line by line (see the file comment). */
export function tolerantDefs(text: string, lines: LineIndex, region: A.Loc): DefSite[] {
  const out: DefSite[] = [];
  const stack: Open[] = [];
  let depth = 0;
  let skipUntil = -1;
  let pendingDoc: Open | null = null;
  let pendingDocAfter = -1;
  const close = (o: Open) => {
    if (o.site) o.site.body.end = Math.max(o.site.body.start, o.lastEnd);
  };
  scanFlat(text, region.start, region.end, (t, first, lineStart) => {
    if (t.start < skipUntil) return;
    const width = first ? widthBefore(text, lineStart, t.start) : -1;
    if (pendingDoc && t.start > pendingDocAfter) {
      // The first token of the body: a lone string literal is the docstring.
      if (first && width > pendingDoc.width && pendingDoc.site) {
        if (t.type === 'string') {
          const lineEnd = lines.lineStart(lines.position(t.end).line + 1);
          const nextOnLine = text.slice(t.end, lineEnd).trim();
          if (nextOnLine === '') pendingDoc.site.docstring = t.value;
        }
        pendingDoc.site.body.start = t.start;
      }
      pendingDoc = null;
    }
    const defLike = t.type === 'kw' && (t.value === 'def' || t.value === 'sync' || STRUCT_LIKE.has(t.value));
    const logical = first && (depth === 0 || defLike || (t.type === 'op' && t.value === '@'));
    if (logical) {
      depth = 0;
      while (stack.length && stack[stack.length - 1]!.width >= width) close(stack.pop()!);
      const parents = stack.map((o) => o.name);
      if ((t.type === 'kw' && (t.value === 'def' || t.value === 'sync')) || (t.type === 'op' && t.value === '@')) {
        const node = new Parser(text, lines, t.start).parseDefHeaderOnly() ?? fallbackHeader(text, t);
        if (node) {
          const headerEnd = node.kind === 'def' ? (node.headerLoc?.end ?? t.end) : (node.compositionLoc?.end ?? t.end);
          const site: DefSite = { node, parents, body: { start: headerEnd, end: headerEnd }, docstring: null };
          out.push(site);
          if (node.kind === 'def') {
            const o: Open = { width, name: node.name, site, lastEnd: headerEnd };
            stack.push(o);
            pendingDoc = o;
            pendingDocAfter = lines.lineStart(lines.position(headerEnd).line + 1) - 1;
          }
          skipUntil = headerEnd;
          for (const o of stack) o.lastEnd = headerEnd;
          return;
        }
      } else if (t.type === 'kw' && STRUCT_LIKE.has(t.value)) {
        const m = /^[ \t]+([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(t.end, t.end + 200));
        if (m) stack.push({ width, name: m[1]!, site: null, lastEnd: t.end });
      }
    }
    if (t.type === 'op') {
      if (t.value === '(' || t.value === '[' || t.value === '{') depth++;
      else if ((t.value === ')' || t.value === ']' || t.value === '}') && depth > 0) depth--;
    }
    for (const o of stack) o.lastEnd = t.end;
  });
  while (stack.length) close(stack.pop()!);
  return out;
}

/** When even the header does not parse: the name after `def` (and a `(receiver)` group), nothing else. */
function fallbackHeader(text: string, t: Token): A.FunctionDef | null {
  const lex = new Lexer(text, t.start, true);
  let defTok: Token | null = null;
  let sync = false;
  let depth = 0;
  for (let k = 0; k < 10_000; k++) {
    const x = lex.next();
    if (x.type === 'eof' || (x.type === 'newline' && defTok === null && depth === 0 && sync)) return null;
    if (x.type === 'newline') continue;
    if (defTok === null) {
      if (x.type === 'kw' && x.value === 'sync') sync = true;
      else if (x.type === 'kw' && x.value === 'def') defTok = x;
      continue;
    }
    if (x.type === 'op' && x.value === '(') depth++;
    else if (x.type === 'op' && x.value === ')') depth--;
    else if (depth === 0 && x.type === 'name') {
      const start = sync ? t.start + Math.max(0, text.slice(t.start, defTok.start).lastIndexOf('sync')) : defTok.start;
      return {
        kind: 'def', name: x.value, sync, receiver: null, params: [], returns: null, decorators: [], body: [],
        nameLoc: { start: x.start, end: x.end }, headerLoc: { start, end: x.end }, loc: { start, end: x.end },
      };
    } else if (depth <= 0) return null;
  }
  return null;
}
