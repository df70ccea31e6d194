// Runs the extension-host suite in a desktop VS Code through @vscode/test-electron, the standard
// route for contributors (this CI machine has no desktop VS Code; it uses run.mjs + code-server).
//   VSCODE_EXECUTABLE_PATH=/path/to/code node test/vscode/electron.mjs
// Without VSCODE_EXECUTABLE_PATH, test-electron downloads VS Code stable (needs the internet).
// On Linux without a display, wrap it in `xvfb-run -a`.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'poet-electron-'));
const suiteFile = join(scratch, 'suite.cjs');
const workspace = join(scratch, 'workspace');

const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(1);
// The suite bundler is TypeScript; run it through tsx in a child.
const bundled = spawnSync(
  process.execPath,
  ['--import', 'tsx', '-e', `require(${JSON.stringify(join(here, 'lib', 'bundle.ts'))}).bundleSuite(${JSON.stringify(suiteFile)})`],
  { cwd: root, stdio: 'inherit' },
);
if (bundled.status !== 0) process.exit(1);
cpSync(join(here, 'fixtures', 'workspace'), workspace, { recursive: true });

try {
  await runTests({
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
    extensionDevelopmentPath: root,
    extensionTestsPath: suiteFile,
    extensionTestsEnv: { POET_TEST_GREP: process.env.POET_TEST_GREP ?? '' },
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', join(scratch, 'user-data')],
  });
} catch (err) {
  console.error(`extension-host suite failed: ${err?.message ?? err}`);
  process.exit(1);
}
