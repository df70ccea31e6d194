// Hand-written recursive-descent parser for Dana's HEAD grammar (dana-language.md §3–§9).
// It accepts what Dana's LALR parser accepts, including its quirks: comments only where the
// grammar has a COMMENT slot, no trailing comma in parameters, `with NAME(` always taking the
// call form, comprehension parts being `or` expressions, keyword-prefix splitting after an
// operand (`a orb` reads as `a or b`, as Dana's contextual lexer does).
//
// Errors never escape: a syntax error is a `Bail` caught by the top-level loop, which records
// it (line, column, what was expected) and returns the statements parsed so far. Recursion
// is bounded by MAX_DEPTH, so deeply nested input yields an error, not a stack overflow.
import type * as A from './ast';
import { LineIndex } from '../source/lines';
import { Lexer, type Token } from './lexer';
import type { SyntaxIssue } from '../source/model';

/** Nesting limit for brackets, blocks, unary chains, lambdas and types. Dana itself has none. */
export const MAX_DEPTH = 300;

class Bail {
  constructor(readonly issue: SyntaxIssue, readonly offset: number) {}
}

const SCOPES = new Set(['private', 'public', 'local', 'system']);
const TRUE_WORDS = new Set(['True', 'true', 'TRUE']);
const FALSE_WORDS = new Set(['False', 'false', 'FALSE']);
const NONE_WORDS = new Set(['None', 'none', 'NONE', 'null', 'NULL']);
const CMP_OPS = new Set(['==', '!=', '<', '>', '<=', '>=']);
const AUG_OPS = new Set(['+=', '-=', '*=', '/=']);
const EXPR_START = ['NAME', 'number', 'string', '(', '[', '{', '-', '+', 'not', 'lambda', '$$', 'True/False/None', 'private:/public:/local:/system:'];

function describe(t: Token): string {
  switch (t.type) {
    case 'eof': return 'end of file';
    case 'newline': return 'end of line';
    case 'indent': return 'indentation';
    case 'dedent': return 'dedent';
    case 'comment': return `comment '${t.value.length > 30 ? t.value.slice(0, 30) + '…' : t.value}'`;
    case 'string': return 'string';
    case 'number': return `number ${t.value}`;
    case 'name': return `name '${t.value}'`;
    case 'kw': return `keyword '${t.value}'`;
    default: return `'${t.value}'`;
  }
}

export class Parser {
  private readonly lex: Lexer;
  private tok: Token;
  private prevEnd: number;
  /** End of the last consumed token that is real text (not NEWLINE/INDENT/DEDENT). */
  private lastRealEnd: number;
  private lastRealStart: number;
  /** The last consumed real token (for hints in error messages). */
  private prev: Token | null = null;
  private depth = 0;
  /** A primary already parsed by a caller, handed back by the next parseAtom (see `{(`). */
  private injected: A.Expr | null = null;
  /** True while the current token is the first one on its logical line. */
  private lineStart = true;

  constructor(readonly text: string, private readonly lines: LineIndex, start = 0) {
    this.lex = new Lexer(text, start);
    this.prevEnd = start;
    this.lastRealEnd = start;
    this.lastRealStart = start;
    this.tok = this.lex.next();
  }

  // ---------- token helpers ----------

  private advance(): Token {
    const t = this.tok;
    this.prevEnd = t.end;
    if (t.type !== 'newline' && t.type !== 'indent' && t.type !== 'dedent' && t.type !== 'eof') {
      this.lastRealEnd = t.end;
      this.lastRealStart = t.start;
      this.prev = t;
    }
    this.lineStart = t.type === 'newline' || t.type === 'indent' || t.type === 'dedent';
    this.tok = this.lex.next();
    return t;
  }

  /** The current token's type (a call, so TypeScript does not narrow it across advance()). */
  private ty(): Token['type'] {
    return this.tok.type;
  }

  private isOp(v: string): boolean {
    return this.tok.type === 'op' && this.tok.value === v;
  }

  private isKw(v: string): boolean {
    return this.tok.type === 'kw' && this.tok.value === v;
  }

  /**
   * Keyword test after an operand, in the middle of a line: where Dana's contextual lexer
   * cannot accept a NAME it matches a keyword at the start of a longer word (`elsec` → `else c`).
   */
  private isKwSplit(v: string): boolean {
    if (this.isKw(v)) return true;
    const t = this.tok;
    if (this.lineStart || (t.type !== 'name' && t.type !== 'kw') || t.value.length <= v.length || !t.value.startsWith(v)) return false;
    this.tok = { type: 'kw', value: v, start: t.start, end: t.start + v.length };
    this.lex.resumeAt(t.start + v.length);
    return true;
  }

  fail(expected: string[], at: Token = this.tok): never {
    // Like Dana's parser, an unexpected end of file is reported at the last token.
    if (at.type === 'eof') at = { ...at, start: this.lastRealStart, end: this.lastRealEnd };
    const pos = this.lines.position(at.start);
    const end = this.lines.position(Math.min(Math.max(at.end, at.start), this.text.length));
    let message: string;
    if (at.type === 'error') message = at.value;
    else if (at.type === 'indent') message = 'unexpected indentation';
    else message = `unexpected ${describe(at)}`;
    if (expected.length && at.type !== 'error') message += `; expected ${expected.length === 1 ? expected[0] : 'one of: ' + expected.join(', ')}`;
    message += this.hint(at, expected);
    const issue: SyntaxIssue = { line: pos.line, column: pos.column, end_line: end.line, end_column: end.column, message };
    if (expected.length) issue.expected = expected;
    throw new Bail(issue, at.start);
  }

