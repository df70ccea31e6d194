// Owns the one backend child process (dist/server.js = language server + one POET HTTP
// service per workspace folder), through vscode-languageclient over IPC. The client library
// gives us the tested parts: fork on VS Code's own Node, shutdown with a kill after 2 s,
// `--clientProcessId` so the child exits when VS Code dies, and the restart budget
// (4 restarts in 3 minutes). This class adds: a fresh token per start, handed over in the
// child's environment (never argv); the service URLs the server announces over LSP; and one
// state ('stopped' | 'starting' | 'ready' | 'error') that the status bar and commands follow.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import type { LanguageClient as LanguageClientType, RequestType } from 'vscode-languageclient/node';
import type { PoetInitializationOptions, ServiceReadyParams, ServiceStatusSnapshot } from '../../shared/lsp-protocol';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { PoetSettings } from '../../shared/settings';
import { backendEnv } from './env';
import { parseServerLogLine } from './serverLog';
import { lazy } from '../lazy/load';
import { SOURCE_DOCUMENTS } from '../editor/functions';
import runtimeProfile from '../../shared/runtime-profile.json';

function lines(input: Readable, each: (line: string) => void): void {
  createInterface({ input, crlfDelay: Infinity, terminal: false, historySize: 0 }).on('line', each);
}

const protocol = () => lazy().protocol;

export type BackendState = 'stopped' | 'starting' | 'ready' | 'error';

export interface BackendStatus {
  state: BackendState;
  /** For 'error' (and restarts): a sentence a person can act on. */
  message?: string;
}

