// Where the Python parser's offsets sit in the file, and Python's indentation rule.
import type { LineIndex } from '../source/lines';

/** A text handed to the parser and how to map its offsets back to the whole file. */
export interface Source {
  /** Text given to the parser; tree offsets index into it. */
  text: string;
  /** Offset of `text` inside the original file (1 for a stripped BOM, more for a re-parsed slice). */
  base: number;
  /** The whole original file, and its line index. */
  file: string;
  lines: LineIndex;
}

/** Offset where the line holding `at` starts. */
export function lineStartOf(text: string, at: number): number {
  let s = at;
  while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
  return s;
}

/** Indentation width of the line starting at `lineStart`, as Python counts it (a tab advances to the next multiple of 8). */
export function indentWidth(text: string, lineStart: number): number {
  let w = 0;
  for (let i = lineStart; i < text.length; i++) {
    if (text[i] === ' ') w++;
    else if (text[i] === '\t') w = w - (w % 8) + 8;
    else if (text[i] !== '\f') break;
  }
  return w;
}
