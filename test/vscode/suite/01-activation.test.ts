import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, openFixture, poetApi } from './helpers';

describe('activation', () => {
  it('activates on a Dana file and returns its test API', async () => {
    await openFixture('pricing.na');
    const api = await poetApi();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.equal(ext.isActive, true);
    assert.equal(typeof api.whenReady, 'function', 'the API must offer whenReady()');
  });

  it('gives .na files the "dana" language id', async () => {
    const editor = await openFixture('pricing.na');
    assert.equal(editor.document.languageId, 'dana');
  });
});
