// Shared helpers for the extension-host suite. Everything waits on conditions, never on time.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
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

/** The test API `activate()` returns (extension/api.ts), as far as this suite uses it. */
export interface TreeSnapshot {
  id: string;
  kind: string;
  label: string;
  description?: string;
  contextValue: string;
  children: TreeSnapshot[];
}
export interface PoetTestApi {
  whenReady(timeoutMs?: number): Promise<void>;
  serviceUrl(): string | undefined;
  /** Bearer token of the bundled service (changes on every start). */
  serviceToken(): string | undefined;
  backendPid(): number | undefined;
  restartBackend(): Promise<void>;
  treeItems(): TreeSnapshot[] | Promise<TreeSnapshot[]>;
  /** Stops the backend as deactivate() does, without deactivating the extension. */
  stopBackend(): Promise<void>;
  /** The last error message a command showed (commands report errors instead of throwing). */
  lastError(): string | undefined;
  /** Whether the cursor is in a function, as the `poet:cursorInFunction` key says (recomputed now). */
  cursorInFunction(): Promise<boolean>;
}

/** The test API with the members this suite needs checked, so a missing one fails clearly. */
export async function testApi(): Promise<PoetTestApi> {
  const api = await poetApi<PoetTestApi>();
  for (const m of ['whenReady', 'serviceUrl', 'serviceToken', 'backendPid', 'restartBackend', 'stopBackend', 'treeItems', 'lastError'] as const) {
    assert.equal(typeof api[m], 'function', `the extension's test API lacks ${m}() (test/vscode needs it; see docs/vscode-tests.md)`);
  }
  return api;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Depth-first search of the tree snapshot. */
export function findNode(nodes: TreeSnapshot[], pred: (n: TreeSnapshot) => boolean): TreeSnapshot | undefined {
  for (const n of nodes) {
    if (pred(n)) return n;
    const hit = findNode(n.children ?? [], pred);
    if (hit) return hit;
  }
  return undefined;
}

/** The folder under .dana/poet/functions/ for a function (its key may be module-qualified). */
export function storedFunctionDir(name: string): string | undefined {
  const dir = path.join(workspaceRoot(), '.dana', 'poet', 'functions');
  if (!fs.existsSync(dir)) return undefined;
  const hit = fs.readdirSync(dir).find((d) => d === name || new RegExp(`[^A-Za-z0-9_]${name}$`).test(d));
  return hit ? path.join(dir, hit) : undefined;
}