  /** A short explanation for the mistakes Python habits cause in Dana. */
  private hint(at: Token, expected: string[]): string {
    const prev = this.prev;
    const exp = expected.join(' ');
    if (at.type === 'kw' && /name/i.test(exp)) {
      return at.value === 'export' ? '' : ` ('${at.value}' is a reserved word in Dana)`;
    }
    if (at.type === 'kw' && at.value === 'export') return ' (`export` is reserved but Dana has no export statement)';
    if (at.type === 'op' && at.value === ',' && exp === 'end of line') {
      return ' (Dana has no bare tuples: write `return (a, b)` or `(a, b) = t`)';
    }
    if (at.type === 'string' && prev && prev.type === 'name' && prev.end === at.start && /^[rfbuRFBU]{1,2}$/.test(prev.value)) {
      return ` (Dana has no '${prev.value}' string prefix; only f"..." and r"...")`;
    }
    if (at.type === 'op' && at.value === '::' && exp.includes("']'")) {
      return ' (`::` is one token in Dana, so `a[1::2]` is not Dana; write `a[1:len(a):2]`)';
    }
    if (at.type === 'comment' && exp.includes("'def'")) return ' (no comment may stand between a decorator and its def)';
    if (at.type === 'op' && at.value === '.' && exp.includes("'def'")) return ' (decorator names are single names in Dana)';
    if ((at.type === 'name' || at.type === 'string' || at.type === 'number') && prev && prev.type === 'name' && ['class', 'async', 'await', 'match', 'print', 'del', 'yield', 'global', 'nonlocal'].includes(prev.value)) {
      return ` (Dana has no \`${prev.value}\` statement${prev.value === 'print' ? '; call print(...)' : ''})`;
    }
    if (at.type === 'indent') {
      // The line before the unexpected indentation: a comment at a smaller indentation ended the block.
      const lineStart = this.lines.lineStart(this.lines.position(at.start).line);
      const prevLine = this.lines.position(Math.max(lineStart - 1, 0)).line;
      const pl = this.text.slice(this.lines.lineStart(prevLine), lineStart);
      if (pl.trimStart().startsWith('#')) return ` (comment lines count for indentation in Dana: the comment on line ${prevLine} ended the block)`;
    }
    return '';
  }

  private expectOp(v: string): Token {
    if (!this.isOp(v)) this.fail([`'${v}'`]);
    return this.advance();
  }

  private expectKw(v: string, split = false): Token {
    if (!(split ? this.isKwSplit(v) : this.isKw(v))) this.fail([`'${v}'`]);
    return this.advance();
  }

  private expectName(what = 'NAME'): Token {
    if (this.tok.type !== 'name') this.fail([what]);
    return this.advance();
  }

  private expectNewline(): void {
    if (this.tok.type !== 'newline') this.fail(['end of line']);
    this.advance();
  }

  private optComment(): string | undefined {
    if (this.tok.type !== 'comment') return undefined;
    return this.advance().value;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail([], this.tok.type === 'error' ? this.tok : { ...this.tok, type: 'error', value: `nesting deeper than ${MAX_DEPTH} levels is not supported` });
  }

  private leave(): void {
    this.depth--;
  }

  private loc(start: number): A.Loc {
    return { start, end: this.lastRealEnd };
  }

  // ---------- program ----------

  /**
   * Parse top-level statements until the end or the first syntax error. `stmtStart` is where
   * the failing top-level statement began (for error recovery).
   */
  parseTopLevel(requireStatement: boolean, onStatement?: (s: A.Stmt) => void): { body: A.Stmt[]; error: Bail | null; stmtStart: number } {
    const body: A.Stmt[] = [];
    let stmtStart = this.tok.start;
    try {
      while (this.tok.type === 'newline') this.advance();
      if (this.tok.type === 'eof' && requireStatement) {
        this.fail([], { type: 'error', value: 'empty program: Dana needs at least one statement (a comment line is enough)', start: 0, end: 0 });
      }
      while (this.tok.type !== 'eof') {
        stmtStart = this.tok.start;
        const st = this.parseStatement();
        // A consumer that takes statements one by one lets each tree die young (cheap GC).
        if (onStatement) onStatement(st);
        else body.push(st);
      }
      return { body, error: null, stmtStart };
    } catch (e) {
      if (e instanceof Bail) return { body, error: e, stmtStart };
      throw e;
    }
  }

  /** Only the header of a def at the current position (tolerant extraction); null on error. */
  parseDefHeaderOnly(): A.FunctionDef | A.Declarative | null {
    try {
      return this.parseDefLike(true);
    } catch (e) {
      if (e instanceof Bail) return null;
      throw e;
    }
  }

  // ---------- statements ----------

  private parseStatement(): A.Stmt {
    const t = this.tok;
    let s: A.Stmt;
    if (t.type === 'kw') {
      switch (t.value) {
        case 'if': s = this.parseIf(); break;
        case 'while': s = this.parseWhile(); break;
        case 'for': s = this.parseFor(); break;
        case 'try': s = this.parseTry(); break;
        case 'with': s = this.parseWith(); break;
        case 'def': case 'sync': s = this.parseDefStatement(); break;
        case 'struct': case 'resource': case 'agent_blueprint': case 'interface': case 'workflow':
          s = this.parseDefinition(); break;
        case 'agent': s = this.parseAgent(); break;
        default: s = this.parseSimple();
      }
    } else if (this.isOp('@')) {
      s = this.parseDefStatement();
    } else if (t.type === 'indent') {
      this.fail([]);
    } else {
      s = this.parseSimple();
    }
    while (this.tok.type === 'newline') this.advance();
    return s;
  }

  private parseDefStatement(): A.FunctionDef | A.Declarative {
    const d = this.parseDefLike(false);
    if (d.kind === 'declarative') {
      const c = this.optComment();
      if (c !== undefined) d.comment = c;
      this.expectNewline();
    }
    return d;
  }

  /** A simple statement with its optional trailing comment and newline. */
  private parseSimple(): A.Stmt {
    const start = this.tok.start;
    const s = this.parseSimpleBody();
    const c = this.optComment();
    if (c !== undefined && s.kind !== 'comment') (s as { comment?: string }).comment = c;
    this.expectNewline();
    s.loc = { start, end: s.loc?.end ?? this.prevEnd };
    return s;
  }

