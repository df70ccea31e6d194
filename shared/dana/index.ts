// Dana source model: `parseDana` gives the function model of a `.na` file (with error recovery,
// so one broken function does not hide the others); `parseDanaProgram` gives the syntax tree.
import type * as A from './ast';
import { LineIndex } from './lexer';
import { collectDefs, ModelBuilder } from './functions';
import { parseWithRecovery, tolerantDefs } from './recover';
import type { ParsedFile, SyntaxIssue } from '../source/model';

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
  const r = parseWithRecovery(text, lines);
  const sites = collectDefs(r.body);
  for (const region of r.broken) sites.push(...tolerantDefs(text, lines, region));
  const mb = new ModelBuilder(text, lines);
  const functions = sites.map((s) => mb.model(s)).sort((a, b) => a.range.start.offset - b.range.start.offset);
  return { language: 'dana', functions, errors: r.errors };
}
