// From a command target to what the handlers work with: the source function under the
// cursor (or named by a CodeLens), or the stored function and version (tree items).
import * as vscode from 'vscode';
import type { FunctionDetailResponse } from '../../shared/contract/api';
import type { FunctionModel } from '../../shared/source/model';
import { UserError, type PoetServices, type ServiceHandle } from '../services';
import { functionAtPosition, languageOf, locate, parsedDocument } from '../editor/functions';
import type { FolderRef } from '../tree/model';
import { isStoredPath, matchFunction, relativePosix, resolveTarget, safeRelativeSegments } from './args';

export interface SourceFunction {
  doc: vscode.TextDocument;
  folder: FolderRef;
  /** Workspace-relative POSIX path. */
  relPath: string;
  fn: FunctionModel;
}

export interface StoredFunction {
  h: ServiceHandle;
  key: string;
  name: string;
  version?: string;
  sourceFile?: string | null;
}

export function folderFor(services: PoetServices, doc: vscode.TextDocument): { folder: FolderRef; relPath: string } {
  const folder = services.folderOf(doc.uri);
  if (!folder || doc.uri.scheme !== 'file') {
    throw new UserError(`POET stores enhanced versions in the workspace folder's .dana/poet/, and "${vscode.workspace.asRelativePath(doc.uri)}" is not inside a workspace folder. Open its folder first.`);
  }
  const relPath = relativePosix(folder.path, doc.uri.fsPath, process.platform === 'win32') ?? vscode.workspace.asRelativePath(doc.uri, false);
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

export async function sourceFunction(services: PoetServices, args: unknown[]): Promise<SourceFunction> {
  const { doc, functionName, position } = await sourceDocument(args);
  const { folder, relPath } = folderFor(services, doc);
  if (isStoredPath(relPath)) {
    throw new UserError(`${relPath} is code POET generated. Enhance the function in its source file instead ("POET: Reveal Source" from the POET view opens it).`);
  }
  let fn: FunctionModel | undefined;
  if (functionName) {
    const parsed = parsedDocument(doc);
    fn = parsed ? locate().findFunction(parsed, functionName) : undefined;
    if (!fn) throw new UserError(`There is no function "${functionName}" in ${relPath} any more. Save the file and try again.`);
  } else if (position) {
    fn = functionAtPosition(doc, position);
    if (!fn) throw new UserError(`The cursor is not inside a function in ${relPath}. Put it inside the function to enhance.`);
  } else {
    throw new UserError(`Which function of ${relPath}? Put the cursor inside it, or use its CodeLens.`);
  }
  return { doc, folder, relPath, fn };
}

/** The stored function a command means, from a tree item or from the function in the editor. */
export async function storedFunction(services: PoetServices, args: unknown[]): Promise<StoredFunction> {
  services.assertTrusted();
  const t = resolveTarget(args);
  if (t.kind === 'stored') {
    const folder = services.folderByUri(t.folderUri);
    if (!folder) throw new UserError('That workspace folder is no longer open. Refresh the POET view.');
    const h = await services.handle(folder);
    return { h, key: t.key, name: t.functionName, ...(t.version ? { version: t.version } : {}), ...(t.sourceFile !== undefined ? { sourceFile: t.sourceFile } : {}) };
  }
  if (t.kind === 'file') throw new UserError('This command works on a function or a version, not on a single file.');
  const src = await sourceFunction(services, args);
  const h = await services.handle(src.folder);
  const list = await h.client.listFunctions();
  const found = matchFunction(list, src.fn.name, src.relPath);
  if (!found) {
    throw new UserError(`"${src.fn.name}" has not been enhanced yet. Run "POET: Enhance Function" first.`);
  }
  return { h, key: found.key, name: found.name, sourceFile: found.source_file };
}

/** The URI of a stored file: the real file for the bundled service, a poet-store document for a remote one. */
export function storedFileUri(h: ServiceHandle, relPath: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.Uri.parse(h.folder.uri), ...safeRelativeSegments(relPath));
}

export async function detailOf(s: StoredFunction): Promise<FunctionDetailResponse> {
  return s.h.client.getFunction(s.key);
}
