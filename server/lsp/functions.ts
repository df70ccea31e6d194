// poet/functionAt and poet/documentFunctions: the extension asks the parse the language server
// already holds (cached per document version, shared with the CodeLens) instead of parsing the
// document a second time. Positions are the document's own, so they are exact for any text.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver/node';
import type { DocumentFunction, SourceDocumentParams } from '../../shared/lsp-protocol';
import { findFunction, functionAt, poetDecorator, qualifiedName } from '../../shared/source/locate';
import type { FunctionModel } from '../../shared/source/model';
import { parseDocument, toLspRange, type ParsedDocument } from './documents';

export function documentFunction(pd: ParsedDocument, fn: FunctionModel): DocumentFunction {
  return {
    name: fn.name,
    qualifiedName: qualifiedName(fn),
    topLevel: fn.parents.length === 0,
    range: toLspRange(pd.doc, fn.range),
    nameRange: toLspRange(pd.doc, fn.name_range),
    poet: poetDecorator(fn)?.kwargs ?? null,
  };
}

/** The innermost function around `position` (an LSP position: 0-based line, UTF-16 character). */
export function functionAtPosition(pd: ParsedDocument, position: Position): DocumentFunction | null {
  const fn = functionAt(pd.parsed, position.line + 1, position.character + 1);
  return fn ? documentFunction(pd, fn) : null;
}

/** Every function in source order, or only the one `name` means. */
export function documentFunctions(pd: ParsedDocument, name: string | undefined): DocumentFunction[] {
  if (name === undefined) return pd.parsed.functions.map((fn) => documentFunction(pd, fn));
  const fn = findFunction(pd.parsed, name);
  return fn ? [documentFunction(pd, fn)] : [];
}

/** A document the client does not synchronise, from the text it sent; undefined without one. */
export function sentDocument(params: SourceDocumentParams): ParsedDocument | undefined {
  if (params.text === undefined || !params.language) return undefined;
  return parseDocument(TextDocument.create(params.textDocument.uri, params.language, 0, params.text));
}
