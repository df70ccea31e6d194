// The interpreter's messages, pointed back at the user's files. The program runs from composed
// copies under .dana/poet/build/ whose lines moved (each enhanced function is followed by POET's
// generated part), so paths of composed files become the source paths, and the line numbers Dana
// prints (`Syntax Error (line N, column C)`, an execution trace's `N. Line L, column C`, Python's
// `File "...", line L`, `PATH:L`) become source lines. A line of POET's generated code is shown as
// the `def` line of the function it enhances, marked as POET's.
//
// The program's own output is left alone: stdout lines are rewritten only when they name a
// composed file, or after the interpreter started reporting an error (which ends the program).
import { basename } from 'node:path';
import type { BuiltModule } from './build';

const ESC = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Where Dana's (and Python's) error reports begin. */
const ERROR_START = /^(=== Dana Runtime Error ===|=== FAILED ===|Error:\s*$|Syntax Error \(line \d+|Traceback \(most recent call last\):)/;
/** Line numbers that name no file: they belong to the file the report is about. */
const BARE_LINE = [/^(\s*\d+\. Line )(\d+)/, /(Syntax Error \(line )(\d+)/, /(\| Line )(\d+)/, /(Location\(line=)(\d+)/];

export class OutputMapper {
  private readonly byPath: Array<{ text: string; m: BuiltModule }>;
  private current: BuiltModule;
  private inError = false;

  constructor(
    private readonly modules: BuiltModule[],
    private readonly display: (path: string) => string,
  ) {
    // Longest first, so a path is not replaced by a shorter one it starts with.
    this.byPath = modules
      .flatMap((m) => [...new Set([m.built, display(m.built)])].map((text) => ({ text, m })))
      .sort((a, b) => b.text.length - a.text.length);
    this.current = modules[0]!;
  }

  /** The module with this base name, when exactly one has it. */
  private byBase(name: string): BuiltModule | undefined {
    const hits = this.modules.filter((m) => basename(m.built) === name);
    return hits.length === 1 ? hits[0] : undefined;
  }

  /** `n` of module `m` as a source line, with a note when POET generated it. */
  private lineOf(m: BuiltModule, n: number): string {
    const o = m.origins[n - 1];
    if (!o) return String(n);
    if (o.poet === undefined) return String(o.line);
    return o.poet ? `${o.line} (in POET's code for ${o.poet})` : `${o.line} (POET's import line)`;
  }

  map(line: string, stream: 'stdout' | 'stderr'): string {
    if (stream === 'stdout' && !this.inError && ERROR_START.test(line)) this.inError = true;
    const named = this.byPath.some((p) => line.includes(p.text));
    if (stream === 'stdout' && !this.inError && !named) return line;

    let out = line;
    for (const { text, m } of this.byPath) {
      if (!out.includes(text)) continue;
      this.current = m;
      const src = this.display(m.source);
      out = out.replace(new RegExp(`${ESC(text)}(?:(", line |, line |:)(\\d+))?`, 'g'), (_all, sep: string | undefined, n: string | undefined) =>
        sep && n ? `${src}${sep}${this.lineOf(m, Number(n))}` : src,
      );
    }
    if (!named) {
      // Dana often names a file by its base name only (`File: app.na`, `File "app.na", line 10`).
      const file = /^File: (\S+)\s*$/.exec(out);
      if (file) this.current = this.byBase(file[1]!) ?? this.current;
      out = out.replace(/(File "([^"/\\]+)", line )(\d+)/g, (all, head: string, base: string, n: string) => {
        const m = this.byBase(base);
        return m ? `${head}${this.lineOf(m, Number(n))}` : all;
      });
      if (out === line) for (const re of BARE_LINE) out = out.replace(re, (_all, head: string, n: string) => `${head}${this.lineOf(this.current, Number(n))}`);
    }
    return out.replace(/\b__poet_original_(\w+)/g, '$1');
  }
}

/**
 * Feeds a child's output through `map` line by line. A partial line (a prompt without a newline)
 * is passed through unchanged when nothing follows it within 30 ms, so the program stays
 * interactive; its rest then passes unchanged too.
 */
export class LineStream {
  private pending = '';
  private started = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (text: string) => void,
    private readonly map: (line: string) => string,
  ) {}

  push(chunk: string): void {
    clearTimeout(this.timer);
    const parts = (this.pending + chunk).split('\n');
    this.pending = parts.pop()!;
    for (const line of parts) {
      this.write((this.started ? line : this.map(line)) + '\n');
      this.started = false;
    }
    if (this.pending) this.timer = setTimeout(() => this.flushPartial(), 30);
  }

  private flushPartial(): void {
    if (!this.pending) return;
    this.write(this.pending);
    this.pending = '';
    this.started = true;
  }

  end(): void {
    clearTimeout(this.timer);
    if (this.pending) this.write(this.started ? this.pending : this.map(this.pending));
    this.pending = '';
  }
}
