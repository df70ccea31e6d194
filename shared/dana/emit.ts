// Dana source from a syntax tree, following the emission rules of dana-language.md §12:
// 4-space indentation, a final newline, `pass` in empty blocks, comments only where the
// grammar allows them, parentheses wherever Dana's precedence needs them (Dana's unary
// minus binds tighter than `**`, so `-(x ** 2)` keeps its parentheses), names checked
// against the reserved words. A tree that cannot be written as valid Dana (an empty struct,
// a reserved word as a name, `a[1::2]`) raises DanaEmitError instead of producing bad source.
import {
  isValidName, type Arg, type Decorator, type Definition, type Expr, type FunctionDef, type Param,
  type Program, type SingleType, type Slice, type StageFn, type Stmt, type TypeRef,
} from './ast';

export class DanaEmitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DanaEmitError';
  }
}

const INDENT = '    ';

function nm(s: string, what: string): string {
  if (!isValidName(s)) throw new DanaEmitError(`${what} ${JSON.stringify(s)} is not a valid Dana name (ASCII identifier, not a reserved word)`);
  return s;
}

/** A legal one-line `"..."` literal for any string value (newlines and quotes escaped). */
export function quoteString(value: string): string {
  let out = '"';
  for (const ch of value) {
    switch (ch) {
      case '\\': out += '\\\\'; break;
      case '"': out += '\\"'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      default: out += ch;
    }
  }
  return out + '"';
}

/** A docstring literal: `"""text"""` when the text allows it, else a one-line `"..."`. */
export function quoteDocstring(text: string): string {
  if (!text.includes('"""') && !text.endsWith('"') && !text.includes('\\') && !text.includes('\r')) return `"""${text}"""`;
  return quoteString(text);
}

/** A comment's text with its `#`, on one line. */
function commentText(text: string): string {
  const one = text.replace(/[\r\n]+/g, ' ');
  return one.startsWith('#') ? one : `# ${one}`;
}

function trailing(comment: string | undefined): string {
  return comment === undefined ? '' : `  ${commentText(comment)}`;
}

// ---------- precedence ----------
// pipe 1 < conditional 2 < or 3 < and 4 < not 5 < comparison 6 < + - 7 < * / // % 8 < ** 9
// < unary 10 < trailers 11 < atoms 12. A lambda swallows everything to its right, so it
// counts as 0 and gets parentheses everywhere except where a whole expression stands.
function prec(e: Expr): number {
  switch (e.kind) {
    case 'lambda': return 0;
    case 'pipe': return 1;
    case 'cond': return 2;
    case 'boolop': return e.op === 'or' ? 3 : 4;
    case 'not': return 5;
    case 'compare': return 6;
    case 'binary': return e.op === '+' || e.op === '-' ? 7 : e.op === '**' ? 9 : 8;
    case 'unary': return 10;
    case 'attr': case 'index': case 'call': return 11;
    default: return 12;
  }
}

function sub(e: Expr, min: number): string {
  const s = emitExpr(e);
  return prec(e) < min ? `(${s})` : s;
}

export function emitType(t: TypeRef): string {
  if (t.options.length === 0) throw new DanaEmitError('a type needs at least one alternative');
  return t.options.map(emitSingleType).join(' | ');
}

function emitSingleType(s: SingleType): string {
  const name = s.name === 'None' ? 'None' : nm(s.name, 'type name');
  return s.args.length ? `${name}[${s.args.map(emitType).join(', ')}]` : name;
}

function emitSlice(s: Slice): string {
  const p = (e: Expr | null) => (e ? sub(e, 1) : '');
  if (s.step) {
    if (s.lower && s.upper) return `${p(s.lower)}:${p(s.upper)}:${p(s.step)}`;
    if (!s.lower && !s.upper) return `::${p(s.step)}`;
    throw new DanaEmitError('Dana slices with a step need both bounds or neither (`a[1::2]` is not Dana)');
  }
  return `${p(s.lower)}:${p(s.upper)}`;
}

function emitArgsInline(args: Arg[]): string {
  return args.map((a) => (a.name !== null ? `${nm(a.name, 'keyword argument')}=` : '') + sub(a.value, 0)).join(', ');
}

