// `npm start`: build if needed, then serve the shipped examples/ workspace and print the
// URL, the token and curl calls to try. Extra arguments go to `poet serve` (e.g. -- --port 0).
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = new URL('..', import.meta.url).pathname;
execFileSync(process.execPath, [join(root, 'scripts/ensure-built.mjs')], { stdio: 'inherit' });

const workspace = join(root, 'examples');
// The token goes to the service through the environment, never argv (visible in `ps`).
const token = process.env.POET_API_KEY || randomBytes(32).toString('base64url');
const args = process.argv.slice(2);
// The same process profile as the extension's backend (V8 and malloc limits; docs/service.md).
const profile = JSON.parse(readFileSync(join(root, 'shared/runtime-profile.json'), 'utf8'));
const child = spawn(process.execPath, [...profile.execArgv, join(root, 'dist/cli.js'), 'serve', '--workspace', workspace, ...args], {
  env: { ...process.env, ...profile.env, POET_API_KEY: token },
  stdio: ['ignore', 'pipe', 'inherit'],
});

createInterface({ input: child.stdout }).on('line', (line) => {
  process.stdout.write(line + '\n');
  const m = /^POET service listening on (\S+)$/.exec(line);
  if (!m) return;
  const url = m[1];
  const code = '@poet(retries=2, timeout=5)\\ndef double(x: int) -> int:\\n    return x * 2\\n';
  process.stdout.write(
    [
      `Workspace: ${workspace}`,
      `Token:     ${token}`,
      '',
      'Try:',
      `  export POET_API_KEY='${token}'`,
      `  curl -s ${url}/health`,
      `  curl -s -H "Authorization: Bearer $POET_API_KEY" ${url}/poet/functions`,
      `  curl -s -H "Authorization: Bearer $POET_API_KEY" -H 'Content-Type: application/json' \\`,
      `       -d '{"code": "${code}", "language": "python"}' ${url}/poet/transpile`,
      '',
      'Stop with Ctrl-C. The API is described in docs/service.md.',
      '',
    ].join('\n'),
  );
});

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
