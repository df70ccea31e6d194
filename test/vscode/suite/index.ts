// Entry point of the bundled extension-host suite.
// - @vscode/test-electron loads it as extensionTestsPath and calls run().
// - The packaged extension's test hook (extension/testing/hook.ts) requires it and calls runSuite().
import { runSuite, type RunOptions, type SuiteResult } from './harness';

export { runSuite };
export type { RunOptions, SuiteResult };

export async function run(): Promise<void> {
  const r = await runSuite({ grep: process.env.POET_TEST_GREP });
  console.log(`${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  if (r.failed > 0) throw new Error(`${r.failed} extension-host test(s) failed`);
}
