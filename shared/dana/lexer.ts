// Dana's lexer, pulled one token at a time by the parser. It reproduces the behaviour of the
// real lexer (lark, contextual lexing, Python-style indenter; dana-language.md §1–§2):
// - comments are tokens, so a comment line's indentation produces INDENT/DEDENT;
// - a run of newlines is one NEWLINE whose indentation (spaces + 8 × tabs) is that of the
//   last line; inside ( [ { newlines are dropped; a missing final newline is supplied;
// - `"..."` stays on one line; `'...'`, f- and r-strings may span lines; triple quotes end at
//   the first closing triple quote; a backslash never escapes a newline;
// - `\r\n` and a lone `\r` count as newlines (Dana reads files with universal newlines).
// The parser can re-lex from inside an identifier (`splitAt`), which is how the contextual
// lexer's keyword-prefix matches (`a orb` = `a or b`) are reproduced.

export type TokType =
  | 'name' | 'kw' | 'number' | 'string' | 'op' | 'comment'
  | 'newline' | 'indent' | 'dedent' | 'eof' | 'error';

export interface Token {
  type: TokType;
  /** Source text (for `indent`/`dedent`/`newline`/`eof`: ''), or the message for `error`. */
  value: string;
  start: number;
  end: number;
}

const RESERVED = new Set([
  'True', 'true', 'TRUE', 'False', 'false', 'FALSE', 'None', 'none', 'NONE', 'null', 'NULL',
  'private', 'public', 'local', 'system', 'break', 'continue', 'pass', 'return', 'deliver', 'sync',
  'if', 'else', 'elif', 'while', 'for', 'def', 'struct', 'resource', 'workflow', 'interface', 'try',
  'except', 'finally', 'raise', 'assert', 'import', 'from', 'with', 'agent', 'agent_blueprint',
  'lambda', 'yield', 'global', 'nonlocal', 'del', 'and', 'or', 'not', 'in', 'is', 'export', 'as',
]);

// Keyed by the two characters' codes, so operator tokens reuse these strings.
const TWO_CHAR_OPS = new Map<number, string>(
  ['**', '//', '->', '::', '==', '!=', '<=', '>=', '+=', '-=', '*=', '/=', '$$'].map((op) => [op.charCodeAt(0) * 65536 + op.charCodeAt(1), op]),
);
const ONE_CHAR_OPS = '+-*/%<>=|()[]{},:.@';

const NL = 10;
const CR = 13;

function isIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isIdChar(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export class Lexer {
  readonly text: string;
  private readonly src: string;
  /** Dana's parser appends a newline when the text lacks one; this lexer imagines it at the end. */
  private virtualNewline: boolean;
  private pos = 0;
  private depth = 0;
  private readonly indents: number[] = [0];
  private readonly queue: Token[] = [];
  private done = false;

  /**
   * `start`: where to begin (a line start), e.g. to resume after a syntax error. `flat`: for
   * tolerant scanning of broken code: every newline is a NEWLINE token, brackets are not
   * tracked, no INDENT/DEDENT.
   */
  constructor(text: string, start = 0, private readonly flat = false) {
    this.text = text;
    this.pos = start;
    const last = text.charCodeAt(text.length - 1);
    // Not `text + '\n'`: V8 would flatten that copy for every lexer (one per recovery step).
    this.src = text;
    this.virtualNewline = !(last === NL || last === CR);
  }

  /** Bracket depth after the last token returned. */
  get bracketDepth(): number {
    return this.depth;
  }

  /** Current indentation stack depth (1 at top level). */
  get indentLevels(): number {
    return this.indents.length;
  }

  /**
   * Continue lexing at `offset`, which must lie inside the identifier or keyword just returned
   * (no newline or bracket between). Used for keyword-prefix splits and `is not`/`not in`.
   */
  resumeAt(offset: number): void {
    this.queue.length = 0;
    this.pos = offset;
  }

  /** The source text. */
  get source(): string {
    return this.src;
  }

  next(): Token {
    const q = this.queue.shift();
    if (q) return q;
    if (this.done) return { type: 'eof', value: '', start: this.text.length, end: this.text.length };
    return this.scan();
  }

  private err(message: string, start: number, end: number): Token {
    return { type: 'error', value: message, start, end: Math.max(end, start + 1) };
  }

  private scan(): Token {
    const s = this.src;
    const n = s.length;
    for (;;) {
      let c = s.charCodeAt(this.pos);
      while (c === 32 || c === 9 || c === 12) c = s.charCodeAt(++this.pos);
      const start = this.pos;
      if (start >= n) {
        if (this.virtualNewline) {
          this.virtualNewline = false;
          const tok = this.layout(n, n, 0);
          if (tok) return tok;
        }
        return this.finish();
      }
      if (c === NL || c === CR) {
        const tok = this.newline();
        if (tok) return tok;
        continue;
      }
      if (c === 35 /* # */) {
        let j = start + 1;
        while (j < n) {
          const d = s.charCodeAt(j);
          if (d === NL || d === CR) break;
          j++;
        }
        this.pos = j;
        return { type: 'comment', value: s.slice(start, j), start, end: j };
      }
      if (c === 34 /* " */ || c === 39 /* ' */) return this.plainString(start, c);
      if (isIdStart(c)) {
        const c1 = s.charCodeAt(start + 1);
        if ((c1 === 34 || c1 === 39) && (c === 102 || c === 70 || c === 114 || c === 82)) {
          return this.prefixedString(start, c === 102 || c === 70 ? 'f' : 'r', c1);
        }
        let j = start + 1;
        while (isIdChar(s.charCodeAt(j))) j++;
        this.pos = j;
        const word = s.slice(start, j);
        return { type: RESERVED.has(word) ? 'kw' : 'name', value: word, start, end: j };
      }
      if (isDigit(c) || (c === 46 && isDigit(s.charCodeAt(start + 1)))) return this.number(start);
      const two = TWO_CHAR_OPS.get(c * 65536 + s.charCodeAt(start + 1));
      if (two !== undefined) {
        this.pos = start + 2;
        return { type: 'op', value: two, start, end: start + 2 };
      }
      const ch = s[start]!;
      if (ONE_CHAR_OPS.includes(ch)) {
        this.pos = start + 1;
        if (this.flat) { /* brackets not tracked */ } else if (ch === '(' || ch === '[' || ch === '{') this.depth++;
        else if ((ch === ')' || ch === ']' || ch === '}') && this.depth > 0) this.depth--;
        return { type: 'op', value: ch, start, end: start + 1 };
      }
      this.pos = start + 1;
      const cp = s.codePointAt(start)!;
      const shown = cp > 0x7e || cp < 0x20 ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `'${ch}'`;
      let hint = '';
      if (cp === 0xfeff) hint = ' (a UTF-8 byte order mark: Dana rejects it; save the file without BOM)';
      else if (ch === '\\') hint = ' (Dana has no backslash line continuation; wrap the expression in parentheses)';
      else if (ch === ';') hint = ' (Dana has no semicolons; put each statement on its own line)';
      else if ('&^~'.includes(ch)) hint = ' (Dana has no bitwise operators)';
      else if (cp > 0x7f) hint = ' (Dana identifiers are ASCII only)';
      return this.err(`unexpected character ${shown}${hint}`, start, start + (cp > 0xffff ? 2 : 1));
    }
  }

  /** A run of newlines (and the blank lines in it). Returns null when inside brackets. */
  private newline(): Token | null {
    const s = this.src;
    const start = this.pos;
    let j = start;
    let lineStart = start;
    for (;;) {
      const c = s.charCodeAt(j);
      if (c === CR) j += s.charCodeAt(j + 1) === NL ? 2 : 1;
      else if (c === NL) j++;
      else break;
      lineStart = j;
      for (;;) {
        const d = s.charCodeAt(j);
        if (d === 32 || d === 9) j++;
        else break;
      }
    }
    this.pos = j;
    if (j >= s.length && this.virtualNewline) {
      // The imagined final newline ends this run: the last line is empty.
      this.virtualNewline = false;
      lineStart = j;
    }
    let width = 0;
    for (let k = lineStart; k < j; k++) width += s.charCodeAt(k) === 9 ? 8 : 1;
    return this.layout(start, j, width);
  }

  /** NEWLINE (unless inside brackets) and the INDENT/DEDENTs for a line of this width at `at`. */
  private layout(start: number, at: number, width: number): Token | null {
    if (this.flat) return { type: 'newline', value: '', start, end: start + 1 };
    if (this.depth > 0) return null;
    const nl: Token = { type: 'newline', value: '', start, end: start + 1 };
    const top = this.indents[this.indents.length - 1]!;
    if (width > top) {
      this.indents.push(width);
      this.queue.push({ type: 'indent', value: '', start: at, end: at });
    } else if (width < top) {
      while (width < this.indents[this.indents.length - 1]!) {
        this.indents.pop();
        this.queue.push({ type: 'dedent', value: '', start: at, end: at });
      }
      if (width !== this.indents[this.indents.length - 1]) {
        this.queue.push(this.err('unindent does not match any outer indentation level', at, at + 1));
      }
    }
    return nl;
  }

  private finish(): Token {
    this.done = true;
    const end = this.text.length;
    while (this.indents.length > 1) {
      this.indents.pop();
      this.queue.push({ type: 'dedent', value: '', start: end, end });
    }
    this.queue.push({ type: 'eof', value: '', start: end, end });
    return this.queue.shift()!;
  }

  private number(start: number): Token {
    const s = this.src;
    let j = start;
    while (isDigit(s.charCodeAt(j))) j++;
    if (j > start) {
      const e = this.exponent(j);
      if (e > j) j = e;
      else if (s.charCodeAt(j) === 46) {
        j++;
        while (isDigit(s.charCodeAt(j))) j++;
        j = this.exponent(j);
      }
    } else {
      j++; // '.'
      while (isDigit(s.charCodeAt(j))) j++;
      j = this.exponent(j);
    }
    this.pos = j;
    return { type: 'number', value: s.slice(start, j), start, end: j };
  }

  /** End of an exponent `e[+-]digits` at k, or k when there is none. */
  private exponent(k: number): number {
    const s = this.src;
    const c = s.charCodeAt(k);
    if (c !== 101 && c !== 69) return k;
    let m = k + 1;
    const sign = s.charCodeAt(m);
    if (sign === 43 || sign === 45) m++;
    if (!isDigit(s.charCodeAt(m))) return k;
    while (isDigit(s.charCodeAt(m))) m++;
    return m;
  }

  private stringTok(start: number, end: number): Token {
    this.pos = end;
    return { type: 'string', value: this.src.slice(start, end), start, end };
  }

  /**
   * Every way the real lexer can go on from an unterminated string ends in a syntax error (a
   * string next to a string or a name). Dana reports it where its fallback tokens fail: at the
   * quote after an `f`/`r` prefix, after the `""` of an unclosed `"""`. `at` is that offset.
   */
  private unterminated(start: number, what: string, at = start): Token {
    const s = this.src;
    let j = start;
    while (j < s.length && s.charCodeAt(j) !== NL && s.charCodeAt(j) !== CR) j++;
    this.pos = j;
    return this.err(`unterminated ${what}`, at, j);
  }

  private triple(start: number, quoteAt: number, q: string, what: string): Token {
    const close = this.src.indexOf(q + q + q, quoteAt + 3);
    if (close < 0) return this.unterminated(start, `triple-quoted ${what}`, quoteAt + 2);
    return this.stringTok(start, close + 3);
  }

  /** `"..."` (one line) or `'...'` (may span lines); `"""`/`'''` first. */
  private plainString(start: number, c: number): Token {
    const s = this.src;
    const q = String.fromCharCode(c);
    if (s.startsWith(q + q + q, start)) return this.triple(start, start, q, 'string');
    let j = start + 1;
    for (;;) {
      if (j >= s.length) return this.unterminated(start, 'string');
      const d = s.charCodeAt(j);
      if (d === c) return this.stringTok(start, j + 1);
      if (d === 92 /* \ */) {
        const e = s.charCodeAt(j + 1);
        if (j + 1 >= s.length || e === NL || e === CR) return this.unterminated(start, 'string (a backslash cannot escape a newline)');
        j += 2;
        continue;
      }
      if ((d === NL || d === CR) && c === 34) {
        return this.unterminated(start, 'string ("..." must end on its line; use """...""" or \'...\' for several lines)');
      }
      j++;
    }
  }

  /** `f"..."`, `r'...'` and their triple forms. */
  private prefixedString(start: number, kind: 'f' | 'r', c: number): Token {
    const s = this.src;
    const q = String.fromCharCode(c);
    const what = kind === 'f' ? 'f-string' : 'raw string';
    if (s.startsWith(q + q + q, start + 1)) return this.triple(start, start + 1, q, what);
    const end = kind === 'r' ? this.scanRaw(start + 2, c) : this.scanF(start + 2, c);
    return end < 0 ? this.unterminated(start, what, start + 1) : this.stringTok(start, end);
  }

  /** `([^q\\]|\\.)*q` from `i`; returns the end offset or -1. */
  private scanRaw(i: number, c: number): number {
    const s = this.src;
    for (let j = i; j < s.length;) {
      const d = s.charCodeAt(j);
      if (d === c) return j + 1;
      if (d === 92) {
        const e = s.charCodeAt(j + 1);
        if (j + 1 >= s.length || e === NL || e === CR) return -1;
        j += 2;
      } else j++;
    }
    return -1;
  }

  /**
   * `([^q\\]|\\.|\{[^}]*\})*q` from `i`, with the regex engine's backtracking order: the plain
   * scan wins; a `{...}` group only matters when it rescues a backslash-newline. Failed
   * positions are remembered, so this stays linear.
   */
  private scanF(i: number, c: number): number {
    const s = this.src;
    // Fast path: the plain scan (what succeeds in practice).
    let sawBrace = false;
    for (let j = i; j < s.length;) {
      const d = s.charCodeAt(j);
      if (d === c) return j + 1;
      if (d === 92) {
        const e = s.charCodeAt(j + 1);
        if (j + 1 >= s.length || e === NL || e === CR) break;
        j += 2;
      } else {
        if (d === 123) sawBrace = true;
        j++;
      }
    }
    if (!sawBrace) return -1;
    // Slow path, linear: `visited` marks positions a plain scan already went through (from
    // there it fails again); `nextClose[k]` is the first `}` at or after i + k.
    const n = s.length - i;
    const visited = new Uint8Array(n);
    const nextClose = new Int32Array(n + 1);
    nextClose[n] = -1;
    for (let k = n - 1; k >= 0; k--) nextClose[k] = s.charCodeAt(i + k) === 125 ? i + k : nextClose[k + 1]!;
    const braces: number[] = [];
    let j = i;
    for (;;) {
      for (;;) {
        if (j >= s.length || visited[j - i]) break;
        const d = s.charCodeAt(j);
        if (d === c) return j + 1;
        visited[j - i] = 1;
        if (d === 92) {
          const e = s.charCodeAt(j + 1);
          if (j + 1 >= s.length || e === NL || e === CR) break;
          j += 2;
          continue;
        }
        if (d === 123) braces.push(j);
        j++;
      }
      const b = braces.pop();
      if (b === undefined) return -1;
      const close = nextClose[b + 1 - i]!;
      if (close < 0) return -1;
      j = close + 1;
    }
  }
}
