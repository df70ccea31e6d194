// UI end-to-end: a person's enhance flow in VS Code (code-server) driven through Chromium.
// Started by test/vscode/main.ts, which passes the installed tools and the .vsix in the env.
// Each step is one test; a failed step saves a screenshot and the extension's log in
// test/artifacts/vscode/e2e, and the steps after it are skipped (they build on it).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { extensionLog, startCodeServer, tearDownUi, type CodeServer } from '../lib/codeServer';
import { envFromRunner, repoRoot } from '../lib/env';
import { waitFor } from '../lib/steps';
import { launchBrowser, openFile, openWorkbench, runCommand, screenshot } from '../lib/workbench';

// The shipped example this flow enhances: the first @poet function of PREFERRED_FILE (or of the
// first .na file with one, should the examples be reorganised), and a line inside its body.
const PREFERRED_FILE = 'numeric/stats.na';
const EDIT = 'poet_e2e_edit = 1';

interface Target {
  file: string; // workspace-relative
  fn: string;
  /** Trimmed text of a simple statement in the body that occurs once in the file. */
  bodyLine: string;
}

function pickTarget(root: string): Target {
  const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.na')).sort();
  files.sort((a, b) => Number(b === PREFERRED_FILE) - Number(a === PREFERRED_FILE));
  for (const file of files) {
    const text = fs.readFileSync(join(root, file), 'utf8');
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]!.startsWith('@poet')) continue;
      const d = lines.findIndex((l, k) => k > i && /^def\s+\w+\s*\(/.test(l));
      if (d < 0) continue;
      const fn = /^def\s+(\w+)/.exec(lines[d]!)![1]!;
      for (let k = d + 1; k < lines.length && (lines[k]!.startsWith(' ') || lines[k]!.trim() === ''); k++) {
        const t = lines[k]!.trim();
        if (t && !t.startsWith('"') && !t.startsWith('#') && !t.endsWith(':') && text.split(t).length === 2) {
          return { file, fn, bodyLine: t };
        }
      }
    }
  }
  throw new Error(`no .na file under ${root} has a @poet function with a unique simple body line`);
}

const artifacts = process.env.POET_ARTIFACTS ?? join(repoRoot, 'test', 'artifacts', 'vscode', 'e2e');

