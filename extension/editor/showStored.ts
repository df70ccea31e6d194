// Where POET shows what it opens: one editor group beside the code (the group that already
// holds a POET tab, else the one beside the active editor), as one preview tab that the next
// result replaces. Before, each enhance added a tab beside the last one and each Show Metrics a
// group, until the code was 30 columns wide.
import * as vscode from 'vscode';
import { STORE_SCHEME } from './storeDocuments';
import { toRange, type SourceFunctions } from './functions';

/** Webview type of the metrics panel (VS Code reports it prefixed, e.g. `mainThreadWebview-poet.metrics`). */
export const METRICS_VIEW_TYPE = 'poet.metrics';

function isPoetTab(tab: vscode.Tab): boolean {
  const i = tab.input;
  if (i instanceof vscode.TabInputText) return i.uri.scheme === STORE_SCHEME;
  if (i instanceof vscode.TabInputTextDiff) return i.modified.scheme === STORE_SCHEME || i.original.scheme === STORE_SCHEME;
  if (i instanceof vscode.TabInputWebview) return i.viewType === METRICS_VIEW_TYPE || i.viewType.endsWith(`-${METRICS_VIEW_TYPE}`);
  return false;
}

/** The column POET opens results in. */
export function poetColumn(): vscode.ViewColumn {
  const active = vscode.window.tabGroups.activeTabGroup;
  const activeTab = active.activeTab;
  // The group the user is working in, when it shows their code: a result must not cover it.
  const working = activeTab && !isPoetTab(activeTab) ? active : undefined;
  // Else the group that already holds POET's results (the active one first: a result opened
  // from a result stays put).
  const own = [active, ...vscode.window.tabGroups.all].find((g) => g !== working && g.tabs.some(isPoetTab));
  if (own) return own.viewColumn;
  return activeTab ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
}

export interface ShowOptions {
  /** Reveal this top-level function of the document instead of line 1. */
  functionName?: string;
  /** Move the focus to the result (false keeps it where the user is typing). */
  focus?: boolean;
}

/** Opens a stored document read-only in POET's group, in the preview tab. */
export async function showStored(functions: SourceFunctions, uri: vscode.Uri, o: ShowOptions = {}): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: poetColumn(), preview: true, preserveFocus: !o.focus });
  if (o.functionName) await revealFunction(functions, editor, o.functionName);
  return editor;
}

/** Opens a diff of two stored documents in POET's group, in the preview tab. */
export async function showDiff(left: vscode.Uri, right: vscode.Uri, title: string, o: { focus?: boolean } = {}): Promise<void> {
  const options: vscode.TextDocumentShowOptions = { viewColumn: poetColumn(), preview: true, preserveFocus: !o.focus };
  await vscode.commands.executeCommand('vscode.diff', left, right, title, options);
}

/**
 * Scrolls to the generated function of that name (the runtime helpers come first in the
 * file), with the cursor on its name. The last top-level definition wins: it is the wrapper
 * that replaces the original.
 */
export async function revealFunction(functions: SourceFunctions, editor: vscode.TextEditor, name: string): Promise<boolean> {
  const all = await functions.all(editor.document).catch(() => []);
  const fn = all.filter((f) => f.name === name && f.topLevel).pop();
  if (!fn) return false;
  const at = toRange(fn.nameRange).start;
  editor.selection = new vscode.Selection(at, at);
  editor.revealRange(new vscode.Range(fn.range.start.line, 0, fn.range.end.line, 0), vscode.TextEditorRevealType.AtTop);
  return true;
}
