// The Python source model: `parsePython(text)` gives the same FunctionModel the Dana parser
// gives for `.na` files. Built on @lezer/python, an error-tolerant incremental LR parser, so a
// syntax error in one function leaves the others intact. It never throws.
import type { Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import type { FunctionModel, ParsedFile, SyntaxIssue } from '../source/model';
import { collectSyntaxIssues, MAX_ISSUES } from './errors';
import { functionModel } from './functions';
import { MAX_NESTING, prepareForLezer } from './prepare';
import { LineIndex, type Source } from './positions';
import { regionsToReparse } from './recover';

function functionsOf(tree: Tree, src: Source, skip: (offset: number) => boolean): FunctionModel[] {
  const out: FunctionModel[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.name !== 'FunctionDefinition' || skip(ref.from)) return;
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
    // Tree offsets are the same in `limited.text`; slices for the model come from `src.text`.
    const limited = prepareForLezer(src.text);
    const tree = parser.parse(limited.text);
    const regions = regionsToReparse(tree, src.text);
    const inRegion = (offset: number): boolean => regions.some((r) => offset >= r.from && offset <= r.to);

    const functions = functionsOf(tree, src, inRegion);
    const errors: SyntaxIssue[] = collectSyntaxIssues(tree, src, inRegion);
    for (const r of regions) {
      r.cuts.forEach((from, k) => {
        const to = r.cuts[k + 1] ?? r.to;
        const piece: Source = { ...src, text: src.text.slice(from, to), base: base + from };
        const pieceTree = parser.parse(limited.text.slice(from, to));
        functions.push(...functionsOf(pieceTree, piece, () => false));
        errors.push(...collectSyntaxIssues(pieceTree, piece));
      });
    }
    if (limited.tooDeepAt >= 0) {
      const at = src.lines.position(limited.tooDeepAt + base);
      errors.push({
        line: at.line,
        column: at.column,
        end_line: at.line,
        end_column: at.column + 1,
        message: `too many nested brackets: Python allows at most ${MAX_NESTING} levels`,
      });
    }
    functions.sort((a, b) => a.header_range.start.offset - b.header_range.start.offset);
    errors.sort((a, b) => a.line - b.line || a.column - b.column);
    return { language: 'python', functions, errors: errors.slice(0, MAX_ISSUES) };
  } catch (e) {
    // Not expected (the property tests look for it); an editor must still get an answer.
    const message = e instanceof Error ? e.message : String(e);
    return { language: 'python', functions: [], errors: [{ line: 1, column: 1, message: `internal parser error: ${message}` }] };
  }
}

export { decodeStringLiteral, decodeNumberLiteral } from './literals';