  private parseSimpleBody(): A.Stmt {
    const t = this.tok;
    const start = t.start;
    if (t.type === 'comment') {
      this.advance();
      return { kind: 'comment', text: t.value, loc: this.loc(start) };
    }
    if (t.type === 'kw') {
      switch (t.value) {
        case 'pass': case 'break': case 'continue':
          this.advance();
          return { kind: t.value, loc: this.loc(start) } as A.Stmt;
        case 'return': {
          this.advance();
          const value = this.atStmtEnd() ? null : this.parseExpr();
          return { kind: 'return', value, loc: this.loc(start) };
        }
        case 'raise': {
          this.advance();
          if (this.atStmtEnd()) return { kind: 'raise', exc: null, cause: null, loc: this.loc(start) };
          const exc = this.parseExpr();
          let cause: A.Expr | null = null;
          if (this.isKwSplit('from')) {
            this.advance();
            cause = this.parseExpr();
          }
          return { kind: 'raise', exc, cause, loc: this.loc(start) };
        }
        case 'assert': {
          this.advance();
          const test = this.parseExpr();
          let msg: A.Expr | null = null;
          if (this.isOp(',')) {
            this.advance();
            msg = this.parseExpr();
          }
          return { kind: 'assert', test, msg, loc: this.loc(start) };
        }
        case 'import': {
          this.advance();
          const module = this.parseModulePath();
          let alias: string | null = null;
          if (this.isKwSplit('as')) {
            this.advance();
            alias = this.expectName().value;
          }
          return { kind: 'import', module, alias, loc: this.loc(start) };
        }
        case 'from': return this.parseFromImport();
        case 'def': case 'sync': case 'agent':
          break;
        default:
          if (!SCOPES.has(t.value) && !TRUE_WORDS.has(t.value) && !FALSE_WORDS.has(t.value) && !NONE_WORDS.has(t.value) &&
              t.value !== 'not' && t.value !== 'lambda') {
            this.fail(['a statement']);
          }
      }
    }
    return this.parseExprStatement();
  }

  private atStmtEnd(): boolean {
    return this.tok.type === 'newline' || this.tok.type === 'comment';
  }

  private parseModulePath(): string {
    let m = this.expectName('module name').value;
    while (this.isOp('.')) {
      this.advance();
      m += '.' + this.expectName('module name').value;
    }
    return m;
  }

  private parseFromImport(): A.FromImport {
    const start = this.advance().start;
    let level = 0;
    while (this.isOp('.')) {
      this.advance();
      level++;
    }
    let module: string | null = null;
    if (level === 0 || this.tok.type === 'name') module = this.parseModulePath();
    if (module !== null ? !this.isKwSplit('import') : !this.isKw('import')) this.fail(["'import'"]);
    this.advance();
    if (this.isOp('*')) {
      this.advance();
      return { kind: 'from', level, module, names: '*', loc: this.loc(start) };
    }
    const names: Array<{ name: string; alias: string | null }> = [];
    for (;;) {
      const name = this.expectName('a name to import').value;
      let alias: string | null = null;
      if (this.isKwSplit('as')) {
        this.advance();
        alias = this.expectName().value;
      }
      names.push({ name, alias });
      if (!this.isOp(',')) break;
      this.advance();
    }
    return { kind: 'from', level, module, names, loc: this.loc(start) };
  }

  private parseExprStatement(): A.Stmt {
    const start = this.tok.start;
    const e = this.parseExpr();
    if (this.isOp('=') || this.isOp(':') || (this.tok.type === 'op' && AUG_OPS.has(this.tok.value))) {
      if (!isAtomTarget(e)) this.fail(['end of line']);
      const op = this.advance().value;
      if (op === '=' || op === ':') {
        let type: A.TypeRef | null = null;
        if (op === ':') {
          type = this.parseType();
          this.expectOp('=');
        }
        const value = this.parseExpr();
        return { kind: 'assign', target: e, type, value, loc: this.loc(start) };
      }
      const value = this.parseExpr();
      return { kind: 'augassign', target: e, op: op as A.AugAssign['op'], value, loc: this.loc(start) };
    }
    return { kind: 'expr', expr: e, loc: this.loc(start) };
  }

  /** `: [COMMENT] NEWLINE INDENT statements DEDENT`. */
  private parseBlock(): { body: A.Stmt[]; comment: string | undefined; loc: A.Loc } {
    this.expectOp(':');
    const comment = this.optComment();
    this.expectNewline();
    if (this.tok.type !== 'indent') this.fail(['an indented block']);
    this.enter();
    this.advance();
    const start = this.tok.start;
    const body: A.Stmt[] = [];
    while (this.ty() !== 'dedent') {
      if (this.ty() === 'eof') this.fail(['dedent']);
      body.push(this.parseStatement());
    }
    const end = this.lastRealEnd;
    this.advance();
    this.leave();
    return { body, comment, loc: { start, end } };
  }

  private parseIf(): A.If {
    const start = this.advance().start;
    const test = this.parseExpr();
    const b = this.parseBlock();
    const node: A.If = { kind: 'if', test, body: b.body, elifs: [], orelse: null };
    if (b.comment !== undefined) node.headerComment = b.comment;
    while (this.isKw('elif')) {
      this.advance();
      const t = this.parseExpr();
      const eb = this.parseBlock();
      node.elifs.push({ test: t, body: eb.body, ...(eb.comment !== undefined ? { headerComment: eb.comment } : {}) });
    }
    if (this.isKw('else')) {
      this.advance();
      const eb = this.parseBlock();
      node.orelse = eb.body;
      if (eb.comment !== undefined) node.elseComment = eb.comment;
    }
    node.loc = this.loc(start);
    return node;
  }

  private parseWhile(): A.While {
    const start = this.advance().start;
    const test = this.parseExpr();
    const b = this.parseBlock();
    return { kind: 'while', test, body: b.body, ...(b.comment !== undefined ? { headerComment: b.comment } : {}), loc: this.loc(start) };
  }

  private parseForTargets(): { targets: string[]; parenTargets: boolean } {
    const paren = this.isOp('(');
    if (paren) this.advance();
    const targets = [this.expectName('a loop variable').value];
    while (this.isOp(',')) {
      this.advance();
      targets.push(this.expectName('a loop variable').value);
    }
    if (paren) this.expectOp(')');
    return { targets, parenTargets: paren };
  }

