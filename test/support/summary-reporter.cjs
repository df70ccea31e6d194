// Mocha's spec reporter plus a machine-readable tally. scripts/test.mjs adds the
// tallies of every layer and prints the one closing line CI reads.
const Mocha = require('mocha');
const fs = require('node:fs');

const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
      const file = process.env.POET_TEST_COUNTS_FILE;
      const counts = { passed: s.passes, failed: s.failures, skipped: s.pending };
      if (file) fs.writeFileSync(file, JSON.stringify(counts));
    });
  }
}

module.exports = SummaryReporter;
