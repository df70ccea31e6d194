// Entry point of the real-VS-Code layer, called by scripts/test.mjs (and `npm run test:vscode`).
// The layer is written in TypeScript (test/vscode/main.ts); run it through tsx in a child so its
// exit code and POET_TEST_COUNTS_FILE pass straight through. Runs of this layer are serialised
// with flock(1) where it exists: they share the .vsix that `npm run package` writes and
// test/artifacts/vscode.
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const cmd = [process.execPath, '--import', 'tsx', main];
const hasFlock = spawnSync('flock', ['--version'], { stdio: 'ignore' }).status === 0;
const [file, ...args] = hasFlock ? ['flock', join(tmpdir(), 'poet-vscode-layer.lock'), ...cmd] : cmd;
const r = spawnSync(file, args, { stdio: 'inherit', env: process.env });
process.exit(r.status ?? 1);
