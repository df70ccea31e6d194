// The Python source model: `parsePython(text)` gives the same FunctionModel the Dana parser
// gives for `.na` files. Built on @lezer/python, an error-tolerant incremental LR parser, so a
// syntax error in one function leaves the others intact. It never throws.
import { parser } from '@lezer/python';
import type { FunctionModel, ParsedFile } from '../source/model';
import { collectSyntaxIssues } from './errors';
import { functionModel, type Source } from './functions';
import { LineIndex } from './positions';

export function parsePython(text: string): ParsedFile {
  try {
    // Python accepts a UTF-8 BOM; lezer would read it as part of a name, so parse without it
    // and shift every offset by one.
    const base = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const src: Source = { text: base ? text.slice(1) : text, base, lines: new LineIndex(text) };
    const tree = parser.parse(src.text);
    const functions: FunctionModel[] = [];
    tree.iterate({
      enter(ref) {
        if (ref.name !== 'FunctionDefinition') return;
        const fn = functionModel(src, text, ref.node);
        if (fn) functions.push(fn);
      },
    });
    return { language: 'python', functions, errors: collectSyntaxIssues(tree, src.text, src.lines, base) };
  } catch (e) {
    // Not expected (the property tests look for it); an editor must still get an answer.
    const message = e instanceof Error ? e.message : String(e);
    return { language: 'python', functions: [], errors: [{ line: 1, column: 1, message: `internal parser error: ${message}` }] };
  }
}

export { decodeStringLiteral, decodeNumberLiteral } from './literals';
