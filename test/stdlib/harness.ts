// Behaviour preservation on code nobody on this team wrote: a standard-library module is copied
// twice, one copy with every module-level function marked @poet(...) and enhanced through the
// CLI (the service's own pipeline), and the module's own CPython test suite runs against each
// copy. Every test must end the same way on both.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const HERE = resolve(ROOT, 'test', 'stdlib');
/** The full CPython build that ships its own tests (Debian's /usr/bin/python3 does not). */
export const PYTHON = process.env.POET_STDLIB_PYTHON ?? 'python3';

export interface SuiteRun {
  tests: Record<string, string>;
  errors: Record<string, string>;
}

export interface Divergence {
  test: string;
  plain: string;
  enhanced: string;
  detail: string;
}

export interface ModuleCheck {
  module: string;
  testModule: string;
  enhanced: string[];
  /** Enhanced, but the module rebinds the name afterwards (e.g. `from _statistics import ...`). */
  replaced: string[];
  notEnhanced: Array<{ name: string; message: string }>;
  plain: SuiteRun;
  withPoet: SuiteRun;
  divergences: Divergence[];
  seconds: number;
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, timeout: opts.timeoutMs ?? 900_000, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** True when this python3 ships the standard library's own tests. */
export function hasStdlibTests(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import test.support, test.test_textwrap'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function suite(testModule: string, pythonPath: string, cwd: string): Promise<SuiteRun> {
  const r = await run(PYTHON, ['-X', 'faulthandler', join(HERE, 'run_suite.py'), testModule], { cwd, env: { PYTHONPATH: pythonPath, PYTHONDONTWRITEBYTECODE: '1', POET_API_URL: '' } });
  const at = r.stdout.lastIndexOf('@@POET-RESULT@@');
  if (at < 0) throw new Error(`${testModule} did not finish (exit ${r.code}): ${r.stderr.slice(-3000)}`);
  return JSON.parse(r.stdout.slice(at + '@@POET-RESULT@@'.length)) as SuiteRun;
}

/** Marks, enhances and tests one single-file module; `config` is what every `@poet(...)` says. */
export async function checkModule(module: string, config: Record<string, unknown> = {}, testModule = `test.test_${module}`): Promise<ModuleCheck> {
  const t0 = Date.now();
  const origin = execFileSync(PYTHON, ['-c', `import importlib.util; print(importlib.util.find_spec(${JSON.stringify(module)}).origin)`], { encoding: 'utf8' }).trim();
  if (!origin.endsWith('.py') || origin.endsWith('__init__.py')) throw new Error(`${module} is not a single-file Python module (${origin})`);
  const base = mkdtempSync(join(tmpdir(), `poet-stdlib-${module}-`));
  const plainDir = join(base, 'plain');
  const ws = join(base, 'enhanced');
  execFileSync('mkdir', ['-p', plainDir, ws]);
  copyFileSync(origin, join(plainDir, `${module}.py`));
  const target = join(ws, `${module}.py`);

  const decorate = (skip: string[]) => JSON.parse(execFileSync(PYTHON, [join(HERE, 'decorate.py'), origin, target, JSON.stringify(config), ...skip], { encoding: 'utf8' })) as string[];
  const enhance = async () => {
    const r = await run(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'enhance', target, '--workspace', ws]);
    const out = JSON.parse(r.stdout) as unknown;
    return (Array.isArray(out) ? out : [out]) as Array<{ function_name: string; error?: { message: string } }>;
  };
  let names = decorate([]);
  const notEnhanced: ModuleCheck['notEnhanced'] = [];
  if (names.length) {
    for (const r of await enhance()) if (r.error) notEnhanced.push({ name: r.function_name, message: r.error.message });
    if (notEnhanced.length) {
      // Leave those unmarked (their @poet would only warn), and keep the others' versions.
      names = decorate(notEnhanced.map((n) => n.name));
      if (names.length) await enhance();
    }
  }
  const check = await run(PYTHON, ['-c', `import json, ${module} as m; print(json.dumps([n for n in ${JSON.stringify(names)} if not getattr(getattr(m, n, None), "__poet_enhanced__", False)]))`], {
    cwd: base,
    env: { PYTHONPATH: `${ws}:${join(ROOT, 'python')}` },
  });
  if (check.code !== 0) throw new Error(`the enhanced ${module} does not import: ${check.stderr.slice(-2000)}`);
  // Names the module rebinds after their def (a C accelerator replacing the Python version).
  const replaced = JSON.parse(check.stdout.trim().split('\n').pop()!) as string[];

  // Separate working folders: suites write files into the current folder (test_gettext does).
  const [plainCwd, poetCwd] = [join(base, 'run-plain'), join(base, 'run-poet')];
  execFileSync('mkdir', ['-p', plainCwd, poetCwd]);
  const [plain, withPoet] = await Promise.all([suite(testModule, plainDir, plainCwd), suite(testModule, `${ws}:${join(ROOT, 'python')}`, poetCwd)]);
  const divergences: Divergence[] = [];
  for (const id of new Set([...Object.keys(plain.tests), ...Object.keys(withPoet.tests)])) {
    const a = plain.tests[id] ?? 'absent';
    const b = withPoet.tests[id] ?? 'absent';
    if (a !== b) divergences.push({ test: id, plain: a, enhanced: b, detail: withPoet.errors[id] ?? plain.errors[id] ?? '' });
  }
  return { module, testModule, enhanced: names, replaced, notEnhanced, plain, withPoet, divergences, seconds: (Date.now() - t0) / 1000 };
}
