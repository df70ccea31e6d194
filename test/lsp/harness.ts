// A real LSP client for the real dist/server.js: forks it over IPC exactly as
// vscode-languageclient's TransportKind.ipc does (`--node-ipc --clientProcessId=<pid>`),
// answers the server's requests (workspace/configuration, registerCapability, codeLens
// refresh) and records every notification, so tests can wait on conditions.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  IPCMessageReader,
  IPCMessageWriter,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import type { PoetInitializationOptions, ServiceReadyParams, ServiceStatusSnapshot } from '../../shared/lsp-protocol';

/** The `poet` settings section as VS Code sends it (nested; read by shared/settings.ts). */
type PoetSection = Record<string, unknown>;

export const ROOT = path.resolve(__dirname, '../..');
export const SERVER = path.join(ROOT, 'dist/server.js');
export const TOKEN = 'lsp-test-token-0123456789abcdef';

let built = false;
/** Builds dist/ when a source file is newer than it (the tests exercise the bundle). */
export function ensureBuilt(): void {
  if (built) return;
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/ensure-built.mjs')], { cwd: ROOT, stdio: 'inherit' });
  built = true;
}

export function tempWorkspace(prefix = 'poet-lsp-'): string {
  return realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export const fileUri = (p: string): string => pathToFileURL(p).toString();

type Waiter = { check: () => boolean; resolve: () => void };

export interface ClientOptions {
  folders: string[];
  settings?: PoetSection;
  initializationOptions?: PoetInitializationOptions;
  /** pid the server watches (default: this process). */
  clientProcessId?: number;
  env?: NodeJS.ProcessEnv;
  /** Client capabilities: pull settings through workspace/configuration (default true). */
  pullConfiguration?: boolean;
}

export class TestClient {
  readonly child: ChildProcess;
  readonly connection: ProtocolConnection;
  readonly ready: ServiceReadyParams[] = [];
  /** Every poet/status snapshot, oldest first. */
  readonly statuses: ServiceStatusSnapshot[] = [];
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly logs: string[] = [];
  readonly storageChanges: string[] = [];
  lensRefreshes = 0;
  settings: PoetSection;
  stderr = '';
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: Waiter[] = [];

  constructor(private readonly opts: ClientOptions) {
    this.settings = opts.settings ?? {};
    const clientPid = opts.clientProcessId ?? process.pid;
    this.child = fork(SERVER, ['--node-ipc', `--clientProcessId=${clientPid}`], {
      env: { ...process.env, POET_API_KEY: TOKEN, POET_PORT: '0', POET_LOG_LEVEL: 'warn', ...opts.env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execArgv: [],
    });
    this.child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    this.connection = createProtocolConnection(new IPCMessageReader(this.child), new IPCMessageWriter(this.child));
    const c = this.connection;
    c.onNotification('poet/status', (p: ServiceStatusSnapshot) =>
      this.push(() => {
        this.statuses.push(p);
        // Each service once, in the order they came up.
        for (const s of p.services) if (!this.ready.some((r) => r.folderUri === s.folderUri && r.url === s.url)) this.ready.push(s);
      }),
    );
    c.onNotification('poet/storageChanged', (p: { workspace: string }) => this.push(() => this.storageChanges.push(p.workspace)));
    c.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => this.push(() => this.diagnostics.set(p.uri, p)));
    c.onNotification('window/logMessage', (p: { message: string }) => this.push(() => this.logs.push(p.message)));
    c.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) => p.items.map((i) => (i.section === 'poet' ? this.settings : null)));
    c.onRequest('client/registerCapability', () => null);
    c.onRequest('workspace/codeLens/refresh', () => {
      this.push(() => this.lensRefreshes++);
      return null;
    });
    c.listen();
  }

  private push(f: () => unknown): void {
    f();
    this.waiters = this.waiters.filter((w) => (w.check() ? (w.resolve(), false) : true));
  }

  /** Resolves when `check` holds (checked now and after every message from the server). */
  until(check: () => boolean, what: string): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ check, resolve });
      void this.exited.then(({ code, signal }) => reject(new Error(`server exited (${code ?? signal}) while waiting for ${what}\n${this.stderr}`)));
    });
  }

  async initialize(): Promise<InitializeResult> {
    const folders = this.opts.folders.map((f) => ({ uri: fileUri(f), name: path.basename(f) }));
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: this.opts.clientProcessId ?? process.pid,
      rootUri: folders[0]?.uri ?? null,
      workspaceFolders: folders,
      capabilities: {
        workspace: { configuration: this.opts.pullConfiguration ?? true, workspaceFolders: true, codeLens: { refreshSupport: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true }, hover: { contentFormat: ['markdown'] }, documentSymbol: { hierarchicalDocumentSymbolSupport: true } },
      },
      initializationOptions: { settings: this.settings, ...this.opts.initializationOptions },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** The newest poet/status snapshot, once one arrived. */
  async status(): Promise<ServiceStatusSnapshot> {
    await this.until(() => this.statuses.length > 0, 'a poet/status snapshot');
    return this.statuses[this.statuses.length - 1]!;
  }

  async waitReady(n = this.opts.folders.length): Promise<ServiceReadyParams[]> {
    await this.until(() => this.ready.length >= n, `${n} services in poet/status`);
    return this.ready;
  }

  private versions = new Map<string, number>();

  open(file: string, text: string, languageId = file.endsWith('.py') ? 'python' : 'dana'): string {
    const uri = fileUri(file);
    this.versions.set(uri, 1);
    this.diagnostics.delete(uri);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  change(uri: string, text: string): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  /** Diagnostics published for `uri` at `version` (or later). */
  async diagnosticsFor(uri: string, version = 1): Promise<PublishDiagnosticsParams> {
    await this.until(() => (this.diagnostics.get(uri)?.version ?? -1) >= version, `diagnostics for ${uri} v${version}`);
    return this.diagnostics.get(uri)!;
  }

  async changeSettings(s: PoetSection): Promise<void> {
    this.settings = s;
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { poet: s } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest<R>(method, params);
  }

  /** LSP shutdown + exit; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const { code } = await this.exited;
    this.connection.dispose();
    return code;
  }

  /** For after-hooks: make sure nothing is left running. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    this.connection.dispose();
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** GET on 127.0.0.1 with the test token; returns status and parsed JSON. */
export async function getJson(url: string, route: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url + route, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

export async function postJson(url: string, route: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url + route, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}
