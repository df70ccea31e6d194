// The custom LSP messages between the extension (client) and dist/server.js (server).
// LSP is the control plane (readiness, port, status, settings); HTTP is the data plane.
// The types come from vscode-languageserver-protocol's runtime-neutral entry, which both
// vscode-languageclient and vscode-languageserver re-export, so this file can be imported
// by either side (and by tests) without pulling in the other side's runtime.
import { NotificationType, RequestType0 } from 'vscode-languageserver-protocol';

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

export interface ServiceStatusParams {
  state: ServiceState;
  /** A sentence a person can act on; present for `error`. Never contains the token. */
  message?: string;
  /** The folder this status is about; absent when it concerns the whole process. */
  workspace?: string;
  folderUri?: string;
}

export interface ServiceStateResult {
  /** `ready` when every folder's service runs, `error` if any failed, `starting` until all settled. */
  state: ServiceState;
  message?: string;
  services: ServiceReadyParams[];
  /** Folders whose service failed to start, with the reason. */
  errors: Array<{ workspace: string; folderUri: string; message: string }>;
}

/** server → client, once per workspace folder, when that folder's HTTP service listens. */
export const ServiceReadyNotification = {
  method: 'poet/serviceReady',
  type: new NotificationType<ServiceReadyParams>('poet/serviceReady'),
} as const;

/** server → client, whenever the overall or a folder's state changes. */
export const ServiceStatusNotification = {
  method: 'poet/serviceStatus',
  type: new NotificationType<ServiceStatusParams>('poet/serviceStatus'),
} as const;

/** client → server: the current state, for a client that (re)attached after the notifications. */
export const ServiceStateRequest = {
  method: 'poet/serviceState',
  type: new RequestType0<ServiceStateResult, void>('poet/serviceState'),
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
