// The functions of an open document, parsed with the shared source model (the same parser the
// language server, the service and the CLI use), cached per document version. Also keeps the
// `poet:cursorInFunction` context key that shows "Enhance Function" in the editor menu.
import * as vscode from 'vscode';
import type { FunctionModel, Language, ParsedFile } from '../../shared/source/model';
import { ContextKeys } from '../../shared/ids';
import { lazy } from '../lazy/load';

export function languageOf(doc: vscode.TextDocument): Language | undefined {
  if (doc.languageId === 'dana' || doc.fileName.endsWith('.na')) return 'dana';
  if (doc.languageId === 'python' || doc.fileName.endsWith('.py')) return 'python';
  return undefined;
}

const cache = new Map<string, { version: number; parsed: ParsedFile }>();

export function parsedDocument(doc: vscode.TextDocument): ParsedFile | undefined {
  const language = languageOf(doc);
  if (!language) return undefined;
  const key = doc.uri.toString();
  const hit = cache.get(key);
  if (hit && hit.version === doc.version) return hit.parsed;
  // Loaded on first use: the parsers are a large part of the bundle and activation must stay fast.
  const { parseSource } = lazy().parse;
  const parsed = parseSource(doc.getText(), language);
  cache.set(key, { version: doc.version, parsed });
  if (cache.size > 50) cache.delete(cache.keys().next().value!);
  return parsed;
}

export function locate(): typeof import('../../shared/source/locate') {
  return lazy().locate;
}

/** The innermost function around a position (0-based VS Code position). */
export function functionAtPosition(doc: vscode.TextDocument, pos: vscode.Position): FunctionModel | undefined {
  const parsed = parsedDocument(doc);
  return parsed ? locate().functionAt(parsed, pos.line + 1, pos.character + 1) : undefined;
}

export function toRange(fn: FunctionModel): vscode.Range {
  return new vscode.Range(fn.name_range.start.line - 1, fn.name_range.start.column - 1, fn.name_range.end.line - 1, fn.name_range.end.column - 1);
}

/** Maintains `poet:cursorInFunction` for the active editor (debounced on selection changes). */
export class CursorContext implements vscode.Disposable {
  private readonly subs: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private value: boolean | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subs.push(
      vscode.window.onDidChangeTextEditorSelection((e) => (e.textEditor === vscode.window.activeTextEditor ? this.schedule() : undefined)),
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule(0)),
      vscode.workspace.onDidChangeTextDocument((e) => (e.document === vscode.window.activeTextEditor?.document ? this.schedule() : undefined)),
    );
    this.schedule(0);
  }

  get inFunction(): boolean {
    return this.value === true;
  }

  private schedule(ms = 80): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), ms);
  }

  /** Recomputes now (the API's `cursorInFunction` calls this so tests need no waiting). */
  update(): boolean {
    const ed = vscode.window.activeTextEditor;
    let inside = false;
    try {
      // Only files are sources: generated code (under .dana/poet/, or a poet-store: document) is not.
      inside =
        !!ed &&
        ed.document.uri.scheme === 'file' &&
        !!languageOf(ed.document) &&
        !/[\\/]\.dana[\\/]poet[\\/]/.test(ed.document.uri.fsPath) &&
        !!functionAtPosition(ed.document, ed.selection.active);
    } catch (err) {
      this.log.warn(`Could not parse ${ed?.document.fileName}: ${(err as Error)?.message ?? err}`);
    }
    if (inside !== this.value) {
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