export class Backend implements vscode.Disposable {
  private client: LanguageClientType | undefined;
  private token: string | undefined;
  private readonly services = new Map<string, ServiceReadyParams>();
  private status: BackendStatus = { state: 'stopped' };
  private starting: Promise<void> | undefined;
  private stopping = false;
  private readonly _onDidChangeStatus = new vscode.EventEmitter<BackendStatus>();
  readonly onDidChangeStatus = this._onDidChangeStatus.event;
  private readonly _onDidChangeStorage = new vscode.EventEmitter<string>();
  /** Fires with a folder URI when the server saw `.dana/poet/` change under it. */
  readonly onDidChangeStorage = this._onDidChangeStorage.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly settings: () => PoetSettings,
    private readonly settingsSection: () => Record<string, unknown>,
  ) {}

  get current(): BackendStatus {
    return this.status;
  }
  get running(): boolean {
    return this.client !== undefined;
  }
  /** The bearer token of the bundled services (new on every start). */
  get serviceToken(): string | undefined {
    return this.token;
  }
  service(folderUri: string): ServiceReadyParams | undefined {
    return this.services.get(folderUri);
  }
  allServices(): ServiceReadyParams[] {
    return [...this.services.values()];
  }
  /** The child's pid while it runs. The client keeps it private; tests need it to check cleanup. */
  pid(): number | undefined {
    const proc = (this.client as unknown as { _serverProcess?: ChildProcess } | undefined)?._serverProcess;
    return proc?.pid ?? undefined;
  }

  private setStatus(s: BackendStatus): void {
    if (s.state === this.status.state && s.message === this.status.message) return;
    this.status = s;
    if (s.state === 'error') this.log.error(`Backend: ${s.message ?? 'failed'}`);
    else this.log.info(`Backend: ${s.state}${s.message ? ` (${s.message})` : ''}`);
    this._onDidChangeStatus.fire(s);
  }

  /** Starts the backend unless it runs; resolves once the language client is up. */
  ensureStarted(): Promise<void> {
    if (this.client && this.status.state !== 'stopped') return this.starting ?? Promise.resolve();
    this.starting = this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** A request to the language server, starting the backend first when it does not run. */
  async request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R> {
    await this.ensureStarted();
    if (!this.client) throw new Error('The POET backend is not running. Run "POET: Restart Service".');
    return this.client.sendRequest<R>(type.method, params);
  }

  /** Resolves when the state is 'ready'; rejects on 'error' or after `timeoutMs`. */
  whenReady(timeoutMs = 30_000): Promise<void> {
    if (this.status.state === 'ready') return Promise.resolve();
    if (this.status.state === 'error') {
      return Promise.reject(new Error(`${this.status.message ?? 'The POET service failed to start.'} Run "POET: Restart Service" after fixing it.`));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`The POET service did not become ready within ${Math.round(timeoutMs / 1000)} s. See the POET log ("POET: Show Service Log").`));
      }, timeoutMs);
      const sub = this.onDidChangeStatus((s) => {
        if (s.state === 'ready') {
          clearTimeout(timer);
          sub.dispose();
          resolve();
        } else if (s.state === 'error' || s.state === 'stopped') {
          clearTimeout(timer);
          sub.dispose();
          reject(new Error(s.message ?? `The POET service ${s.state === 'stopped' ? 'stopped' : 'failed to start'}. See the POET log.`));
        }
      });
    });
  }

  private async start(): Promise<void> {
    // Loaded on first start, not at activation: the client library is most of the bundle.
    const { LanguageClient, TransportKind, CloseAction, ErrorAction, RevealOutputChannelOn, State } =
      lazy().languageClient;
    const { ServiceStatusNotification, StorageChangedNotification } = protocol();
    const { TOKEN_ENV } = lazy().contract;
    const settings = this.settings();
    const remote = settings.serviceUrl !== '';
    this.token = randomBytes(32).toString('base64url');
    this.services.clear();
    this.stopping = false;
    this.setStatus({ state: 'starting' });

    const serverModule = this.context.asAbsolutePath('dist/server.js');
    const env = { ...process.env, ...runtimeProfile.env, ...backendEnv(settings), [TOKEN_ENV]: this.token, POET_CLIENT: 'vscode' };
    const serverOptions = {
      run: { module: serverModule, transport: TransportKind.ipc, options: { env, execArgv: runtimeProfile.execArgv } },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const initializationOptions: PoetInitializationOptions = {
      ...(settings.servicePort ? { port: settings.servicePort } : {}),
      settings: this.settingsSection(),
      startService: !remote,
    };

    let restarts = 0;
    const client: LanguageClientType = new LanguageClient('poet', 'POET', serverOptions, {
      documentSelector: SOURCE_DOCUMENTS,
      outputChannel: this.log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // The service's JSON log lines arrive on stderr: log each at its own level.
      stdioOptions: {
        stdout: (input, out) => lines(input, (l) => out.info(l)),
        stderr: (input, out) => lines(input, (l) => {
          const e = parseServerLogLine(l);
          out[e.level](e.text);
        }),
      },
      initializationOptions,
      synchronize: { configurationSection: 'poet' },
      initializationFailedHandler: (err) => {
        this.setStatus({ state: 'error', message: `The POET backend failed to initialise: ${(err as Error)?.message ?? err}` });
        return false;
      },
      errorHandler: {
        error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
        closed: () => {
          if (this.stopping) return { action: CloseAction.DoNotRestart, handled: true };
          // The same budget as the library's default handler: 4 restarts in 3 minutes.
          restarts++;
          const now = Date.now();
          this.crashTimes = [...this.crashTimes.filter((t) => now - t < 180_000), now];
          this.services.clear();
          if (this.crashTimes.length <= 4) {
            this.setStatus({ state: 'starting', message: `the backend exited unexpectedly; restart ${restarts}` });
            return { action: CloseAction.Restart, handled: true };
          }
          this.setStatus({ state: 'error', message: 'The POET backend crashed 5 times in the last 3 minutes and will not be restarted. See the POET log, then run "POET: Restart Service".' });
          return { action: CloseAction.DoNotRestart, handled: true };
        },
      },
    });
    this.client = client;

    client.onDidChangeState((e) => {
      if (this.client !== client) return;
      if (e.newState === State.Starting) this.setStatus({ state: 'starting' });
      // A remote service has no local services to wait for.
      else if (e.newState === State.Running && remote) this.setStatus({ state: 'ready' });
      else if (e.newState === State.Stopped && this.stopping) this.setStatus({ state: 'stopped' });
    });
    // Registered before start(): the server sends its first snapshot after `initialized`.
    client.onNotification(ServiceStatusNotification.type, (s) => {
      if (this.client === client && !remote) this.applySnapshot(s);
    });
    client.onNotification(StorageChangedNotification.type, (p) => this._onDidChangeStorage.fire(p.folderUri));

    try {
      await client.start();
    } catch (err) {
      if (this.client === client) {
        this.setStatus({ state: 'error', message: `The POET backend did not start: ${(err as Error)?.message ?? err}` });
      }
      throw err;
    }
  }
  private crashTimes: number[] = [];

  /** The server's poet/status snapshot: the folders' services and the one state they add up to. */
  private applySnapshot(s: ServiceStatusSnapshot): void {
    this.services.clear();
    for (const svc of s.services) this.services.set(svc.folderUri, svc);
    if (s.state === 'error') {
      const why = s.errors.map((e) => `${e.workspace}: ${e.message}`).join('; ');
      this.setStatus({ state: 'error', message: s.message ?? (why || 'a POET service failed to start') });
    } else {
      // 'stopped' here means no folder is open yet: the backend itself is starting.
      this.setStatus({ state: s.state === 'stopped' ? 'starting' : s.state });
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.stopping = true;
    this.client = undefined;
    this.services.clear();
    this.token = undefined;
    try {
      // LSP shutdown + exit; the library kills the process if it is still alive 2 s later.
      await client.stop(2000);
    } catch (err) {
      this.log.warn(`Stopping the backend: ${(err as Error)?.message ?? err}`);
    }
    try {
      await client.dispose(2000);
    } catch {
      /* already stopped */
    }
    this.setStatus({ state: 'stopped' });
  }

  async restart(): Promise<void> {
    this.log.info('Restarting the POET backend');
    this.crashTimes = [];
    await this.stop();
    await this.ensureStarted();
  }

  dispose(): void {
    void this.stop();
    this._onDidChangeStatus.dispose();
    this._onDidChangeStorage.dispose();
  }
}
