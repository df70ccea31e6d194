// Activation: build the services, register every contribution, return the test API.
// Activation itself starts nothing: the backend starts on the first command, when the POET
// view shows, or when a Dana file (or a Python file that mentions @poet) is open, and only in
// a trusted workspace. deactivate() stops the backend; if VS Code dies first, the child
// notices through the language client's process-id watch and exits by itself.
import * as vscode from 'vscode';
import { Backend } from './backend/backend';
import { PoetServices } from './services';
import { FunctionsTreeProvider } from './tree/provider';
import { StatusBar } from './ui/statusBar';
import { CursorContext, languageOf } from './editor/functions';
import { StoreDocuments, STORE_SCHEME } from './editor/storeDocuments';
import { coreCommands, type CoreState } from './commands/core';
import { lazyTable, registerCommands, type CommandTable } from './commands/table';
import { runCommands } from './commands/run';
import { learningCommands } from './learning/commands';
import { createApi, type PoetApi } from './api';
import { currentSection, currentSettings, readCurrentSettings } from './config/settings';
import { Commands, ContextKeys, Settings, Views } from '../shared/ids';
import { runTestsIfRequested } from './testing/hook';
import { lazy } from './lazy/load';

let backendRef: Backend | undefined;

/** Extra command handlers from other parts, loaded on first use. One line each. */
function extraCommands(services: PoetServices): CommandTable {
  return {
    ...lazyTable([Commands.giveFeedback, Commands.trainNow, Commands.showMetrics], () => learningCommands(services)),
    ...runCommands(services),
  };
}

export function activate(context: vscode.ExtensionContext): PoetApi {
  const t0 = performance.now();
  const log = vscode.window.createOutputChannel('POET', { log: true });
  context.subscriptions.push(log);

  const backend = new Backend(context, log, currentSettings, currentSection);
  const services = new PoetServices(context, log, backend, () => tree.refresh());
  backendRef = backend;
  context.subscriptions.push(backend);
  const tree = new FunctionsTreeProvider(services);
  const view = vscode.window.createTreeView(Views.functions, { treeDataProvider: tree, showCollapseAll: true });
  tree.visible = view.visible;
  context.subscriptions.push(tree, view, view.onDidChangeVisibility((e) => (tree.visible = e.visible)));

  let settingsReported = false;
  const reportSettings = () => {
    const { issues } = readCurrentSettings();
    if (issues.length) {
      const msg = `POET settings: ${issues.map((i) => i.message).join(' ')}`;
      log.warn(msg);
      void vscode.window.showWarningMessage(msg, 'Open Settings').then((c) => (c ? vscode.commands.executeCommand('workbench.action.openSettings', 'poet') : undefined));
    }
  };
  const status = new StatusBar();
  context.subscriptions.push(status);
  const updateStatus = () => {
    // Settings are read (and zod loaded) only once the backend runs: activation stays cheap.
    const remoteUrl = backend.current.state !== 'stopped' ? services.settings().serviceUrl : '';
    status.update({
      status: backend.current,
      services: backend.allServices(),
      restricted: !vscode.workspace.isTrusted,
      ...(remoteUrl ? { remoteUrl } : {}),
    });
  };
  context.subscriptions.push(
    backend.onDidChangeStatus((s) => {
      if (s.state === 'starting' && !settingsReported) {
        settingsReported = true;
        reportSettings();
      }
      updateStatus();
      void vscode.commands.executeCommand('setContext', ContextKeys.serviceReady, s.state === 'ready');
      // A (re)started backend has new ports: reload what the view shows.
      if (s.state === 'ready') tree.refresh();
      if (s.state === 'error' && s.message) services.showError(new Error(s.message));
    }),
  );
  updateStatus();

  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(STORE_SCHEME, new StoreDocuments(services)));
  const cursor = new CursorContext(log);
  context.subscriptions.push(cursor);

  const state: CoreState = { lastEnhanceResult: undefined };
  const table: CommandTable = { ...coreCommands(services, state), ...extraCommands(services) };
  registerCommands(context, services, table);

  // .dana/poet/ changed on disk (another tool, git checkout, the CLI): refresh, debounced.
  let debounce: NodeJS.Timeout | undefined;
  const refreshSoon = () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => tree.refresh(), 300);
  };
  context.subscriptions.push({ dispose: () => clearTimeout(debounce) });
  let watchers: vscode.Disposable[] = [];
  const watch = () => {
    for (const w of watchers) w.dispose();
    watchers = (vscode.workspace.workspaceFolders ?? [])
      .filter((f) => f.uri.scheme === 'file')
      .map((f) => {
        const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(f, '.dana/poet/**'));
        w.onDidCreate(refreshSoon);
        w.onDidChange(refreshSoon);
        w.onDidDelete(refreshSoon);
        return w;
      });
  };
  watch();
  context.subscriptions.push(
    { dispose: () => watchers.forEach((w) => w.dispose()) },
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      watch();
      tree.refresh();
    }),
    backend.onDidChangeStorage(refreshSoon),
  );

  // Lazy start: a Dana file, or a Python file that mentions @poet (a cheap text check).
  const wantsBackend = (doc: vscode.TextDocument) => {
    const lang = languageOf(doc);
    return doc.uri.scheme === 'file' && (lang === 'dana' || (lang === 'python' && doc.getText().includes('@poet')));
  };
  const maybeStart = (doc: vscode.TextDocument) => {
    if (vscode.workspace.isTrusted && !backend.running && wantsBackend(doc)) {
      // After activate() returns: loading the language client is not activation's cost.
      setTimeout(() => {
        if (!backend.running) void backend.ensureStarted().catch((err) => log.error('Starting the backend failed', err));
      }, 0);
    }
  };
  vscode.workspace.textDocuments.forEach(maybeStart);
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(maybeStart),
    view.onDidChangeVisibility((e) => {
      if (e.visible && vscode.workspace.isTrusted && !backend.running) void backend.ensureStarted().catch(() => undefined);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      updateStatus();
      vscode.workspace.textDocuments.forEach(maybeStart);
      tree.refresh();
    }),
  );

  // Settings: report bad values when the backend first starts and on every change; offer a
  // restart when a setting needs one.
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(Settings.section)) return;
      reportSettings();
      updateStatus();
      const changed = lazy().settings.restartNeeded((k) => e.affectsConfiguration(k));
      if (changed.length && backend.running) {
        void vscode.window
          .showInformationMessage(`POET: ${changed.join(', ')} changed. Restart the POET service to apply it?`, 'Restart Service')
          .then((c) => (c ? vscode.commands.executeCommand(Commands.restartService) : undefined));
      } else {
        tree.refresh();
      }
    }),
  );

  let activationMs = 0;
  const api = createApi({ backend, services, tree, state, cursor, activationMs: () => activationMs });
  activationMs = performance.now() - t0;
  log.info(`POET activated in ${activationMs.toFixed(1)} ms`);
  void runTestsIfRequested(api);
  return api;
}

export function deactivate(): Promise<void> | undefined {
  const b = backendRef;
  backendRef = undefined;
  return b?.stop();
}