/** `(args)`; one argument per line when any carries a comment (a comment may not precede `)` after a comma). */
function emitArgs(args: Arg[], indent: string): string {
  if (!args.some((a) => a.comment !== undefined)) return `(${emitArgsInline(args)})`;
  const inner = indent + INDENT;
  const lines = args.map((a, i) => {
    const text = (a.name !== null ? `${nm(a.name, 'keyword argument')}=` : '') + sub(a.value, 0);
    return inner + text + (i < args.length - 1 ? ',' : '') + trailing(a.comment);
  });
  return `(\n${lines.join('\n')}\n${indent})`;
}

function emitCompClause(c: { targets: string[]; parenTargets: boolean; iter: Expr; cond: Expr | null }): string {
  if (c.targets.length === 0) throw new DanaEmitError('a for clause needs at least one target');
  const t = c.targets.map((x) => nm(x, 'loop target')).join(', ');
  return ` for ${c.parenTargets ? `(${t})` : t} in ${sub(c.iter, 3)}` + (c.cond ? ` if ${sub(c.cond, 3)}` : '');
}

export function emitExpr(e: Expr, indent = ''): string {
  switch (e.kind) {
    case 'name': return nm(e.id, 'name');
    case 'scoped': return `${e.scope}:${nm(e.id, 'name')}`;
    case 'number': return e.text;
    case 'string': return e.raw;
    case 'bool': return e.text;
    case 'none': return e.text;
    case 'placeholder': return '$$';
    case 'list': return `[${e.items.map((x) => sub(x, 0)).join(', ')}]`;
    case 'tuple':
      if (e.items.length === 0) return '()';
      if (e.items.length === 1) return `(${sub(e.items[0]!, 0)},)`;
      return `(${e.items.map((x) => sub(x, 0)).join(', ')})`;
    case 'set':
      if (e.items.length === 0) throw new DanaEmitError('Dana has no empty-set literal (`{}` is a dict)');
      return `{${e.items.map((x) => sub(x, 0)).join(', ')}}`;
    case 'dict': return `{${e.entries.map((kv) => `${sub(kv.key, 1)}: ${sub(kv.value, 1)}`).join(', ')}}`;
    case 'listcomp': return `[${sub(e.elt, 3)}${emitCompClause(e.clause)}]`;
    case 'setcomp': return `{${sub(e.elt, 3)}${emitCompClause(e.clause)}}`;
    case 'dictcomp': return `{(${sub(e.key, 3)}: ${sub(e.value, 3)})${emitCompClause(e.clause)}}`;
    case 'lambda': {
      let s = 'lambda';
      if (e.receiver) s += ` (${nm(e.receiver.name, 'receiver')}: ${emitType(e.receiver.type)})`;
      if (e.params.length) {
        s += ' ' + e.params.map((p) => nm(p.name, 'parameter') + (p.type ? `: ${emitType(p.type)}` : '') + (p.default ? ` = ${sub(p.default, 1)}` : '')).join(', ');
      }
      return `${s} :: ${sub(e.body, 0)}`;
    }
    case 'attr': {
      // `1.x` would lex as the number `1.` followed by a name.
      const obj = e.obj.kind === 'number' ? `(${e.obj.text})` : sub(e.obj, 11);
      return `${obj}.${nm(e.name, 'attribute')}`;
    }
    case 'index':
      if (e.items.length === 0) throw new DanaEmitError('an index needs at least one item');
      return `${sub(e.obj, 11)}[${e.items.map((x) => (x.kind === 'slice' ? emitSlice(x) : sub(x, 0))).join(', ')}]`;
    case 'call': return sub(e.func, 11) + emitArgs(e.args, indent);
    case 'unary': {
      const operand = sub(e.operand, 10);
      return e.op + (operand.startsWith('+') || operand.startsWith('-') ? ' ' : '') + operand;
    }
    case 'not': return `not ${sub(e.operand, 5)}`;
    case 'binary':
      if (e.op === '**') return `${sub(e.left, 10)} ** ${sub(e.right, 9)}`;
      return `${sub(e.left, prec(e))} ${e.op} ${sub(e.right, prec(e) + 1)}`;
    case 'compare':
      if (e.ops.length === 0 || e.ops.length !== e.rights.length) throw new DanaEmitError('a comparison needs one right operand per operator');
      return sub(e.left, 7) + e.ops.map((op, i) => ` ${op} ${sub(e.rights[i]!, 7)}`).join('');
    case 'boolop': {
      if (e.values.length < 2) throw new DanaEmitError(`'${e.op}' needs at least two operands`);
      const m = e.op === 'or' ? 4 : 5;
      return e.values.map((v) => sub(v, m)).join(` ${e.op} `);
    }
    case 'cond': return `${sub(e.body, 3)} if ${sub(e.test, 3)} else ${sub(e.orelse, 2)}`;
    case 'pipe':
      if (e.stages.length < 2) throw new DanaEmitError('a pipe needs at least two stages');
      return e.stages.map((s) => sub(s, 2)).join(' | ');
    case 'paren': return `(${emitExpr(e.expr, indent)})`;
  }
}

