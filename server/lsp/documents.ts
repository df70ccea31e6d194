// Open documents and their function models. Each (uri, version) is parsed once and shared
// by every feature; model ranges carry UTF-16 offsets, so positions come from the
// document itself and are exact for any text (tabs, astral characters, CRLF).
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TextDocuments } from 'vscode-languageserver/node';
import type { Range as LspRange } from 'vscode-languageserver/node';
import { parseSource } from '../../shared/source/parse';
import type { Language, ParsedFile, Range } from '../../shared/source/model';

/** Language of a document: its languageId when it is one of ours, else its file extension. */
export function languageOf(doc: Pick<TextDocument, 'uri' | 'languageId'>): Language | null {
  if (doc.languageId === 'dana' || doc.languageId === 'python') return doc.languageId;
  const path = doc.uri.split(/[?#]/)[0] ?? '';
  if (path.endsWith('.na')) return 'dana';
  if (path.endsWith('.py')) return 'python';
  return null;
}

/** A model range (only its offsets are used) as an LSP range in `doc`. */
export function toLspRange(doc: TextDocument, r: { start: Pick<Range['start'], 'offset'>; end: Pick<Range['end'], 'offset'> }): LspRange {
  return { start: doc.positionAt(r.start.offset), end: doc.positionAt(r.end.offset) };
}

export interface ParsedDocument {
  doc: TextDocument;
  language: Language;
  parsed: ParsedFile;
}

/** Parses a document, never throwing: a parser crash becomes one syntax issue at 1:1. */
export function parseDocument(doc: TextDocument): ParsedDocument | undefined {
  const language = languageOf(doc);
  if (!language) return undefined;
  let parsed: ParsedFile;
  try {
    parsed = parseSource(doc.getText(), language);
  } catch (err) {
    parsed = { language, functions: [], errors: [{ line: 1, column: 1, message: `POET could not parse this file: ${(err as Error).message}` }] };
  }
  return { doc, language, parsed };
}

export class Documents {
  readonly manager = new TextDocuments(TextDocument);
  private readonly cache = new Map<string, { version: number; value: ParsedDocument | undefined }>();

  constructor() {
    this.manager.onDidClose((e) => this.cache.delete(e.document.uri));
  }

  get(uri: string): TextDocument | undefined {
    return this.manager.get(uri);
  }

  parsed(uri: string): ParsedDocument | undefined {
    const doc = this.manager.get(uri);
    if (!doc) return undefined;
    const hit = this.cache.get(uri);
    if (hit && hit.version === doc.version) return hit.value;
    const value = parseDocument(doc);
    this.cache.set(uri, { version: doc.version, value });
    return value;
  }

  all(): TextDocument[] {
    return this.manager.all();
  }
}
