// Runs the extension-host suite with mocha inside VS Code and collects one record per test.
// Used by both runners: the code-server one (through extension/testing/hook.ts) and
// @vscode/test-electron (through index.ts). The test files are pulled in by the bundler
// (test/vscode/lib/bundle.mjs) as the virtual module '@poet-vscode/suite-tests'.
import Mocha from 'mocha';
import * as fs from 'node:fs';

export interface TestRecord {
  title: string;
  state: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  error?: string;
  skipReason?: string;
}

export interface SuiteResult {
  passed: number;
  failed: number;
  skipped: number;
  tests: TestRecord[];
  /** Facts the outer runner checks after VS Code has gone (e.g. the backend pid). */
  facts: Record<string, unknown>;
}

export interface RunOptions {
  /** JSON lines, one per finished test, so the outer runner can print progress live. */
  progressFile?: string;
  grep?: string;
}

/** Tests record facts here for the outer runner (see SuiteResult.facts). */
export const facts: Record<string, unknown> = {};

/** Reasons given by `skipBecause()`, keyed by full title, reported next to the skipped test. */
const skipReasons = new Map<string, string>();
export function skipBecause(ctx: Mocha.Context, reason: string): never {
  const t = ctx.currentTest ?? ctx.test;
  if (t) skipReasons.set(t.fullTitle(), reason);
  ctx.skip();
}

export function runSuite(opts: RunOptions = {}): Promise<SuiteResult> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  if (opts.grep) mocha.grep(opts.grep);
  // What `mocha FILE` does per file: expose describe/it as globals, then load the file.
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, 'poet-vscode-suite', mocha);
  require('@poet-vscode/suite-tests');

  const tests: TestRecord[] = [];
  const record = (r: TestRecord) => {
    tests.push(r);
    if (opts.progressFile) fs.appendFileSync(opts.progressFile, JSON.stringify(r) + '\n');
  };
  return new Promise((resolve) => {
    const runner = mocha.run();
    const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;
    runner.on(EVENT_TEST_PASS, (t) => record({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 }));
    runner.on(EVENT_TEST_PENDING, (t) =>
      record({ title: t.fullTitle(), state: 'skipped', durationMs: 0, skipReason: skipReasons.get(t.fullTitle()) ?? 'pending' }),
    );
    // Hook failures ("before all" etc.) arrive here too, so a broken setup is never a silent pass.
    runner.on(EVENT_TEST_FAIL, (t, err: Error) =>
      record({ title: t.fullTitle(), state: 'failed', durationMs: t.duration ?? 0, error: err?.stack ?? String(err) }),
    );
    runner.once(EVENT_RUN_END, () => {
      const count = (s: TestRecord['state']) => tests.filter((t) => t.state === s).length;
      resolve({ passed: count('passed'), failed: count('failed'), skipped: count('skipped'), tests, facts });
    });
  });
}
