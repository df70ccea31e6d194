// CPython refuses brackets nested deeper than 200 levels ("too many nested parentheses").
// Lezer has no such limit, but builds its tree recursively, so thousands of levels overflow
// the stack. Brackets deeper than the limit are therefore blanked out (same offsets) before
// parsing, and the first one is reported as the syntax error CPython would give.
export const MAX_NESTING = 200;

export interface Limited {
  /** The text with every bracket deeper than MAX_NESTING replaced by a space. */
  text: string;
  /** Offset of the first bracket past the limit, or -1. */
  tooDeepAt: number;
}

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

export function limitNesting(text: string): Limited {
  const blanked: number[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === '#') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (c === '"' || c === "'") {
      i = stringEnd(text, i);
    } else {
      if (c === '(' || c === '[' || c === '{') {
        if (++depth > MAX_NESTING) blanked.push(i);
      } else if (c === ')' || c === ']' || c === '}') {
        if (depth > MAX_NESTING) blanked.push(i);
        depth = Math.max(0, depth - 1);
      }
      i++;
    }
  }
  if (blanked.length === 0) return { text, tooDeepAt: -1 };
  const parts: string[] = [];
  let from = 0;
  for (const at of blanked) {
    parts.push(text.slice(from, at), ' ');
    from = at + 1;
  }
  parts.push(text.slice(from));
  return { text: parts.join(''), tooDeepAt: blanked[0]! };
}
