// The custom LSP messages between the extension (client) and dist/server.js (server).
// LSP is the control plane (readiness, ports, status, settings); HTTP is the data plane.
// The types come from vscode-languageserver-protocol's runtime-neutral entry, which both
// vscode-languageclient and vscode-languageserver re-export, so this file can be imported
// by either side (and by tests) without pulling in the other side's runtime.
import { NotificationType } from 'vscode-languageserver-protocol';

/** One HTTP service, serving one workspace folder. */
export interface ServiceReadyParams {
  /** Base URL, always on 127.0.0.1, e.g. `http://127.0.0.1:53121`. */
  url: string;
  port: number;
  /** Absolute file-system path of the workspace folder this service writes `.dana/poet/` into. */
  workspace: string;
  /** The folder's URI as the client sent it (compare with `WorkspaceFolder.uri.toString()`). */
  folderUri: string;
}

export type ServiceState = 'starting' | 'ready' | 'error' | 'stopped';

/** The backend's services as a whole: what the client shows, replaced whole on every change. */
export interface ServiceStatusSnapshot {
  /** `ready` when every folder's service runs, `error` if any failed, `starting` until all settled. */
  state: ServiceState;
  /** A sentence a person can act on; present for `error` and `stopped`. Never contains the token. */
  message?: string;
  services: ServiceReadyParams[];
  /** Folders whose service failed to start, with the reason. */
  errors: Array<{ workspace: string; folderUri: string; message: string }>;
}

/**
 * server → client: the whole status, once after `initialized` and after every change (a folder's
 * service starting, listening, failing or closing). The client keeps only the newest.
 */
export const ServiceStatusNotification = {
  method: 'poet/status',
  type: new NotificationType<ServiceStatusSnapshot>('poet/status'),
} as const;

/**
 * server → client: something under a folder's `.dana/poet/` changed (debounced).
 * The server already refreshes its CodeLenses; the client may refresh its tree.
 */
export interface StorageChangedParams {
  workspace: string;
  folderUri: string;
}
export const StorageChangedNotification = {
  method: 'poet/storageChanged',
  type: new NotificationType<StorageChangedParams>('poet/storageChanged'),
} as const;

/** `initializationOptions` the client sends with `initialize`. All optional. */
export interface PoetInitializationOptions {
  /**
   * Port for the HTTP service (`poet.service.port`); 0 or absent = a free port.
   * A fixed port only applies to the first folder; further folders take free ports.
   * The env variable POET_PORT is honoured too; this option wins.
   */
  port?: number;
  /**
   * The `poet` settings section (nested, as workspace/configuration returns it), used until or
   * unless the client answers workspace/configuration. Read by shared/settings.ts.
   */
  settings?: Record<string, unknown>;
  /** Set false to run only the language features (e.g. `poet.service.url` points to a remote service). */
  startService?: boolean;
}
