// The text lezer parses: the file with a few same-length substitutions, so that every tree
// offset is still an offset into the file (the model slices names, types and sources from the
// original text, never from this one).
// - Brackets nested deeper than 200 levels are blanked. CPython refuses them ("too many nested
//   parentheses"); lezer has no limit but builds its tree recursively, and thousands of levels
//   overflow the stack. The first one is reported as CPython would, and so are unmatched,
//   mismatched and unclosed brackets.
// - A form feed, which Python allows in indentation, becomes a space; lezer rejects it.
// - A float written with a trailing dot (`5.`, `24.*3600.`) gets a `0` for its dot; lezer reads
//   `5.` as the start of an attribute access. The value is still decoded from the original text.
export const MAX_NESTING = 200;

/** A bracket problem found while scanning, worded as CPython words it. */
export interface BracketIssue {
  at: number;
  message: string;
}

export interface Prepared {
  text: string;
  /**
   * Bracket problems: the first of nesting past the limit, a closer that matches nothing or the
   * wrong opener; then every opener never closed (at most 10). Lezer reports these where it
   * notices them, often lines later; these point at the bracket itself.
   */
  bracketIssues: BracketIssue[];
}

const MAX_UNCLOSED_REPORTED = 10;

const CLOSER_OF: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** End offset of the string literal whose opening quote is at `i`. */
function stringEnd(text: string, i: number): number {
  const q = text[i]!;
  const triple = text.startsWith(q + q + q, i);
  let j = i + (triple ? 3 : 1);
  while (j < text.length) {
    const c = text[j]!;
    if (c === '\\') j += 2;
    else if (triple ? text.startsWith(q + q + q, j) : c === q) return j + (triple ? 3 : 1);
    else if (!triple && (c === '\n' || c === '\r')) return j; // unterminated: ends at the line
    else j++;
  }
  return text.length;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
/** [A-Za-z0-9_] (NaN, past the end, is not). */
function isWord(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function lineOf(text: string, at: number): number {
  let line = 1;
  for (let i = 0; i < at; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
}

export function prepareForLezer(text: string): Prepared {
  const edits: Array<[number, string]> = [];
  let issue: BracketIssue | null = null;
  const open: number[] = []; // offsets of the brackets not yet closed
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === '#') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (c === '"' || c === "'") {
      i = stringEnd(text, i);
    } else if (isDigit(text.charCodeAt(i)) && !isWord(text.charCodeAt(i - 1)) && text[i - 1] !== '.') {
      // A number: skip it whole, fixing a trailing dot.
      let j = i;
      let plain = true; // digits and underscores only
      for (; j < text.length && isWord(text.charCodeAt(j)); j++) {
        if (!isDigit(text.charCodeAt(j)) && text[j] !== '_') plain = false;
      }
      if (plain && text[j] === '.' && !isWord(text.charCodeAt(j + 1)) && text[j + 1] !== '.') edits.push([j, '0']);
      i = j;
    } else {
      if (c === '\f') edits.push([i, ' ']);
      else if (c === '(' || c === '[' || c === '{') {
        open.push(i);
        if (open.length > MAX_NESTING) {
          edits.push([i, ' ']);
          issue ??= { at: i, message: `too many nested brackets: Python allows at most ${MAX_NESTING} levels` };
        }
      } else if (c === ')' || c === ']' || c === '}') {
        if (open.length > MAX_NESTING) edits.push([i, ' ']);
        const opener = open.pop();
        if (opener === undefined) issue ??= { at: i, message: `unmatched '${c}'` };
        else if (CLOSER_OF[text[opener]!] !== c) {
          issue ??= { at: i, message: `closing bracket '${c}' does not match the '${text[opener]}' opened on line ${lineOf(text, opener)}` };
        }
      }
      i++;
    }
  }
  const bracketIssues = issue ? [issue] : [];
  for (const at of open.slice(0, MAX_UNCLOSED_REPORTED)) bracketIssues.push({ at, message: `'${text[at]}' was never closed` });
  if (edits.length === 0) return { text, bracketIssues };
  const parts: string[] = [];
  let from = 0;
  for (const [at, ch] of edits) {
    parts.push(text.slice(from, at), ch);
    from = at + 1;
  }
  parts.push(text.slice(from));
  return { text: parts.join(''), bracketIssues };
}
