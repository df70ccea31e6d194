// Better recovery than lezer's alone for the commonest editing state: an unclosed bracket.
// Inside brackets newlines do not end statements, so while `def f(x:` is being typed it
// swallows the lines after it: the next function's `@poet(...)` becomes part of f's
// annotation, or lezer's recovery loses track of the enclosing class. Indentation says where
// a statement really ends, so a statement that holds an error is cut at the next line indented
// no deeper than it: the file is parsed again with that statement replaced by a placeholder
// (same length, line breaks kept), and the statement itself is parsed alone.
import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import { isSpuriousError } from './errors';
import { enclosingNames } from './functions';
import { indentWidth, lineStartOf } from './positions';

/**
 * Each cut costs a parse of the whole file, so they are bounded (by count, and by total
 * characters re-parsed); further broken statements keep lezer's own recovery.
 */
const MAX_CUTS = 8;
const MAX_REPARSED_CHARS = 1_000_000;
/** More errors than this and the text is not code being edited but something else: leave it to lezer. */
const MAX_ERRORS = 10;

function errorCount(tree: Tree, limit: number): number {
  let n = 0;
  tree.iterate({
    enter(ref) {
      if (n > limit) return false;
      if (ref.type.isError && !isSpuriousError(ref.node)) n++;
      return undefined;
    },
  });
  return n;
}

export interface Cut {
  /** The broken statement, from its first character (decorators included) to the cut. */
  from: number;
  to: number;
  /** Start of the statement's first line, where its standalone parse begins. */
  lineStart: number;
  /** Names of the defs and classes around it. */
  parents: string[];
}

export interface Recovered {
  /** The parse of the text with every cut statement replaced. */
  tree: Tree;
  /** The text that tree was parsed from. */
  text: string;
  cuts: Cut[];
}

const DEF_LINE = /^(def\b|async[ \t]+def\b|class\b)/;
/** Lines at the statement's indentation that still belong to it. */
const CONTINUES = /^([)\]}]|(else|elif|except|finally)\b)/;

/**
 * The first line after the statement's first line where Python would start the next statement
 * (a line indented no deeper than the statement, outside strings), or -1. Lezer's own node may
 * end sooner or later than that when the statement is broken.
 */
function cutPoint(tree: Tree, text: string, stmt: SyntaxNode): number {
  const indent = indentWidth(text, lineStartOf(text, stmt.from));
  // The decorators of a decorated statement and its def line are the statement's own lines.
  let inDecorators = stmt.name === 'DecoratedStatement';
  const newline = /\r\n?|\n/g;
  newline.lastIndex = stmt.from;
  for (let m = newline.exec(text); m; m = newline.exec(text)) {
    const line = m.index + m[0].length;
    let at = line;
    while (text[at] === ' ' || text[at] === '\t' || text[at] === '\f') at++;
    const c = text[at];
    if (c === undefined || c === '\n' || c === '\r' || c === '#' || indentWidth(text, line) > indent) continue;
    const inner = tree.resolveInner(at, 1);
    if (['String', 'FormatString', 'Comment'].includes(inner.name) && inner.from < at) continue;
    const head = text.slice(at, at + 12);
    if (inDecorators) {
      if (c === '@') continue;
      if (DEF_LINE.test(head)) {
        inDecorators = false;
        continue;
      }
    }
    if (CONTINUES.test(head)) continue;
    return line;
  }
  return -1;
}

/** A statement that begins its line (so its indentation is its own, not its parent's). */
function isStatement(text: string, node: SyntaxNode): boolean {
  const p = node.parent;
  if (!p || (p.name !== 'Script' && p.name !== 'Body')) return false;
  return /^[ \t\f]*$/.test(text.slice(lineStartOf(text, node.from), node.from));
}

/** The innermost statement around an error that swallowed a line it must not have. */
function findCut(tree: Tree, text: string): Cut | null {
  let found: Cut | null = null;
  // Errors share their enclosing statements: scan each statement once.
  const scanned = new Map<string, number>();
  tree.iterate({
    enter(ref) {
      if (found) return false;
      if (!ref.type.isError) return undefined;
      if (isSpuriousError(ref.node)) return false;
      for (let s: SyntaxNode | null = ref.node; s; s = s.parent) {
        if (!isStatement(text, s)) continue;
        const key = `${s.from}:${s.to}`;
        let to = scanned.get(key);
        if (to === undefined) scanned.set(key, (to = cutPoint(tree, text, s)));
        if (to < 0) continue;
        found = { from: s.from, to, lineStart: lineStartOf(text, s.from), parents: enclosingNames(text, s) };
        break;
      }
      return false;
    },
  });
  return found;
}

/** Same length; line breaks kept so lines and columns do not move; `0` keeps the block non-empty. */
function placeholder(text: string, from: number, to: number): string {
  return text.slice(0, from) + '0' + text.slice(from + 1, to).replace(/[^\r\n]/g, ' ') + text.slice(to);
}

export function recover(text: string): Recovered {
  let tree = parser.parse(text);
  const cuts: Cut[] = [];
  const errors = errorCount(tree, MAX_ERRORS);
  const budget = errors === 0 || errors > MAX_ERRORS ? 0 : Math.min(MAX_CUTS, Math.floor(MAX_REPARSED_CHARS / Math.max(1, text.length)));
  while (cuts.length < budget) {
    const cut = findCut(tree, text);
    if (!cut) break;
    cuts.push(cut);
    text = placeholder(text, cut.from, cut.to);
    tree = parser.parse(text);
  }
  return { tree, text, cuts };
}
