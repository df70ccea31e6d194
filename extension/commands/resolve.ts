// From a command target to what the handlers work with: the source function under the
// cursor (or named by a CodeLens), or the stored function and version (tree items).
import * as vscode from 'vscode';
import type { FunctionDetailResponse, FunctionSummary } from '../../shared/contract/api';
import type { DocumentFunction } from '../../shared/lsp-protocol';
import type { PoetContext } from '../context';
import { UserError } from '../user-error';
import { languageOf } from '../editor/functions';
import type { FolderRef } from '../tree/model';
import { resolveTarget } from './args';
import { isStoredPath, workspaceRelative } from '../../shared/workspace-paths';
import { matchStored } from '../../shared/stored-match';
import { pickStoredFunction } from './pickFunction';
import { parseStoreUri } from '../editor/storeDocuments';

import type { SourceFunction, StoredTarget } from './targets';

export function folderFor(services: PoetContext, doc: vscode.TextDocument): { folder: FolderRef; relPath: string } {
  const folder = services.folderOf(doc.uri);
  if (!folder || doc.uri.scheme !== 'file') {
    throw new UserError(`POET stores enhanced versions in the workspace folder's .dana/poet/, and "${vscode.workspace.asRelativePath(doc.uri)}" is not inside a workspace folder. Open its folder first.`);
  }
  const relPath = workspaceRelative(folder.path, doc.uri.fsPath) ?? vscode.workspace.asRelativePath(doc.uri, false);
  return { folder, relPath };
}

/** The document for a source target (the active editor for palette/menu invocations). */
export async function sourceDocument(args: unknown[]): Promise<{ doc: vscode.TextDocument; functionName?: string; position?: vscode.Position }> {
  const t = resolveTarget(args);
  if (t.kind === 'cursor') {
    const ed = vscode.window.activeTextEditor;
    if (!ed || !languageOf(ed.document)) throw new UserError('Open a Dana (.na) or Python (.py) file and put the cursor inside a function.');
    return { doc: ed.document, position: ed.selection.active };
  }
  if (t.kind === 'source') {
    // The editor context menu passes the document's Uri: the cursor in that editor says which function.
    const ed = vscode.window.activeTextEditor;
    if (!t.functionName && ed && ed.document.uri.toString() === vscode.Uri.parse(t.fileUri).toString()) {
      return { doc: ed.document, position: ed.selection.active };
    }
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(t.fileUri));
    return { doc, ...(t.functionName ? { functionName: t.functionName } : {}) };
  }
  throw new UserError('This command works on a function in a Dana or Python file.');
}

export async function sourceFunction(services: PoetContext, args: unknown[]): Promise<SourceFunction> {
  const { doc, functionName, position } = await sourceDocument(args);
  const { folder, relPath } = folderFor(services, doc);
  if (isStoredPath(relPath)) {
    throw new UserError(`${relPath} is code POET generated. Enhance the function in its source file instead ("POET: Reveal Source" from the POET view opens it).`);
  }
  let fn: DocumentFunction | undefined;
  if (functionName) {
    fn = await services.functions.named(doc, functionName);
    if (!fn) throw new UserError(`There is no function "${functionName}" in ${relPath} any more. Save the file and try again.`);
  } else if (position) {
    fn = await services.functions.at(doc, position);
    if (!fn) throw new UserError(`The cursor is not inside a function in ${relPath}. Put it inside the function to enhance.`);
  } else {
    throw new UserError(`Which function of ${relPath}? Put the cursor inside it, or use its CodeLens.`);
  }
  return { doc, folder, relPath, fn };
}

/**
 * The stored function a command means: a tree item's, the CodeLens's, or the enhanced function
 * under the cursor. From the palette with no enhanced function under the cursor, it asks which
 * one (`command` titles the picker); undefined when the user cancels.
 */
export async function storedFunction(services: PoetContext, args: unknown[], command: string): Promise<StoredTarget | undefined> {
  services.assertTrusted();
  const t = resolveTarget(args);
  if (t.kind === 'stored') {
    const folder = services.folderByUri(t.folderUri);
    if (!folder) throw new UserError('That workspace folder is no longer open. Refresh the POET view.');
    const h = await services.handle(folder);
    return { h, key: t.key, name: t.functionName, ...(t.version ? { version: t.version } : {}), ...(t.sourceFile !== undefined ? { sourceFile: t.sourceFile } : {}) };
  }
  if (t.kind === 'file') throw new UserError('This command works on a function or a version, not on a single file.');
  if (t.kind === 'cursor') {
    const at = await cursorFunction(services);
    return 'stored' in at ? at.stored : pickStoredFunction(services, command, at.why);
  }
  const src = await sourceFunction(services, args);
  const h = await services.handle(src.folder);
  const found = matchSummary(await h.client.listFunctions(), src.fn.name, src.relPath);
  if (!found) throw new UserError(`"${src.fn.name}" has not been enhanced yet. Run "POET: Enhance Function" first.`);
  return { h, key: found.key, name: found.name, sourceFile: found.source_file };
}

/**
 * The enhanced function of the active editor: the one under the cursor in a source file, or
 * the one whose stored version it shows (enhanced code, a diff side). Else why there is none.
 */
async function cursorFunction(services: PoetContext): Promise<{ stored: StoredTarget } | { why: string }> {
  const ed = vscode.window.activeTextEditor;
  const shown = ed && parseStoreUri(ed.document.uri);
  const shownFolder = shown && services.folderByUri(shown.folderUri);
  if (shown && shownFolder) {
    const h = await services.handle(shownFolder);
    const fn = (await h.client.listFunctions()).find((f) => f.key === shown.key);
    if (fn) return { stored: { h, key: fn.key, name: fn.name, version: shown.version, sourceFile: fn.source_file } };
  }
  if (!ed || !languageOf(ed.document)) return { why: 'No Dana or Python file is active.' };
  const folder = services.folderOf(ed.document.uri);
  if (!folder || ed.document.uri.scheme !== 'file') return { why: `${vscode.workspace.asRelativePath(ed.document.uri)} is not in a workspace folder.` };
  const { relPath } = folderFor(services, ed.document);
  if (isStoredPath(relPath)) return { why: `${relPath} is generated code.` };
  const h = await services.handle(folder);
  const fn = await services.functions.at(ed.document, ed.selection.active);
  if (!fn) return { why: `The cursor is not inside a function of ${relPath}.` };
  const found = matchSummary(await h.client.listFunctions(), fn.name, relPath);
  if (!found) return { why: `${fn.name} has not been enhanced yet.` };
  return { stored: { h, key: found.key, name: found.name, sourceFile: found.source_file } };
}

/** The listed function for `name` in `relPath`, by the one rule the CodeLens uses too (shared/stored-match.ts). */
function matchSummary(list: readonly FunctionSummary[], name: string, relPath: string): FunctionSummary | undefined {
  return matchStored(list, (f) => ({ key: f.key, name: f.name, sourceFile: f.source_file }), name, relPath);
}

export async function detailOf(s: StoredTarget): Promise<FunctionDetailResponse> {
  return s.h.client.getFunction(s.key);
}
