// The Dana load order, as code: the original module without its @poet decorators, then each
// enhanced.na, then callers. The CLI, tests and docs use this to build a runnable program.
import type { FunctionModel } from '../../../shared/source/model';

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

/** One runnable program: original (decorators stripped) + enhanced files + caller code. */
export function danaProgram(originalText: string, functions: FunctionModel[], enhanced: string[], caller = ''): string {
  return [stripPoetDecorators(originalText, functions).replace(/\s+$/, ''), ...enhanced.map((e) => e.replace(/\s+$/, '')), caller.replace(/\s+$/, '')]
    .filter(Boolean)
    .join('\n\n') + '\n';
}
