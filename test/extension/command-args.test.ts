import { strict as assert } from 'node:assert';
import { describe, it } from 'mocha';
import { enhancedFile, isStoredPath, matchFunction, pickVersion, previousVersion, relativePosix, resolveTarget, safeRelativeSegments } from '../../extension/commands/args';
import { functionNodes, versionNodes, fileNodes } from '../../extension/tree/model';
import { folder, summaries, withdrawDetail } from './fixtures';

describe('extension command arguments', () => {
  it('means the cursor when invoked from the palette or a keybinding', () => {
    assert.deepEqual(resolveTarget([]), { kind: 'cursor' });
    assert.deepEqual(resolveTarget([undefined]), { kind: 'cursor' });
  });

  it('takes the CodeLens arguments [fileUri, functionName]', () => {
    assert.deepEqual(resolveTarget(['file:///work/ws/a.na', 'withdraw']), { kind: 'source', fileUri: 'file:///work/ws/a.na', functionName: 'withdraw' });
  });

  it('takes a Uri-like object (editor title, explorer) as a whole file', () => {
    const uri = { scheme: 'file', path: '/work/ws/a.na', toString: () => 'file:///work/ws/a.na' };
    assert.deepEqual(resolveTarget([uri, [uri]]), { kind: 'source', fileUri: 'file:///work/ws/a.na' });
  });

  it('takes function and version tree nodes', () => {
    const fn = functionNodes(folder, summaries).find((n) => n.key === 'shapes.area')!;
    assert.deepEqual(resolveTarget([fn]), { kind: 'stored', folderUri: folder.uri, key: 'shapes.area', functionName: 'area', version: 'v1', sourceFile: 'shapes.py' });
    const v = versionNodes(folder, withdrawDetail)[2]!;
    assert.deepEqual(resolveTarget([v]), { kind: 'stored', folderUri: folder.uri, key: 'withdraw', functionName: 'withdraw', version: 'v1', sourceFile: 'bank/account.na' });
  });

  it('takes a file node\'s click arguments and the plain {folderUri, key} form', () => {
    const f = fileNodes(folder, withdrawDetail, withdrawDetail.versions[0]!)[1]!;
    assert.deepEqual(resolveTarget(f.command!.arguments), { kind: 'file', folderUri: folder.uri, filePath: '.dana/poet/functions/withdraw/v1/metadata.json' });
    assert.deepEqual(resolveTarget([{ folderUri: folder.uri, key: 'withdraw', version: 'v2' }]), { kind: 'stored', folderUri: folder.uri, key: 'withdraw', functionName: 'withdraw', version: 'v2' });
  });

  it('refuses an argument it cannot interpret, saying where to run the command from', () => {
    assert.throws(() => resolveTarget([42]), /cannot tell what to act on.*number.*editor, the POET view or the CodeLens/);
    assert.throws(() => resolveTarget([{ foo: 1 }]), /an object with foo/);
  });

  it('finds the previous version by parent first, then by order', () => {
    assert.equal(previousVersion(withdrawDetail, 'v3')?.version, 'v2');
    assert.equal(previousVersion(withdrawDetail, 'v1'), undefined);
    assert.equal(previousVersion(withdrawDetail, 'v9'), undefined);
    const rolledBack = { versions: [withdrawDetail.versions[0]!, withdrawDetail.versions[1]!, { ...withdrawDetail.versions[2]!, parent_version: 'v1' }] };
    assert.equal(previousVersion(rolledBack, 'v3')?.version, 'v1');
  });

  it('picks the given version, else the current one, else the newest', () => {
    assert.equal(pickVersion(withdrawDetail, 'v1')?.version, 'v1');
    assert.equal(pickVersion(withdrawDetail)?.version, 'v2');
    assert.equal(pickVersion({ ...withdrawDetail, current_version: null })?.version, 'v3');
    assert.equal(pickVersion(withdrawDetail, 'v7'), undefined);
  });

  it('finds a version\'s enhanced code file', () => {
    assert.equal(enhancedFile(withdrawDetail.versions[0]!), '.dana/poet/functions/withdraw/v1/enhanced.na');
    assert.equal(enhancedFile({ files: ['x/metadata.json', 'x/enhanced.py'] }), 'x/enhanced.py');
    assert.equal(enhancedFile({ files: ['x/metadata.json'] }), undefined);
  });

  it('matches a source function to its stored history by file, then by key', () => {
    assert.equal(matchFunction(summaries, 'area', 'shapes.py')?.key, 'shapes.area');
    assert.equal(matchFunction(summaries, 'area', 'geo.py')?.key, 'area');
    assert.equal(matchFunction(summaries, 'area', 'other.py')?.key, 'area');
    assert.equal(matchFunction(summaries, 'withdraw', undefined)?.key, 'withdraw');
    assert.equal(matchFunction(summaries, 'deposit', 'bank/account.na'), undefined);
  });

  it('keeps stored paths inside the workspace folder', () => {
    assert.deepEqual(safeRelativeSegments('.dana/poet/functions/f/v1/enhanced.na'), ['.dana', 'poet', 'functions', 'f', 'v1', 'enhanced.na']);
    for (const bad of ['../etc/passwd', '/etc/passwd', 'a/../../b', 'C:/x', 'a\\..\\b']) {
      assert.throws(() => safeRelativeSegments(bad), /must stay inside the workspace folder/, bad);
    }
  });

  it('recognises POET\'s own stored files, which are never sources to enhance', () => {
    assert.equal(isStoredPath('.dana/poet/functions/f/v1/enhanced.na'), true);
    assert.equal(isStoredPath('.dana\\poet\\functions\\f\\v1\\enhanced.py'), true);
    assert.equal(isStoredPath('src/.dana/poet.na'), false);
    assert.equal(isStoredPath('pricing.na'), false);
  });

  it('computes workspace-relative POSIX paths', () => {
    assert.equal(relativePosix('/work/ws', '/work/ws/bank/account.na'), 'bank/account.na');
    assert.equal(relativePosix('/work/ws/', '/work/ws/a.na'), 'a.na');
    assert.equal(relativePosix('/work/ws', '/work/wsx/a.na'), undefined);
    assert.equal(relativePosix('c:\\Work\\ws', 'C:\\work\\ws\\src\\a.na', true), 'src/a.na');
  });
});
