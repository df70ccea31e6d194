// Runs the extension-host test suite inside the packaged extension when the environment asks
// for it. code-server refuses --extensionTestsPath, so its runner (test/vscode/run.mjs) starts
// code-server with these variables, which every extension host it spawns inherits:
//   POET_EXTENSION_TESTS          absolute path of the bundled suite (test/vscode/lib/bundle.mjs)
//   POET_EXTENSION_TEST_RESULTS   where to write the results JSON (written last, atomically:
//                                 its appearance is the completion signal); per-test progress
//                                 goes to the same path + '.progress' as JSON lines, and
//                                 path + '.started' appears as soon as the hook runs.
// A normal user has neither variable set, and then this does nothing.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';

interface SuiteModule {
  runSuite(opts: { progressFile?: string; grep?: string }): Promise<unknown>;
}

let started = false;

export async function runTestsIfRequested(_api: unknown): Promise<void> {
  const suiteFile = process.env.POET_EXTENSION_TESTS;
  if (!suiteFile || started) return;
  started = true;
  const resultsFile = process.env.POET_EXTENSION_TEST_RESULTS ?? `${suiteFile}.results.json`;
  // Tells the runner that activation reached the hook (it fails fast on "never activated").
  fs.writeFileSync(`${resultsFile}.started`, String(process.pid));
  // Not awaited: the suite awaits the extension's activation, which is waiting for us to return.
  setImmediate(() => void runSuite(suiteFile, resultsFile));
}

async function runSuite(suiteFile: string, resultsFile: string): Promise<void> {
  let result: unknown;
  try {
    // A runtime path, not a bundled module: createRequire keeps esbuild from resolving it.
    const suite = createRequire(__filename)(suiteFile) as SuiteModule;
    result = await suite.runSuite({ progressFile: `${resultsFile}.progress`, grep: process.env.POET_TEST_GREP });
  } catch (err) {
    result = { passed: 0, failed: 1, skipped: 0, tests: [], facts: {}, error: `the suite could not run: ${(err as Error)?.stack ?? String(err)}` };
  }
  const tmp = `${resultsFile}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(result, null, 1));
  fs.renameSync(tmp, resultsFile);
}
