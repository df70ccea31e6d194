// The workspace folders POET serves and the HTTP client of each: the bundled backend's service
// for the folder (started on first use), or the remote service when `poet.service.url` is set.
// PoetContext (extension/context.ts) extends it; the views that only load data (the tree, the
// stored-document provider) depend on this part alone.
import * as vscode from 'vscode';
import type { Backend } from './backend/backend';
import type { PoetClient } from './client/poetClient';
import type { PoetSettings } from '../shared/settings';
import { currentSettings } from './config/settings';
import { REMOTE_API_KEY_SECRET } from '../shared/ids';
import type { FolderRef } from './tree/model';
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

export class FolderClients {
  private readonly clients = new Map<string, PoetClient>();

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
    readonly backend: Backend,
  ) {}

  settings(): PoetSettings {
    return currentSettings();
  }

  isRemote(): boolean {
    return this.settings().serviceUrl !== '';
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
}