  private parseFor(): A.For {
    const start = this.advance().start;
    const { targets, parenTargets } = this.parseForTargets();
    this.expectKw('in', true);
    const iter = this.parseExpr();
    const b = this.parseBlock();
    return { kind: 'for', targets, parenTargets, iter, body: b.body, ...(b.comment !== undefined ? { headerComment: b.comment } : {}), loc: this.loc(start) };
  }

  private parseTry(): A.Try {
    const start = this.advance().start;
    const b = this.parseBlock();
    const node: A.Try = { kind: 'try', body: b.body, handlers: [], finalbody: null };
    if (b.comment !== undefined) node.headerComment = b.comment;
    if (!this.isKw('except')) this.fail(["'except' (Dana has no try/finally without except)"]);
    while (this.isKw('except')) {
      const hs = this.advance().start;
      let type: A.Expr | null = null;
      let name: string | null = null;
      if (this.isKw('as')) {
        this.advance();
        name = this.expectName().value;
      } else if (!this.isOp(':')) {
        type = this.parseExpr();
        if (this.isKwSplit('as')) {
          this.advance();
          name = this.expectName().value;
        }
      }
      const hb = this.parseBlock();
      node.handlers.push({ type, name, body: hb.body, ...(hb.comment !== undefined ? { headerComment: hb.comment } : {}), loc: this.loc(hs) });
    }
    if (this.isKw('finally')) {
      this.advance();
      const fb = this.parseBlock();
      node.finalbody = fb.body;
      if (fb.comment !== undefined) node.finallyComment = fb.comment;
    }
    node.loc = this.loc(start);
    return node;
  }

  private parseWith(): A.With {
    const start = this.advance().start;
    let context: A.Expr;
    if (this.tok.type === 'name') {
      // Dana's LALR parser always takes `NAME (` as its restricted call form (no trailing
      // comma, no comments, nothing after the `)`).
      const nt = this.advance();
      const func: A.Name = { kind: 'name', id: nt.value, loc: { start: nt.start, end: nt.end } };
      if (this.isOp('(')) {
        this.advance();
        const args: A.Arg[] = [];
        if (!this.isOp(')')) {
          for (;;) {
            args.push(this.parseArgument());
            if (!this.isOp(',')) break;
            this.advance();
          }
        }
        this.expectOp(')');
        context = { kind: 'call', func, args, loc: this.loc(nt.start) };
      } else {
        this.injected = func;
        context = this.parseExpr();
      }
    } else {
      context = this.parseExpr();
    }
    this.expectKw('as', true);
    const name = this.expectName().value;
    const b = this.parseBlock();
    return { kind: 'with', context, name, body: b.body, ...(b.comment !== undefined ? { headerComment: b.comment } : {}), loc: this.loc(start) };
  }

  private parseDecorators(): A.Decorator[] {
    const decorators: A.Decorator[] = [];
    while (this.isOp('@')) {
      const start = this.advance().start;
      const name = this.expectName('a decorator name').value;
      let args: A.Arg[] | null = null;
      if (this.isOp('(')) args = this.parseCallArgs();
      decorators.push({ name, args, loc: this.loc(start) });
      while (this.tok.type === 'newline') this.advance();
    }
    return decorators;
  }

  /** `[decorators] [sync] def ...` with a block, or a declarative `def ... = ...`. */
  private parseDefLike(headerOnly: boolean): A.FunctionDef | A.Declarative {
    const start = this.tok.start;
    const decorators = this.parseDecorators();
    const defStart = this.tok.start;
    let sync = false;
    const canSplit = decorators.length > 0;
    if (canSplit ? this.isKwSplit('sync') : this.isKw('sync')) {
      sync = true;
      this.advance();
      this.expectKw('def', true);
    } else if (canSplit ? this.isKwSplit('def') : this.isKw('def')) {
      this.advance();
    } else {
      this.fail(["'def'", "'sync'", "'@'"]);
    }
    let receiver: A.Param | null = null;
    if (this.isOp('(')) {
      this.advance();
      receiver = this.parseParam();
      this.expectOp(')');
    }
    const nameTok = this.expectName('a function name');
    const params = this.parseParams();
    let returns: A.TypeRef | null = null;
    if (this.isOp('->')) {
      this.advance();
      returns = this.parseType();
    }
    const nameLoc = { start: nameTok.start, end: nameTok.end };
    if (this.isOp('=') && decorators.length === 0 && !sync && receiver === null) {
      const headerLoc = { start: defStart, end: this.tok.end };
      this.advance();
      const cs = this.tok.start;
      const stages = this.parseComposition();
      const compositionLoc = this.loc(cs);
      const node: A.Declarative = { kind: 'declarative', name: nameTok.value, params, returns, stages, nameLoc, headerLoc, compositionLoc };
      if (headerOnly) {
        const c = this.optComment();
        if (c !== undefined) node.comment = c;
        if (this.tok.type !== 'newline') this.fail(['end of line']);
      }
      node.loc = { start, end: compositionLoc.end };
      return node;
    }
    if (!this.isOp(':')) this.fail(["':'", ...(this.isOp('=') ? [] : ["'->'"])]);
    const headerLoc = { start: defStart, end: this.tok.end };
    const node: A.FunctionDef = { kind: 'def', name: nameTok.value, sync, receiver, params, returns, decorators, body: [], nameLoc, headerLoc };
    if (headerOnly) {
      node.loc = { start, end: headerLoc.end };
      return node;
    }
    const b = this.parseBlock();
    node.body = b.body;
    node.bodyLoc = b.loc;
    if (b.comment !== undefined) node.headerComment = b.comment;
    node.loc = this.loc(start);
    return node;
  }

  private parseParam(): A.Param {
    const start = this.tok.start;
    const name = this.expectName('a parameter name').value;
    let type: A.TypeRef | null = null;
    let dflt: A.Expr | null = null;
    if (this.isOp(':')) {
      this.advance();
      type = this.parseType();
    }
    if (this.isOp('=')) {
      this.advance();
      dflt = this.parseExpr();
    }
    const p: A.Param = { name, type, default: dflt, loc: this.loc(start) };
    const c = this.optComment();
    if (c !== undefined) p.comment = c;
    return p;
  }

