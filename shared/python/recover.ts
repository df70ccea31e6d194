// Better recovery than lezer's alone for one common editing state: an unclosed bracket.
// Inside brackets newlines do not end statements, so `def f(x:` swallows the lines after it,
// and the next function's decorator becomes part of f's annotation. Python never lets a
// statement inside brackets start at column 0 with `@`, `def`, `async def` or `class`, so when
// a top-level statement contains an error, it is cut at such lines (outside strings and
// comments) and each piece is parsed on its own.
import type { SyntaxNode, Tree } from '@lezer/common';

export interface Region {
  from: number;
  to: number;
  /** Offsets where a new piece starts (the first is `from`). */
  cuts: number[];
}

const STATEMENT_START = /^(@|def\b|async[ \t]+def\b|class\b)/;

/** Start offsets of the top-level nodes that hold an error node somewhere inside. */
function brokenTopLevel(tree: Tree): Set<number> {
  const broken = new Set<number>();
  let top = -1;
  // One iterative pass: Tree.iterate keeps no recursion, unlike subtree copies, so deep
  // nesting cannot overflow the stack here.
  tree.iterate({
    enter(ref) {
      if (ref.node.parent?.name === 'Script') top = ref.from;
      if (ref.type.isError && top >= 0) broken.add(top);
    },
  });
  return broken;
}

/** Column-0 statement starts in (from, to) that lie outside strings and comments. */
function statementStarts(tree: Tree, text: string, from: number, to: number): Array<{ at: number; decorator: boolean }> {
  const out: Array<{ at: number; decorator: boolean }> = [];
  const newline = /\r\n?|\n/g;
  newline.lastIndex = from;
  for (let m = newline.exec(text); m && m.index + m[0].length < to; m = newline.exec(text)) {
    const at = m.index + m[0].length;
    const start = STATEMENT_START.exec(text.slice(at, at + 12));
    if (!start) continue;
    const inner = tree.resolveInner(at, 1);
    if (['String', 'FormatString', 'Comment'].includes(inner.name) && inner.from < at) continue;
    out.push({ at, decorator: start[1] === '@' });
  }
  return out;
}

/** The top-level regions worth re-parsing in pieces; none when the file parsed cleanly. */
export function regionsToReparse(tree: Tree, text: string): Region[] {
  const regions: Region[] = [];
  const top: SyntaxNode[] = [];
  for (let c = tree.topNode.firstChild; c; c = c.nextSibling) top.push(c);
  const broken = brokenTopLevel(tree);
  for (let i = 0; i < top.length; i++) {
    const node = top[i]!;
    if (node.from === node.to || !broken.has(node.from)) continue;
    let to = node.to;
    let starts = statementStarts(tree, text, node.from, to);
    if (starts.length === 0) continue;
    // A trailing decorator belongs to the statement lezer parsed next: take that one along.
    if (starts[starts.length - 1]!.decorator && top[i + 1]) {
      to = top[++i]!.to;
      starts = statementStarts(tree, text, node.from, to);
    }
    // A stack of decorators and its def stay in one piece.
    const cuts = [node.from];
    let afterDecorator = text.startsWith('@', node.from);
    for (const s of starts) {
      if (!afterDecorator) cuts.push(s.at);
      afterDecorator = s.decorator;
    }
    if (cuts.length === 1) continue;
    regions.push({ from: node.from, to, cuts });
  }
  return regions;
}
