// Entry point of the real-VS-Code layer, called by scripts/test.mjs (and `npm run test:vscode`).
// The layer is written in TypeScript (test/vscode/main.ts); run it through tsx in a child so its
// exit code and POET_TEST_COUNTS_FILE pass straight through.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const r = spawnSync(process.execPath, ['--import', 'tsx', main], { stdio: 'inherit', env: process.env });
process.exit(r.status ?? 1);