  /** `(p, # c\n q)`: no trailing comma, a comment after a parameter or after a comma. */
  private parseParams(): A.Param[] {
    this.expectOp('(');
    const params: A.Param[] = [];
    if (!this.isOp(')')) {
      for (;;) {
        const p = this.parseParam();
        params.push(p);
        if (!this.isOp(',')) break;
        this.advance();
        const c = this.optComment();
        if (c !== undefined && p.comment === undefined) p.comment = c;
        if (this.isOp(')')) this.fail(['a parameter name (Dana allows no trailing comma in parameters)']);
      }
    }
    this.expectOp(')');
    return params;
  }

  private parseComposition(): A.Stage[] {
    const stages: A.Stage[] = [];
    for (;;) {
      const start = this.tok.start;
      const fn = this.parseStageFn();
      let as: string | null = null;
      if (this.isKwSplit('as')) {
        this.advance();
        as = this.expectName().value;
      }
      stages.push({ fn, as, loc: this.loc(start) });
      if (!this.isOp('|')) break;
      this.advance();
    }
    return stages;
  }

  private parseStageFn(): A.StageFn {
    const start = this.tok.start;
    if (this.isOp('[')) {
      this.advance();
      this.enter();
      const items: A.StageFn[] = [];
      if (!this.isOp(']')) {
        for (;;) {
          items.push(this.parseStageFn());
          if (!this.isOp(',')) break;
          this.advance();
        }
      }
      this.expectOp(']');
      this.leave();
      return { kind: 'flist', items, loc: this.loc(start) };
    }
    const name = this.expectName('a function name, a call or a [list] of them').value;
    if (this.isOp('(')) return { kind: 'fcall', name, args: this.parseCallArgs(), loc: this.loc(start) };
    return { kind: 'fname', name, loc: this.loc(start) };
  }

  private parseDocstringOpt(): string | null {
    const t = this.tok;
    if (t.type === 'string' && (t.value.startsWith('"""') || t.value.startsWith("'''"))) {
      this.advance();
      this.expectNewline();
      return t.value;
    }
    return null;
  }

  private parseDefinition(): A.Definition {
    const start = this.tok.start;
    const keyword = this.advance().value as A.DefinitionKeyword;
    const name = this.expectName(`a ${keyword} name`).value;
    this.expectOp(':');
    const headerComment = this.optComment();
    this.expectNewline();
    if (this.tok.type !== 'indent') this.fail(['an indented body']);
    this.enter();
    this.advance();
    const docstring = this.parseDocstringOpt();
    const members: A.Definition['members'] = [];
    // The first member fixes the body's shape (struct-like or interface), as in Dana's grammar.
    let shape: 'struct' | 'interface' | null = null;
    while (this.ty() !== 'dedent' || members.length === 0) {
      const t = this.tok;
      const ms = t.start;
      if (t.type === 'comment' && shape !== 'struct') {
        shape = 'interface';
        this.advance();
        members.push({ kind: 'comment', text: t.value, loc: this.loc(ms) });
        this.expectNewline();
      } else if ((this.isKw('def') || this.isKw('sync') || this.isOp('@')) && shape !== 'interface') {
        shape = 'struct';
        const d = this.parseDefLike(false);
        if (d.kind !== 'def') this.fail(["':'"]);
        members.push(d);
      } else if (t.type === 'name') {
        this.advance();
        if (this.isOp(':') && shape !== 'interface') {
          shape = 'struct';
          this.advance();
          const type = this.parseType();
          let dflt: A.Expr | null = null;
          if (this.isOp('=')) {
            this.advance();
            dflt = this.parseExpr();
          }
          const f: A.Field = { kind: 'field', name: t.value, type, default: dflt, loc: this.loc(ms) };
          const c = this.optComment();
          if (c !== undefined) f.comment = c;
          members.push(f);
          this.expectNewline();
        } else if (this.isOp('(') && shape !== 'struct') {
          shape = 'interface';
          const params = this.parseParams();
          let returns: A.TypeRef | null = null;
          if (this.isOp('->')) {
            this.advance();
            returns = this.parseType();
          }
          const m: A.InterfaceMethod = { kind: 'imethod', name: t.value, params, returns, loc: this.loc(ms) };
          const c = this.optComment();
          if (c !== undefined) m.comment = c;
          members.push(m);
          this.expectNewline();
        } else if ((this.ty() === 'newline' || this.ty() === 'comment') && shape !== 'struct') {
          shape = 'interface';
          const m: A.Embedded = { kind: 'embed', name: t.value, loc: this.loc(ms) };
          const c = this.optComment();
          if (c !== undefined) m.comment = c;
          members.push(m);
          this.expectNewline();
        } else {
          this.fail(shape === 'struct' ? ["':'"] : shape === 'interface' ? ["'('", 'end of line'] : ["':'", "'('", 'end of line']);
        }
      } else {
        this.fail(shape === 'struct' ? ['a field (NAME: type)', "'def'", "'@'", 'dedent']
          : shape === 'interface' ? ['a method signature', 'a comment', 'dedent'] : ['a field, def or interface member']);
      }
    }
    this.advance();
    this.leave();
    return { kind: 'definition', keyword, name, docstring, members, ...(headerComment !== undefined ? { headerComment } : {}), loc: this.loc(start) };
  }

  /** `agent Name(Base):` block, `agent Name(Base)` or `agent Name`. */
  private parseAgent(): A.Stmt {
    const start = this.advance().start;
    let name: string | null = null;
    if (this.tok.type === 'name') name = this.advance().value;
    if (name !== null && !this.isOp('(')) {
      const node: A.AgentBase = { kind: 'agent_base', name, loc: this.loc(start) };
      this.finishSimple(node);
      return node;
    }
    this.expectOp('(');
    const base = this.expectName('a base agent name').value;
    this.expectOp(')');
    if (name !== null && !this.isOp(':')) {
      const node: A.AgentAlias = { kind: 'agent_alias', name, base, loc: this.loc(start) };
      this.finishSimple(node);
      return node;
    }
    this.expectOp(':');
    const headerComment = this.optComment();
    this.expectNewline();
    if (this.tok.type !== 'indent') this.fail(['an indented body']);
    this.advance();
    const docstring = this.parseDocstringOpt();
    const fields: A.SingletonAgent['fields'] = [];
    while (this.ty() !== 'dedent') {
      const ft = this.expectName('a field (name = value)');
      this.expectOp('=');
      const value = this.parseExpr();
      const f: A.SingletonAgent['fields'][number] = { name: ft.value, value, loc: this.loc(ft.start) };
      const c = this.optComment();
      if (c !== undefined) f.comment = c;
      fields.push(f);
      this.expectNewline();
    }
    this.advance();
    return { kind: 'agent_def', name, base, docstring, fields, ...(headerComment !== undefined ? { headerComment } : {}), loc: this.loc(start) };
  }