/** Assignment targets must be an atom (a name with trailers, a literal, a collection, a parenthesised expression). */
function isAtomTarget(e: Expr): boolean {
  let x = e;
  while (x.kind === 'attr' || x.kind === 'index' || x.kind === 'call') x = x.kind === 'call' ? x.func : x.obj;
  if (x !== e) return x.kind === 'name' || x.kind === 'scoped';
  return prec(e) === 12 || e.kind === 'lambda';
}

function emitTarget(e: Expr): string {
  return isAtomTarget(e) ? emitExpr(e) : `(${emitExpr(e)})`;
}

function emitParams(params: Param[], indent: string): string {
  const one = (p: Param) => nm(p.name, 'parameter') + (p.type ? `: ${emitType(p.type)}` : '') + (p.default ? ` = ${sub(p.default, 1)}` : '');
  if (!params.some((p) => p.comment !== undefined)) return `(${params.map(one).join(', ')})`;
  const inner = indent + INDENT;
  const lines = params.map((p, i) => inner + one(p) + (i < params.length - 1 ? ',' : '') + trailing(p.comment));
  return `(\n${lines.join('\n')}\n${indent})`;
}

function emitDecorator(d: Decorator, indent: string): string {
  return `${indent}@${nm(d.name, 'decorator')}` + (d.args ? emitArgs(d.args, indent) : '');
}

function emitStageFn(f: StageFn): string {
  switch (f.kind) {
    case 'fname': return nm(f.name, 'function');
    case 'fcall': return nm(f.name, 'function') + `(${emitArgsInline(f.args)})`;
    case 'flist': return `[${f.items.map(emitStageFn).join(', ')}]`;
  }
}

function block(body: Stmt[], indent: string, out: string[]): void {
  const inner = indent + INDENT;
  if (body.length === 0) out.push(`${inner}pass`);
  else for (const s of body) emitStmt(s, inner, out);
}

function header(text: string, comment: string | undefined): string {
  return text + ':' + (comment === undefined ? '' : ` ${commentText(comment)}`);
}

function emitFunctionDef(f: FunctionDef, indent: string, out: string[]): void {
  for (const d of f.decorators) out.push(emitDecorator(d, indent));
  let h = `${indent}${f.sync ? 'sync ' : ''}def `;
  if (f.receiver) h += emitParams([{ ...f.receiver, comment: undefined }], indent) + ' ';
  h += nm(f.name, 'function') + emitParams(f.params, indent) + (f.returns ? ` -> ${emitType(f.returns)}` : '');
  out.push(header(h, f.headerComment));
  block(f.body, indent, out);
}

