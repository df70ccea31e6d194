// Syntax errors from @lezer/python's tree. Lezer recovers from errors by inserting
// error nodes (zero-width for "something is missing here", non-empty for "these tokens
// do not fit"); each becomes one SyntaxIssue with a message worded from where it sits.
// Lezer accepts a single-quoted string that runs to the end of the line, which Python
// rejects, so String tokens are checked for their closing quote here as well.
import type { SyntaxNode, Tree } from '@lezer/common';
import type { SyntaxIssue } from '../source/model';
import type { Source } from './positions';

/** A file full of garbage would otherwise produce one issue per token. */
export const MAX_ISSUES = 100;

/** The first word of `s`, quoted, shortened, with control characters made visible. */
function snippet(s: string): string {
  const first = s.trim().split(/\s+/)[0] ?? '';
  const short = first.length > 20 ? first.slice(0, 20) + '…' : first;
  // eslint-disable-next-line no-control-regex
  const visible = short.replace(/[\u0000-\u001f\u007f]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
  return `"${visible}"`;
}

/** An error node lezer makes where Python has none: after a bare `yield` (`yield`, `x = (yield)`). */
export function isSpuriousError(node: SyntaxNode): boolean {
  return node.from === node.to && node.prevSibling?.name === 'yield';
}

/** The word that follows `at`, read on in the whole file (a re-parsed piece ends early). */
function nextWord(src: Source, at: number): string {
  const rest = src.file.slice(src.base + at, src.base + at + 40);
  return /^\s*$/.test(rest) ? 'the end of the file' : snippet(rest);
}

/** What was missing, judged by the node the zero-width error sits in. */
function missingMessage(parent: SyntaxNode | null, src: Source, at: number): string {
  const next = nextWord(src, at);
  const atEnd = next === 'the end of the file';
  switch (parent?.name) {
    case 'ParamList':
      return `unclosed parameter list: expected a parameter or ')' before ${next}`;
    case 'ArgList':
      return `unclosed argument list: expected an argument or ')' before ${next}`;
    case 'TypeDef':
      return `expected a type annotation before ${next}`;
    case 'Body':
      return `expected an indented block before ${next}`;
    case 'FunctionDefinition':
      return `incomplete function definition: expected '(' parameters ')' [-> type] ':' and a body before ${next}`;
    case 'ClassDefinition':
      return `incomplete class definition: expected ':' and a body before ${next}`;
    case 'Decorator':
    case 'DecoratedStatement':
      return `expected 'def' or 'class' after the decorator, before ${next}`;
    case 'String':
    case 'FormatString':
      return 'unterminated string literal';
    case 'ArrayExpression':
    case 'TupleExpression':
    case 'ParenthesizedExpression':
    case 'DictionaryExpression':
    case 'SetExpression':
      return `unclosed bracket: expected an item or a closing bracket before ${next}`;
    default:
      return atEnd ? 'syntax error: unexpected end of file' : `syntax error: unexpected ${next}`;
  }
}

function unterminated(token: string): boolean {
  const m = /^[rRuUbBfF]{0,2}('''|"""|'|")/.exec(token);
  if (!m) return false;
  const q = m[1]!;
  const body = token.slice(m[0].length);
  if (body.length < q.length || !body.endsWith(q)) return true;
  // An odd run of backslashes before the closing quote escapes it.
  const before = body.slice(0, body.length - q.length);
  const slashes = /\\*$/.exec(before)![0].length;
  return slashes % 2 === 1;
}

/** The issues in `tree` (parsed from `src.text`), except those at offsets `skip` rules out. */
export function collectSyntaxIssues(tree: Tree, src: Source, skip: (offset: number) => boolean = () => false): SyntaxIssue[] {
  const { text, lines, base } = src;
  const issues: SyntaxIssue[] = [];
  const seen = new Set<number>();
  // An unterminated string also leaves a zero-width error where it stops: report it once.
  const unterminatedEnds = new Set<number>();
  const add = (from: number, to: number, message: string): void => {
    if (issues.length >= MAX_ISSUES || seen.has(from) || skip(from)) return;
    seen.add(from);
    const s = lines.position(from + base);
    const e = lines.position(to + base);
    issues.push({ line: s.line, column: s.column, end_line: e.line, end_column: e.column, message });
  };
  tree.iterate({
    enter(ref) {
      if (issues.length >= MAX_ISSUES) return false;
      if (skip(ref.from)) return undefined;
      if (ref.type.isError) {
        const node = ref.node;
        if (ref.from === ref.to && unterminatedEnds.has(ref.from)) return false;
        if (isSpuriousError(node)) return false;
        const content = text.slice(ref.from, ref.to);
        if (node.prevSibling?.name === 'AssignOp') add(ref.from, ref.to, `expected a value after '=' before ${nextWord(src, ref.to)}`);
        else if (content.trim() === '') add(ref.from, ref.to, missingMessage(node.parent, src, ref.to));
        else add(ref.from, ref.to, `syntax error: unexpected ${snippet(content)}`);
        return false;
      }
      if (ref.name === 'String' && unterminated(text.slice(ref.from, ref.to))) {
        add(ref.from, ref.to, 'unterminated string literal');
        unterminatedEnds.add(ref.to);
      }
      return undefined;
    },
  });
  return issues;
}
