import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFixture, testApi, waitFor } from './helpers';

describe('language features (over LSP from the backend)', () => {
  before(async () => {
    await openFixture('pricing.na');
    await (await testApi()).whenReady();
  });

  it('shows a POET CodeLens on each @poet function and none on plain ones', async () => {
    const editor = await openFixture('pricing.na');
    const doc = editor.document;
    const lineOf = (text: string) => doc.getText().split('\n').findIndex((l) => l.includes(text));
    const lenses = await waitFor('POET CodeLenses on pricing.na', async () => {
      const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10)) ?? [];
      const poet = all.filter((l) => /POET/.test(l.command?.title ?? ''));
      return poet.length >= 2 ? poet : undefined;
    }, 30_000);
    // A lens sits on the decorator or the def line of its function.
    const near = (def: string) => {
      const d = lineOf(`def ${def}(`);
      return lenses.some((l) => l.range.start.line === d || l.range.start.line === d - 1);
    };
    assert.ok(near('compute_discount'), 'no POET lens on compute_discount');
    assert.ok(near('normalize_name'), 'no POET lens on normalize_name');
    assert.ok(!near('helper'), 'a POET lens on the undecorated helper (poet.codeLens defaults to "decorated")');
    assert.ok(lenses.every((l) => l.command?.command), 'every POET lens runs a command');
  });

  it('reports bad @poet(...) arguments as diagnostics', async () => {
    const editor = await openFixture('bad_args.na');
    const diags = await waitFor('diagnostics on bad_args.na', () => {
      const d = vscode.languages.getDiagnostics(editor.document.uri);
      return d.length >= 2 ? d : undefined;
    }, 30_000);
    const text = diags.map((d) => d.message).join('\n');
    assert.match(text, /domian/, `no diagnostic names the unknown key "domian":\n${text}`);
    assert.match(text, /domain/, `no did-you-mean "domain" for "domian":\n${text}`);
    assert.match(text, /retries/, `no diagnostic for retries="three":\n${text}`);
    const decoratorLine = editor.document.getText().split('\n').findIndex((l) => l.startsWith('@poet('));
    assert.ok(diags.every((d) => d.range.start.line === decoratorLine), 'the diagnostics point at the @poet line');
    assert.ok(diags.some((d) => d.severity === vscode.DiagnosticSeverity.Error));
  });

  it('raises no diagnostics on a file whose @poet arguments are valid', async () => {
    const editor = await openFixture('pricing.na');
    // Wait until the server has published for bad_args.na, so pricing.na has been analysed too.
    await waitFor('the server to analyse pricing.na', async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri)) ?? [];
      return lenses.length > 0;
    }, 30_000);
    assert.deepEqual(vscode.languages.getDiagnostics(editor.document.uri).map((d) => d.message), []);
  });
});
