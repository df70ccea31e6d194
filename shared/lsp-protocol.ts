// The custom LSP messages between the extension (client) and dist/server.js (server).
// LSP is the control plane (readiness, ports, status, settings); HTTP is the data plane.
// The types come from vscode-languageserver-protocol's runtime-neutral entry, which both
// vscode-languageclient and vscode-languageserver re-export, so this file can be imported
// by either side (and by tests) without pulling in the other side's runtime.
import { NotificationType, RequestType, type Position, type Range } from 'vscode-languageserver-protocol';
import type { Language, LiteralValue } from './source/model';

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

/**
 * A function of a source document, as the server's parser sees it: what the extension needs to
 * enhance it, reveal it or offer the editor menu, so it never parses a document itself.
 */
export interface DocumentFunction {
  name: string;
  /** Qualified with its enclosing defs, structs or classes (`Account.withdraw`). */
  qualifiedName: string;
  /** Not nested in another def, struct or class. */
  topLevel: boolean;
  /** Decorators to the end of the body, in the document's own (UTF-16) positions. */
  range: Range;
  nameRange: Range;
  /** The literal keyword arguments of its `@poet(...)` decorator; null when it has none. */
  poet: Record<string, LiteralValue> | null;
}

/**
 * The document a function request is about. The server answers from the copy the client
 * synchronises (its parse is cached per version and shared with the CodeLens); a document it
 * does not hold (a stored version shown read-only, a file of another language id) is parsed from
 * `text` and `language` when they are sent, else the request fails naming the document.
 */
export interface SourceDocumentParams {
  textDocument: { uri: string };
  text?: string;
  language?: Language;
}

/** client → server: the innermost function around a position, or null. */
export interface FunctionAtParams extends SourceDocumentParams {
  position: Position;
}
export const FunctionAtRequest = {
  method: 'poet/functionAt',
  type: new RequestType<FunctionAtParams, DocumentFunction | null, void>('poet/functionAt'),
} as const;

/**
 * client → server: the functions of a document in source order, or only the one `name` means
 * (shared/source/locate.ts's rule: qualified names, top-level first).
 */
export interface DocumentFunctionsParams extends SourceDocumentParams {
  name?: string;
}
export const DocumentFunctionsRequest = {
  method: 'poet/documentFunctions',
  type: new RequestType<DocumentFunctionsParams, DocumentFunction[], void>('poet/documentFunctions'),
} as const;
