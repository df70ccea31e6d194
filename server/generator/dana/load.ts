// The Dana load order, as code. A module runs with its enhanced functions when each original is
// renamed in place (`def f` → `def __poet_original_f`, same lines) and the generated part of its
// enhanced.na (plan, attempt, wrapper) follows right after the original's body, so the wrapper's
// defaults and annotations see what the original's saw, and every call after the def (top-level
// code included) goes through the wrapper. `@poet` decorators are blanked (Dana's own built-in
// @poet would run otherwise). `poet build`, `poet run` and the tests use this.
import type { FunctionModel } from '../../../shared/source/model';
import { ORIGINAL_BEGIN, ORIGINAL_END } from './generate';

/** The module text with every `@poet(...)` decorator removed (other decorators stay; line count kept). */
export function stripPoetDecorators(text: string, functions: FunctionModel[]): string {
  const cuts = functions
    .flatMap((f) => f.decorators.filter((d) => d.name === 'poet').map((d) => d.range))
    .sort((a, b) => b.start.offset - a.start.offset);
  let out = text;
  for (const r of cuts) {
    // Replace the decorator with the same number of blank lines so line numbers stay stable.
    // `@poet def f():` on one line: the white space after the decorator goes too.
    let end = r.end.offset;
    while (out[end] === ' ' || out[end] === '\t') end++;
    const removed = out.slice(r.start.offset, end);
    out = out.slice(0, r.start.offset) + '\n'.repeat((removed.match(/\n/g) ?? []).length) + out.slice(end);
  }
  // A decorator line emptied to white space only is fine for Dana (blank lines are allowed before `def`).
  return out.replace(/^[ \t]+$/gm, '');
}

/** The generated part of an enhanced.na: everything but its renamed copy of the original. */
export function generatedPart(enhanced: string): string {
  const begin = enhanced.indexOf(ORIGINAL_BEGIN);
  const end = enhanced.indexOf(ORIGINAL_END);
  if (begin < 0 || end < begin) return enhanced;
  return enhanced.slice(0, begin) + enhanced.slice(end + ORIGINAL_END.length);
}

export interface Composed {
  text: string;
  /** lineMap[i] = the line of the user's file that composed line i + 1 came from; 0 for generated lines. */
  lineMap: number[];
}

/**
 * `text` with the functions in `enhanced` (name → enhanced.na) running enhanced. Functions are
 * those of `text` (from the parser); an enhanced.na whose original is not in `text` is ignored.
 */
export function composeDana(text: string, functions: FunctionModel[], enhanced: Map<string, string>): Composed {
  const targets = functions.filter((f) => f.parents.length === 0 && !f.receiver && enhanced.has(f.name));
  // Rename each original in place; the same number of characters may change, so work backwards.
  let body = text;
  for (const f of [...targets].sort((a, b) => b.name_range.start.offset - a.name_range.start.offset)) {
    body = body.slice(0, f.name_range.start.offset) + `__poet_original_${f.name}` + body.slice(f.name_range.end.offset);
  }
  body = stripPoetDecorators(body, functions.map((f) => shiftedDecorators(f, targets)));
  const lines = body.split(/\r\n|\r|\n/);
  const after = new Map(targets.map((f) => [f.range.end.line, f.name]));
  const out: string[] = [];
  const lineMap: number[] = [];
  lines.forEach((line, i) => {
    out.push(line);
    lineMap.push(i + 1);
    const name = after.get(i + 1);
    if (name !== undefined) {
      const part = generatedPart(enhanced.get(name)!).replace(/\s+$/, '').split('\n');
      for (const p of ['', ...part, '']) {
        out.push(p);
        lineMap.push(0);
      }
    }
  });
  return { text: out.join('\n').replace(/\s*$/, '\n'), lineMap };
}

/** Decorator ranges move when a name before them on the same text grew; recompute from the rename. */
function shiftedDecorators(f: FunctionModel, renamed: FunctionModel[]): FunctionModel {
  const grow = (offset: number) =>
    renamed.filter((t) => t.name_range.start.offset < offset).reduce((n, t) => n + `__poet_original_${t.name}`.length - t.name.length, 0);
  return {
    ...f,
    decorators: f.decorators.map((d) => ({
      ...d,
      range: { start: { ...d.range.start, offset: d.range.start.offset + grow(d.range.start.offset) }, end: { ...d.range.end, offset: d.range.end.offset + grow(d.range.end.offset) } },
    })),
  };
}

/** One runnable program from a module and enhanced functions, plus caller code after it. */
export function danaProgram(originalText: string, functions: FunctionModel[], enhanced: string[], caller = ''): string {
  const byName = new Map<string, string>();
  for (const e of enhanced) {
    const m = /^# Function: (\w+) /m.exec(e);
    if (m) byName.set(m[1]!, e);
  }
  const composed = composeDana(originalText, functions, byName).text.replace(/\s+$/, '');
  return [composed, caller.replace(/\s+$/, '')].filter(Boolean).join('\n\n') + '\n';
}
