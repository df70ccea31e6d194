// Runs every test layer and ends with the single line CI reads: "N passed, N failed".
//   node scripts/test.mjs                all layers: static checks (typecheck, lint with pyflakes, which it
//                                        installs with apt-get when missing), the plain-Node
//                                        mocha layer, the real-VS-Code layer (unless POET_SKIP_VSCODE=1)
//   node scripts/test.mjs --only static  typecheck and lint, one test each
//   node scripts/test.mjs --only unit    the plain-Node mocha layer only (with a PostgreSQL server it
//                                        starts unless POET_TEST_DATABASE_URL names one)
//   node scripts/test.mjs --only vscode  the real-VS-Code layer only
// Extra arguments after `--` go to mocha (e.g. `-- --grep storage`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const dashdash = args.indexOf('--');
const mochaArgs = dashdash >= 0 ? args.slice(dashdash + 1) : [];

const tally = { passed: 0, failed: 0, skipped: 0 };
const scratch = mkdtempSync(join(tmpdir(), 'poet-test-counts-'));

function run(layer, cmd, cmdArgs) {
  const countsFile = join(scratch, `${layer}.json`);
  console.log(`\n=== ${layer} ===`);
  const r = spawnSync(cmd, cmdArgs, {
    cwd: root,
    stdio: 'inherit',
    // Services the tests start announce themselves here, not where a developer's own services do.
    env: { ...process.env, POET_TEST_COUNTS_FILE: countsFile, POET_RUNTIME_DIR: join(scratch, 'services') },
  });
  if (existsSync(countsFile)) {
    const c = JSON.parse(readFileSync(countsFile, 'utf8'));
    tally.passed += c.passed;
    tally.failed += c.failed;
    tally.skipped += c.skipped ?? 0;
    // A runner that died after reporting still counts as a failure.
    if (r.status !== 0 && c.failed === 0) tally.failed += 1;
  } else {
    console.error(`${layer}: the runner exited (${r.status ?? r.signal}) without reporting its results`);
    tally.failed += 1;
  }
}

/** One check as one test: a command that must exit 0. Its output shows only when it fails. */
function check(title, script) {
  const r = spawnSync('npm', ['run', '--silent', script], { cwd: root, encoding: 'utf8' });
  if (r.status === 0) {
    console.log(`  ✔ ${title}`);
    tally.passed += 1;
  } else {
    console.log(`  ✖ ${title} (npm run ${script} exited ${r.status ?? r.signal})`);
    console.log(`${r.stdout ?? ''}${r.stderr ?? ''}`.trimEnd().replace(/^/gm, '      '));
    tally.failed += 1;
  }
}

/**
 * `npm run lint` also checks the shipped Python with pyflakes (scripts/lint-python.mjs), and only
 * warns where pyflakes is missing. A fresh machine gets Debian's python3-pyflakes here, as the
 * real-VS-Code layer gets chromium, so the README's test command checks the Python everywhere.
 * Returns why it could not, or undefined.
 */
function ensurePyflakes() {
  const has = () => ['python3', '/usr/bin/python3'].some((py) => spawnSync(py, ['-m', 'pyflakes', '--version'], { stdio: 'ignore' }).status === 0);
  if (has()) return undefined;
  const root = process.getuid?.() === 0;
  const apt = (...a) => spawnSync(root ? 'apt-get' : 'sudo', [...(root ? [] : ['apt-get']), ...a], { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  console.log('  (installing python3-pyflakes with apt-get for the Python lint)');
  let r = apt('install', '-y', '-qq', 'python3-pyflakes');
  if (r.status !== 0) {
    apt('update', '-qq');
    r = apt('install', '-y', '-qq', 'python3-pyflakes');
  }
  if (has()) return undefined;
  return `apt-get install python3-pyflakes failed: ${`${r.stderr ?? ''}${r.stdout ?? ''}${r.error?.message ?? ''}`.trim().split('\n').pop()}`;
}

/**
 * The PostgreSQL store's tests need a real server. Unless POET_TEST_DATABASE_URL names one, a
 * local one is started here (scripts/postgres/start.sh: Debian's postgresql, installed when
 * missing, its cluster run by the postgres user), as pyflakes and chromium are installed for
 * the other layers. From then on those tests fail rather than skip when it is gone.
 * Returns why it could not, or undefined.
 */
function ensurePostgres() {
  if (process.env.POET_TEST_DATABASE_URL) {
    process.env.POET_REQUIRE_POSTGRES = '1';
    return undefined;
  }
  console.log('  (starting PostgreSQL for the store tests: scripts/postgres/start.sh)');
  const r = spawnSync('bash', [join(root, 'scripts/postgres/start.sh')], { encoding: 'utf8' });
  const url = (r.stdout ?? '').trim().split('\n').pop();
  if (r.status !== 0 || !/^postgres:\/\//.test(url ?? '')) {
    return `scripts/postgres/start.sh failed: ${`${r.stderr ?? ''}${r.error?.message ?? ''}`.trim().split('\n').pop()}`;
  }
  process.env.POET_TEST_DATABASE_URL = url;
  process.env.POET_REQUIRE_POSTGRES = '1';
  return undefined;
}

// Static checks first: CI runs only the README's `npm ci && npm test`, so they belong here.
if (!only || only === 'static') {
  console.log('\n=== static ===');
  check('typecheck (tsc -b, one project per runtime)', 'typecheck');
  const noPyflakes = ensurePyflakes();
  if (noPyflakes) {
    console.log(`  ✖ lint: pyflakes for the Python lint: ${noPyflakes}`);
    tally.failed += 1;
  }
  check('lint (eslint, no warnings; pyflakes on the shipped Python)', 'lint');
}

// The bundles are what the process-level tests and the VS Code layer exercise.
if (only !== 'static') {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.log(`${tally.passed} passed, ${tally.failed + 1} failed`);
    process.exit(1);
  }
}

if (!only || only === 'unit') {
  const noPostgres = ensurePostgres();
  if (noPostgres) {
    console.log(`  ✖ PostgreSQL for the store tests: ${noPostgres}`);
    tally.failed += 1;
  }
  run('node', process.execPath, [join(root, 'node_modules/mocha/bin/mocha.js'), ...mochaArgs]);
}
if ((!only && process.env.POET_SKIP_VSCODE !== '1') || only === 'vscode') {
  run('vscode', process.execPath, [join(root, 'test/vscode/run.mjs')]);
}

rmSync(scratch, { recursive: true, force: true });
// The last line is exactly "N passed, N failed" (what CI reads); skipped tests are counted above it.
console.log(tally.skipped ? `\n(${tally.skipped} skipped, each with its reason above)` : '');
console.log(`${tally.passed} passed, ${tally.failed} failed`);
process.exit(tally.failed > 0 ? 1 : 0);
