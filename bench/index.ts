// `npm run bench`: every benchmark except the learning one (which has its own script, being slow).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const benches = ['parser.bench.ts', 'generate.bench.ts', 'runtime.bench.ts', 'service.bench.ts'];
let failed = 0;
for (const b of benches) {
  console.log(`\n### ${b}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, b)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
