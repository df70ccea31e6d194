// UI end-to-end: a day of use after the first enhance (issue 14), in code-server + Chromium,
// on a copy of examples/ where `mean` already has two versions (made with the CLI, as another
// tool would). Each test looks at what a person sees: the Settings editor, the palette and its
// pickers, notifications, the metrics webview, editor groups and tabs, a read-only stored
// version, the hover, the CodeLens. Screenshots: test/artifacts/vscode/e2e/daily/.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { checkPoetDecorator } from '../../../server/lsp/decorator-check';
import { editorDomainContext } from '../../../server/lsp/domains';
import { poetDecorator } from '../../../shared/source/locate';
import { parseSource } from '../../../shared/source/parse';
import { extensionLog, startCodeServer, tearDownUi, type CodeServer } from '../lib/codeServer';
import { envFromRunner, repoRoot } from '../lib/env';
import { waitFor } from '../lib/steps';
import { clearNotifications, goToLine, launchBrowser, openFile, openWorkbench, quickPickRows, runCommand, screenshot, waitForNotification, webviewText } from '../lib/workbench';

const artifacts = join(process.env.POET_ARTIFACTS ?? join(repoRoot, 'test', 'artifacts', 'vscode', 'e2e'), 'daily');
const FILE = 'numeric/stats.na';
const FN = 'mean';
/** A file whose @poet(...) has one bad argument, for the hover. */
const BAD = 'hover_check.na';
const BAD_TEXT = '@poet(domain="computation", retries=20)\ndef clamp(x: float) -> float:\n    return x\n';

