// Diagnostics of one document: every @poet(...) problem at the argument it concerns, and
// Dana syntax errors from the Dana parser (Python files have their own language server).
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ConfigContext, PoetConfigInput } from '../../shared/config';
import { poetDecorator } from '../../shared/source/locate';
import type { SyntaxIssue } from '../../shared/source/model';
import { checkPoetDecorator, DiagnosticCodes } from './decorator-check';
import { toLspRange, type ParsedDocument } from './documents';

/** Carried in `Diagnostic.data` so the quick fix needs no second analysis. */
export interface DiagnosticData {
  suggestion?: string;
}

function syntaxRange(doc: TextDocument, e: SyntaxIssue): Diagnostic['range'] {
  const line = Math.max(0, e.line - 1);
  const character = Math.max(0, e.column - 1);
  if (e.end_line !== undefined && e.end_column !== undefined) {
    return { start: { line, character }, end: { line: Math.max(0, e.end_line - 1), character: Math.max(0, e.end_column - 1) } };
  }
  // No end given: mark the token at the position (up to white space), at least one character.
  const start = doc.offsetAt({ line, character });
  const text = doc.getText();
  let end = start;
  while (end < text.length && !/\s/.test(text[end]!)) end++;
  return { start: doc.positionAt(start), end: doc.positionAt(Math.max(end, Math.min(start + 1, text.length))) };
}

export function computeDiagnostics(pd: ParsedDocument, ctx: ConfigContext, baseLayers: PoetConfigInput[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const fn of pd.parsed.functions) {
    const dec = poetDecorator(fn);
    if (!dec) continue;
    for (const issue of checkPoetDecorator(dec, ctx, baseLayers)) {
      const data: DiagnosticData = issue.suggestion ? { suggestion: issue.suggestion } : {};
      out.push({
        range: toLspRange(pd.doc, issue.range),
        severity: issue.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
        source: 'poet',
        code: issue.code,
        message: issue.message,
        data,
      });
    }
  }
  if (pd.language === 'dana') {
    for (const e of pd.parsed.errors) {
      const expected = e.expected?.length ? ` Expected: ${e.expected.slice(0, 8).join(', ')}.` : '';
      out.push({
        range: syntaxRange(pd.doc, e),
        severity: DiagnosticSeverity.Error,
        source: 'dana',
        code: DiagnosticCodes.syntax,
        message: e.message + (e.message.includes('Expected') ? '' : expected),
      });
    }
  }
  return out;
}
