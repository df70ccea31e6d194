// Drives the VS Code workbench that code-server serves, in Debian's Chromium through
// playwright-core. Selectors are VS Code's own DOM classes; every wait has a timeout.
import * as fs from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CodeServer } from './codeServer';
import { StepError } from './steps';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchBrowser(executablePath: string): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  } catch (err) {
    throw new StepError('browser', `could not launch ${executablePath}: ${(err as Error).message}`);
  }
}

/** Opens the workbench on `folder` and waits until it is interactive (the status bar is drawn). */
export async function openWorkbench(browser: Browser, cs: CodeServer, folder: string): Promise<Page> {
  // Clipboard permissions: a browser-hosted VS Code writes vscode.env.clipboard through the page.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  try {
    await page.goto(cs.folderUrl(folder), { timeout: 60_000 });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 90_000 });
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: 30_000 });
  } catch (err) {
    throw new StepError('browser', `the workbench did not load from ${cs.url}: ${(err as Error).message}`);
  }
  return page;
}

async function quickInput(page: Page, key: string, text: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await page.locator('.monaco-workbench').focus().catch(() => undefined);
  await page.keyboard.press(key);
  await widget.waitFor({ state: 'visible', timeout: 15_000 });
  const input = widget.locator('input.input');
  await input.fill(text);
}

/** Runs a command from the palette by its full title, e.g. "POET: Restart Service". */
export async function runCommand(page: Page, title: string): Promise<void> {
  await quickInput(page, 'F1', `>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click();
}

/** Opens a workspace file through Quick Open and waits for its editor tab to be active. */
export async function openFile(page: Page, relPath: string): Promise<void> {
  const name = relPath.split('/').pop() ?? relPath;
  await quickInput(page, 'Control+P', relPath);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ state: 'visible', timeout: 15_000 });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 15_000 });
}

/** Moves the cursor to line/column (1-based) of the active editor with Quick Open's "Go to Line" (`:`). */
export async function goToLine(page: Page, line: number, column = 1): Promise<void> {
  // Ctrl+G only reaches "Go to Line" while an editor has the focus; Quick Open's `:` prefix always does.
  await quickInput(page, 'Control+P', `:${line}:${column}`);
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: `${line}` }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

export async function screenshot(page: Page | undefined, dir: string, name: string): Promise<string | undefined> {
  if (!page) return undefined;
  fs.mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file, timeout: 10_000 }).catch(() => undefined);
  return fs.existsSync(file) ? file : undefined;
}

/** Waits for a notification toast containing `text` and returns its full text. */
export async function waitForNotification(page: Page, text: string | RegExp, timeout = 30_000): Promise<string> {
  const message = page.locator('.notifications-toasts .notification-toast .notification-list-item-message', { hasText: text }).first();
  await message.waitFor({ state: 'visible', timeout });
  return ((await message.textContent()) ?? '').trim();
}

/** Closes every notification toast (they cover the lower right of the editor in screenshots). */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
}

/** The rows of the quick pick titled `title` once it shows, as text. */
export async function quickPickRows(page: Page, title: string, timeout = 15_000): Promise<string[]> {
  const widget = page.locator('.quick-input-widget', { has: page.locator('.quick-input-title', { hasText: title }) });
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout });
  return (await rows.allTextContents()).map((t) => t.trim());
}

/** Text of the first element matching `selector` inside any webview (webviews are nested iframes). */
export async function webviewText(page: Page, selector: string): Promise<string | undefined> {
  for (const frame of page.frames()) {
    const el = frame.locator(selector).first();
    if ((await el.count().catch(() => 0)) > 0) return ((await el.textContent().catch(() => '')) ?? '').trim();
  }
  return undefined;
}
