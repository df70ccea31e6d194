// Enhance → tree → edit → enhance again → compare → roll back, on the fixture workspace.
// The steps build on each other (mocha runs them in order); each asserts on disk, on the
// test API's tree snapshot and on VS Code's own state (tabs, documents).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findNode, openFixture, positionOf, storedFunctionDir, testApi, waitFor, workspaceRoot, type PoetTestApi, type TreeSnapshot } from './helpers';

const FN = 'compute_discount';

interface EnhanceResult {
  key: string;
  version: string;
  function_name?: string;
}

describe('enhance, versions, compare and rollback', () => {
  let api: PoetTestApi;
  let key: string;

  const folderUri = () => vscode.workspace.workspaceFolders![0]!.uri.toString();
  const target = (version?: string) => ({ folderUri: folderUri(), key, functionName: FN, ...(version ? { version } : {}) });
  const fnNode = async (): Promise<TreeSnapshot | undefined> =>
    findNode(await api.treeItems(), (n) => n.kind === 'function' && n.label.includes(FN));
  /** The version node marked current (its label reads e.g. "v2 (current)"). */
  const currentVersionIn = (fn: TreeSnapshot | undefined) =>
    /\bv\d+\b/.exec(fn?.children.find((c) => c.kind === 'version' && /current/.test(c.contextValue))?.label ?? '')?.[0];

  const readCurrent = () => fs.readFileSync(path.join(storedFunctionDir(FN)!, 'current'), 'utf8').trim();

  async function enhanceAtCursor(): Promise<EnhanceResult> {
    const editor = await openFixture('pricing.na');
    const pos = positionOf(editor.document, 'if rate < 0');
    editor.selection = new vscode.Selection(pos, pos);
    const res = await vscode.commands.executeCommand<EnhanceResult>('poet.enhanceFunction');
    assert.ok(res?.key && res.version, `poet.enhanceFunction returned ${JSON.stringify(res)}; last error: ${api.lastError()}`);
    return res;
  }

  before(async () => {
    api = await testApi();
    await api.whenReady();
  });

  it('Enhance Function writes .dana/poet/functions/NAME/v1/', async () => {
    const res = await enhanceAtCursor();
    key = res.key;
    assert.equal(res.version, 'v1');
    const dir = storedFunctionDir(FN);
    assert.ok(dir, `no .dana/poet/functions/*${FN} in ${workspaceRoot()}`);
    const files = fs.readdirSync(path.join(dir, 'v1'));
    assert.ok(files.includes('metadata.json'), `v1 holds ${files.join(', ')}`);
    assert.ok(files.some((f) => /^enhanced\.na$/.test(f)), `v1 has no enhanced.na: ${files.join(', ')}`);
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'v1', 'metadata.json'), 'utf8')) as Record<string, unknown>;
    assert.ok(JSON.stringify(meta).includes(FN), 'metadata.json names the function');
  });

  it('the Functions tree lists the function with v1 current, and its files', async () => {
    const fn = await waitFor(`a tree node for ${FN} showing v1`, async () => {
      const n = await fnNode();
      return n && /\bv1\b/.test(n.description ?? '') ? n : undefined;
    }, 20_000);
    assert.equal(fn.contextValue, 'poetFunction');
    assert.equal(currentVersionIn(fn), 'v1');
    const v1 = fn.children.find((c) => /^v1\b/.test(c.label))!;
    const fileLabels = v1.children.map((c) => c.label);
    assert.ok(fileLabels.includes('metadata.json') && fileLabels.includes('enhanced.na'), `v1 files in the tree: ${fileLabels.join(', ')}`);
  });

  it('enhancing again after an edit creates v2 and makes it current', async () => {
    const editor = await openFixture('pricing.na');
    const at = positionOf(editor.document, 'if rate < 0');
    const ok = await editor.edit((e) => e.insert(at, 'rate = rate + 0\n    '));
    assert.ok(ok, 'the edit was not applied');
    assert.ok(await editor.document.save(), 'pricing.na was not saved');
    const res = await enhanceAtCursor();
    assert.equal(res.key, key);
    assert.equal(res.version, 'v2');
    assert.ok(fs.existsSync(path.join(storedFunctionDir(FN)!, 'v2', 'metadata.json')));
    const fn = await waitFor('the tree to show v2 as current', async () => {
      const n = await fnNode();
      return n && currentVersionIn(n) === 'v2' ? n : undefined;
    }, 20_000);
    assert.match(fn.description ?? '', /\bv2\b/);
    assert.equal(readCurrent(), 'v2');
  });

  it('"Compare with Previous Version" opens a diff of v1 and v2', async () => {
    await vscode.commands.executeCommand('poet.compareWithPreviousVersion', target('v2'));
    const input = await waitFor('a diff editor tab', () => {
      const i = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return i instanceof vscode.TabInputTextDiff ? i : undefined;
    }, 15_000);
    assert.match(input.original.path, /\/v1\//, `original side is ${input.original.toString()}`);
    assert.match(input.modified.path, /\/v2\//, `modified side is ${input.modified.toString()}`);
  });

  it('"Set as Current Version" rolls back to v1', async () => {
    await vscode.commands.executeCommand('poet.setCurrentVersion', target('v1'));
    const fn = await waitFor('the tree to show v1 as current again', async () => {
      const n = await fnNode();
      return n && currentVersionIn(n) === 'v1' ? n : undefined;
    }, 20_000);
    assert.match(fn.description ?? '', /\bv1\b/);
    // The store agrees: its `current` pointer names v1.
    assert.equal(readCurrent(), 'v1');
    // v2 stays on disk: a rollback loses nothing.
    assert.ok(fs.existsSync(path.join(storedFunctionDir(FN)!, 'v2')));
  });
});
