// Behaviour preservation, checked with test suites nobody on this team wrote: CPython's own tests
// for standard-library modules, run against a copy whose every module-level function is marked
// @poet and enhanced through the real pipeline, and against a plain copy. Every test must end the
// same way on both (harness.ts; `npm run check:stdlib -- MODULE...` runs any module by hand).
import assert from 'node:assert/strict';
import { checkModule, hasStdlibTests, PYTHON } from './harness';

/** Quick suites whose modules have many module-level functions: text, parsing, numbers, files. */
const MODULES: Array<[string, Record<string, unknown>]> = [
  ['textwrap', {}],
  ['shlex', {}],
  ['fnmatch', {}],
  ['base64', {}],
  ['copy', {}],
  ['statistics', { retries: 3, timeout: 10 }],
  ['glob', { retries: 1, timeout: 5 }],
];

describe('standard-library suites on enhanced copies', function () {
  this.timeout(600_000);

  before(function () {
    // CI's machine has a full CPython build (the first python3 on PATH) with its tests.
    if (!hasStdlibTests()) this.skip();
  });

  for (const [module, config] of MODULES) {
    it(`${module}: every test of test_${module} ends as on the plain copy (@poet(${Object.entries(config).map(([k, v]) => `${k}=${v}`).join(', ')}))`, async () => {
      const r = await checkModule(module, config);
      assert.ok(r.enhanced.length >= 3, `${module}: only ${r.enhanced.length} functions enhanced (${PYTHON})`);
      assert.deepEqual(r.notEnhanced, []);
      assert.ok(Object.keys(r.plain.tests).length >= 5, 'the suite ran');
      assert.deepEqual(r.divergences, []);
    });
  }
});
