// Locates (installing when missing) code-server, Node 24 and Chromium via
// scripts/vscode-env/install.sh, which caches them outside the repo.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { StepError } from './steps';

export interface VscodeEnv {
  node24Bin: string;
  codeServer: string;
  chromium: string;
}

export const repoRoot = join(__dirname, '..', '..', '..');

let cached: VscodeEnv | undefined;

export function ensureEnv(): VscodeEnv {
  if (cached) return cached;
  const r = spawnSync('bash', [join(repoRoot, 'scripts/vscode-env/install.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 20 * 60_000,
  });
  if (r.status !== 0) throw new StepError('install', `scripts/vscode-env/install.sh exited ${r.status ?? r.signal} (its message is above)`);
  const vars = Object.fromEntries(
    r.stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const need = (k: string) => {
    const v = vars[k];
    if (!v) throw new StepError('install', `install.sh did not report ${k}`);
    return v;
  };
  cached = { node24Bin: need('POET_NODE24_BIN'), codeServer: need('POET_CODE_SERVER'), chromium: need('POET_CHROMIUM') };
  return cached;
}

/** The tools the layer's runner (test/vscode/main.ts) passes to the e2e mocha run in its env. */
export function envFromRunner(): VscodeEnv {
  const need = (k: string) => {
    const v = process.env[k];
    if (!v) throw new Error(`${k} is not set: run this through test/vscode/run.mjs (npm run test:vscode)`);
    return v;
  };
  return { node24Bin: need('POET_NODE24_BIN'), codeServer: need('POET_CODE_SERVER'), chromium: need('POET_CHROMIUM') };
}
