// Give Feedback and Train Now, once the learning part registers them (until then each test is
// skipped and the runner prints why). They run on the function 04-versions enhanced.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findNode, requireCommands, testApi, waitFor, workspaceRoot, type PoetTestApi } from './helpers';

const FN = 'compute_discount';

/** Every feedback record the store holds (.dana/poet/feedback/KEY/STAMP.json). */
function feedbackFiles(): string[] {
  const dir = path.join(workspaceRoot(), '.dana', 'poet', 'feedback');
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.json'));
}

describe('learning from the editor', () => {
  let api: PoetTestApi;

  before(async () => {
    api = await testApi();
    await api.whenReady();
  });

  async function functionNode() {
    return waitFor(`the tree node of ${FN}`, async () => findNode(await api.treeItems(), (n) => n.kind === 'function' && n.label.includes(FN)), 20_000);
  }

  it('Give Feedback (👍 from its quick pick) records feedback on the current version', async function () {
    await requireCommands(this, 'poet.giveFeedback');
    const fn = await functionNode();
    const before = feedbackFiles().length;
    let settled = false;
    const run = Promise.resolve(vscode.commands.executeCommand('poet.giveFeedback', fn)).finally(() => (settled = true));
    // Answer its prompts the way a person accepting the first choice (👍) would.
    await waitFor('Give Feedback to finish', async () => {
      if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return settled;
    }, 30_000, 300);
    await run;
    await waitFor('a new feedback record under .dana/poet/feedback/', () => feedbackFiles().length > before, 10_000);
    assert.equal(api.lastError(), undefined, `the command reported: ${api.lastError()}`);
  });

  it('Train Now runs on the function and reports its outcome', async function () {
    await requireCommands(this, 'poet.trainNow');
    const fn = await functionNode();
    await vscode.commands.executeCommand('poet.trainNow', fn);
    assert.equal(api.lastError(), undefined, `the command reported: ${api.lastError()}`);
  });
});
