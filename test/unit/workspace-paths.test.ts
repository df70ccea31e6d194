// Workspace-relative paths (shared/workspace-paths.ts): one spelling of a function's source file
// for the extension, the language server, the service and the CLI.
import { strict as assert } from 'node:assert';
import path from 'node:path';
import { describe, it } from 'mocha';
import { isStoredPath, workspaceRelative } from '../../shared/workspace-paths';

describe('workspace-relative paths', () => {
  it('computes workspace-relative POSIX paths, and nothing for a file outside', () => {
    assert.equal(workspaceRelative('/work/ws', '/work/ws/bank/account.na'), 'bank/account.na');
    assert.equal(workspaceRelative('/work/ws/', '/work/ws/a.na'), 'a.na');
    assert.equal(workspaceRelative('/work/ws', 'src/a.na'), 'src/a.na');
    assert.equal(workspaceRelative('/work/ws', '/work/wsx/a.na'), undefined);
    assert.equal(workspaceRelative('/work/ws', '../a.na'), undefined);
    assert.equal(workspaceRelative('/work/ws', '/work/ws'), undefined);
    assert.equal(workspaceRelative('/work/ws', '/work/ws/..notes.na'), '..notes.na');
    // Windows: drive letters and names compare case-insensitively, separators become '/'.
    assert.equal(workspaceRelative('c:\\Work\\ws', 'C:\\work\\ws\\src\\a.na', path.win32), 'src/a.na');
    assert.equal(workspaceRelative('c:\\work\\ws', 'D:\\work\\ws\\a.na', path.win32), undefined);
  });

  it('recognises POET\'s own stored files, which are never sources to enhance', () => {
    assert.equal(isStoredPath('.dana/poet/functions/f/v1/enhanced.na'), true);
    assert.equal(isStoredPath('.dana\\poet\\functions\\f\\v1\\enhanced.py'), true);
    assert.equal(isStoredPath('src/.dana/poet.na'), false);
    assert.equal(isStoredPath('pricing.na'), false);
  });
});
