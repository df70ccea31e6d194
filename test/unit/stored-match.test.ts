// One rule for which stored function a source function is (shared/stored-match.ts). The
// CodeLens (language server) and the commands (extension) both use it: for a name defined in
// two files with only one enhanced, the other file's CodeLens offered Enhance while Open
// Enhanced Code opened the first file's version.
import { strict as assert } from 'node:assert';
import { describe, it } from 'mocha';
import { matchStored } from '../../shared/stored-match';
import { matchStoredFunction, type EnhancedOnDisk } from '../../server/lsp/storage-index';
import { codeLenses } from '../../server/lsp/codelens';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDocument } from '../../server/lsp/documents';
import { summaries } from '../extension/fixtures';
import type { FunctionSummary } from '../../shared/contract/api';

const bySummary = (name: string, file: string | undefined) => matchStored(summaries, (f: FunctionSummary) => ({ key: f.key, name: f.name, sourceFile: f.source_file }), name, file)?.key;
const onDisk: EnhancedOnDisk[] = summaries.map((f) => ({ key: f.key, functionName: f.name, version: f.current_version!, versions: f.versions, sourceFile: f.source_file, metadata: undefined }));
const byDisk = (name: string, file: string | undefined) => matchStoredFunction(onDisk, name, file)?.key;

describe('matching a source function to its stored one', () => {
  it('matches by the file it came from, and never another file\'s function of the same name', () => {
    const cases: Array<[string, string | undefined, string | undefined]> = [
      ['area', 'shapes.py', 'shapes.area'],
      ['area', 'geo.py', 'area'],
      // Defined in a third file, enhanced nowhere: not geo.py's `area`.
      ['area', 'other.py', undefined],
      // A document outside the workspace: the function keyed by the bare name.
      ['withdraw', undefined, 'withdraw'],
      ['deposit', 'bank/account.na', undefined],
    ];
    for (const [name, file, key] of cases) {
      assert.equal(bySummary(name, file), key, `commands: ${name} in ${file}`);
      assert.equal(byDisk(name, file), key, `CodeLens: ${name} in ${file}`);
    }
  });

  it('matches a function recorded without a file (code sent over HTTP) from any file', () => {
    const list = [{ key: 'calc', name: 'calc', sourceFile: 'a.na' }, { key: 'b.calc', name: 'calc', sourceFile: 'b.na' }, { key: 'x.calc', name: 'calc', sourceFile: null }];
    const m = (file: string | undefined) => matchStored(list, (t) => t, 'calc', file)?.key;
    assert.deepEqual([m('a.na'), m('b.na'), m('c.na'), m(undefined)], ['calc', 'b.calc', 'x.calc', 'calc']);
    assert.equal(matchStored(list, (t) => t, 'other', 'a.na'), undefined);
  });

  it('the CodeLens of a same-named function in a file never enhanced offers Enhance', async () => {
    const text = 'from poet import poet\n\n@poet()\ndef area(r: float) -> float:\n    return 3.14 * r * r\n';
    const pd = parseDocument(TextDocument.create('file:///ws/other.py', 'python', 1, text))!;
    const none = async () => undefined;
    const [lens] = await codeLenses(pd, { mode: 'decorated', stored: onDisk, sourceFile: 'other.py', folderUri: 'file:///ws', metrics: none, matchingVersion: none });
    assert.equal(lens!.command!.title, 'POET: Enhance');
  });
});
