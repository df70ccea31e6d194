// When the backend starts by itself: a Dana file, or a Python file that mentions @poet, is
// open, or the POET view shows; only in a trusted workspace. Activation itself starts nothing.
import * as vscode from 'vscode';
import type { Backend } from './backend';
import { languageOf } from '../editor/functions';

/** A Dana file, or a Python file that mentions @poet (a cheap text check, no parse). */
function wantsBackend(doc: vscode.TextDocument): boolean {
  const lang = languageOf(doc);
  return doc.uri.scheme === 'file' && (lang === 'dana' || (lang === 'python' && doc.getText().includes('@poet')));
}

export function startOnDemand(backend: Backend, log: vscode.LogOutputChannel, view: vscode.TreeView<unknown>): vscode.Disposable {
  const start = () => {
    if (!backend.running) void backend.ensureStarted().catch((err) => log.error('Starting the backend failed', err));
  };
  const maybeStart = (doc: vscode.TextDocument) => {
    // After activate() returns: loading the language client is not activation's cost.
    if (vscode.workspace.isTrusted && !backend.running && wantsBackend(doc)) setTimeout(start, 0);
  };
  vscode.workspace.textDocuments.forEach(maybeStart);
  return vscode.Disposable.from(
    vscode.workspace.onDidOpenTextDocument(maybeStart),
    view.onDidChangeVisibility((e) => {
      if (e.visible && vscode.workspace.isTrusted && !backend.running) void backend.ensureStarted().catch(() => undefined);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => vscode.workspace.textDocuments.forEach(maybeStart)),
  );
}
