// The outline: functions nested under their enclosing functions, and the structs / classes
// that hold methods. The function model records each function's parents by name; a parent
// that is not itself a function is a struct-like block (struct, resource, … or a Python
// class), shown as a container spanning its methods.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver/node';
import { parseDanaProgram } from '../../shared/dana/index';
import type { FunctionModel } from '../../shared/source/model';
import { toLspRange, type ParsedDocument } from './documents';

type Offsets = { start: { offset: number }; end: { offset: number } };
const span = (start: number, end: number): Offsets => ({ start: { offset: start }, end: { offset: end } });

/**
 * Top-level struct-like blocks and singleton agents of a valid Dana file, with their exact
 * ranges and fields (the function model only knows their names, as parents of methods).
 * An invalid file gives none; its containers are then inferred from the methods.
 */
function danaContainers(pd: ParsedDocument): Array<{ name: string; sym: DocumentSymbol }> {
  const text = pd.doc.getText();
  // A second, full parse: only worth it when the file has such a block at all.
  if (!/^[ \t]*(?:struct|resource|agent_blueprint|interface|workflow|agent)\b/m.test(text)) return [];
  const { program } = parseDanaProgram(text);
  if (!program) return [];
  const out: Array<{ name: string; sym: DocumentSymbol }> = [];
  for (const st of program.body) {
    if ((st.kind !== 'definition' && st.kind !== 'agent_def') || !st.loc || !st.name) continue;
    const header = new RegExp(`^(\\s*\\w+\\s+)(${st.name})\\b`).exec(text.slice(st.loc.start, st.loc.end));
    const nameStart = st.loc.start + (header ? header[1]!.length : 0);
    const range = toLspRange(pd.doc, span(st.loc.start, st.loc.end));
    const selectionRange = toLspRange(pd.doc, span(nameStart, nameStart + (header ? st.name.length : 0)));
    const children: DocumentSymbol[] = [];
    if (st.kind === 'definition') {
      for (const m of st.members) {
        if (m.kind !== 'field' || !m.loc) continue;
        const r = toLspRange(pd.doc, span(m.loc.start, m.loc.end));
        const type = m.type.loc ? text.slice(m.type.loc.start, m.type.loc.end) : undefined;
        children.push({ name: m.name, kind: SymbolKind.Field, ...(type ? { detail: type } : {}), range: r, selectionRange: { start: r.start, end: r.start } });
      }
    }
    const kind = st.kind === 'agent_def' ? SymbolKind.Object : st.keyword === 'interface' ? SymbolKind.Interface : SymbolKind.Struct;
    const detail = st.kind === 'agent_def' ? `agent (${st.base})` : st.keyword;
    out.push({ name: st.name, sym: { name: st.name, kind, detail, range, selectionRange, children } });
  }
  return out;
}

function signature(fn: FunctionModel): string {
  const params = fn.params.map((p) => (p.type ? `${p.name}: ${p.type}` : p.name)).join(', ');
  const recv = fn.receiver ? `(${fn.receiver.name}${fn.receiver.type ? `: ${fn.receiver.type}` : ''}) ` : '';
  const prefix = fn.kind === 'sync def' ? 'sync ' : fn.kind === 'async def' ? 'async ' : '';
  return `${prefix}${recv}(${params})${fn.return_type ? ` -> ${fn.return_type}` : ''}${fn.kind === 'declarative' ? ' = …' : ''}`;
}

const ZERO = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function documentSymbols(pd: ParsedDocument): DocumentSymbol[] {
  const { doc } = pd;
  const roots: DocumentSymbol[] = [];
  /** Qualified name → its symbol; `container` marks struct-like parents made up here. */
  const byPath = new Map<string, { sym: DocumentSymbol; container: boolean }>();
  const containerKind = pd.language === 'python' ? SymbolKind.Class : SymbolKind.Struct;
  /** Containers whose range is known exactly (not inferred from their members). */
  const exact = new Set<DocumentSymbol>();
  if (pd.language === 'dana') {
    for (const { name, sym } of danaContainers(pd)) {
      if (byPath.has(name)) continue;
      byPath.set(name, { sym, container: true });
      exact.add(sym);
      roots.push(sym);
    }
  }

  const childrenOf = (parents: string[]): DocumentSymbol[] => {
    if (parents.length === 0) return roots;
    const key = parents.join('.');
    let entry = byPath.get(key);
    if (!entry) {
      // A struct-like parent: it gets the span of its members below.
      entry = { sym: { name: parents[parents.length - 1]!, kind: containerKind, range: ZERO, selectionRange: ZERO, children: [] }, container: true };
      byPath.set(key, entry);
      childrenOf(parents.slice(0, -1)).push(entry.sym);
    }
    return (entry.sym.children ??= []);
  };

  // Outer functions first, so a nested function finds its parent function already there.
  const ordered = [...pd.parsed.functions].sort((a, b) => a.parents.length - b.parents.length || a.range.start.offset - b.range.start.offset);
  for (const fn of ordered) {
    const parentKey = fn.parents.join('.');
    const inContainer = fn.parents.length > 0 && (byPath.get(parentKey)?.container ?? true);
    const sym: DocumentSymbol = {
      name: fn.receiver?.type ? `(${fn.receiver.type}) ${fn.name}` : fn.name,
      detail: signature(fn),
      kind: fn.receiver || inContainer ? SymbolKind.Method : SymbolKind.Function,
      range: toLspRange(doc, fn.range),
      selectionRange: toLspRange(doc, fn.name_range),
    };
    childrenOf(fn.parents).push(sym);
    const own = [...fn.parents, fn.name].join('.');
    if (!byPath.has(own)) byPath.set(own, { sym, container: false });
  }

  for (const { sym, container } of byPath.values()) {
    if (!container || exact.has(sym) || !sym.children?.length) continue;
    const starts = sym.children.map((c) => c.range);
    const first = starts.reduce((a, b) => (b.start.line < a.start.line ? b : a));
    const last = starts.reduce((a, b) => (b.end.line > a.end.line ? b : a));
    sym.range = { start: first.start, end: last.end };
    sym.selectionRange = { start: first.start, end: first.start };
  }
  const sort = (syms: DocumentSymbol[]): void => {
    syms.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    for (const s of syms) if (s.children) sort(s.children);
  };
  sort(roots);
  for (const s of exact) if (s.children?.length === 0) delete s.children;
  return roots;
}
