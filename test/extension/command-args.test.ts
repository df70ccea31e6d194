import { strict as assert } from 'node:assert';
import { describe, it } from 'mocha';
import { enhancedFile, pickVersion, previousVersion, resolveTarget, safeRelativeSegments, versionPickItems, cacheHitNotCurrent } from '../../extension/commands/args';
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
    assert.deepEqual(resolveTarget(f.command!.arguments), { kind: 'file', folderUri: folder.uri, filePath: '.dana/poet/functions/withdraw/v1/metadata.json', functionName: 'withdraw' });
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

  it('dates the Set as Current Version picker as the POET view does, never as raw ISO times', () => {
    const items = versionPickItems(withdrawDetail, -60);
    assert.deepEqual(items.map((i) => i.label), [...withdrawDetail.versions].reverse().map((v) => v.version));
    const view = versionNodes(folder, withdrawDetail, undefined, -60);
    items.forEach((item, i) => {
      assert.ok(item.detail.startsWith(view[i]!.description!.replace(/^current · /, '')), `${item.detail} vs the view's ${view[i]!.description}`);
      assert.doesNotMatch(item.detail, /\d{2}T\d{2}|Z\b|_/);
    });
    assert.deepEqual(items.filter((i) => i.description === 'current').map((i) => i.label), [withdrawDetail.current_version]);
  });

  it('says why Enhance found a version that is not current: pinned back, or a newer one trained or configured otherwise', () => {
    // withdraw: v1, v2, v3 (config changed); v2 current.
    assert.equal(cacheHitNotCurrent(withdrawDetail, 'v3'), 'v3 matches this source and config, but v2 is current (pinned with "Set as Current Version").');
    assert.equal(cacheHitNotCurrent(withdrawDetail, 'v1'), 'v1 matches this source and config; the current version is the newer v2 (source changed).');
    assert.equal(cacheHitNotCurrent({ ...withdrawDetail, current_version: 'v3' }, 'v1'), 'v1 matches this source and config; the current version is the newer v3 (another config).');
    const trained = { ...withdrawDetail, versions: withdrawDetail.versions.map((v) => (v.version === 'v3' ? { ...v, reason: 'trained' as const } : v)), current_version: 'v3' };
    assert.equal(cacheHitNotCurrent(trained, 'v1'), 'v1 matches this source and config; the current version is the newer v3 (trained).');
  });

  it('finds a version\'s enhanced code file', () => {
    assert.equal(enhancedFile(withdrawDetail.versions[0]!), '.dana/poet/functions/withdraw/v1/enhanced.na');
    assert.equal(enhancedFile({ files: ['x/metadata.json', 'x/enhanced.py'] }), 'x/enhanced.py');
    assert.equal(enhancedFile({ files: ['x/metadata.json'] }), undefined);
  });

  it('keeps stored paths inside the workspace folder', () => {
    assert.deepEqual(safeRelativeSegments('.dana/poet/functions/f/v1/enhanced.na'), ['.dana', 'poet', 'functions', 'f', 'v1', 'enhanced.na']);
    for (const bad of ['../etc/passwd', '/etc/passwd', 'a/../../b', 'C:/x', 'a\\..\\b']) {
      assert.throws(() => safeRelativeSegments(bad), /must stay inside the workspace folder/, bad);
    }
  });
});
