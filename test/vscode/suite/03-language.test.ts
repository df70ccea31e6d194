import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFixture, positionOf, testApi, waitFor } from './helpers';

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

  it('asks the server whether the cursor is in a function: the editor menu key, and Enhance outside one', async () => {
    const api = await testApi();
    const editor = await openFixture('pricing.na');
    const put = (text: string, dx = 0) => {
      const at = positionOf(editor.document, text).translate(0, dx);
      editor.selection = new vscode.Selection(at, at);
    };
    put('return x + 1');
    assert.equal(await api.cursorInFunction(), true, 'inside helper');
    put('# Fixture');
    assert.equal(await api.cursorInFunction(), false, 'on the comment before every function');
    // The blank line between two functions belongs to neither.
    const blank = editor.document.lineAt(positionOf(editor.document, '@poet\n').line - 1).range.start;
    editor.selection = new vscode.Selection(blank, blank);
    assert.equal(await api.cursorInFunction(), false, `on blank line ${blank.line + 1}`);
    const res = await vscode.commands.executeCommand('poet.enhanceFunction');
    assert.equal(res, undefined);
    assert.match(api.lastError() ?? '', /The cursor is not inside a function in pricing\.na/);
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

  it('hovering @poet shows the effective config', async () => {
    const editor = await openFixture('pricing.na');
    const at = positionOf(editor.document, '@poet(domain').translate(0, 2);
    const text = await waitFor('a POET hover on @poet', async () => {
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, at)) ?? [];
      const md = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return /financial_services/.test(md) ? md : undefined;
    }, 20_000);
    assert.match(text, /retries/, `the hover does not show retries:\n${text}`);
  });

  it('completes @poet keyword arguments and domain names', async () => {
    const editor = await openFixture('pricing.na');
    const decorator = positionOf(editor.document, '@poet(domain');
    const inArgs = decorator.translate(0, '@poet('.length);
    const labels = async (pos: vscode.Position) => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, pos);
      return (list?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    };
    const keys = await waitFor('keyword completions inside @poet(', async () => {
      const l = await labels(inArgs);
      return l.some((x) => /^retries/.test(x)) ? l : undefined;
    }, 20_000);
    assert.ok(keys.some((x) => /^timeout/.test(x)), `no timeout= among ${keys.slice(0, 20).join(', ')}`);
    // Inside the domain string: the known domains.
    const inDomain = positionOf(editor.document, 'domain="').translate(0, 'domain="'.length);
    const domains = await labels(inDomain);
    assert.ok(domains.includes('computation') || domains.some((d) => d.includes('computation')), `no domain names offered: ${domains.slice(0, 20).join(', ')}`);
  });

  it('lists the Dana functions in the outline (document symbols)', async () => {
    const editor = await openFixture('pricing.na');
    const symbols = await waitFor('document symbols for pricing.na', async () => {
      const s = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', editor.document.uri)) ?? [];
      return s.length >= 3 ? s : undefined;
    }, 20_000);
    const names = symbols.map((s) => s.name);
    for (const fn of ['compute_discount', 'normalize_name', 'helper']) assert.ok(names.some((n) => n.includes(fn)), `no symbol for ${fn}: ${names.join(', ')}`);
  });
});
