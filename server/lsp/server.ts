// The language server: wires the connection to the documents, the per-folder HTTP services
// and the feature functions (each in its own file, pure where possible).
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  ErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import type { Logger } from 'pino';
import {
  ServiceStatusNotification,
  type ServiceStatusSnapshot,
  StorageChangedNotification,
  DocumentFunctionsRequest,
  FunctionAtRequest,
  type PoetInitializationOptions,
  type SourceDocumentParams,
} from '../../shared/lsp-protocol';
import { folderFromUri, folderOf, uriToPath, type Folder } from './workspaces';
import { workspaceRelative } from '../../shared/workspace-paths';
import { Documents, type ParsedDocument } from './documents';
import { SettingsStore } from './settings';
import { settingsConfigLayer } from '../../shared/settings';
import { ServiceManager } from './services';
import { StorageIndex, matchStoredFunction } from './storage-index';
import { CachedMetrics, learningMetricsSource } from './status';
import { DomainContexts } from './domains';
import { computeDiagnostics, type DiagnosticData } from './diagnostics';
import { codeLenses } from './codelens';
import { hover } from './hover';
import { poetCompletions } from './completion';
import { documentSymbols } from './symbols';
import { documentFunctions, functionAtPosition, sentDocument } from './functions';

export interface ServerOptions {
  token: string;
  /** From POET_PORT; initializationOptions.port wins. */
  envPort: number | undefined;
  logger: Logger;
  /** Debounce of diagnostics after a change. */
  diagnosticsDelayMs?: number;
}

