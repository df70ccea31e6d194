// The Python source model: `parsePython(text)` gives the same FunctionModel the Dana parser
// gives for `.na` files. Built on @lezer/python, an error-tolerant incremental LR parser, so a
// syntax error in one function leaves the others intact. It never throws.
import type { Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import type { FunctionModel, ParsedFile, SyntaxIssue } from '../source/model';
import { collectSyntaxIssues, MAX_ISSUES } from './errors';
import { functionModel } from './functions';
import { LineIndex } from '../source/lines';
import type { Source } from './positions';
import { prepareForLezer } from './prepare';
import { recover } from './recover';

function functionsOf(tree: Tree, src: Source): FunctionModel[] {
  const out: FunctionModel[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.name !== 'FunctionDefinition') return;
      const fn = functionModel(src, ref.node);
      if (fn) out.push(fn);
    },
  });
  return out;
}

export function parsePython(text: string): ParsedFile {
  try {
    // Python accepts a UTF-8 BOM; lezer would read it as part of a name, so parse without it
    // and shift every offset by one.
    const base = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const src: Source = { text: base ? text.slice(1) : text, base, file: text, lines: new LineIndex(text) };
    // Lezer parses a same-length variant of the text (see prepare.ts and recover.ts), so tree
    // offsets index `src.text`, from which the model takes every name, type and source.
    const prepared = prepareForLezer(src.text);
    const { tree, cuts } = recover(prepared.text);
    // A zero-width error at a cut's end belongs to the cut statement; a def there does not.
    const inCut = (offset: number): boolean => cuts.some((c) => offset >= c.from && offset <= c.to);
    const functions = functionsOf(tree, src).filter(
      (f) => !cuts.some((c) => f.header_range.start.offset - base >= c.from && f.header_range.start.offset - base < c.to),
    );
    const errors: SyntaxIssue[] = collectSyntaxIssues(tree, src, inCut);
    for (const cut of cuts) {
      // The cut statement alone, from the start of its line so that columns stay right.
      const piece: Source = { ...src, text: src.text.slice(cut.lineStart, cut.to), base: base + cut.lineStart };
      const pieceTree = parser.parse(prepared.text.slice(cut.lineStart, cut.to));
      for (const fn of functionsOf(pieceTree, piece)) functions.push({ ...fn, parents: [...cut.parents, ...fn.parents] });
      errors.push(...collectSyntaxIssues(pieceTree, piece));
    }
    // Bracket issues first, so that they win over lezer's at the same place.
    const brackets = prepared.bracketIssues.map((b): SyntaxIssue => {
      const at = src.lines.position(b.at + base);
      return { line: at.line, column: at.column, end_line: at.line, end_column: at.column + 1, message: b.message };
    });
    const all = [...brackets, ...errors].sort((a, b) => a.line - b.line || a.column - b.column);
    const unique = all.filter((e, i) => i === 0 || e.line !== all[i - 1]!.line || e.column !== all[i - 1]!.column);
    functions.sort((a, b) => a.header_range.start.offset - b.header_range.start.offset);
    return { language: 'python', functions, errors: unique.slice(0, MAX_ISSUES) };
  } catch (e) {
    // Not expected (the property tests look for it); an editor must still get an answer.
    const message = e instanceof Error ? e.message : String(e);
    return { language: 'python', functions: [], errors: [{ line: 1, column: 1, message: `internal parser error: ${message}` }] };
  }
}

export { decodeStringLiteral, decodeNumberLiteral } from './literals';
