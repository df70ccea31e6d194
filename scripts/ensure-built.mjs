// Builds dist/ when it is missing or older than any source file, so that
// `npm run poet` and `npm start` work straight after `npm ci`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outputs = ['dist/extension.js', 'dist/server.js', 'dist/cli.js', 'dist/parse-worker.js'].map((f) => join(root, f));

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

const built = outputs.every(existsSync)
  ? Math.min(...outputs.map((f) => statSync(f).mtimeMs))
  : 0;
const sources = Math.max(...['shared', 'server', 'extension'].map((d) => newest(join(root, d))));
if (built < sources) {
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
}
