// Dana source model: `parseDana` gives the function model of a `.na` file (with error recovery,
// so one broken function does not hide the others); `parseDanaProgram` gives the syntax tree.
import type * as A from './ast';
import { LineIndex } from '../source/lines';
import { collectDefs, ModelBuilder } from './functions';
import { parseWithRecovery, tolerantDefs } from './recover';
import type { FunctionModel, ParsedFile, SyntaxIssue } from '../source/model';

export type { Program } from './ast';
export { emitDana } from './emit';
export { b } from './build';

/** The syntax tree when the text is valid Dana (else null), and every syntax error found. */
export function parseDanaProgram(text: string): { program: A.Program | null; errors: SyntaxIssue[] } {
  const lines = new LineIndex(text);
  const r = parseWithRecovery(text, lines);
  if (r.errors.length) return { program: null, errors: r.errors };
  return { program: { kind: 'program', body: r.body, loc: { start: 0, end: text.length } }, errors: [] };
}

/** Functions and syntax errors of a Dana file. Never throws. */
export function parseDana(text: string): ParsedFile {
  const lines = new LineIndex(text);
  const mb = new ModelBuilder(text, lines);
  const functions: FunctionModel[] = [];
  const r = parseWithRecovery(text, lines, (s) => {
    for (const site of collectDefs([s])) functions.push(mb.model(site));
  });
  for (const region of r.broken) for (const site of tolerantDefs(text, lines, region)) functions.push(mb.model(site));
  functions.sort((a, b) => a.range.start.offset - b.range.start.offset);
  return { language: 'dana', functions, errors: r.errors };
}
