// The functions of a document, as the language server's parse sees them (poet/functionAt,
// poet/documentFunctions): the extension never parses source itself, so one Enhance click is
// parsed once by the server for the CodeLens and these questions, and once by the service.
// Also keeps the `poet:cursorInFunction` context key that shows "Enhance Function" in the
// editor menu.
import * as vscode from 'vscode';
import type { RequestType } from 'vscode-languageclient/node';
import type { DocumentFunction, SourceDocumentParams } from '../../shared/lsp-protocol';
import type { Language } from '../../shared/source/model';
import { ContextKeys } from '../../shared/ids';
import { lazy } from '../lazy/load';

/** The documents the language client synchronises with the server (a selector for both APIs). */
export const SOURCE_DOCUMENTS: Array<{ scheme: string; language: Language }> = [
  { scheme: 'file', language: 'dana' },
  { scheme: 'file', language: 'python' },
];

export function languageOf(doc: vscode.TextDocument): Language | undefined {
  if (doc.languageId === 'dana' || doc.fileName.endsWith('.na')) return 'dana';
  if (doc.languageId === 'python' || doc.fileName.endsWith('.py')) return 'python';
  return undefined;
}

/** A Dana or Python file POET may enhance: not generated code (under .dana/poet/, or a poet-store: document). */
export function isSourceFile(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'file' && !!languageOf(doc) && !/[\\/]\.dana[\\/]poet[\\/]/.test(doc.uri.fsPath);
}

export function toRange(r: DocumentFunction['range']): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** What SourceFunctions needs of the backend: a request to the running language server. */
export interface LanguageServerRequests {
  readonly running: boolean;
  /** Starts the backend when it does not run. */
  request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R>;
}

/** Questions about a document's functions, answered by the language server. */
export class SourceFunctions {
  constructor(private readonly server: LanguageServerRequests) {}

  get serverRunning(): boolean {
    return this.server.running;
  }

  /** The document's identity, and its text when the client does not synchronise it. */
  private params(doc: vscode.TextDocument): SourceDocumentParams {
    const p: SourceDocumentParams = { textDocument: { uri: doc.uri.toString() } };
    const language = languageOf(doc);
    if (vscode.languages.match(SOURCE_DOCUMENTS, doc) === 0 && language) Object.assign(p, { text: doc.getText(), language });
    return p;
  }

  /** The innermost function around a position. */
  async at(doc: vscode.TextDocument, position: vscode.Position): Promise<DocumentFunction | undefined> {
    const { FunctionAtRequest } = lazy().protocol;
    const fn = await this.server.request(FunctionAtRequest.type, { ...this.params(doc), position: { line: position.line, character: position.character } });
    return fn ?? undefined;
  }

  /** The function `name` means (a qualified name, or a top-level function first). */
  async named(doc: vscode.TextDocument, name: string): Promise<DocumentFunction | undefined> {
    const { DocumentFunctionsRequest } = lazy().protocol;
    return (await this.server.request(DocumentFunctionsRequest.type, { ...this.params(doc), name }))[0];
  }

  /** Every function of the document, in source order. */
  async all(doc: vscode.TextDocument): Promise<DocumentFunction[]> {
    const { DocumentFunctionsRequest } = lazy().protocol;
    return this.server.request(DocumentFunctionsRequest.type, this.params(doc));
  }
}

/**
 * Maintains `poet:cursorInFunction` for the active editor (debounced on selection changes).
 * While the backend runs, the server says whether the cursor is in a function. Before it has
 * started (it starts with a Dana file or a Python file that uses @poet, so that an unrelated
 * Python project gets no `.dana/poet/`), the key holds anywhere in a source file; the command
 * then starts the backend and says when the cursor is in no function.
 */
export class CursorContext implements vscode.Disposable {
  private readonly subs: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private value: boolean | undefined;
  /** Only the newest update sets the key: answers can arrive out of order. */
  private generation = 0;

  constructor(
    private readonly functions: SourceFunctions,
    private readonly log: vscode.LogOutputChannel,
    backendChanged: vscode.Event<unknown>,
  ) {
    this.subs.push(
      vscode.window.onDidChangeTextEditorSelection((e) => (e.textEditor === vscode.window.activeTextEditor ? this.schedule() : undefined)),
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule(0)),
      vscode.workspace.onDidChangeTextDocument((e) => (e.document === vscode.window.activeTextEditor?.document ? this.schedule() : undefined)),
      backendChanged(() => this.schedule(0)),
    );
    this.schedule(0);
  }

  get inFunction(): boolean {
    return this.value === true;
  }

  private schedule(ms = 80): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), ms);
  }

  /** Recomputes now (the API's `cursorInFunction` calls this so tests need no waiting). */
  async update(): Promise<boolean> {
    const generation = ++this.generation;
    const ed = vscode.window.activeTextEditor;
    let inside = !!ed && isSourceFile(ed.document);
    if (ed && inside && this.functions.serverRunning) {
      try {
        inside = !!(await this.functions.at(ed.document, ed.selection.active));
      } catch (err) {
        // A backend that is stopping or restarting: keep the source-file answer.
        this.log.debug(`poet/functionAt for ${ed.document.fileName}: ${(err as Error)?.message ?? err}`);
      }
    }
    if (generation === this.generation && inside !== this.value) {
      this.value = inside;
      void vscode.commands.executeCommand('setContext', ContextKeys.cursorInFunction, inside);
    }
    return inside;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.subs) s.dispose();
  }
}