function emitDefinition(d: Definition, indent: string, out: string[]): void {
  out.push(header(`${indent}${d.keyword} ${nm(d.name, d.keyword)}`, d.headerComment));
  const inner = indent + INDENT;
  const structShape = d.members.some((m) => m.kind === 'field' || m.kind === 'def');
  const ifaceShape = d.members.some((m) => m.kind === 'imethod' || m.kind === 'embed');
  if (structShape && ifaceShape) throw new DanaEmitError(`${d.keyword} ${d.name}: fields/defs and interface signatures cannot share one body`);
  // Struct-like bodies allow no comment lines; interface bodies do.
  const members = structShape ? d.members.filter((m) => m.kind !== 'comment') : d.members;
  if (members.length === 0) throw new DanaEmitError(`${d.keyword} ${d.name}: Dana needs at least one member (no \`pass\` in struct-like bodies)`);
  if (d.docstring !== null) out.push(inner + d.docstring);
  for (const m of members) {
    switch (m.kind) {
      case 'field':
        out.push(`${inner}${nm(m.name, 'field')}: ${emitType(m.type)}` + (m.default ? ` = ${sub(m.default, 0)}` : '') + trailing(m.comment));
        break;
      case 'def': emitFunctionDef(m, inner, out); break;
      case 'imethod':
        out.push(inner + nm(m.name, 'method') + emitParams(m.params, inner) + (m.returns ? ` -> ${emitType(m.returns)}` : '') + trailing(m.comment));
        break;
      case 'embed': out.push(inner + nm(m.name, 'interface') + trailing(m.comment)); break;
      case 'comment': out.push(inner + commentText(m.text)); break;
    }
  }
}

