// The real-VS-Code test layer (started by run.mjs):
//   1. install   scripts/vscode-env/install.sh (Node 24, code-server, Chromium; cached)
//   2. package   the extension's .vsix (npm run package), or POET_VSIX
//   3. host      the mocha suite inside code-server's extension host (host.ts)
//   4. e2e       Playwright UI tests against code-server (e2e/*.e2e.ts, run by mocha)
// Writes {passed, failed, skipped} to POET_TEST_COUNTS_FILE. An infrastructure failure is one
// failed test named after its step, never a pass or a silent skip.
// Env: POET_VSIX (use this .vsix), POET_VSCODE_ONLY=host|e2e, POET_TEST_GREP (host suite filter),
// POET_E2E_GREP (e2e filter; mocha --grep on the suite and test titles).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { dirname, join } from 'node:path';
import { runHostSuite } from './host';
import { ensureEnv, repoRoot, type VscodeEnv } from './lib/env';
import { StepError } from './lib/steps';
import { removeTemp } from './lib/codeServer';

const LAYER_BUDGET_MS = 9.5 * 60_000;
const artifacts = join(repoRoot, 'test', 'artifacts', 'vscode');
const counts = { passed: 0, failed: 0, skipped: 0 };
const started = Date.now();
/** When the budget starts: after the install, which a fresh machine spends minutes on (its own timeout is 20 min). */
let budgetStart = started;

function writeCounts(): void {
  const file = process.env.POET_TEST_COUNTS_FILE;
  if (file) fs.writeFileSync(file, JSON.stringify(counts));
}

function infraFailure(layer: string, err: unknown): void {
  const msg = err instanceof StepError ? err.message : `unexpected error: ${(err as Error)?.stack ?? String(err)}`;
  console.log(`  ✖ ${layer}: ${msg}`);
  counts.failed += 1;
}

function packageExtension(): string {
  if (process.env.POET_VSIX) {
    if (!fs.existsSync(process.env.POET_VSIX)) throw new StepError('package', `POET_VSIX=${process.env.POET_VSIX} does not exist`);
    return process.env.POET_VSIX;
  }
  const pkg = JSON.parse(fs.readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  if (!pkg.scripts?.package) throw new StepError('package', 'package.json has no "package" script (npm run package must produce the .vsix)');
  const before = Date.now() - 1000;
  const r = spawnSync('npm', ['run', 'package'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 5 * 60_000 });
  if (r.status !== 0) throw new StepError('package', `npm run package exited ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}`);
  const vsix = fs.readdirSync(repoRoot)
    .filter((f) => f.endsWith('.vsix'))
    .map((f) => ({ f: join(repoRoot, f), t: fs.statSync(join(repoRoot, f)).mtimeMs }))
    .filter((x) => x.t >= before)
    .sort((a, b) => b.t - a.t)[0];
  if (!vsix) throw new StepError('package', `npm run package wrote no new .vsix in ${repoRoot}`);
  // A private copy: a later `npm run package` (by a person or another tool) may rewrite the original.
  const copy = join(fs.mkdtempSync(join(os.tmpdir(), 'poet-vsix-')), 'poet.vsix');
  fs.copyFileSync(vsix.f, copy);
  return copy;
}

function readCounts(file: string): typeof counts | undefined {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as typeof counts) : undefined;
}

function runE2e(env: VscodeEnv, vsix: string): void {
  const countsFile = join(fs.mkdtempSync(join(os.tmpdir(), 'poet-e2e-counts-')), 'counts.json');
  const r = spawnSync(
    process.execPath,
    [
      '--import', 'tsx',
      join(repoRoot, 'node_modules/mocha/bin/mocha.js'),
      '--no-config', '--reporter', join(repoRoot, 'test/support/summary-reporter.cjs'),
      '--timeout', '120000', '--slow', '30000', '--exit',
      ...(process.env.POET_E2E_GREP ? ['--grep', process.env.POET_E2E_GREP] : []),
      join(__dirname, 'e2e', '*.e2e.ts'),
    ],
    {
      cwd: repoRoot,
      stdio: 'inherit',
      timeout: Math.max(60_000, LAYER_BUDGET_MS - (Date.now() - budgetStart)),
      env: {
        ...process.env,
        POET_TEST_COUNTS_FILE: countsFile,
        POET_VSIX: vsix,
        POET_ARTIFACTS: join(artifacts, 'e2e'),
        POET_NODE24_BIN: env.node24Bin,
        POET_CODE_SERVER: env.codeServer,
        POET_CHROMIUM: env.chromium,
      },
    },
  );
  const c = readCounts(countsFile);
  removeTemp(dirname(countsFile));
  if (!c) throw new StepError('suite', `the e2e mocha run exited ${r.status ?? r.signal} without reporting results`);
  counts.passed += c.passed;
  counts.failed += c.failed;
  counts.skipped += c.skipped;
  if (r.status !== 0 && c.failed === 0) infraFailure('e2e', new StepError('suite', `mocha exited ${r.status ?? r.signal}`));
}

async function main(): Promise<void> {
  fs.rmSync(artifacts, { recursive: true, force: true });
  fs.mkdirSync(artifacts, { recursive: true });
  const only = process.env.POET_VSCODE_ONLY;

  let env: VscodeEnv;
  let vsix: string;
  try {
    console.log('[vscode] install: checking Node 24, code-server and Chromium');
    env = ensureEnv();
    budgetStart = Date.now();
    armWatchdog();
    console.log('[vscode] package: building the .vsix');
    vsix = packageExtension();
    console.log(`[vscode] package: ${vsix}`);
  } catch (err) {
    infraFailure('vscode layer', err);
    return;
  }

  if (only !== 'e2e') {
    console.log('\n[vscode] extension-host suite in code-server');
    try {
      for (const t of await runHostSuite(env, vsix, join(artifacts, 'host'))) counts[t.state] += 1;
    } catch (err) {
      infraFailure('extension-host suite', err);
    }
  }
  if (only !== 'host') {
    console.log('\n[vscode] UI end-to-end tests (Playwright + Chromium against code-server)');
    try {
      runE2e(env, vsix);
    } catch (err) {
      infraFailure('e2e', err);
    }
  }
  if (!process.env.POET_VSIX) removeTemp(dirname(vsix));
}

let watchdog: NodeJS.Timeout | undefined;
function armWatchdog(): void {
  watchdog = setTimeout(() => {
    infraFailure('vscode layer', new StepError('suite', `the layer exceeded its ${LAYER_BUDGET_MS / 60_000} min budget (after the install)`));
    writeCounts();
    process.exit(1);
  }, LAYER_BUDGET_MS);
}

main()
  .catch((err) => infraFailure('vscode layer', err))
  .finally(() => {
    clearTimeout(watchdog);
    writeCounts();
    console.log(`\n[vscode] ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped ` +
      `in ${Math.round((Date.now() - started) / 1000)} s; artefacts in ${artifacts}`);
    process.exit(counts.failed > 0 ? 1 : 0);
  });