  private finishSimple(node: A.AgentAlias | A.AgentBase): void {
    const c = this.optComment();
    if (c !== undefined) node.comment = c;
    this.expectNewline();
  }

  // ---------- types ----------

  parseType(): A.TypeRef {
    const start = this.tok.start;
    this.enter();
    const options = [this.parseSingleType()];
    while (this.isOp('|')) {
      this.advance();
      options.push(this.parseSingleType());
    }
    this.leave();
    return { kind: 'type', options, loc: this.loc(start) };
  }

  private parseSingleType(): A.SingleType {
    const start = this.tok.start;
    let name: string;
    if (this.tok.type === 'name' || this.isKw('None')) name = this.advance().value;
    else this.fail(['a type name']);
    const args: A.TypeRef[] = [];
    if (this.isOp('[')) {
      this.advance();
      args.push(this.parseType());
      while (this.isOp(',')) {
        this.advance();
        args.push(this.parseType());
      }
      this.expectOp(']');
    }
    return { name, args, loc: this.loc(start) };
  }

  // ---------- expressions ----------

  parseExpr(first?: A.Expr): A.Expr {
    const start = first?.loc?.start ?? this.tok.start;
    const e = this.parseCond(first);
    if (!this.isOp('|')) return e;
    const stages = [e];
    while (this.isOp('|')) {
      this.advance();
      stages.push(this.parseCond());
    }
    return { kind: 'pipe', stages, loc: this.loc(start) };
  }

  /** `or_expr [if or_expr else conditional]`; `first` is an already parsed or_expr. */
  private parseCond(first?: A.Expr): A.Expr {
    const start = first?.loc?.start ?? this.tok.start;
    const body = first ?? this.parseOr();
    if (!this.isKwSplit('if')) return body;
    this.advance();
    const test = this.parseOr();
    this.expectKw('else', true);
    this.enter();
    const orelse = this.parseCond();
    this.leave();
    return { kind: 'cond', body, test, orelse, loc: this.loc(start) };
  }

  private parseOr(): A.Expr {
    const start = this.tok.start;
    const first = this.parseAnd();
    if (!this.isKwSplit('or')) return first;
    const values = [first];
    while (this.isKwSplit('or')) {
      this.advance();
      values.push(this.parseAnd());
    }
    return { kind: 'boolop', op: 'or', values, loc: this.loc(this.injectedStart(first, start)) };
  }

  private injectedStart(e: A.Expr, fallback: number): number {
    return e.loc ? Math.min(e.loc.start, fallback) : fallback;
  }

  private parseAnd(): A.Expr {
    const start = this.tok.start;
    const first = this.parseNot();
    if (!this.isKwSplit('and')) return first;
    const values = [first];
    while (this.isKwSplit('and')) {
      this.advance();
      values.push(this.parseNot());
    }
    return { kind: 'boolop', op: 'and', values, loc: this.loc(this.injectedStart(first, start)) };
  }

  private parseNot(): A.Expr {
    if (this.injected === null && this.isKw('not')) {
      const start = this.advance().start;
      this.enter();
      const operand = this.parseNot();
      this.leave();
      return { kind: 'not', operand, loc: this.loc(start) };
    }
    return this.parseComparison();
  }

  /** The comparison operator at the current token, consuming it; null if there is none. */
  private compOp(): A.CmpOp | null {
    const t = this.tok;
    if (t.type === 'op' && CMP_OPS.has(t.value)) {
      this.advance();
      return t.value as A.CmpOp;
    }
    const src = this.lex.source;
    if (this.isKw('is')) {
      // IS_NOT is the regex `\bis\s+not\b`: the white space may even hold a newline.
      const m = /\s+not(?![A-Za-z0-9_])/y;
      m.lastIndex = t.end;
      if (m.exec(src)) {
        this.lex.resumeAt(m.lastIndex);
        this.prevEnd = this.lastRealEnd = m.lastIndex;
        this.lineStart = false;
        this.tok = this.lex.next();
        return 'is not';
      }
      this.advance();
      return 'is';
    }
    if (this.isKw('not')) {
      const m = /not\s+in(?![A-Za-z0-9_])/y;
      m.lastIndex = t.start;
      if (m.exec(src)) {
        this.lex.resumeAt(m.lastIndex);
        this.prevEnd = this.lastRealEnd = m.lastIndex;
        this.lineStart = false;
        this.tok = this.lex.next();
        return 'not in';
      }
      return null;
    }
    if (this.isKwSplit('in')) {
      this.advance();
      return 'in';
    }
    return null;
  }

  private parseComparison(): A.Expr {
    const start = this.tok.start;
    const left = this.parseSum();
    let op = this.compOp();
    if (op === null) return left;
    const ops: A.CmpOp[] = [];
    const rights: A.Expr[] = [];
    while (op !== null) {
      ops.push(op);
      rights.push(this.parseSum());
      op = this.compOp();
    }
    return { kind: 'compare', left, ops, rights, loc: this.loc(this.injectedStart(left, start)) };
  }

