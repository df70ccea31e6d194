// PoetContext owns what lives as long as the extension: the log, the backend child process,
// the folders' HTTP clients (FolderClients), the Functions tree and its view, the status bar,
// the cursor context key and the settings reports. `.dana/poet/` has one watcher, the backend's
// (server/lsp/poet-dir-watch.ts); its poet/storageChanged reloads the tree. Commands are
// factories over it (extension/commands/*, extension/learning/commands.ts); activate() builds
// it, registers them and returns the test API. Everything it creates is disposed with it.
import * as vscode from 'vscode';
import { Backend, type BackendStatus } from './backend/backend';
import { startOnDemand } from './backend/start-on-demand';
import { currentSection, currentSettings, readCurrentSettings } from './config/settings';
import { CursorContext, SourceFunctions } from './editor/functions';
import { FolderClients } from './folder-clients';
import type { ErrorAction } from './client/errors';
import type { MetricsPanelState } from './learning/metrics-state';
import { lazy } from './lazy/load';
import { FunctionsTreeProvider } from './tree/provider';
import type { TreeNode } from './tree/model';
import { StatusBar } from './ui/statusBar';
import { UserError } from './user-error';
import { Commands, ContextKeys, Settings, Views } from '../shared/ids';

export class PoetContext extends FolderClients implements vscode.Disposable {
  readonly tree: FunctionsTreeProvider;
  readonly view: vscode.TreeView<TreeNode>;
  readonly cursor: CursorContext;
  /** The functions of a document, answered by the language server. */
  readonly functions: SourceFunctions;
  private readonly status = new StatusBar();
  private readonly subs: vscode.Disposable[];
  private settingsReported = false;
  /** The last error message shown (the test API reports it). */
  lastError: string | undefined;
  /** The last information message a command showed (the test API reports it). */
  lastMessage: string | undefined;
  /** The metrics panel, once the learning commands have loaded (the test API reads its state). */
  metricsView: { readonly state: MetricsPanelState | undefined } | undefined;

  constructor(extension: vscode.ExtensionContext) {
    const log = vscode.window.createOutputChannel('POET', { log: true });
    super(extension, log, new Backend(extension, log, currentSettings, currentSection));
    this.tree = new FunctionsTreeProvider(this);
    this.view = vscode.window.createTreeView(Views.functions, { treeDataProvider: this.tree, showCollapseAll: true });
    this.tree.visible = this.view.visible;
    this.functions = new SourceFunctions(this.backend);
    this.cursor = new CursorContext(this.functions, log, this.backend.onDidChangeStatus);
    this.subs = [
      log,
      this.backend,
      this.tree,
      this.view,
      this.status,
      this.cursor,
      this.view.onDidChangeVisibility((e) => (this.tree.visible = e.visible)),
      this.backend.onDidChangeStatus((s) => this.backendChanged(s)),
      // The backend's watcher saw .dana/poet/ change (a burst of writes, settled): whoever wrote it.
      this.backend.onDidChangeStorage(() => this.refresh()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.updateStatus();
        this.refresh();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => this.settingsChanged(e)),
      startOnDemand(this.backend, log, this.view),
    ];
    this.updateStatus();
  }

  /** Reloads the Functions view. */
  refresh(): void {
    this.tree.refresh();
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

  private backendChanged(s: BackendStatus): void {
    // Settings are read (and zod loaded) only once the backend starts: activation stays cheap.
    if (s.state === 'starting' && !this.settingsReported) {
      this.settingsReported = true;
      this.reportSettings();
    }
    this.updateStatus();
    void vscode.commands.executeCommand('setContext', ContextKeys.serviceReady, s.state === 'ready');
    // A (re)started backend has new ports: reload what the view shows.
    if (s.state === 'ready') this.refresh();
    if (s.state === 'error' && s.message) this.showError(new Error(s.message));
  }

  private updateStatus(): void {
    const remoteUrl = this.backend.current.state !== 'stopped' ? this.settings().serviceUrl : '';
    this.status.update({
      status: this.backend.current,
      services: this.backend.allServices(),
      restricted: !vscode.workspace.isTrusted,
      ...(remoteUrl ? { remoteUrl } : {}),
    });
  }

  /** Bad setting values, named, once when the backend first starts and after every change. */
  private reportSettings(): void {
    const { issues } = readCurrentSettings();
    if (!issues.length) return;
    const msg = `POET settings: ${issues.map((i) => i.message).join(' ')}`;
    this.log.warn(msg);
    void vscode.window.showWarningMessage(msg, 'Open Settings').then((c) => (c ? vscode.commands.executeCommand('workbench.action.openSettings', 'poet') : undefined));
  }

  /** A changed setting: report it, and offer a restart when it only applies to a new backend. */
  private settingsChanged(e: vscode.ConfigurationChangeEvent): void {
    if (!e.affectsConfiguration(Settings.section)) return;
    this.reportSettings();
    this.updateStatus();
    const changed = lazy().settings.restartNeeded((k) => e.affectsConfiguration(k));
    if (changed.length && this.backend.running) {
      void vscode.window
        .showInformationMessage(`POET: ${changed.join(', ')} changed. Restart the POET service to apply it?`, 'Restart Service')
        .then((c) => (c ? vscode.commands.executeCommand(Commands.restartService) : undefined));
    } else {
      this.refresh();
    }
  }

  dispose(): void {
    for (const d of this.subs) d.dispose();
  }
}
