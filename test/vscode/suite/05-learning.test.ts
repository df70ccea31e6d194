// Give Feedback and Train Now on the function 04-versions enhanced (current: v1 after the
// rollback). Executions are recorded the way an enhanced function reports them: POST
// /poet/executions to the local service with its token. The commands take the test-friendly
// second argument extension/learning/commands.ts documents, which skips their pickers.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { findNode, requireCommands, storedFunctionDir, testApi, waitFor, type PoetTestApi } from './helpers';

const FN = 'compute_discount';

describe('learning from the editor', () => {
  let api: PoetTestApi;
  let key: string;

  async function service(method: string, path: string, body?: unknown): Promise<unknown> {
    const url = api.serviceUrl()!.replace(/\/$/, '');
    const token = api.serviceToken();
    assert.ok(token, 'serviceToken() is empty');
    const r = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    assert.ok(r.ok, `${method} ${path} answered ${r.status}: ${text}`);
    return JSON.parse(text);
  }

  /** Records one successful single-attempt call of `version`, as the enhanced code would. */
  async function recordExecution(version: string, i: number): Promise<string> {
    const res = (await service('POST', '/poet/executions', {
      function_name: key,
      version,
      inputs: { price: 100 + i, rate: 10 },
      output: (100 + i) * 0.9,
      duration_ms: 20 + (i % 5),
      attempts: 1,
      attempt_log: [{ duration_ms: 20 + (i % 5), outcome: 'ok' }],
      started_at: new Date(Date.now() - (60 - i) * 1000).toISOString(),
    })) as { execution_id: string };
    return res.execution_id;
  }

  const target = (version?: string) => ({ folderUri: vscode.workspace.workspaceFolders![0]!.uri.toString(), key, functionName: FN, ...(version ? { version } : {}) });
  const currentVersion = async () => {
    const fn = findNode(await api.treeItems(), (n) => n.kind === 'function' && n.label.includes(FN));
    return /\bv\d+\b/.exec(fn?.children.find((c) => /current/.test(c.contextValue))?.label ?? '')?.[0];
  };

  before(async function () {
    api = await testApi();
    await api.whenReady();
    const dir = storedFunctionDir(FN);
    assert.ok(dir, `${FN} has not been enhanced (04-versions must run first)`);
    key = dir.split(/[\\/]/).pop()!;
  });

  it('Give Feedback records 👍 with a comment on a recorded execution', async function () {
    await requireCommands(this, 'poet.giveFeedback');
    const executionId = await recordExecution('v1', 0);
    const comment = `e2e feedback ${Date.now()}`;
    await vscode.commands.executeCommand('poet.giveFeedback', target('v1'), { executionId, feedback: { thumbs: 'up', comment } });
    const list = JSON.stringify(await service('GET', `/poet/functions/${encodeURIComponent(key)}/feedback`));
    assert.ok(list.includes(comment), `the service's feedback for ${key} lacks the comment: ${list.slice(0, 500)}`);
    assert.ok(list.includes(executionId), 'the feedback is attached to the execution');
  });

  it('Train Now learns from 30 recorded executions and makes the trained version current', async function () {
    await requireCommands(this, 'poet.trainNow');
    const base = await currentVersion();
    assert.equal(base, 'v1');
    // 30 fast, single-attempt successes under a 10 s timeout: the learner has enough data
    // (min_executions = 30) and evidence that the timeout can be much tighter.
    for (let i = 1; i <= 30; i++) await recordExecution('v1', i);
    const res = await vscode.commands.executeCommand<{ status: string; new_version: string | null; changes: unknown[]; message: string }>(
      'poet.trainNow', target('v1'), { promote: 'auto' },
    );
    assert.ok(res, `poet.trainNow returned nothing; last error: ${api.lastError()}`);
    assert.equal(res.status, 'trained', `train said ${res.status}: ${res.message}`);
    assert.ok(res.changes.length > 0, 'a trained version lists its changes');
    assert.equal(res.new_version, 'v3');
    await waitFor('the tree to show the trained v3 as current', async () => (await currentVersion()) === 'v3', 20_000);
  });
});