function emitStmt(s: Stmt, indent: string, out: string[]): void {
  const simple = (text: string, comment?: string): void => {
    out.push(indent + text + trailing(comment));
  };
  switch (s.kind) {
    case 'comment':
      for (const line of s.text.split(/\r?\n|\r/)) out.push(indent + commentText(line));
      return;
    case 'expr': return simple(emitExpr(s.expr, indent), s.comment);
    case 'assign':
      return simple(emitTarget(s.target) + (s.type ? `: ${emitType(s.type)}` : '') + ' = ' + emitExpr(s.value, indent), s.comment);
    case 'augassign': return simple(`${emitTarget(s.target)} ${s.op} ${emitExpr(s.value, indent)}`, s.comment);
    case 'return': return simple(s.value ? `return ${emitExpr(s.value, indent)}` : 'return', s.comment);
    case 'break': case 'continue': case 'pass': return simple(s.kind, s.comment);
    case 'raise':
      if (!s.exc && s.cause) throw new DanaEmitError('`raise from` needs an exception');
      return simple('raise' + (s.exc ? ` ${emitExpr(s.exc, indent)}` : '') + (s.cause ? ` from ${emitExpr(s.cause, indent)}` : ''), s.comment);
    case 'assert': return simple(`assert ${emitExpr(s.test, indent)}` + (s.msg ? `, ${emitExpr(s.msg, indent)}` : ''), s.comment);
    case 'import':
      return simple(`import ${s.module.split('.').map((p) => nm(p, 'module')).join('.')}` + (s.alias ? ` as ${nm(s.alias, 'alias')}` : ''), s.comment);
    case 'from': {
      const mod = '.'.repeat(s.level) + (s.module ? s.module.split('.').map((p) => nm(p, 'module')).join('.') : '');
      if (!mod) throw new DanaEmitError('`from` needs a module or a relative level');
      if (s.names !== '*' && s.names.length === 0) throw new DanaEmitError('`from ... import` needs at least one name');
      const names = s.names === '*' ? '*' : s.names.map((n) => nm(n.name, 'imported name') + (n.alias ? ` as ${nm(n.alias, 'alias')}` : '')).join(', ');
      return simple(`from ${mod} import ${names}`, s.comment);
    }
    case 'agent_alias': return simple(`agent ${nm(s.name, 'agent')}(${nm(s.base, 'agent base')})`, s.comment);
    case 'agent_base': return simple(`agent ${nm(s.name, 'agent')}`, s.comment);
    case 'declarative': {
      if (s.stages.length === 0) throw new DanaEmitError(`declarative def ${s.name} needs at least one stage`);
      const stages = s.stages.map((st) => emitStageFn(st.fn) + (st.as ? ` as ${nm(st.as, 'capture')}` : '')).join(' | ');
      return simple(`def ${nm(s.name, 'function')}${emitParams(s.params.map((p) => ({ ...p, comment: undefined })), indent)}` +
        (s.returns ? ` -> ${emitType(s.returns)}` : '') + ` = ${stages}`, s.comment);
    }
    case 'if':
      out.push(header(`${indent}if ${emitExpr(s.test, indent)}`, s.headerComment));
      block(s.body, indent, out);
      for (const b of s.elifs) {
        out.push(header(`${indent}elif ${emitExpr(b.test, indent)}`, b.headerComment));
        block(b.body, indent, out);
      }
      if (s.orelse) {
        out.push(header(`${indent}else`, s.elseComment));
        block(s.orelse, indent, out);
      }
      return;
    case 'while':
      out.push(header(`${indent}while ${emitExpr(s.test, indent)}`, s.headerComment));
      return block(s.body, indent, out);
    case 'for': {
      if (s.targets.length === 0) throw new DanaEmitError('`for` needs at least one target');
      const t = s.targets.map((x) => nm(x, 'loop target')).join(', ');
      out.push(header(`${indent}for ${s.parenTargets ? `(${t})` : t} in ${emitExpr(s.iter, indent)}`, s.headerComment));
      return block(s.body, indent, out);
    }
    case 'try':
      if (s.handlers.length === 0) throw new DanaEmitError('Dana needs at least one `except` after `try`');
      out.push(header(`${indent}try`, s.headerComment));
      block(s.body, indent, out);
      for (const h of s.handlers) {
        const spec = (h.type ? ` ${emitExpr(h.type, indent)}` : '') + (h.name ? ` as ${nm(h.name, 'exception name')}` : '');
        out.push(header(`${indent}except${spec}`, h.headerComment));
        block(h.body, indent, out);
      }
      if (s.finalbody) {
        out.push(header(`${indent}finally`, s.finallyComment));
        block(s.finalbody, indent, out);
      }
      return;
    case 'with': {
      // `with NAME(` always takes Dana's call form, which must be followed by `as`:
      // anything longer that starts that way is parenthesised.
      let ctx = emitExpr(s.context, indent);
      const plainCall = s.context.kind === 'call' && s.context.func.kind === 'name' && !s.context.args.some((a) => a.comment !== undefined);
      if (!plainCall && /^[A-Za-z_][A-Za-z0-9_]*\s*\(/.test(ctx)) ctx = `(${ctx})`;
      out.push(header(`${indent}with ${ctx} as ${nm(s.name, 'with target')}`, s.headerComment));
      return block(s.body, indent, out);
    }
    case 'def': return emitFunctionDef(s, indent, out);
    case 'definition': return emitDefinition(s, indent, out);
    case 'agent_def': {
      out.push(header(`${indent}agent ${s.name ? nm(s.name, 'agent') : ''}(${nm(s.base, 'agent base')})`, s.headerComment));
      if (s.docstring === null && s.fields.length === 0) throw new DanaEmitError('a singleton agent needs a docstring or at least one field');
      const inner = indent + INDENT;
      if (s.docstring !== null) out.push(inner + s.docstring);
      for (const f of s.fields) out.push(`${inner}${nm(f.name, 'field')} = ${emitExpr(f.value, inner)}` + trailing(f.comment));
      return;
    }
  }
}

function isBig(s: Stmt): boolean {
  return s.kind === 'def' || s.kind === 'definition' || s.kind === 'agent_def';
}

/** The program as Dana source: valid by construction, ending in one newline, never empty. */
export function emitDana(program: Program): string {
  const out: string[] = [];
  program.body.forEach((s, i) => {
    const prev = program.body[i - 1];
    if (prev && (isBig(s) || isBig(prev))) out.push('');
    emitStmt(s, '', out);
  });
  if (out.length === 0) out.push('# (empty program)');
  return out.join('\n') + '\n';
}

/** One statement at a given indentation (no final newline). */
export function emitStatement(s: Stmt, indent = ''): string {
  const out: string[] = [];
  emitStmt(s, indent, out);
  return out.join('\n');
}