  private parseSum(): A.Expr {
    const start = this.tok.start;
    let left = this.parseProduct();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.advance().value as A.BinOp;
      const right = this.parseProduct();
      left = { kind: 'binary', op, left, right, loc: this.loc(this.injectedStart(left, start)) };
    }
    return left;
  }

  private parseProduct(): A.Expr {
    const start = this.tok.start;
    let left = this.parsePower();
    while (this.isOp('*') || this.isOp('/') || this.isOp('//') || this.isOp('%')) {
      const op = this.advance().value as A.BinOp;
      const right = this.parsePower();
      left = { kind: 'binary', op, left, right, loc: this.loc(this.injectedStart(left, start)) };
    }
    return left;
  }

  private parsePower(): A.Expr {
    const start = this.tok.start;
    const left = this.parseFactor();
    if (!this.isOp('**')) return left;
    this.advance();
    this.enter();
    const right = this.parsePower();
    this.leave();
    return { kind: 'binary', op: '**', left, right, loc: this.loc(this.injectedStart(left, start)) };
  }

  private parseFactor(): A.Expr {
    if (this.injected === null && (this.isOp('-') || this.isOp('+'))) {
      const start = this.tok.start;
      const op = this.advance().value as '+' | '-';
      this.enter();
      const operand = this.parseFactor();
      this.leave();
      return { kind: 'unary', op, operand, loc: this.loc(start) };
    }
    return this.parsePostfix();
  }

  private parsePostfix(): A.Expr {
    let e = this.parseAtom();
    const start = e.loc?.start ?? this.tok.start;
    for (;;) {
      if (this.isOp('(')) {
        e = { kind: 'call', func: e, args: this.parseCallArgs(), loc: { start, end: 0 } };
      } else if (this.isOp('[')) {
        this.advance();
        this.enter();
        const items: Array<A.Expr | A.Slice> = [this.parseSliceItem()];
        while (this.isOp(',')) {
          this.advance();
          items.push(this.parseSliceItem());
        }
        this.expectOp(']');
        this.leave();
        e = { kind: 'index', obj: e, items, loc: { start, end: 0 } };
      } else if (this.isOp('.')) {
        this.advance();
        const name = this.expectName('an attribute name').value;
        e = { kind: 'attr', obj: e, name, loc: { start, end: 0 } };
      } else {
        return e;
      }
      e.loc!.end = this.lastRealEnd;
    }
  }

  private parseSliceItem(): A.Expr | A.Slice {
    const start = this.tok.start;
    if (this.isOp('::')) {
      this.advance();
      return { kind: 'slice', lower: null, upper: null, step: this.parseExpr(), loc: this.loc(start) };
    }
    if (this.isOp(':')) {
      this.advance();
      if (this.isOp(']') || this.isOp(',')) return { kind: 'slice', lower: null, upper: null, step: null, loc: this.loc(start) };
      return { kind: 'slice', lower: null, upper: this.parseExpr(), step: null, loc: this.loc(start) };
    }
    const lower = this.parseExpr();
    if (!this.isOp(':')) return lower;
    this.advance();
    if (this.isOp(']') || this.isOp(',')) return { kind: 'slice', lower, upper: null, step: null, loc: this.loc(start) };
    const upper = this.parseExpr();
    let step: A.Expr | null = null;
    if (this.isOp(':')) {
      this.advance();
      step = this.parseExpr();
    }
    return { kind: 'slice', lower, upper, step, loc: this.loc(start) };
  }

  private parseArgument(): A.Arg {
    const start = this.tok.start;
    const wasName = this.tok.type === 'name';
    const e = this.parseExpr();
    if (wasName && e.kind === 'name' && this.isOp('=')) {
      this.advance();
      return { name: e.id, value: this.parseExpr(), loc: this.loc(start) };
    }
    return { name: null, value: e, loc: this.loc(start) };
  }

  /** `(args)`: trailing comma allowed, a comment after an argument or after a comma. */
  private parseCallArgs(): A.Arg[] {
    this.expectOp('(');
    this.enter();
    const args: A.Arg[] = [];
    if (!this.isOp(')')) {
      for (;;) {
        const a = this.parseArgument();
        args.push(a);
        const c = this.optComment();
        if (c !== undefined) a.comment = c;
        if (!this.isOp(',')) break;
        this.advance();
        const c2 = this.optComment();
        if (c2 !== undefined) {
          if (a.comment === undefined) a.comment = c2;
          if (this.isOp(')')) this.fail(EXPR_START);
        } else if (this.isOp(')')) break;
      }
    }
    this.expectOp(')');
    this.leave();
    return args;
  }

  private parseAtom(): A.Expr {
    if (this.injected !== null) {
      const e = this.injected;
      this.injected = null;
      return e;
    }
    const t = this.tok;
    const start = t.start;
    switch (t.type) {
      case 'name':
        this.advance();
        return { kind: 'name', id: t.value, loc: this.loc(start) };
      case 'number':
        this.advance();
        return { kind: 'number', text: t.value, loc: this.loc(start) };
      case 'string':
        this.advance();
        return { kind: 'string', raw: t.value, loc: this.loc(start) };
      case 'kw':
        if (SCOPES.has(t.value)) {
          this.advance();
          this.expectOp(':');
          const id = this.expectName().value;
          return { kind: 'scoped', scope: t.value as A.Scope, id, loc: this.loc(start) };
        }
        if (TRUE_WORDS.has(t.value) || FALSE_WORDS.has(t.value)) {
          this.advance();
          return { kind: 'bool', value: TRUE_WORDS.has(t.value), text: t.value, loc: this.loc(start) };
        }
        if (NONE_WORDS.has(t.value)) {
          this.advance();
          return { kind: 'none', text: t.value, loc: this.loc(start) };
        }
        if (t.value === 'lambda') return this.parseLambda();
        break;
      case 'op':
        switch (t.value) {
          case '$$':
            this.advance();
            return { kind: 'placeholder', loc: this.loc(start) };
          case '(': return this.parseParenAtom();
          case '[': return this.parseListAtom();
          case '{': return this.parseBraceAtom();
        }
        break;
    }
    return this.fail(EXPR_START);
  }

  private parseLambda(): A.Lambda {
    const start = this.advance().start;
    this.enter();
    let receiver: A.Lambda['receiver'] = null;
    if (this.isOp('(')) {
      this.advance();
      const name = this.expectName().value;
      this.expectOp(':');
      const type = this.parseType();
      this.expectOp(')');
      receiver = { name, type };
    }
    const params: A.LambdaParam[] = [];
    if (this.tok.type === 'name') {
      for (;;) {
        const ps = this.tok.start;
        const name = this.expectName('a parameter name').value;
        let type: A.TypeRef | null = null;
        let dflt: A.Expr | null = null;
        if (this.isOp(':')) {
          this.advance();
          type = this.parseType();
        }
        if (this.isOp('=')) {
          this.advance();
          dflt = this.parseExpr();
        }
        params.push({ name, type, default: dflt, loc: this.loc(ps) });
        if (!this.isOp(',')) break;
        this.advance();
      }
    }
    if (!this.isOp('::')) this.fail(["'::' (Dana lambdas are written `lambda x :: expr`)"]);
    this.advance();
    const body = this.parseExpr();
    this.leave();
    return { kind: 'lambda', receiver, params, body, loc: this.loc(start) };
  }

  private parseCompClause(): A.CompClause {
    this.advance(); // 'for'
    const { targets, parenTargets } = this.parseForTargets();
    this.expectKw('in', true);
    const iter = this.parseOr();
    let cond: A.Expr | null = null;
    if (this.isKwSplit('if')) {
      this.advance();
      cond = this.parseOr();
    }
    return { targets, parenTargets, iter, cond };
  }

  /** list_items after the first element: `[COMMENT] ("," [COMMENT] expr [COMMENT])* [","]`. */
  private parseItemsAfterFirst(items: A.Expr[], close: string): void {
    this.optComment();
    while (this.isOp(',')) {
      this.advance();
      if (this.optComment() === undefined && this.isOp(close)) break;
      items.push(this.parseExpr());
      this.optComment();
    }
    this.expectOp(close);
  }

  private parseParenAtom(): A.Expr {
    const start = this.advance().start;
    this.enter();
    if (this.isOp(')')) {
      this.advance();
      this.leave();
      return { kind: 'tuple', items: [], loc: this.loc(start) };
    }
    const r = this.finishParen(start, this.parseExpr());
    this.leave();
    return r;
  }

  /** After `( expr`: `)` or a tuple `, [list_items] )`. */
  private finishParen(start: number, first: A.Expr): A.Expr {
    if (this.isOp(',')) {
      this.advance();
      const items = [first];
      if (!this.isOp(')')) {
        items.push(this.parseExpr());
        this.parseItemsAfterFirst(items, ')');
      } else {
        this.advance();
      }
      return { kind: 'tuple', items, loc: this.loc(start) };
    }
    this.expectOp(')');
    return { kind: 'paren', expr: first, loc: this.loc(start) };
  }

  private parseListAtom(): A.Expr {
    const start = this.advance().start;
    this.enter();
    if (this.isOp(']')) {
      this.advance();
      this.leave();
      return { kind: 'list', items: [], loc: this.loc(start) };
    }
    const first = this.parseOr();
    if (this.isKwSplit('for')) {
      const clause = this.parseCompClause();
      this.expectOp(']');
      this.leave();
      return { kind: 'listcomp', elt: first, clause, loc: this.loc(start) };
    }
    const items = [this.parseExpr(first)];
    this.parseItemsAfterFirst(items, ']');
    this.leave();
    return { kind: 'list', items, loc: this.loc(start) };
  }

  private parseBraceAtom(): A.Expr {
    const start = this.advance().start;
    this.enter();
    try {
      if (this.isOp('}')) {
        this.advance();
        return { kind: 'dict', entries: [], loc: this.loc(start) };
      }
      if (this.isOp('(')) {
        // `{(k: v) for ...}` or a parenthesised first element.
        const ps = this.advance().start;
        this.enter();
        let atom: A.Expr;
        if (this.isOp(')')) {
          this.advance();
          atom = { kind: 'tuple', items: [], loc: this.loc(ps) };
        } else {
          const k = this.parseOr();
          if (this.isOp(':')) {
            this.advance();
            const value = this.parseOr();
            this.expectOp(')');
            if (!this.isKwSplit('for')) this.fail(["'for'"]);
            const clause = this.parseCompClause();
            this.expectOp('}');
            this.leave();
            return { kind: 'dictcomp', key: k, value, clause, loc: this.loc(start) };
          }
          atom = this.finishParen(ps, this.parseExpr(this.parseCondFrom(k)));
        }
        this.leave();
        this.injected = atom;
      }
      const first = this.parseOr();
      if (this.isKwSplit('for')) {
        const clause = this.parseCompClause();
        this.expectOp('}');
        return { kind: 'setcomp', elt: first, clause, loc: this.loc(start) };
      }
      const firstExpr = this.parseExpr(first);
      if (this.isOp(':')) return this.finishDict(start, firstExpr);
      const items = [firstExpr];
      this.parseItemsAfterFirst(items, '}');
      return { kind: 'set', items, loc: this.loc(start) };
    } finally {
      this.leave();
    }
  }

  private parseCondFrom(orExpr: A.Expr): A.Expr {
    return this.parseCond(orExpr);
  }

  /**
   * dict_items: `pair [COMMENT] ("," [COMMENT] pair [COMMENT])* [","]` where a pair ends in its
   * own optional comment, so two comments may follow a value.
   */
  private finishDict(start: number, firstKey: A.Expr): A.DictExpr {
    const entries: A.DictExpr['entries'] = [];
    let key = firstKey;
    for (;;) {
      this.expectOp(':');
      entries.push({ key, value: this.parseExpr() });
      this.optComment();
      this.optComment();
      if (!this.isOp(',')) break;
      this.advance();
      if (this.optComment() === undefined && this.isOp('}')) break;
      key = this.parseExpr();
    }
    this.expectOp('}');
    return { kind: 'dict', entries, loc: this.loc(start) };
  }
}

/** Dana's assignment target is an `atom`: a name with trailers, or a literal/collection/paren without. */
export function isAtomTarget(e: A.Expr): boolean {
  let x = e;
  while (x.kind === 'attr' || x.kind === 'index' || x.kind === 'call') x = x.kind === 'call' ? x.func : x.obj;
  if (x !== e) return x.kind === 'name' || x.kind === 'scoped';
  switch (e.kind) {
    case 'unary': case 'not': case 'binary': case 'compare': case 'boolop': case 'cond': case 'pipe': return false;
    default: return true;
  }
}
