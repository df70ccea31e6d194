// The composition root's shared services, handed to every command (including the learning
// part's, in extension/learning/commands.ts): the log, settings, the HTTP client of a
// workspace folder, error reporting, and tree refresh. Manual DI, no container.
import * as vscode from 'vscode';
import type { Backend } from './backend/backend';
import type { PoetClient } from './client/poetClient';
import type { ErrorAction } from './client/errors';
import type { PoetSettings } from '../shared/settings';
import { currentSettings } from './config/settings';
import { Commands, REMOTE_API_KEY_SECRET } from '../shared/ids';
import type { FolderRef } from './tree/model';
import type { MetricsPanelState } from './learning/metrics-view';
import { lazy } from './lazy/load';
import { UserError } from './user-error';

/** A workspace folder's service: its client and whether it is a remote one. */
export interface FolderClient {
  folder: FolderRef;
  client: PoetClient;
  remote: boolean;
}

export function folderRef(f: vscode.WorkspaceFolder): FolderRef {
  return { uri: f.uri.toString(), name: f.name, path: f.uri.fsPath };
}

export class PoetServices {
  private readonly clients = new Map<string, PoetClient>();
  /** The last error message shown (the test API reports it). */
  lastError: string | undefined;
  /** The last information message a command showed (the test API reports it). */
  lastMessage: string | undefined;
  /** The metrics panel, once the learning commands have loaded (the test API reads its state). */
  metricsView: { readonly state: MetricsPanelState | undefined } | undefined;

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
    readonly backend: Backend,
    private readonly refreshTree: () => void,
  ) {}

  settings(): PoetSettings {
    return currentSettings();
  }

  isRemote(): boolean {
    return this.settings().serviceUrl !== '';
  }

  refresh(): void {
    this.refreshTree();
  }

  /** Workspace folders POET can store into (file scheme only). */
  folders(): FolderRef[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map(folderRef);
  }

  folderOf(uri: vscode.Uri): FolderRef | undefined {
    const f = vscode.workspace.getWorkspaceFolder(uri);
    return f && f.uri.scheme === 'file' ? folderRef(f) : undefined;
  }

  folderByUri(folderUri: string): FolderRef | undefined {
    return this.folders().find((f) => f.uri === folderUri);
  }

  assertTrusted(): void {
    if (!vscode.workspace.isTrusted) {
      throw new UserError('POET writes enhanced versions into .dana/poet/ in the workspace, so it only runs in a trusted workspace. Trust this workspace to use it.');
    }
  }

  /**
   * The client for a folder's service, starting the backend if needed and waiting until it is
   * ready. Remote mode: the same remote service for every folder.
   */
  async handle(folder: FolderRef): Promise<FolderClient> {
    this.assertTrusted();
    const settings = this.settings();
    const { PoetClient: Client } = lazy().poetClient;
    const opts = { retries: 2, timeoutMs: 15_000, longTimeoutMs: 180_000 };
    if (settings.serviceUrl) {
      const key = await this.context.secrets.get(REMOTE_API_KEY_SECRET);
      const cacheKey = `remote|${settings.serviceUrl}|${key ?? ''}`;
      let client = this.clients.get(cacheKey);
      if (!client) {
        client = new Client({ baseUrl: settings.serviceUrl, ...(key ? { token: key } : {}), ...opts });
        this.clients.clear();
        this.clients.set(cacheKey, client);
      }
      return { folder, client, remote: true };
    }
    await this.backend.ensureStarted();
    await this.backend.whenReady();
    const svc = this.backend.service(folder.uri);
    if (!svc) {
      throw new UserError(`The POET service has no service for the folder "${folder.name}". Restart it with "POET: Restart Service".`, ['restartService', 'showLog']);
    }
    const token = this.backend.serviceToken!;
    const cacheKey = `local|${svc.url}|${token}`;
    let client = this.clients.get(cacheKey);
    if (!client) {
      client = new Client({ baseUrl: svc.url, token, ...opts });
      for (const k of [...this.clients.keys()]) if (k.startsWith(`local|${svc.url}|`)) this.clients.delete(k);
      this.clients.set(cacheKey, client);
    }
    return { folder, client, remote: false };
  }

  /** Shows an information notification with buttons; resolves with the one clicked. */
  info(message: string, ...actions: string[]): Thenable<string | undefined> {
    this.lastMessage = message;
    this.log.info(message);
    return vscode.window.showInformationMessage(message, ...actions);
  }

  /** Shows an error as a notification with the buttons that help, and logs it. Never throws. */
  showError(err: unknown, prefix?: string): void {
    const { describeError, PoetClientError } = lazy().clientErrors;
    let message: string;
    let actions: ErrorAction[];
    if (err instanceof UserError) {
      message = err.message;
      actions = err.actions;
    } else {
      const d = describeError(err, { remote: this.isRemote() });
      message = d.message;
      actions = d.actions;
    }
    if (prefix) message = `${prefix}: ${message}`;
    this.lastError = message;
    if (err instanceof PoetClientError) this.log.error(`${message}\n  ${err.message}`);
    else if (err instanceof UserError) this.log.warn(message);
    else this.log.error(message, err);
    if (err instanceof PoetClientError && err.kind === 'cancelled') return;
    const labels: Record<ErrorAction, string> = {
      showLog: 'Show Log',
      restartService: 'Restart Service',
      setApiKey: 'Set API Key',
      openSettings: 'Open Settings',
      retry: 'Retry',
    };
    const buttons = actions.filter((a) => a !== 'retry').map((a) => labels[a]);
    if (!buttons.includes('Show Log')) buttons.push('Show Log');
    void vscode.window.showErrorMessage(message, ...buttons).then((choice) => {
      if (choice === 'Show Log') this.log.show(true);
      else if (choice === 'Restart Service') void vscode.commands.executeCommand(Commands.restartService);
      else if (choice === 'Set API Key') void vscode.commands.executeCommand(Commands.setRemoteApiKey);
      else if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'poet.service');
    });
  }
}
