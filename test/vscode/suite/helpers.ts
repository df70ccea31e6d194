// Shared helpers for the extension-host suite. Everything waits on conditions, never on time.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from '../lib/steps';
import { skipBecause } from './harness';

export { waitFor };
export const EXTENSION_ID = 'poet-dev.poet';

/** The extension's exports, activating it if needed. Typed loosely here; see api.test.ts. */
export async function poetApi<T = Record<string, unknown>>(): Promise<T> {
  const ext = vscode.extensions.getExtension<T>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  const api = await ext.activate();
  assert.ok(api, `${EXTENSION_ID} activate() returned no test API`);
  return api;
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite needs the fixture workspace open (test/vscode/fixtures/workspace)');
  return folder.uri.fsPath;
}

export async function openFixture(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(path.join(workspaceRoot(), rel));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** 0-based position of the first occurrence of `text` in the document. */
export function positionOf(doc: vscode.TextDocument, text: string): vscode.Position {
  const at = doc.getText().indexOf(text);
  assert.ok(at >= 0, `"${text}" not found in ${doc.fileName}`);
  return doc.positionAt(at);
}

/** Skips (with the reason printed by the runner) when a command the test needs is not registered. */
export async function requireCommands(ctx: Mocha.Context, ...ids: string[]): Promise<void> {
  const all = new Set(await vscode.commands.getCommands(true));
  const missing = ids.filter((id) => !all.has(id));
  if (missing.length) skipBecause(ctx, `command(s) not registered yet: ${missing.join(', ')}`);
}
