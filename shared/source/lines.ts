// Offset → 1-based line/column, for any text, shared by the Dana and Python models. Line breaks
// are \n, \r\n and a lone \r (what Dana's lexer and Python both treat as newlines). Columns count
// UTF-16 code units, as LSP positions and JavaScript strings do.
import type { Position, Range } from './model';

export class LineIndex {
  /** Offset at which each line starts; lineStarts[0] = 0. */
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      }
    }
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    // Binary search for the last line start <= o.
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.lineStarts[lo]! + 1, offset: o };
  }

  range(from: number, to: number): Range {
    return { start: this.position(from), end: this.position(to) };
  }

  /** Offset where the 1-based `line` starts (clamped to the text). */
  lineStart(line: number): number {
    const i = Math.max(1, Math.min(line, this.lineStarts.length)) - 1;
    return this.lineStarts[i]!;
  }

  /** Offset of the end of the 1-based `line`, before its line break. */
  lineEnd(line: number): number {
    if (line >= this.lineStarts.length) return this.text.length;
    let end = this.lineStarts[line]!; // start of the next line
    if (end > 0 && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > 0 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }
}