export function createPoetServer(connection: Connection, opts: ServerOptions): { dispose(): Promise<void> } {
  const documents = new Documents();
  const domains = new DomainContexts();
  let folders: Folder[] = [];
  let settings: SettingsStore;
  let services: ServiceManager | undefined;
  let canRefreshLenses = false;
  const log = (m: string): void => connection.console.log(m);

  const metrics = new CachedMetrics(learningMetricsSource((ws) => services?.learning(ws)));
  const storage = new StorageIndex((workspace, changed) => {
    metrics.invalidate(workspace);
    const folder = folders.find((f) => f.fsPath === workspace);
    if (canRefreshLenses) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    if (folder) void connection.sendNotification(StorageChangedNotification.type, { workspace, folderUri: folder.uri });
    // user-defined domains (.dana/poet/domains/*.json) may have changed what is valid
    if ([...changed].some((p) => p === '' || p === 'domains' || p.startsWith('domains/'))) {
      domains.invalidate(workspace);
      for (const d of documents.all()) if (folderOfDoc(d.uri)?.fsPath === workspace) scheduleDiagnostics(d.uri, 0);
    }
  }, undefined, (ws) => services?.store(ws));

  const folderOfDoc = (uri: string): Folder | undefined => {
    const p = uriToPath(uri);
    return p ? folderOf(folders, p) : undefined;
  };

  // ------------------------------------------------------------ lifecycle

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const init = (params.initializationOptions ?? {}) as PoetInitializationOptions;
    const ws = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
    folders = ws.map((f) => folderFromUri(f.uri, f.name || undefined)).filter((f): f is Folder => f !== undefined);
    const caps = params.capabilities;
    settings = new SettingsStore(connection, !!caps.workspace?.configuration, init.settings);
    canRefreshLenses = !!caps.workspace?.codeLens?.refreshSupport;
    const port = typeof init.port === 'number' && Number.isInteger(init.port) ? init.port : (opts.envPort ?? 0);
    if (init.startService !== false) {
      services = new ServiceManager(
        { token: opts.token, port, logger: opts.logger },
        { changed: sendStatus, log },
      );
    }
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeLensProvider: { resolveProvider: false },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['(', ',', ' ', '"', "'"], resolveProvider: false },
        documentSymbolProvider: { label: 'POET' },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'poet-language-server' },
    };
  });

  /** The service creates `.dana/poet/`, so the watcher attaches once it has started (or failed). */
  const watchAndServe = (f: Folder): void => {
    if (!services) return storage.watch(f.fsPath);
    void services.start(f).then(() => {
      if (folders.includes(f)) storage.watch(f.fsPath);
    });
  };

  connection.onInitialized(() => {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'poet' }).catch(() => undefined);
    if (folders.length === 0) log('POET: no workspace folder is open; the HTTP service starts when one is added.');
    for (const f of folders) watchAndServe(f);
    // The first snapshot: the client registered its handler before it started us, so none is lost.
    sendStatus(services?.snapshot() ?? { state: 'stopped', message: 'The service is disabled (a remote service is configured).', services: [], errors: [] });
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      for (const r of e.removed) {
        const f = folders.find((x) => x.uri === r.uri);
        folders = folders.filter((x) => x.uri !== r.uri);
        if (f) storage.unwatch(f.fsPath);
        void services?.stop(r.uri);
      }
      for (const a of e.added) {
        const f = folderFromUri(a.uri, a.name);
        if (!f || folders.some((x) => x.uri === f.uri)) continue;
        folders.push(f);
        watchAndServe(f);
      }
    });
  });

  // After shutdown the client no longer listens: the services closing then are not news.
  let shuttingDown = false;
  function sendStatus(snapshot: ServiceStatusSnapshot): void {
    if (!shuttingDown) void connection.sendNotification(ServiceStatusNotification.type, snapshot).catch(() => undefined);
  }

  const closeAll = async (): Promise<void> => {
    storage.dispose();
    await services?.stopAll();
  };
  connection.onShutdown(async () => {
    shuttingDown = true;
    log('POET: shutting down');
    await closeAll();
  });

  // ------------------------------------------------------------ diagnostics

  const timers = new Map<string, NodeJS.Timeout>();
  const delay = opts.diagnosticsDelayMs ?? 250;
  const publish = async (uri: string): Promise<void> => {
    const pd = documents.parsed(uri);
    if (!pd) return;
    const version = pd.doc.version;
    const s = await settings.get(uri);
    const diagnostics = computeDiagnostics(pd, domains.get(folderOfDoc(uri)?.fsPath), [settingsConfigLayer(s)]);
    if (documents.get(uri)?.version !== version) return; // superseded by a newer edit
    await connection.sendDiagnostics({ uri, version, diagnostics });
  };
  function scheduleDiagnostics(uri: string, ms = delay): void {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        publish(uri).catch((err: unknown) => log(`POET: diagnostics for ${uri} failed: ${(err as Error).stack ?? String(err)}`));
      }, ms),
    );
  }
  documents.manager.onDidOpen((e) => scheduleDiagnostics(e.document.uri, 0));
  documents.manager.onDidChangeContent((e) => scheduleDiagnostics(e.document.uri));
  documents.manager.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    settings.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  connection.onDidChangeConfiguration((e) => {
    settings.changed(e.settings);
    for (const d of documents.all()) scheduleDiagnostics(d.uri, 0);
    if (canRefreshLenses) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  });

  connection.onCodeAction((params) => {
    const actions: CodeAction[] = [];
    for (const d of params.context.diagnostics) {
      const data = d.data as DiagnosticData | undefined;
      if (d.source !== 'poet' || !data?.suggestion) continue;
      actions.push({
        title: `Change to ${data.suggestion}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: true,
        edit: { changes: { [params.textDocument.uri]: [{ range: d.range, newText: data.suggestion }] } },
      });
    }
    return actions;
  });

  // ------------------------------------------------------------ features

  const storedFor = async (pd: ParsedDocument) => {
    const folder = folderOfDoc(pd.doc.uri);
    const fsPath = uriToPath(pd.doc.uri);
    return {
      folder,
      sourceFile: folder && fsPath ? workspaceRelative(folder.fsPath, fsPath) : undefined,
      stored: folder ? await storage.functions(folder.fsPath) : [],
    };
  };

  connection.onCodeLens(async (params) => {
    const pd = documents.parsed(params.textDocument.uri);
    if (!pd) return [];
    const s = await settings.get(pd.doc.uri);
    if (s.codeLens === 'off') return [];
    const { folder, sourceFile, stored } = await storedFor(pd);
    return codeLenses(pd, {
      mode: s.codeLens,
      stored,
      sourceFile,
      folderUri: folder?.uri,
      metrics: (key, version) => (folder ? metrics.get(folder.fsPath, key, version) : Promise.resolve(undefined)),
      matchingVersion: (s, hash) => (folder ? storage.matchingVersion(folder.fsPath, s, hash) : Promise.resolve(undefined)),
    });
  });

  connection.onHover(async (params) => {
    const pd = documents.parsed(params.textDocument.uri);
    if (!pd) return null;
    const s = await settings.get(pd.doc.uri);
    const { folder, sourceFile, stored } = await storedFor(pd);
    return hover(pd, params.position, {
      ctx: domains.get(folder?.fsPath),
      settings: settingsConfigLayer(s),
      stored: async (fn) => matchStoredFunction(stored, fn.name, sourceFile),
      metrics: (key, version) => (folder ? metrics.get(folder.fsPath, key, version) : Promise.resolve(undefined)),
    });
  });

  connection.onCompletion(async (params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const s = await settings.get(doc.uri);
    return poetCompletions(doc, doc.offsetAt(params.position), domains.get(folderOfDoc(doc.uri)?.fsPath), s.defaultDomain || null);
  });

  /** The parse a function request is about: the synchronised copy, else the text sent with it. */
  const requested = (params: SourceDocumentParams): ParsedDocument => {
    const pd = documents.parsed(params.textDocument.uri) ?? sentDocument(params);
    if (pd) return pd;
    throw new ResponseError(ErrorCodes.InvalidParams, `POET's language server does not hold ${params.textDocument.uri} (not an open Dana or Python document); send its text and language with the request.`);
  };
  connection.onRequest(FunctionAtRequest.type, (params) => functionAtPosition(requested(params), params.position));
  connection.onRequest(DocumentFunctionsRequest.type, (params) => documentFunctions(requested(params), params.name));

  connection.onDocumentSymbol((params) => {
    const pd = documents.parsed(params.textDocument.uri);
    return pd ? documentSymbols(pd) : [];
  });

  documents.manager.listen(connection);
  return { dispose: closeAll };
}
