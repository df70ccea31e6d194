// Runs the extension-host suite inside code-server: the packaged extension's test hook
// (extension/testing/hook.ts) loads the bundled suite after activation and writes the results.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { SuiteResult, TestRecord } from './suite/harness';
import { bundleSuite } from './lib/bundle';
import { collectLogs, extensionLog, removeTemp, startCodeServer, type CodeServer } from './lib/codeServer';
import type { VscodeEnv } from './lib/env';
import { StepError, waitFor } from './lib/steps';
import { launchBrowser, openFile, openWorkbench, screenshot } from './lib/workbench';

const FIXTURE = join(__dirname, 'fixtures', 'workspace');
const ACTIVATION_TIMEOUT_MS = 90_000;
const SUITE_TIMEOUT_MS = 5 * 60_000;

function print(t: TestRecord): void {
  const mark = t.state === 'passed' ? '✔' : t.state === 'failed' ? '✖' : '-';
  const extra = t.state === 'skipped' ? ` (skipped: ${t.skipReason})` : t.state === 'passed' ? ` (${t.durationMs} ms)` : '';
  console.log(`  ${mark} ${t.title}${extra}`);
  if (t.error) console.log(t.error.split('\n').map((l) => `      ${l}`).join('\n'));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function runHostSuite(env: VscodeEnv, vsix: string, artifacts: string): Promise<TestRecord[]> {
  const scratch = fs.mkdtempSync(join(os.tmpdir(), 'poet-host-suite-'));
  const suiteFile = join(scratch, 'suite.cjs');
  const resultsFile = join(scratch, 'results.json');
  const progressFile = `${resultsFile}.progress`;
  const workspace = join(scratch, 'workspace');
  fs.cpSync(FIXTURE, workspace, { recursive: true });

  try {
    const files = await bundleSuite(suiteFile);
    if (files === 0) throw new Error('no test/vscode/suite/*.test.ts');
  } catch (err) {
    throw new StepError('bundle', (err as Error).message);
  }

  let cs: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Awaited<ReturnType<typeof openWorkbench>> | undefined;
  const records: TestRecord[] = [];
  try {
    cs = await startCodeServer({
      env,
      vsix,
      label: 'host',
      extraEnv: { POET_EXTENSION_TESTS: suiteFile, POET_EXTENSION_TEST_RESULTS: resultsFile },
    });
    browser = await launchBrowser(env.chromium);
    page = await openWorkbench(browser, cs, workspace);
    // The extension host runs once a workbench is connected; opening a .na file activates POET,
    // whose activate() ends by calling the test hook.
    try {
      await openFile(page, 'pricing.na');
    } catch (err) {
      throw new StepError('browser', `could not open pricing.na to activate the extension: ${(err as Error).message}`);
    }

    await waitFor('the extension to activate and call its test hook', () => fs.existsSync(`${resultsFile}.started`), ACTIVATION_TIMEOUT_MS)
      .catch((err: Error) => {
        throw new StepError('extension', `${err.message}: POET did not activate on opening pricing.na, or activate() does not call runTestsIfRequested()\n${extensionLog(cs!) ?? '(the extension wrote no log)'}`);
      });
    let printed = 0;
    const result = await waitFor(
      'the extension-host suite to write its results',
      () => {
        if (fs.existsSync(progressFile)) {
          const lines = fs.readFileSync(progressFile, 'utf8').split('\n').filter(Boolean);
          for (; printed < lines.length; printed++) print(JSON.parse(lines[printed]!) as TestRecord);
        }
        return fs.existsSync(resultsFile) && (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as SuiteResult & { error?: string });
      },
      SUITE_TIMEOUT_MS,
      300,
    ).catch((err: Error) => {
      throw new StepError('suite', `${err.message}; it started but did not finish\n${extensionLog(cs!) ?? '(no extension log yet)'}`);
    });
    if (result.error) throw new StepError('suite', result.error);
    records.push(...result.tests);
    await screenshot(page, artifacts, 'host-suite-final');

    // VS Code going away must take the backend with it (the extension stops it on deactivate,
    // and the server watches its parent): stop everything, then look for the pid.
    const pid = result.facts.backendPid;
    await browser.close();
    browser = undefined;
    await cs.stop();
    const title = 'POET backend (code-server runner) exits when VS Code stops';
    if (typeof pid === 'number') {
      const gone = await waitFor(`backend pid ${pid} to exit`, () => !pidAlive(pid), 15_000).then(() => true, () => false);
      const rec: TestRecord = gone
        ? { title, state: 'passed', durationMs: 0 }
        : { title, state: 'failed', durationMs: 0, error: `backend pid ${pid} is still running 15 s after code-server stopped` };
      if (!gone) try { process.kill(pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
      print(rec);
      records.push(rec);
    } else if (process.env.POET_TEST_GREP) {
      const rec: TestRecord = { title, state: 'skipped', durationMs: 0, skipReason: `POET_TEST_GREP=${process.env.POET_TEST_GREP} left out the backend tests` };
      print(rec);
      records.push(rec);
    } else {
      const rec: TestRecord = { title, state: 'failed', durationMs: 0, error: 'the suite recorded no backendPid fact (see the backend tests above)' };
      print(rec);
      records.push(rec);
    }
    return records;
  } catch (err) {
    await screenshot(page, artifacts, 'host-suite-failure');
    throw err;
  } finally {
    await browser?.close().catch(() => undefined);
    if (cs) {
      await cs.stop().catch(() => undefined);
      collectLogs(cs, join(artifacts, 'host-suite-logs'));
      removeTemp(cs.root);
    }
    removeTemp(scratch);
  }
}
