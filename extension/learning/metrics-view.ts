// The Show Metrics webview: one panel, in POET's editor group, showing one function at a time
// (Show Metrics on another function switches it instead of opening another group). Charts are
// drawn by the bundled script (dist/webview/metrics.js, chart.js inside). Data goes in by
// postMessage only, and the page's CSP allows nothing but that script (nonce) and nonce'd styles.
// The panel holds the function, never a client: every load looks the folder's service up
// again, so a restarted backend (new port, new token) is simply used, and the panel reloads by
// itself when the service is back and when the folder's .dana/poet/ changes.
import * as vscode from 'vscode';
import type { FunctionMetrics } from '../../shared/contract/learning';
import type { StoredTarget } from '../commands/targets';
import type { PoetContext } from '../context';
import { METRICS_VIEW_TYPE, poetColumn } from '../editor/showStored';
import { lazy } from '../lazy/load';
import type { MetricsPanelState } from './metrics-state';
import { makeNonce, metricsHtml } from './metrics-html';

interface Shown {
  folderUri: string;
  key: string;
  name: string;
}

/** What the panel last showed, for the test API. */

export class MetricsPanels implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private shown: Shown | undefined;
  private last: MetricsPanelState | undefined;
  private loads = 0;
  private debounce: NodeJS.Timeout | undefined;
  private readonly subs: vscode.Disposable[] = [];
  private readonly _onDidPost = new vscode.EventEmitter<MetricsPanelState>();
  readonly onDidPost = this._onDidPost.event;

  constructor(private readonly services: PoetContext) {
    this.subs.push(
      services.backend.onDidChangeStatus((s) => {
        if (s.state === 'ready') this.reload();
      }),
      services.backend.onDidChangeStorage((folderUri) => {
        if (folderUri !== this.shown?.folderUri) return;
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => this.reload(), 500);
      }),
    );
  }

  get state(): MetricsPanelState | undefined {
    return this.panel ? this.last : undefined;
  }

  async show(s: StoredTarget): Promise<void> {
    this.shown = { folderUri: s.h.folder.uri, key: s.key, name: s.name };
    const title = `POET Metrics: ${s.name}`;
    if (this.panel) {
      this.panel.title = title;
      this.panel.reveal(undefined, true);
      await this.load();
      return;
    }
    const root = vscode.Uri.joinPath(this.services.context.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(METRICS_VIEW_TYPE, title, { viewColumn: poetColumn(), preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [root],
      retainContextWhenHidden: false,
    });
    this.panel = panel;
    const script = panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'metrics.js'));
    panel.webview.html = metricsHtml({ cspSource: panel.webview.cspSource, scriptUri: script.toString(), nonce: makeNonce(), title: 'POET metrics' });
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    // The page asks once its script runs ('ready', also after being hidden and shown again) and on its Refresh button.
    panel.webview.onDidReceiveMessage((m: { type?: string }) => {
      if (m?.type === 'ready' || m?.type === 'refresh') void this.load();
    });
  }

  /** Reloads the panel if it shows this function (after feedback or Train). */
  refresh(folderUri: string, key: string): void {
    if (this.shown?.folderUri === folderUri && this.shown.key === key) this.reload();
  }

  private reload(): void {
    if (this.panel) void this.load();
  }

  private async load(): Promise<void> {
    const panel = this.panel;
    const shown = this.shown;
    if (!panel || !shown) return;
    const n = ++this.loads;
    this.last = { key: shown.key, state: 'loading' };
    let message: { type: 'metrics'; metrics: FunctionMetrics } | { type: 'error'; error: string };
    let state: MetricsPanelState;
    try {
      const folder = this.services.folderByUri(shown.folderUri);
      if (!folder) throw new Error('its workspace folder is no longer open');
      const h = await this.services.handle(folder);
      const metrics = await h.client.functionMetrics(shown.key);
      message = { type: 'metrics', metrics };
      state = { key: shown.key, state: 'metrics', serviceUrl: h.client.baseUrl, executions: metrics.versions.reduce((sum, v) => sum + v.executions, 0) };
    } catch (err) {
      const why = lazy().clientErrors.describeError(err, { remote: this.services.isRemote() }).message;
      this.services.log.warn(`Metrics for ${shown.key}: ${why}`);
      message = { type: 'error', error: `Could not load the metrics: ${why}` };
      state = { key: shown.key, state: 'error', error: why };
    }
    // A newer load (another function, a later refresh) wins.
    if (n !== this.loads || this.panel !== panel) return;
    await panel.webview.postMessage(message);
    this.last = state;
    this._onDidPost.fire(state);
  }

  dispose(): void {
    clearTimeout(this.debounce);
    for (const s of this.subs) s.dispose();
    this.panel?.dispose();
    this._onDidPost.dispose();
  }
}
