// POET: Run File with Enhancements, in the real extension host: a task in the integrated
// terminal runs the bundled `poet run` on the file, with the interpreter from poet.dana.path (a
// stand-in python3 script here, which records how it was started), and the folder's service URL
// and token for the program's execution records.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { requireCommands, testApi, workspaceRoot, type PoetTestApi } from './helpers';

const COMMAND = 'poet.runFileWithEnhancements';

const STAND_IN = `#!/usr/bin/env python3
import json, os, sys
with open(os.path.abspath(__file__) + ".json", "w") as f:
    json.dump({"argv": sys.argv[1:], "cwd": os.getcwd(), "env": {k: os.environ.get(k) for k in ["POET_API_URL", "POET_API_KEY", "DANAPATH"]}}, f)
sys.exit(7)
`;

describe('Run File with Enhancements', () => {
  let api: PoetTestApi;
  let dir: string;
  let standIn: string;
  const config = () => vscode.workspace.getConfiguration('poet');

  before(async function () {
    await requireCommands(this, COMMAND);
    api = await testApi();
    await api.whenReady();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'poet-run-vscode-'));
    standIn = path.join(dir, 'dana');
    fs.writeFileSync(standIn, STAND_IN, { mode: 0o755 });
    await config().update('dana.path', standIn, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update('dana.path', undefined, vscode.ConfigurationTarget.Global);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs the composed program with the interpreter from poet.dana.path, reporting to the folder\'s service', async () => {
    const file = vscode.Uri.file(path.join(workspaceRoot(), 'pricing.na'));
    const res = await vscode.commands.executeCommand<{ file: string; exitCode: number | undefined }>(COMMAND, file);
    assert.ok(res, `the command returned nothing; last error: ${api.lastError()}`);
    assert.equal(res.file, 'pricing.na');
    assert.equal(res.exitCode, 7, "the task ends with the program's exit status");

    const seen = JSON.parse(fs.readFileSync(`${standIn}.json`, 'utf8')) as { argv: string[]; cwd: string; env: Record<string, string | null> };
    const built = path.join(workspaceRoot(), '.dana', 'poet', 'build', 'pricing.na');
    assert.deepEqual(seen.argv, [built]);
    assert.equal(fs.realpathSync(seen.cwd), fs.realpathSync(workspaceRoot()));
    assert.equal(seen.env.POET_API_URL, api.serviceUrl());
    assert.equal(seen.env.POET_API_KEY, api.serviceToken());
    assert.ok(seen.env.DANAPATH?.split(path.delimiter).includes(path.join(workspaceRoot(), '.dana', 'poet', 'runtime', 'dana')), seen.env.DANAPATH ?? '');
    // The composed program: no @poet left for Dana's own decorator to run.
    assert.doesNotMatch(fs.readFileSync(built, 'utf8'), /^\s*@poet/m);
  });

  it('says what to open when the active editor is not a Dana file', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'not dana' });
    await vscode.window.showTextDocument(doc);
    const res = await vscode.commands.executeCommand(COMMAND);
    assert.equal(res, undefined);
    assert.match(api.lastError() ?? '', /Open a Dana \(\.na\) file/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
