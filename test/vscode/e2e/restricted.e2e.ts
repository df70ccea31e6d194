// UI end-to-end in Restricted Mode: with workspace trust on and the folder not trusted, POET
// must start no backend and write nothing, and say so when asked to enhance.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { extensionLog, startCodeServer, tearDownUi, type CodeServer } from '../lib/codeServer';
import { envFromRunner, repoRoot } from '../lib/env';
import { launchBrowser, openFile, openWorkbench, runCommand, screenshot } from '../lib/workbench';

const artifacts = join(process.env.POET_ARTIFACTS ?? join(repoRoot, 'test', 'artifacts', 'vscode', 'e2e'), 'restricted');

/** Processes whose command line runs a server.js from this run's extensions dir (Linux /proc). */
function backendsOf(cs: CodeServer): number[] {
  if (!fs.existsSync('/proc/self/cmdline')) return [];
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((pid) => {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmd.includes(cs.extensionsDir) && /server\.js/.test(cmd) ? [Number(pid)] : [];
    } catch {
      return [];
    }
  });
}

describe('UI end-to-end: Restricted Mode (untrusted workspace)', function () {
  let cs: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let workspace: string;

  before(async function () {
    this.timeout(240_000);
    const vsix = process.env.POET_VSIX;
    assert.ok(vsix, 'POET_VSIX is not set');
    workspace = join(fs.mkdtempSync(join(os.tmpdir(), 'poet-e2e-untrusted-')), 'examples');
    fs.cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });
    fs.rmSync(join(workspace, '.dana'), { recursive: true, force: true });
    cs = await startCodeServer({
      env: envFromRunner(),
      vsix,
      label: 'untrusted',
      // Trust on, and no startup prompt: the folder opens in Restricted Mode.
      settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' },
    });
    browser = await launchBrowser(envFromRunner().chromium);
    page = await openWorkbench(browser, cs, workspace);
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    await screenshot(page, artifacts, 'FAILED-restricted');
    if (cs) fs.writeFileSync(join(artifacts, 'FAILED-restricted.extension.log'), extensionLog(cs) ?? '(the extension wrote no log)');
  });

  after(async function () {
    this.timeout(60_000);
    await tearDownUi(browser, cs, workspace, artifacts);
  });

  it('Enhance Function says the workspace must be trusted, and POET starts nothing and writes nothing', async () => {
    await openFile(page, 'numeric/stats.na');
    // POET is active (its status item shows the Restricted Mode shield) but idle.
    const status = page.locator('.statusbar .statusbar-item', { hasText: 'POET' }).first();
    await status.waitFor({ state: 'visible', timeout: 30_000 });
    assert.ok((await status.innerHTML()).includes('codicon-shield'), 'the POET status item does not show Restricted Mode');
    // Cursor inside `mean`, so the only reason to refuse is trust.
    await page.locator('.editor-instance .view-lines .view-line', { hasText: 'total = 0.0' }).first().click({ position: { x: 60, y: 5 } });
    await runCommand(page, 'POET: Enhance Function');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'trusted workspace' }).first();
    await toast.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, artifacts, 'restricted-enhance-refused');
    assert.equal(fs.existsSync(join(workspace, '.dana')), false, '.dana/ was created in an untrusted workspace');
    assert.deepEqual(backendsOf(cs!), [], 'a POET backend runs in an untrusted workspace');
  });
});