describe('UI end-to-end: enhance a Dana function in VS Code (code-server + Chromium)', function () {
  let cs: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let workspace: string;
  let target: Target;
  let broken: string | undefined;
  let shot = 0;

  const functionsDir = () => join(workspace, '.dana', 'poet', 'functions');
  /** The stored function's folder; its key may be module-qualified, so match the name's end. */
  const functionDir = () => {
    if (!fs.existsSync(functionsDir())) return undefined;
    const hit = fs.readdirSync(functionsDir()).find((d) => d === target.fn || new RegExp(`[^A-Za-z0-9]${target.fn}$`).test(d));
    return hit ? join(functionsDir(), hit) : undefined;
  };
  const versionFiles = (v: string) => {
    const dir = functionDir();
    const vdir = dir && join(dir, v);
    return vdir && fs.existsSync(vdir) ? fs.readdirSync(vdir) : [];
  };

  /** The function's row in the POET view, and its description ("v1", "v2 · 3 runs · …"). */
  const functionRow = () => page.locator('.part.sidebar .monaco-list-row', { hasText: target.fn }).first();
  const rowDescription = async () => (await functionRow().locator('.label-description').first().textContent().catch(() => '')) ?? '';
  const editorTab = (name: string) => page.locator('.tabs-container .tab', { hasText: name }).first();
  const bodyLine = () => page.locator('.editor-instance .view-lines .view-line', { hasText: target.bodyLine }).first();

  async function focusExample(): Promise<void> {
    await editorTab(target.file.split('/').pop()!).click();
    await bodyLine().waitFor({ state: 'visible', timeout: 15_000 });
  }

  /** Right-clicks inside the function body and runs Enhance Function from the context menu. */
  async function enhanceFromContextMenu(): Promise<string> {
    await focusExample();
    const item = page.locator('.monaco-menu .action-item', { hasText: 'Enhance Function' }).first();
    // The menu entry's `when` clause reads poet:cursorInFunction, which the extension sets after
    // the cursor moves. Place the cursor first; if the menu still raced the context key, close it
    // and open it again.
    await bodyLine().click({ position: { x: 80, y: 5 } });
    await waitFor('the editor context menu to offer Enhance Function', async () => {
      await bodyLine().click({ button: 'right', position: { x: 80, y: 5 } });
      const shown = await item.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false);
      if (!shown) await page.keyboard.press('Escape');
      return shown;
    }, 30_000, 100);
    const label = ((await item.textContent()) ?? '').trim();
    await step('context-menu');
    await item.click();
    return label;
  }

  async function step(name: string): Promise<void> {
    await screenshot(page, artifacts, `${String(++shot).padStart(2, '0')}-${name}`);
  }

  before(async function () {
    this.timeout(240_000);
    fs.mkdirSync(artifacts, { recursive: true });
    const env = envFromRunner();
    const vsix = process.env.POET_VSIX;
    assert.ok(vsix, 'POET_VSIX is not set');
    workspace = join(fs.mkdtempSync(join(os.tmpdir(), 'poet-e2e-')), 'examples');
    fs.cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });
    fs.rmSync(join(workspace, '.dana'), { recursive: true, force: true });
    target = pickTarget(workspace);
    console.log(`    (enhancing ${target.fn} in ${target.file})`);
    cs = await startCodeServer({ env, vsix, label: 'e2e' });
    browser = await launchBrowser(env.chromium);
    page = await openWorkbench(browser, cs, workspace);
  });

  beforeEach(function () {
    if (broken) this.skip();
  });

  afterEach(async function () {
    const t = this.currentTest;
    if (t?.state !== 'failed') return;
    broken = t.title;
    const slug = t.title.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60);
    await screenshot(page, artifacts, `FAILED-${slug}`);
    if (cs) fs.writeFileSync(join(artifacts, `FAILED-${slug}.extension.log`), extensionLog(cs) ?? '(the extension wrote no log)');
  });

  after(async function () {
    this.timeout(60_000);
    await tearDownUi(browser, cs, workspace, artifacts);
  });

  it('1. opens a .na file; the context menu inside a decorated function offers POET: Enhance Function, and running it stores v1', async () => {
    await openFile(page, target.file);
    const label = await enhanceFromContextMenu();
    assert.match(label, /Enhance Function/);
    await waitFor(`.dana/poet/functions/*${target.fn}/v1/ with files`, () => versionFiles('v1').length > 0, 90_000);
    await step('enhanced-v1');
  });

  it('2. the POET view lists the function with v1', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="POET"]').first().click();
    await functionRow().waitFor({ state: 'visible', timeout: 30_000 });
    await waitFor('the function row to show v1', async () => /\bv1\b/.test(await rowDescription()), 30_000);
    assert.ok(versionFiles('v1').length > 0, '.dana/poet/ holds the v1 files');
    await step('poet-view-v1');
  });

  it('3. editing the body and enhancing again adds v2 and makes it current', async () => {
    await focusExample();
    await bodyLine().click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type(EDIT);
    await page.keyboard.press('Control+S');
    await waitFor('the edit to be saved', () => fs.readFileSync(join(workspace, target.file), 'utf8').includes(EDIT), 15_000);
    await enhanceFromContextMenu();
    await waitFor(`.dana/poet/functions/*${target.fn}/v2/ with files`, () => versionFiles('v2').length > 0, 90_000);
    await waitFor('the function row to show v2 as current', async () => /\bv2\b/.test(await rowDescription()), 30_000);
    assert.equal(fs.readFileSync(join(functionDir()!, 'current'), 'utf8').trim(), 'v2', '.dana/poet current pointer');
    await step('enhanced-v2');
  });

  it('4. "Compare with Previous Version" opens a diff editor', async () => {
    await focusExample();
    await bodyLine().click({ position: { x: 5, y: 5 } });
    await runCommand(page, 'POET: Compare with Previous Version');
    const diff = page.locator('.monaco-diff-editor').first();
    // If the command asks which function, answer with ours.
    await waitFor('a diff editor (or a function pick)', async () => {
      if (await diff.isVisible()) return true;
      const pick = page.locator('.quick-input-widget .monaco-list-row', { hasText: target.fn }).first();
      if (await pick.isVisible()) await pick.click();
      return false;
    }, 30_000);
    // The diff renders the stored code (the modified side; a narrow editor shows it inline)
    // and its tab names both versions.
    await waitFor('the diff to render v2 code', async () =>
      ((await diff.locator('.editor.modified .view-lines').first().textContent().catch(() => '')) ?? '').length > 0, 15_000);
    // POET opens it beside the code, in its own group: that group's active tab.
    const tab = ((await page.locator('.tabs-container .tab.active', { hasText: '↔' }).first().textContent({ timeout: 10_000 })) ?? '').trim();
    assert.match(tab, /v1\D+v2/, `the diff tab reads "${tab}"`);
    await step('compare-diff');
  });

  it('5. the status bar shows the service ready', async () => {
    const item = page.locator('.statusbar .statusbar-item', { hasText: 'POET' }).first();
    await item.waitFor({ state: 'visible', timeout: 15_000 });
    await waitFor('the POET status item to show ready (✓)', async () => {
      const html = await item.innerHTML();
      return html.includes('✓') || html.includes('codicon-check');
    }, 30_000);
    await step('status-bar');
  });

  it('6. CodeLens shows on decorated functions, with the current version on the enhanced one', async () => {
    await focusExample();
    const lenses = page.locator('.editor-instance .codelens-decoration', { hasText: 'POET' });
    await lenses.first().waitFor({ state: 'visible', timeout: 30_000 });
    await waitFor('a CodeLens naming v2', async () => (await lenses.allTextContents()).some((t) => /\bv2\b/.test(t)), 30_000);
    await step('codelens');
  });
});
