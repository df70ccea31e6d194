// What `activate()` returns: a small API for the real-VS-Code tests (extension/testing), so
// they wait on conditions (readiness, tree loads, state changes) instead of sleeping.
// Nothing here is needed by users; it exposes no more than the process already holds.
import type * as vscode from 'vscode';
import type { TranspileResponse } from '../shared/contract/api';
import type { BackendStatus } from './backend/backend';
import type { TreeSnapshot } from './tree/model';
import type { PoetContext } from './context';
import type { CoreState } from './commands/core';
import type { MetricsPanelState } from './learning/metrics-state';

export interface PoetApi {
  /** Starts the backend if needed and resolves when every folder's service is ready (or rejects with the reason). */
  whenReady(timeoutMs?: number): Promise<void>;
  /** The HTTP service URL of a folder (default: the first), e.g. `http://127.0.0.1:53121`; remote URL in remote mode. */
  serviceUrl(folderUri?: string): string | undefined;
  /** The bundled services' bearer token (changes on every start). */
  serviceToken(): string | undefined;
  /** pid of the backend child process, while it runs. */
  backendPid(): number | undefined;
  backendState(): BackendStatus;
  onDidChangeBackendState: vscode.Event<BackendStatus>;
  /** Stops and starts the backend (new process, new token, new ports); resolves when ready again. */
  restartBackend(): Promise<void>;
  /** Stops the backend as deactivate() does; resolves when the child has been told to exit. */
  stopBackend(): Promise<void>;
  /** The Functions tree, fully expanded, as plain data (loads what is not loaded). */
  treeItems(): Promise<TreeSnapshot[]>;
  /** Refreshes the tree and resolves once its root has been loaded again. */
  refreshTree(): Promise<void>;
  /** Fires whenever the tree's root finished loading (after a refresh, watcher event, etc.). */
  onDidLoadTree: vscode.Event<void>;
  /** The last Enhance Function result. */
  readonly lastEnhanceResult: TranspileResponse | undefined;
  /** The last error message a command showed. */
  lastError(): string | undefined;
  /** The last information message a command showed. */
  lastMessage(): string | undefined;
  /** Whether the active editor's cursor is in a function (recomputed now). */
  cursorInFunction(): Promise<boolean>;
  /** What the metrics panel shows now (undefined while no panel is open). */
  metricsPanel(): MetricsPanelState | undefined;
  /** How long activate() took, in ms. */
  activationMs: number;
}

export function createApi(services: PoetContext, state: CoreState, activationMs: () => number): PoetApi {
  const { backend, tree, cursor } = services;
  const firstFolder = () => services.folders()[0]?.uri;
  return {
    async whenReady(timeoutMs = 60_000) {
      services.assertTrusted();
      if (services.isRemote()) {
        await backend.ensureStarted();
        const folder = services.folders()[0];
        if (folder) await (await services.handle(folder)).client.health();
        return;
      }
      const started = backend.ensureStarted();
      await Promise.all([started, backend.whenReady(timeoutMs)]);
    },
    serviceUrl(folderUri) {
      const s = services.settings();
      if (s.serviceUrl) return s.serviceUrl;
      const key = folderUri ?? firstFolder();
      return key ? backend.service(key)?.url : backend.allServices()[0]?.url;
    },
    serviceToken: () => backend.serviceToken,
    backendPid: () => backend.pid(),
    backendState: () => backend.current,
    onDidChangeBackendState: backend.onDidChangeStatus,
    async restartBackend() {
      await backend.restart();
      await backend.whenReady();
      services.refresh();
    },
    stopBackend: () => backend.stop(),
    treeItems: () => tree.snapshot(),
    refreshTree() {
      return new Promise<void>((resolve) => {
        const sub = tree.onDidLoad(() => {
          sub.dispose();
          resolve();
        });
        services.refresh();
        // Loading happens when someone asks for the children; a hidden view never does.
        void tree.getChildren();
      });
    },
    onDidLoadTree: tree.onDidLoad,
    get lastEnhanceResult() {
      return state.lastEnhanceResult;
    },
    lastError: () => services.lastError,
    lastMessage: () => services.lastMessage,
    cursorInFunction: () => cursor.update(),
    metricsPanel: () => services.metricsView?.state,
    get activationMs() {
      return activationMs();
    },
  };
}
