// Starts code-server (VS Code served to a browser) for one test run: a fresh temp root with
// its own user-data and extensions dirs, the packaged extension installed into it, a free
// port on 127.0.0.1, and workspace trust off (otherwise the folder opens in Restricted Mode
// and the extension stays disabled).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import { dirname, join } from 'node:path';
import type { VscodeEnv } from './env';
import { StepError, waitFor } from './steps';

export const EXTENSION_ID = 'poet-dev.poet';

export interface CodeServer {
  url: string;
  root: string;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  /** URL of the workbench with `folder` open. */
  folderUrl(folder: string): string;
  stop(): Promise<void>;
}

/** Removes a run's temp dir once its logs are collected (POET_KEEP_TEMP=1 keeps it for debugging). */
export function removeTemp(dir: string | undefined): void {
  if (dir && process.env.POET_KEEP_TEMP !== '1') fs.rmSync(dir, { recursive: true, force: true });
}

export interface StartOptions {
  env: VscodeEnv;
  vsix: string;
  /** Extra environment for code-server, inherited by every extension host it spawns. */
  extraEnv?: Record<string, string>;
  /** User settings merged over the test defaults. */
  settings?: Record<string, unknown>;
  label: string;
}

const TEST_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'files.autoSave': 'off',
  'window.restoreWindows': 'none',
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function pathWithNode(env: VscodeEnv): string {
  return `${env.node24Bin}${(process.platform === 'win32' ? ';' : ':')}${process.env.PATH ?? ''}`;
}

function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const running = new Set<ChildProcess>();
// If the runner dies, take the servers it started with it (each is its own process group).
process.once('exit', () => {
  for (const p of running) if (p.pid) try { process.kill(-p.pid, 'SIGKILL'); } catch { /* already gone */ }
});

export async function startCodeServer(opts: StartOptions): Promise<CodeServer> {
  const root = fs.mkdtempSync(join(os.tmpdir(), `poet-cs-${opts.label}-`));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  const logFile = join(root, 'code-server.log');
  fs.mkdirSync(join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir);
  fs.writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...TEST_SETTINGS, ...opts.settings }, null, 2));

  const env = { ...process.env, PATH: pathWithNode(opts.env), ...opts.extraEnv };
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  const inst = spawnSync(opts.env.codeServer, ['--install-extension', opts.vsix, ...common], { env, encoding: 'utf8', timeout: 120_000 });
  const installed = fs.readdirSync(extensionsDir).some((d) => d.startsWith(`${EXTENSION_ID}-`));
  if (inst.status !== 0 || !installed) {
    throw new StepError('extension', `code-server --install-extension ${opts.vsix} exited ${inst.status ?? inst.signal}` +
      `${installed ? '' : ` and ${extensionsDir} holds no ${EXTENSION_ID}-*`}\n${inst.stdout}${inst.stderr}`);
  }

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const out = fs.openSync(logFile, 'a');
  const proc = spawn(
    opts.env.codeServer,
    ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', ...common],
    { env, stdio: ['ignore', out, out], detached: true },
  );
  fs.closeSync(out);
  running.add(proc);
  let exited: string | undefined;
  proc.once('exit', (code, signal) => {
    exited = `exited ${code ?? signal}`;
    running.delete(proc);
  });

  const stop = async () => {
    if (exited || !proc.pid) return;
    try { process.kill(-proc.pid, 'SIGTERM'); } catch { return; }
    try {
      await waitFor('code-server to exit', () => exited !== undefined, 15_000);
    } catch {
      try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ }
      await waitFor('code-server to exit after SIGKILL', () => exited !== undefined, 5_000);
    }
  };

  try {
    await waitFor(
      `code-server on ${url} to answer /healthz`,
      async () => {
        if (exited) throw new StepError('start', `code-server ${exited} before it answered:\n${tail(logFile)}`);
        const r = await fetch(`${url}/healthz`).catch(() => undefined);
        return r?.ok;
      },
      60_000,
    );
  } catch (err) {
    await stop();
    if (err instanceof StepError) throw err;
    throw new StepError('start', `${(err as Error).message}\n${tail(logFile)}`);
  }

  return {
    url,
    root,
    userDataDir,
    extensionsDir,
    logFile,
    folderUrl: (folder) => `${url}/?folder=${encodeURIComponent(folder)}`,
    stop,
  };
}

/** Every log file VS Code wrote for this server (the extension's LogOutputChannel among them). */
export function collectLogs(cs: CodeServer, destDir: string): void {
  fs.mkdirSync(destDir, { recursive: true });
  fs.copyFileSync(cs.logFile, join(destDir, 'code-server.log'));
  const logs = join(cs.userDataDir, 'logs');
  if (fs.existsSync(logs)) fs.cpSync(logs, join(destDir, 'vscode-logs'), { recursive: true });
}

/** The extension's own output channel log, if VS Code has written one yet. */
export function extensionLog(cs: CodeServer): string | undefined {
  const logs = join(cs.userDataDir, 'logs');
  if (!fs.existsSync(logs)) return undefined;
  const hits = (fs.readdirSync(logs, { recursive: true }) as string[])
    .filter((f) => f.includes(EXTENSION_ID) && f.endsWith('.log'))
    .map((f) => join(logs, f));
  return hits.length ? hits.map((f) => `--- ${f}\n${fs.readFileSync(f, 'utf8')}`).join('\n') : undefined;
}

/**
 * The end of a UI suite: closes the browser, stops code-server, keeps its logs under
 * `artifacts/logs` and removes the temporary folders (the copied workspace's parent too).
 */
export async function tearDownUi(browser: { close(): Promise<void> } | undefined, cs: CodeServer | undefined, workspace: string | undefined, artifacts: string): Promise<void> {
  await browser?.close().catch(() => undefined);
  if (cs) {
    await cs.stop().catch(() => undefined);
    collectLogs(cs, join(artifacts, 'logs'));
    removeTemp(cs.root);
  }
  if (workspace) removeTemp(dirname(workspace));
}