describe('UI end-to-end: daily use (code-server + Chromium)', function () {
  let cs: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let workspace: string;

  const fnDir = () => join(workspace, '.dana', 'poet', 'functions', FN);
  const current = () => fs.readFileSync(join(fnDir(), 'current'), 'utf8').trim();
  const versions = () => fs.readdirSync(fnDir()).filter((d) => /^v\d+$/.test(d));
  const shot = (name: string) => screenshot(page, artifacts, name);
  const lineOf = (text: string) => fs.readFileSync(join(workspace, FILE), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

  /** `poet enhance` through the CLI (the same pipeline, in-process), as another tool would. */
  function cliEnhance(config?: Record<string, unknown>): void {
    const args = [join(repoRoot, 'dist', 'cli.js'), 'enhance', join(workspace, FILE), '--function', FN, '--workspace', workspace, ...(config ? ['--config', JSON.stringify(config)] : [])];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    assert.equal(r.status, 0, `poet enhance failed: ${r.stdout}${r.stderr}`);
  }

  /** Opens stats.na in the first group (where the code stays) with the cursor inside mean's body. */
  async function cursorInMean(): Promise<void> {
    await runCommand(page, 'View: Focus First Editor Group');
    await openFile(page, FILE);
    await goToLine(page, lineOf('total = 0.0'), 5);
  }

  /** Types a new statement into mean's body, saves, and runs Enhance Function from the palette. */
  async function editAndEnhance(statement: string, version: string): Promise<void> {
    await cursorInMean();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type(statement);
    await page.keyboard.press('Control+S');
    await waitFor('the edit to be saved', () => fs.readFileSync(join(workspace, FILE), 'utf8').includes(statement), 15_000);
    await runCommand(page, 'POET: Enhance Function');
    await waitFor(`${version} on disk and current`, () => fs.existsSync(join(fnDir(), version, 'metadata.json')) && current() === version, 60_000);
  }

  before(async function () {
    this.timeout(240_000);
    fs.mkdirSync(artifacts, { recursive: true });
    const vsix = process.env.POET_VSIX;
    assert.ok(vsix, 'POET_VSIX is not set');
    workspace = join(fs.mkdtempSync(join(os.tmpdir(), 'poet-e2e-daily-')), 'examples');
    fs.cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });
    fs.rmSync(join(workspace, '.dana'), { recursive: true, force: true });
    fs.writeFileSync(join(workspace, BAD), BAD_TEXT);
    cliEnhance();
    cliEnhance({ timeout: 2 });
    assert.deepEqual([versions().sort(), current()], [['v1', 'v2'], 'v2']);
    cs = await startCodeServer({ env: envFromRunner(), vsix, label: 'daily' });
    browser = await launchBrowser(envFromRunner().chromium);
    page = await openWorkbench(browser, cs, workspace);
    // A Dana file starts the backend; the POET view stays closed (the palette must not need it).
    await openFile(page, FILE);
    await page.locator('.statusbar .statusbar-item', { hasText: 'POET ✓' }).first().waitFor({ state: 'visible', timeout: 60_000 });
  });

  afterEach(async function () {
    const t = this.currentTest;
    if (t?.state !== 'failed') return;
    const slug = t.title.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60);
    await shot(`FAILED-${slug}`);
    if (cs) fs.writeFileSync(join(artifacts, `FAILED-${slug}.extension.log`), extensionLog(cs) ?? '(the extension wrote no log)');
    // Leave no picker or modal open for the next test.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Escape').catch(() => undefined);
  });

  after(async function () {
    this.timeout(60_000);
    await tearDownUi(browser, cs, workspace, artifacts);
  });

  it('Settings: the untouched poet.service.url shows no error', async () => {
    await runCommand(page, 'Preferences: Open Settings (UI)');
    // The search box has the focus when the Settings editor opens.
    await page.locator('.settings-editor .settings-header .suggest-input-container').first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.type('poet.service');
    const item = page.locator('.settings-editor .setting-item', { hasText: 'Url' }).first();
    await item.waitFor({ state: 'visible', timeout: 15_000 });
    await waitFor('the port setting to render too (the list is complete)', () => page.locator('.settings-editor .setting-item', { hasText: 'Port' }).first().isVisible(), 10_000);
    await shot('01-settings-service-url');
    const messages = await page.locator('.settings-editor .setting-item .setting-item-validation-message').evaluateAll((els) =>
      els.filter((e) => (e as HTMLElement).offsetParent !== null && (e.textContent ?? '').trim()).map((e) => e.textContent!.trim()),
    );
    assert.deepEqual(messages, [], 'validation messages under POET settings');
    assert.equal(await page.locator('.settings-editor .invalid-input').count(), 0, 'a setting is marked invalid');
    // The Settings editor opens as a modal: Escape leaves the search box, then closes it.
    await waitFor('the Settings editor to close', async () => {
      await page.keyboard.press('Escape');
      return !(await page.locator('.settings-editor').first().isVisible());
    }, 10_000, 300);
  });

  it('Show Metrics from the palette, with no function under the cursor, asks which function and opens one panel beside', async () => {
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'POET: Show Metrics');
    const rows = await quickPickRows(page, 'POET: Show Metrics');
    assert.ok(rows.some((r) => r.includes(FN) && r.includes(FILE)), `the picker offers: ${rows.join(' | ')}`);
    const placeholder = (await page.locator('.quick-input-widget input.input').getAttribute('placeholder')) ?? '';
    assert.match(placeholder, /No Dana or Python file is active\. Which enhanced function\?/);
    await shot('02-show-metrics-picker');
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: FN }).first().click();
    await page.locator('.tabs-container .tab', { hasText: `POET Metrics: ${FN}` }).first().waitFor({ state: 'visible', timeout: 20_000 });
    const summary = await waitFor('the metrics summary', async () => {
      const t = await webviewText(page, '#summary');
      return t && t !== 'Loading…' ? t : undefined;
    }, 30_000);
    assert.match(summary, new RegExp(`^${FN}: 0 runs recorded$`));
    await shot('03-metrics-panel');
  });

  it('Restart Service says so, and the open metrics panel reloads from the new port', async () => {
    await runCommand(page, 'POET: Restart Service');
    const text = await waitForNotification(page, 'service restarted');
    assert.match(text, /POET: service restarted \(listening on port \d+\)\. Its token changed: copy it again for code that reports runs\./);
    // The panel was loaded from the old port; it must not be left with "Socket closed".
    await page.locator('.tabs-container .tab', { hasText: `POET Metrics: ${FN}` }).first().click();
    const summary = await waitFor('the metrics after the restart', async () => {
      const t = await webviewText(page, '#summary');
      return t && t !== 'Loading…' ? t : undefined;
    }, 30_000);
    assert.doesNotMatch(summary, /Could not load/);
    assert.match(summary, new RegExp(`^${FN}: `));
    await shot('04-restarted-metrics');
    await clearNotifications(page);
  });

  it('Enhance, again, and Compare: one side group beside the code, one preview tab that each result replaces', async () => {
    await runCommand(page, 'View: Close All Editors');
    await editAndEnhance('poet_daily_one = 1', 'v3');
    await editAndEnhance('poet_daily_two = 2', 'v4');
    await cursorInMean();
    await runCommand(page, 'POET: Compare with Previous Version');
    await page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 30_000 });
    await runCommand(page, 'POET: Show Metrics');
    await page.locator('.tabs-container .tab', { hasText: `POET Metrics: ${FN}` }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await waitFor('the metrics to draw', async () => /runs/.test((await webviewText(page, '#summary')) ?? ''), 30_000);
    await shot('05-one-side-group');
    const groups = page.locator('.part.editor .editor-group-container');
    assert.equal(await groups.count(), 2, 'editor groups');
    const tabs = async (i: number) => (await groups.nth(i).locator('.tab').allTextContents()).map((t) => t.trim());
    const code = await tabs(0);
    assert.deepEqual([code.length, code[0]?.startsWith('stats.na')], [1, true], `the code's group: ${code.join(', ')}`);
    const side = await tabs(1);
    assert.equal(side.length, 2, `side group tabs: ${side.join(', ')}`);
    assert.ok(side.some((t) => /v3\W+v4/.test(t)) && side.some((t) => t.startsWith(`POET Metrics: ${FN}`)), `side group tabs: ${side.join(', ')}`);
    assert.equal(await groups.nth(1).locator('.tab.preview, .tab.italic').count() + (await groups.nth(1).locator('.tab .label-name.italic, .tab .monaco-icon-label.italic').count()) > 0, true, 'the diff is the preview tab');
    await clearNotifications(page);
  });

  it('Open Enhanced Code shows the enhanced function itself, and refuses typing into the stored version', async () => {
    await cursorInMean();
    await runCommand(page, 'POET: Open Enhanced Code');
    const tab = page.locator('.part.editor .editor-group-container').nth(1).locator('.tab.active', { hasText: 'enhanced.na' });
    await tab.waitFor({ state: 'visible', timeout: 20_000 });
    const editor = page.locator('.part.editor .editor-group-container').nth(1).locator('.editor-instance .monaco-editor').first();
    // The wrapper that replaces mean is in view, not the runtime's first lines.
    await editor.locator('.view-line', { hasText: `def ${FN}(values` }).first().waitFor({ state: 'visible', timeout: 15_000 });
    const onDisk = join(fnDir(), 'v4', 'enhanced.na');
    const before = fs.readFileSync(onDisk, 'utf8');
    await page.keyboard.type('x');
    const refusal = page.locator('.monaco-editor-overlaymessage', { hasText: /read-only/i }).first();
    await refusal.waitFor({ state: 'visible', timeout: 10_000 });
    await shot('06-read-only-enhanced-code');
    assert.doesNotMatch((await tab.getAttribute('class')) ?? '', /dirty/, 'the tab is not dirty');
    assert.equal(fs.readFileSync(onDisk, 'utf8'), before);
  });

  it('Set as Current Version lists dated versions; after the rollback the CodeLens offers the matching one', async () => {
    await cursorInMean();
    await runCommand(page, 'POET: Set as Current Version');
    const rows = await quickPickRows(page, `Set the current version of ${FN}`);
    assert.equal(rows.length, 4, rows.join(' | '));
    for (const r of rows) {
      assert.match(r, /\d{4}-\d{2}-\d{2} \d{2}:\d{2} · (initial|config changed|source changed)/, r);
      assert.doesNotMatch(r, /\d{2}T\d{2}|:\d{2}\.\d{3}Z|_changed/, r);
    }
    // (A reused list row may still carry a hidden separator label after the text.)
    assert.match(rows[2]!, /^v2\d{4}-\d{2}-\d{2} \d{2}:\d{2} · config changed: timeout/);
    await shot('07-set-current-picker');
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'v3' }).first().click();
    await waitFor('v3 current', () => current() === 'v3', 15_000);

    await cursorInMean();
    const lens = page.locator('.editor-instance .codelens-decoration', { hasText: 'POET v3 pinned' }).first();
    await waitFor('the lens to offer v4', async () => ((await lens.textContent().catch(() => '')) ?? '').includes('v4 matches this source — Make current'), 30_000);
    await shot('08-codelens-pinned');
    await lens.locator('a', { hasText: 'Make current' }).first().click();
    await waitFor('v4 current', () => current() === 'v4', 15_000);
    await waitFor('the lens to read POET v4', async () => {
      const all = await page.locator('.editor-instance .codelens-decoration', { hasText: 'POET' }).allTextContents();
      return all.some((t) => /^POET v4\b/.test(t.trim()) && !t.includes('pinned'));
    }, 30_000);
    await shot('09-codelens-cleared');
    await clearNotifications(page);
  });

  it('hovering a bad @poet(...) argument explains it, and shows the problem once', async () => {
    const parsed = parseSource(BAD_TEXT, 'dana');
    const problems = checkPoetDecorator(poetDecorator(parsed.functions[0]!)!, editorDomainContext(workspace)).map((i) => i.message);
    assert.equal(problems.length, 1, problems.join(' | '));
    // Full width: the argument must not sit under another group's scrollbar.
    await runCommand(page, 'View: Close All Editors');
    await openFile(page, BAD);
    // The value carries the diagnostic (its squiggle), so VS Code shows the problem in this hover too.
    const arg = page.locator('.editor-instance .view-line span[class^="mtk"]', { hasText: /^20$/ }).first();
    await waitFor('the diagnostic under retries=20', () => page.locator('.editor-instance .squiggly-error').first().isVisible(), 30_000);
    const hover = page.locator('.monaco-hover:not(.hidden)').first();
    await waitFor('a hover with the explanation and the problem', async () => {
      await arg.hover();
      const t = (await hover.textContent({ timeout: 2_000 }).catch(() => '')) ?? '';
      return t.includes('Extra attempts after the first call') && t.includes(problems[0]!);
    }, 30_000, 500);
    await shot('10-hover-bad-argument');
    const text = (await hover.textContent()) ?? '';
    assert.equal(text.split(problems[0]!).length - 1, 1, `the problem appears more than once in the hover:\n${text}`);
    assert.ok(text.indexOf('Extra attempts') < text.indexOf('Not enhanced yet'), 'the argument is explained before the function facts');
    await page.mouse.move(5, 5);
  });

  it('Copy Service URL and Token copies an export line that works in a shell', async () => {
    await runCommand(page, 'POET: Copy Service URL and Token');
    const note = await waitForNotification(page, 'copied');
    await shot('11-copied-env-line');
    assert.match(note, /^POET: copied export POET_API_URL=http:\/\/127\.0\.0\.1:\d+ POET_API_KEY=… — paste it into the terminal that runs your code/);
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(clip, /^export POET_API_URL=http:\/\/127\.0\.0\.1:\d+ POET_API_KEY=[A-Za-z0-9_-]{20,}\n$/);
    const sh = spawnSync('sh', ['-c', `${clip}printf '%s\\n%s' "$POET_API_URL" "$POET_API_KEY"`], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    const [url, token] = sh.stdout.split('\n');
    const res = await fetch(`${url}/poet/functions`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200, `GET /poet/functions with the pasted variables answered ${res.status}`);
  });
});
