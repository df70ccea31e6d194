// `npm run lint` for the Python the project ships: the runtime, the runtime hook, the Dana
// runtime's helper and the stdlib-check scripts, checked with pyflakes (Debian's
// python3-pyflakes, which npm test installs when it is missing). Where it is missing the check is
// skipped, saying so.
import { spawnSync } from 'node:child_process';

const files = ['python/poet', 'server/generator/dana/poet_dana.py', 'test/stdlib'];
for (const py of ['python3', '/usr/bin/python3']) {
  const probe = spawnSync(py, ['-m', 'pyflakes', '--version'], { encoding: 'utf8' });
  if (probe.status !== 0) continue;
  const r = spawnSync(py, ['-m', 'pyflakes', ...files], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
console.warn('lint-python: pyflakes is not installed (apt-get install python3-pyflakes); Python files not checked');
